"""What a person and a tool read of each diagnostic: its severity in every text line,
``--format full`` (the source, the span underlined), and fixable problems marked, with
the edits ``--fix`` would make in JSON, SARIF and the HTML report."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from feedlint.cli import choose_reporter
from feedlint.reporters.full import MAX_WIDTH, FullReporter
from feedlint.reporters.text import TextReporter
from tests.conftest import FIXTURES, run_feedlint

FULL = FIXTURES / "full"
#: ``path:line:col: severity CODE [*] message``.
TEXT_LINE = re.compile(
    r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
    r"(?P<code>FL\d{3}) (?P<mark>\[\*\] )?(?P<message>.*)$"
)
ANSI = re.compile(r"\033\[[0-9;]*m")

MIXED = """---
title: "A headline"
publishedDateTime: 2023-08-07T08:11:00Z
webUrl: https://www.example.com/a?utm_source=x
provider: {name: Example, domain: example.com}
published: yes
quality: 150
---
"""


def _fixable_fixtures() -> list[Path]:
    found = []
    for path in sorted((FIXTURES / "fail").rglob("*")):
        if path.is_file() and not path.name.endswith(".expect"):
            run = run_feedlint(["check", "--isolated", "--format", "json", str(path)])
            if any(d["fix"] for d in run.json()["diagnostics"]):
                found.append(path)
    return found


# -- 1. the severity in every text line ------------------------------------------


@pytest.mark.parametrize("colour", ["never", "always"])
def test_each_text_line_names_its_severity(tmp_path: Path, colour: str) -> None:
    (tmp_path / "a.md").write_text(MIXED, "utf-8")
    run = run_feedlint(["check", "--isolated", "--color", colour, "a.md"], cwd=tmp_path)
    lines = ANSI.sub("", run.stdout).splitlines()
    parsed = [TEXT_LINE.match(line) for line in lines[:-2]]
    assert all(parsed) and len(parsed) == 3, lines
    severities = {m["code"]: m["severity"] for m in parsed if m}
    assert severities == {"FL011": "warning", "FL105": "error", "FL204": "warning"}
    assert all(m["path"] == "a.md" for m in parsed if m)
    if colour == "always":
        assert "\033[" in run.stdout
    else:
        assert "\033[" not in run.stdout


# -- 3. fixable problems marked ----------------------------------------------------


def test_fixable_diagnostics_are_marked_and_counted(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MIXED, "utf-8")
    run = run_feedlint(["check", "--isolated", "a.md"], cwd=tmp_path)
    lines = run.stdout.splitlines()
    marked = [m for m in map(TEXT_LINE.match, lines) if m and m["mark"]]
    assert [m["code"] for m in marked] == ["FL204"]
    assert marked[0]["message"].startswith("webUrl carries the tracking parameter utm_source")
    assert lines[-1] == "1 fixable with feedlint check --fix"
    clean = run_feedlint(["check", "--isolated", str(FIXTURES / "fail" / "unclosed.md")])
    assert "fixable" not in clean.stdout and "[*]" not in clean.stdout


def test_rules_marks_the_fixable_codes() -> None:
    from feedlint.rules import RULES

    listing = run_feedlint(["rules"]).stdout
    for code, rule in RULES.items():
        (line,) = [line for line in listing.splitlines() if line.startswith(code + " ")]
        assert ("[*]" in line) == bool(rule.fix), line
    assert "[*]: feedlint check --fix" in listing


def test_json_gives_every_diagnostic_a_fix_member(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MIXED, "utf-8")
    report = run_feedlint(["check", "--isolated", "--format", "json", "a.md"],
                          cwd=tmp_path).json()
    assert report["version"] == 1
    fixes = {d["code"]: d["fix"] for d in report["diagnostics"]}
    assert fixes["FL105"] is None and fixes["FL011"] is None
    assert fixes["FL204"] == {
        "message": "drop the tracking parameter utm_source",
        "edits": [{"line": 4, "column": 9, "end_line": 4, "end_column": 47,
                   "content": "https://www.example.com/a"}],
    }


def _apply(raw: bytes, diagnostics: list[dict]) -> bytes:
    """The file with every diagnostic's JSON edits applied, as an editor would."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    edits = [
        (offset(e["line"], e["column"]), offset(e["end_line"], e["end_column"]), e["content"])
        for d in diagnostics if d["fix"] for e in d["fix"]["edits"]
    ]
    for start, end, content in sorted(edits, reverse=True):
        text = text[:start] + content + text[end:]
    return bom + text.encode("utf-8")


@pytest.mark.parametrize("fixture", _fixable_fixtures(),
                         ids=lambda p: str(p.relative_to(FIXTURES)))
