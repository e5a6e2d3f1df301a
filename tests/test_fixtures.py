"""Fixture articles: every failing file declares the codes and lines it must produce.

A declaration is a comment ``# expect: FL103@4 FL101@1`` anywhere in the file, or
a sidecar ``<file>.expect`` with the same ``CODE@LINE`` words (for JSON, which has
no comments). The produced (code, line) pairs must match exactly: a missing
diagnostic and an extra one (a cascade) both fail. A word may also name the column
(``FL003@4:9``) and be followed by text in double quotes, JSON-escaped
(``FL003@4:9 "quote the value: excerpt: \"Cargo: up\""``): a diagnostic of that
code on that line (and column) must then hold that text in its message. Fixtures may be grouped in
subfolders (``fail/urls/``, ``pass/dates/``); every file below ``fail`` and
``pass`` is a case.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from feedlint.discovery import is_bare
from feedlint.engine import Linter
from tests.conftest import FIXTURES, run_feedlint

_WORD = r'FL\d{3}@\d+(?::\d+)?(?:\s+"(?:[^"\\\n]|\\.)*")?'
_EXPECT = re.compile(rf"#\s*expect:((?:\s+{_WORD})+)")
_EXPECT_WORD = re.compile(r'(FL\d{3})@(\d+)(?::(\d+))?(?:\s+("(?:[^"\\\n]|\\.)*"))?')


#: Codes that need several files at once; each file here is linted on its own,
#: and the end-to-end run leaves them out (they have tests of their own).
CROSS_FILE_CODES = ("FL520",)


def fixture_files(kind: str) -> list[Path]:
    return sorted(
        p for p in (FIXTURES / kind).rglob("*") if p.is_file() and p.suffix != ".expect"
    )


def fixture_id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


def _declared(path: Path) -> list[tuple[str, int, int | None, str | None]]:
    """Each declared diagnostic: code, line, column or None, message text or None."""
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        declarations = [sidecar.read_text("utf-8")]
    else:
        declarations = [m.group(1) for m in _EXPECT.finditer(path.read_text("utf-8"))]
    found = []
    for declaration in declarations:
        for word in _EXPECT_WORD.finditer(declaration):
            code, line, column, text = word.groups()
            found.append((
                code,
                int(line),
                int(column) if column else None,
                json.loads(text) if text else None,
            ))
    return found


def expected(path: Path) -> Counter[tuple[str, int]]:
    return Counter((code, line) for code, line, _, _ in _declared(path))


@pytest.mark.parametrize("path", fixture_files("fail"), ids=fixture_id)
def test_failing_fixture(path: Path, linter: Linter) -> None:
    want = expected(path)
    assert want, f"{path.name} declares no expected diagnostics"
    result = linter.lint_bytes(path.name, path.read_bytes(), bare=is_bare(path.name))
    got = Counter((d.code, d.line) for d in result.diagnostics)
    shown = "\n".join(f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics)
    assert got == want, shown
    for code, line, column, text in _declared(path):
        assert any(
            d.code == code
            and d.line == line
            and column in (None, d.column)
            and (text is None or text in d.message)
            for d in result.diagnostics
        ), f"no {code}@{line}:{column} with {text!r}:\n{shown}"


@pytest.mark.parametrize("path", fixture_files("pass"), ids=fixture_id)
def test_passing_fixture(path: Path, linter: Linter) -> None:
    result = linter.lint_bytes(path.name, path.read_bytes(), bare=is_bare(path.name))
    assert result.diagnostics == [], "\n".join(
        f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics
    )


def test_fixtures_end_to_end() -> None:
    """The same fixtures through the command line, in one run, as JSON."""
    files = fixture_files("fail") + fixture_files("pass")
    run = run_feedlint(
        ["check", "--format", "json", "--ignore", ",".join(CROSS_FILE_CODES), *map(str, files)]
    )
    assert run.returncode == 1, run.stderr
    report = run.json()
    assert report["files_checked"] == len(files)
    by_file: dict[str, Counter[tuple[str, int]]] = {}
    for d in report["diagnostics"]:
        name = fixture_id(Path(d["file"]).resolve())
        by_file.setdefault(name, Counter())[(d["code"], d["line"])] += 1
    for path in files:
        assert by_file.get(fixture_id(path), Counter()) == expected(path), fixture_id(path)
