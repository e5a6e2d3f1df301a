"""What every run must give, whatever the input: checks shared by the robustness tests.

- :func:`check_json_report`: the ``--format json`` contract, exactly (keys, types,
  order).
- :func:`check_positions`: every diagnostic lies inside its file.
- :func:`measured_run`: ``python -m feedlint`` in a child process, with the CPU
  time and peak memory of that process alone (``os.wait4``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedlint.cli import main
from feedlint.engine import Linter
from tests.conftest import ROOT

_DIAGNOSTIC_TYPES: dict[str, type] = {
    "file": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "code": str,
    "rule": str,
    "severity": str,
    "message": str,
    "pointer": str,
    "fix": object,
}
#: An edit of a diagnostic's fix, member by member.
_EDIT_TYPES: dict[str, type] = {
    "line": int, "column": int, "end_line": int, "end_column": int, "content": str,
}
_CODE = re.compile(r"FL\d{3}\Z")
_RULE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: What a message or a file name may never hold raw (see feedlint.diagnostics.printable).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def check_json_report(report: Any, *, files_checked: int | None = None) -> None:
    """Assert that ``report`` is exactly what the JSON contract of docs/output-formats.md
    promises."""
    assert isinstance(report, dict), report
    assert list(report) == ["version", "files_checked", "diagnostics"], list(report)
    assert report["version"] == 1 and type(report["version"]) is int
    assert type(report["files_checked"]) is int and report["files_checked"] >= 0
    if files_checked is not None:
        assert report["files_checked"] == files_checked
    diagnostics = report["diagnostics"]
    assert isinstance(diagnostics, list)
    for d in diagnostics:
        assert isinstance(d, dict)
        assert list(d) == list(_DIAGNOSTIC_TYPES), list(d)
        for key, kind in _DIAGNOSTIC_TYPES.items():
            assert kind is object or type(d[key]) is kind, (key, d)
        fix = d["fix"]
        if fix is not None:
            assert list(fix) == ["message", "edits"] and type(fix["message"]) is str, d
            assert fix["edits"], d
            for edit in fix["edits"]:
                assert list(edit) == list(_EDIT_TYPES), d
                assert all(type(edit[k]) is kind for k, kind in _EDIT_TYPES.items()), d
                assert (edit["end_line"], edit["end_column"]) >= (edit["line"], edit["column"])
        assert _CODE.match(d["code"]), d
        assert _RULE.match(d["rule"]), d
        assert d["severity"] in ("error", "warning"), d
        assert d["line"] >= 1 and d["column"] >= 1, d
        assert (d["end_line"], d["end_column"]) > (d["line"], d["column"]), d
        assert d["pointer"] == "" or d["pointer"].startswith("/"), d
        assert d["message"].strip(), d
        assert not _UNPRINTABLE.search(d["message"]), d
        assert not _UNPRINTABLE.search(d["file"]), d
    keys = [(d["file"], d["line"], d["column"], d["code"]) for d in diagnostics]
    assert keys == sorted(keys), "diagnostics are not sorted by file, line, column, code"


def file_lines(raw: bytes) -> list[str]:
    """The file's lines as feedlint counts them: split at ``\\n`` only, a leading BOM
    dropped, code points counted (bytes that are not UTF-8 count one each)."""
    text = raw.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.split("\n")


def check_positions(diagnostics: Sequence[Any], raw: bytes) -> None:
    """Every diagnostic (a dict from the JSON output, or a Diagnostic) lies inside the file.

    Line ≤ the number of lines; column ≤ the line's length + 1 (just past its last
    character: where its line break is); the end after the start, and at most one
    column past the end of its line (a one-column span may cover the line break).
    """
    lines = file_lines(raw)
    for d in diagnostics:
        get = d.get if isinstance(d, dict) else lambda key, d=d: getattr(d, key)
        line, column = get("line"), get("column")
        end_line, end_column = get("end_line"), get("end_column")
        where = f"{get('code')} {line}:{column}-{end_line}:{end_column} {get('message')[:80]!r}"
        assert 1 <= line <= len(lines), where
        assert 1 <= column <= len(lines[line - 1]) + 1, where
        assert (end_line, end_column) > (line, column), where
        assert end_line <= len(lines), where
        assert end_column <= len(lines[end_line - 1]) + 2, where


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    #: User plus system CPU time of the child, in seconds.
    cpu: float
    wall: float
    #: Peak resident memory of the child, in MiB.
    peak_mib: float

    def json(self) -> Any:
        return json.loads(self.stdout)


#: Runs its arguments as a child and writes the child's own resource use to the file
#: named by $RUSAGE_OUT. Linux counts the memory a process had before exec in its
#: peak, so a child forked straight from the test process (hundreds of MiB) would
#: inherit that peak; forked from this small process, it inherits only a few MiB.
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen([sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(child.pid, 0)
with open(os.environ["RUSAGE_OUT"], "w") as out:
    out.write(f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def measured_run(
    args: Sequence[str],
    *,
    cwd: Path | str | None = None,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    user: int | None = None,
    python: Sequence[str] = ("-m", "feedlint"),
) -> Measured:
    """Run ``python -m feedlint ARGS`` and measure that one process (CPU and peak memory
    from ``os.wait4`` on exactly that child, through a small launcher)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDLINT_", "GITHUB_"))}
    full_env.pop("NO_COLOR", None)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env["PYTHONDONTWRITEBYTECODE"] = "1"
    if env:
        full_env.update(env)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        usage_file = Path(scratch) / "rusage"
        full_env["RUSAGE_OUT"] = str(usage_file)
        if user is not None:
            os.chmod(scratch, 0o777)
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, *python, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=full_env,
            user=user,
            start_new_session=True,
        )
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired as err:
            os.killpg(proc.pid, 9)
            proc.wait()
            raise AssertionError(
                f"feedlint {' '.join(args)} did not finish in {timeout} s"
            ) from err
        wall = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        cpu, peak_kib = usage_file.read_text().split()
        return Measured(
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8"),
            stderr=err.read().decode("utf-8"),
            cpu=float(cpu),
            wall=wall,
            peak_mib=int(peak_kib) / 1024,
        )


def lint_api(linter: Linter, name: str, raw: bytes) -> None:
    """The properties, through the API: no exception, no FL9xx, positions inside."""
    result = linter.lint_bytes(name, raw, bare=not name.endswith(".md"))
    assert not [d for d in result.diagnostics if d.code.startswith("FL9")], result.diagnostics
    check_positions(result.diagnostics, raw)


def lint_cli(workdir: Path, name: str, raw: bytes) -> dict:
    """The properties, through the command line in-process: exit 0 or 1 (1 exactly when
    an error is reported), the JSON contract, positions inside."""
    path = workdir / name
    path.write_bytes(raw)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--format", "json", str(path)])
    report = json.loads(out.getvalue())
    check_json_report(report, files_checked=1)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert code == (1 if errors else 0), (code, report["diagnostics"][:3])
    assert not [d for d in report["diagnostics"] if d["code"].startswith("FL9")]
    check_positions(report["diagnostics"], raw)
    return report


_SAMPLE_SLUG = b"all-cases-of-mistaken-facial-recognition-arrests-have-targeted-black-individuals"


def sample_copy(n: int) -> bytes:
    """The sample article under another URL (so that copies are not duplicates)."""
    from tests.conftest import SAMPLE

    raw = SAMPLE.read_bytes()
    assert raw.count(_SAMPLE_SLUG) == 2  # webUrl and originalUrl
    return raw.replace(_SAMPLE_SLUG, _SAMPLE_SLUG + b"-%d" % n)