def test_json_edits_write_what_fix_writes(tmp_path: Path, fixture: Path) -> None:
    raw = fixture.read_bytes()
    target = tmp_path / fixture.name
    target.write_bytes(raw)
    report = run_feedlint(["check", "--isolated", "--format", "json", fixture.name],
                          cwd=tmp_path).json()
    run_feedlint(["check", "--isolated", "--fix", fixture.name], cwd=tmp_path)
    assert _apply(raw, report["diagnostics"]) == target.read_bytes()


def test_sarif_html_and_merge_carry_the_same_fix(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MIXED, "utf-8")
    base = ["check", "--isolated", "a.md"]
    report = run_feedlint([*base, "--format", "json"], cwd=tmp_path).json()
    (expected,) = [d["fix"] for d in report["diagnostics"] if d["fix"]]
    sarif = run_feedlint([*base, "--format", "sarif"], cwd=tmp_path).json()
    fixed = [r for r in sarif["runs"][0]["results"] if "fixes" in r]
    assert [r["ruleId"] for r in fixed] == ["FL204"]
    (fix,) = fixed[0]["fixes"]
    assert fix["description"]["text"] == expected["message"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == fixed[0]["locations"][0]["physicalLocation"][
        "artifactLocation"]
    assert [
        {"line": r["deletedRegion"]["startLine"], "column": r["deletedRegion"]["startColumn"],
         "end_line": r["deletedRegion"]["endLine"], "end_column": r["deletedRegion"]["endColumn"],
         "content": r["insertedContent"]["text"]}
        for r in change["replacements"]
    ] == expected["edits"]
    page = run_feedlint([*base, "--format", "html"], cwd=tmp_path).stdout
    block = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    edits = [row[11] for row in data["rows"] if row[11]]
    assert edits == [[[e["line"], e["column"], e["end_line"], e["end_column"], e["content"]]
                      for e in expected["edits"]]]
    (tmp_path / "r.json").write_text(json.dumps(report), "utf-8")
    merged = run_feedlint(["merge", "r.json", "r.json"], cwd=tmp_path).json()
    assert [d["fix"] for d in merged["diagnostics"] if d["fix"]] == [expected, expected]
    text = run_feedlint(["merge", "--format", "text", "r.json"], cwd=tmp_path).stdout
    assert "warning FL204 [*] webUrl" in text and "error FL105 quality" in text


# -- 2. --format full --------------------------------------------------------------


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide characters two, marks none)."""
    total = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _blocks(stdout: str) -> dict[tuple[str, int, int, str], list[str]]:
    """Each diagnostic's lines in full output, by (path, line, col, code)."""
    blocks: dict[tuple[str, int, int, str], list[str]] = {}
    current: list[str] = []
    for line in stdout.splitlines():
        m = TEXT_LINE.match(line)
        if m:
            current = blocks.setdefault(
                (m["path"], int(m["line"]), int(m["col"]), m["code"]), [line]
            )
        elif current:
            current.append(line)
    return blocks


def _underlined(block: list[str], number: int) -> str:
    """The shown text above the carets under source line ``number``."""
    rows = block[1:]
    for i, row in enumerate(rows):
        if re.match(rf"^ *{number} \| ", row) and i + 1 < len(rows) and "^" in rows[i + 1]:
            source = row.split(" | ", 1)[1]
            carets = rows[i + 1].split(" |", 1)[1][1:]
            start = carets.index("^")
            count = len(carets[start:].split(" ", 1)[0])
            # Walk the source row by columns to find the characters above the carets.
            out, column = "", 0
            for char in source:
                width = _width(char)
                inside = start <= column < start + count
                if inside or (width == 0 and out and column == start + count):
                    out += char
                column += width
            return out
    raise AssertionError(f"no carets under line {number}: {block}")


def _full(name: str) -> str:
    # No cache: nothing is written among the fixtures.
    run = run_feedlint(["check", "--isolated", "--no-cache", "--format", "full", name], cwd=FULL)
    assert run.returncode in (0, 1), run.stderr
    return run.stdout


@pytest.mark.parametrize(("name", "where", "shown"), [
    ("tabs.md", (5, 51, "FL103"), "bogus"),
    ("tabs.md", (4, 9, "FL204"), "https://www.example.com/a?utm_source=x"),
    ("wide.md", (6, 43, "FL103"), "bogus"),
    ("wide.md", (3, 11, "FL106"), "日本語"),
    ("wide.md", (5, 9, "FL204"), "https://www.example.com/日本?utm_source=x"),
    ("zero-width.md", (5, 52, "FL103"), "bogus"),
    ("crlf.md", (4, 9, "FL204"), "https://www.example.com/a?gclid=1"),
    ("bom.md", (3, 1, "FL001"), "---"),
    ("bom.md", (6, 9, "FL204"), "https://www.example.com/é?utm_medium=x"),
])
def test_full_puts_the_carets_under_the_span(
    name: str, where: tuple[int, int, str], shown: str
) -> None:
    blocks = _full(name)
    block = _blocks(blocks)[(name, *where)]
    assert _underlined(block, where[0]) == shown


