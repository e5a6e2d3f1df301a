"""Bytes that are not the UTF-8 text an article should be, and characters that move lines.

Each problem is reported at the line and column of the offending byte or
character, counted as feedlint counts everywhere: lines end at ``\\n`` only,
columns count code points, a leading BOM is not a column.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedlint.engine import Linter
from feedlint.parsing import parse
from feedlint.settings import Settings
from tests.conftest import run_feedlint
from tests.contracts import check_json_report, check_positions

HEAD = (
    b'---\ntitle: "A headline"\npublishedDateTime: 2023-08-07T08:11:00Z\n'
    b"webUrl: https://example.com/a\nprovider: {name: Example, domain: example.com}\n"
)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Settings())


def lint(linter: Linter, raw: bytes, name: str = "a.md") -> list[tuple[str, int, int]]:
    result = linter.lint_bytes(name, raw, bare=not name.endswith(".md"))
    check_positions(result.diagnostics, raw)
    return [(d.code, d.line, d.column) for d in result.diagnostics]


# -- NUL bytes ---------------------------------------------------------------------


def test_nul_at_the_start(linter: Linter) -> None:
    # Lines end at \n only: "\x89PNG\r", "\x1a", then the NUL opens line 3.
    assert lint(linter, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == [("FL008", 3, 1)]


def test_nul_late_in_the_front_matter_is_placed(linter: Linter) -> None:
    raw = HEAD + b'excerpt: "' + b"a" * 9000 + b'\x00"\n---\n'
    assert lint(linter, raw) == [("FL008", 6, 9011)]


def test_nul_deep_in_the_body_is_found(linter: Linter) -> None:
    """Only the first 8 KiB used to be looked at: a NUL after them passed silently."""
    raw = HEAD + b"---\n" + b"body line\n" * 2000 + b"tail \x00"
    assert lint(linter, raw) == [("FL008", 2007, 6)]


# -- other encodings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-32", "UTF-32")],
)
def test_utf16_and_utf32_are_named(linter: Linter, encoding: str, named: str) -> None:
    raw = HEAD.decode().encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    result = linter.lint_bytes("a.md", raw)
    assert [d.code for d in result.diagnostics] == ["FL007"]
    assert named in result.diagnostics[0].message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(linter: Linter, encoding: str) -> None:
    result = linter.lint_bytes("a.md", HEAD.decode().encode(encoding))
    assert [d.code for d in result.diagnostics] == ["FL007"]
    assert "UTF-16" in result.diagnostics[0].message


def test_latin1_byte_in_a_utf8_file(linter: Linter) -> None:
    raw = HEAD + "excerpt: “Café” and ".encode() + b"caf\xe9\n---\n"
    # "excerpt: “Café” and caf" is 23 code points (28 bytes): the byte is column 24.
    assert lint(linter, raw) == [("FL007", 6, 24)]


def test_invalid_utf8_after_valid_lines(linter: Linter) -> None:
    raw = HEAD + b"topics:\n  - ok\n  - \xf0\x9f\x98\x80 then \xc3\x28\n---\n"
    # "  - 😀 then " is 11 code points (14 bytes).
    assert lint(linter, raw) == [("FL007", 8, 12)]


def test_truncated_sequence_at_the_end(linter: Linter) -> None:
    assert lint(linter, HEAD + b"---\nbody \xe2\x82") == [("FL007", 7, 6)]


def test_invalid_utf8_after_a_bom_does_not_count_the_bom(linter: Linter) -> None:
    """The BOM is not a column anywhere else; FL007 counted it on line 1."""
    assert lint(linter, b"\xef\xbb\xbf---\xe9\n") == [("FL007", 1, 4)]


# -- control and non-ASCII characters the YAML reader refuses ------------------------


def test_reader_error_column_counts_characters_not_bytes(linter: Linter) -> None:
    """libyaml reports the byte offset of a refused character; it was used as a
    character offset, so after non-ASCII text the place drifted (even lines later)."""
    raw = HEAD + "excerpt: café ééé ".encode() + b"\x01\n---\n"
    assert lint(linter, raw) == [("FL003", 6, 19)]


def test_reader_error_in_a_json_file_with_joined_escapes(linter: Linter) -> None:
    raw = b'{"title": "\\ud83d\\ude00 \\ud83d\\ude00", "excerpt": "\x01"}'
    assert lint(linter, raw, "a.json") == [("FL003", 1, 52)]


# -- surrogates --------------------------------------------------------------------------


@pytest.mark.parametrize("escape", [b"\\ud800", b"\\udfff", b"\\ud83d"])
def test_lone_surrogate_escape_is_invalid_yaml(linter: Linter, escape: bytes) -> None:
    raw = HEAD + b'excerpt: "ok ' + escape + b'"\n---\n'
    # libyaml points at the escape's hex digits, just after the backslash and the u.
    assert lint(linter, raw) == [("FL003", 6, 16)]


def test_surrogate_pairs_in_json_are_one_character(linter: Linter) -> None:
    """Python's json.dumps writes 😀 as a surrogate pair escape, which YAML refuses:
    a valid JSON article was reported as invalid YAML."""
    article = {
        "title": "Smile 😀 and 𝄞",
        "publishedDateTime": "2023-08-07T08:11:00Z",
        "webUrl": "https://example.com/a",
        "provider": {"name": "Example 😀", "domain": "example.com"},
        "quality": 500,
    }
    raw = json.dumps(article, indent=2).encode()
    assert b"\\ud83d\\ude00" in raw
    assert lint(linter, raw, "a.json") == [("FL105", 9, 14)]


def test_characters_json_allows_raw_and_yaml_does_not(linter: Linter) -> None:
    """json.dumps(ensure_ascii=False) writes DEL, C1 controls, U+FFFF raw (libyaml
    refused the file) and NEL, LS, PS raw (libyaml folded them into spaces)."""
    title = "a\x7fb\x85c\x9fd\u2028e\u2029f\uffffg😀"
    article = {
        "title": title,
        "publishedDateTime": "2023-08-07T08:11:00Z",
        "webUrl": "https://example.com/a",
        "provider": {"name": title, "domain": "example.com"},
        "quality": 500,
    }
    raw = json.dumps(article, ensure_ascii=False).encode()
    # quality's value is the 4th-to-last character of the one line.
    column = len(raw.decode()) - 3
    assert lint(linter, raw, "a.json") == [("FL105", 1, column)]
    parsed = parse("a.json", raw, bare=True).article
    assert parsed is not None
    assert parsed.data["title"] == title and parsed.data["provider"]["name"] == title


def test_surrogate_pair_escape_in_yaml_front_matter_stays_an_error(linter: Linter) -> None:
    """Only JSON files are rewritten: in YAML the escape is what the text says."""
    raw = HEAD + b'excerpt: "\\ud83d\\ude00"\n---\n'
    assert [code for code, _, _ in lint(linter, raw)] == ["FL003"]


# -- characters YAML takes for line breaks ------------------------------------------------


@pytest.mark.parametrize("breaker", ["\u2028", "\u2029", "\u0085", "\r"])
def test_yaml_line_breaks_inside_values_do_not_move_lines(linter: Linter, breaker: str) -> None:
    """libyaml starts a new line at U+2028, U+2029, U+0085 and a lone CR; feedlint
    counts lines at ``\\n`` only, as editors do, and places by character offset."""
    raw = (
        HEAD
        + f'excerpt: "one{breaker}two{breaker}three"\n'.encode()
        + f"topics: [a{breaker}b, c]\n".encode()
        + b"quality: 500\n---\n"
    )
    assert lint(linter, raw) == [("FL105", 8, 10)]


def test_characters_after_astral_ones_are_placed_by_code_point(linter: Linter) -> None:
    raw = HEAD + "excerpt: 😀😀😀\ntopics: [😀😀, 5]\n".encode() + b"---\n"
    assert lint(linter, raw) == [("FL102", 7, 14)]


# -- what reaches the terminal ------------------------------------------------------------


def test_control_characters_never_reach_the_output(tmp_path: Path) -> None:
    """A key, a tag or a value may hold ESC (``"\\e"``, ``%1b``); printed raw, it drives
    the terminal of whoever reads the report. Every message is escaped."""
    raw = (
        HEAD
        + b'"\\e[2J\\e[31mkey\\u202e": 1\n'
        + b'originalUrl: "\\e]0;title\\a\\u2028\\u202ex"\n'
        + b"category: !<%1b%5b31m> news\n"
        + b'"very long key ' + b"x" * 1000 + b'": 1\n---\n'  # a plain key ends at 1,024
    )
    (tmp_path / "a.md").write_bytes(raw)
    run = run_feedlint(["check", "--format", "text", "a.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    for char in "\x1b\x07\u2028\u202e":
        assert char not in run.stdout
    assert len(run.stdout.splitlines()) == 5  # 4 diagnostics, one line each, and the summary
    # In JSON, messages and file names are escaped the same way; the pointer is kept
    # exact (it must resolve to the key), with JSON's own escapes for controls.
    run = run_feedlint(["check", "--format", "json", "a.md"], cwd=tmp_path)
    assert "\x1b" not in run.stdout
    report = run.json()
    check_json_report(report, files_checked=1)
    messages = [d["message"] for d in report["diagnostics"]]
    assert any("\\x1b[2J" in m for m in messages), messages
    assert all(len(m) <= 1000 for m in messages)