def test_full_shows_context_gutter_and_help() -> None:
    stdout = _full("crlf.md")
    block = _blocks(stdout)[("crlf.md", 4, 9, "FL204")]
    assert block[1:11] == [
        "  |",
        "2 | title: \"A headline\"",
        "3 | publishedDateTime: 2023-08-07T08:11:00Z",
        "4 | webUrl: https://www.example.com/a?gclid=1",
        "  |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FL204",
        "5 | provider: {name: Example, domain: example.com}",
        "6 | ---",
        "  |",
        "  = help: drop the tracking parameter gclid: replace with `https://www.example.com/a`",
        "",
    ]
    assert "\r" not in stdout
    assert stdout.endswith("0 errors, 1 warning in 1 file\n1 fixable with feedlint check --fix\n")


def test_full_escapes_invisible_characters_and_keeps_no_bom() -> None:
    assert '{name: "Ex\\u200bample\u0301"' in _full("zero-width.md")
    assert "\ufeff" not in _full("bom.md")
    assert "    " in _full("tabs.md") and "\t" not in _full("tabs.md")


def test_full_cuts_long_lines_around_the_span() -> None:
    stdout = _full("long-line.md")
    block = _blocks(stdout)[("long-line.md", 5, 283, "FL103")]
    for row in block[1:]:
        if " | " in row:
            assert _width(row.split(" | ", 1)[1]) <= MAX_WIDTH + 6, row
    assert _underlined(block, 5) == "bogus"
    row = next(r for r in block if r.startswith("5 | "))
    assert row.startswith("5 | ...") and row.endswith("...")


def test_full_lines_are_the_text_lines_and_start_no_command(tmp_path: Path) -> None:
    hostile = (
        "---\ntitle: \"x\"\n::error::injected: 1\n##[group]x: 1\n"
        "excerpt: \"\x1b[31mred\"\nbogus: 1\n---\n"
    )
    (tmp_path / "a.md").write_text(hostile, "utf-8")
    full = run_feedlint(["check", "--isolated", "--format", "full", "a.md"], cwd=tmp_path)
    text = run_feedlint(["check", "--isolated", "--format", "text", "a.md"], cwd=tmp_path)
    assert full.stdout.count("\n") > text.stdout.count("\n")
    for line in text.stdout.splitlines():
        assert line in full.stdout.splitlines()
    for line in full.stdout.splitlines():
        assert not line.lstrip().startswith("::") and "##[" not in line
    assert "\x1b" not in full.stdout


def _args(**given: object) -> argparse.Namespace:
    values = {"output_format": None, "statistics": False, "output_file": None}
    values.update(given)
    return argparse.Namespace(**values)


def test_full_is_the_default_on_a_terminal_only() -> None:
    assert choose_reporter(_args(), {}, terminal=True) is FullReporter
    assert choose_reporter(_args(), {}, terminal=False) is TextReporter
    assert choose_reporter(_args(output_file="r.txt"), {}, terminal=True) is TextReporter
    assert choose_reporter(_args(), {"FEEDLINT_FORMAT": "text"}, terminal=True) is TextReporter
    assert choose_reporter(_args(), {}, "text", terminal=True) is TextReporter
    assert choose_reporter(_args(statistics=True), {}, terminal=True).__name__ == (
        "TextStatisticsReporter"
    )


def test_output_format_key_sets_the_format(tmp_path: Path) -> None:
    shutil.copy(FULL / "crlf.md", tmp_path / "a.md")
    (tmp_path / "feedlint.toml").write_text('output-format = "json"\n', "utf-8")
    assert run_feedlint(["check", "a.md"], cwd=tmp_path).json()["version"] == 1
    full = run_feedlint(["check", "--format", "full", "a.md"], cwd=tmp_path)
    assert "  = help: " in full.stdout
    by_env = run_feedlint(["check", "a.md"], cwd=tmp_path, env={"FEEDLINT_FORMAT": "text"})
    assert TEXT_LINE.match(by_env.stdout.splitlines()[0])
    shown = run_feedlint(["check", "--show-settings", "a.md"], cwd=tmp_path).stdout
    assert "output-format" in shown and "json" in shown
    (tmp_path / "feedlint.toml").write_text('output-format = "yaml"\n', "utf-8")
    bad = run_feedlint(["check", "a.md"], cwd=tmp_path)
    assert bad.returncode == 2 and "output-format" in bad.stderr and "full" in bad.stderr
