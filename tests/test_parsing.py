"""The parser: data as a loader would build it, and every value at its place."""

from __future__ import annotations

import time

import pytest

from feedlint.diagnostics import Span
from feedlint.engine import Linter
from feedlint.parsed import MAX_DEPTH
from feedlint.parsing import parse
from feedlint.settings import Settings
from tests.conftest import SAMPLE


def codes(raw: bytes, *, bare: bool = False) -> list[tuple[str, int, int]]:
    result = Linter(Settings()).lint_bytes("x.md", raw, bare=bare)
    return [(d.code, d.line, d.column) for d in result.diagnostics]


def test_sample_parses_with_timestamps_as_strings() -> None:
    parsed = parse("s.txt", SAMPLE.read_bytes())
    assert parsed.findings == []
    article = parsed.article
    assert article is not None
    assert article.data["publishedDateTime"] == "2023-08-07T08:11:00Z"
    assert article.data["related"][3]["publishedDateTime"] == "2023-08-09T16:38:00Z"
    assert article.data["quality"] == 34 and article.data["heat"] == -1
    assert article.data["published"] is False
    assert article.data["related"][0]["images"][0]["width"] == 1200


def test_pointer_maps_to_the_file_line_and_column() -> None:
    text = SAMPLE.read_text("utf-8")
    article = parse("s.txt", SAMPLE.read_bytes()).article
    assert article is not None
    lines = text.split("\n")
    span = article.span_of("/related/2/images/0/width")
    assert lines[span.line - 1].strip() == "width: 2560"
    assert lines[span.line - 1][span.column - 1 : span.end_column - 1] == "2560"
    key = article.span_of("/secured", "key")
    assert lines[key.line - 1][key.column - 1 : key.end_column - 1] == "secured"
    # A mapping is pointed at by its key; a list item by its first line.
    provider = article.span_of("/provider")
    assert lines[provider.line - 1].startswith("provider:")
    item = article.span_of("/related/1")
    assert lines[item.line - 1].strip().startswith("- title:")
    # A pointer with no node falls back to its nearest ancestor.
    assert article.span_of("/provider/nothing") == provider


def test_crlf_and_bom_keep_positions() -> None:
    raw = b"\xef\xbb\xbf---\r\ntitle: x\r\nquality: \"high\"\r\n---\r\n"
    assert ("FL102", 3, 10) in codes(raw)
    crlf_article = parse("c.md", raw).article
    assert crlf_article is not None
    span = crlf_article.span_of("/quality")
    assert span == Span(3, 10, 3, 16)


def test_unicode_line_separators_do_not_shift_lines() -> None:
    # libyaml counts U+2028, U+0085 and a lone CR as line breaks; feedlint does not.
    raw = (
        '---\ntitle: "a\u2028b\u0085c"\nexcerpt: "x\ry"\nquality: "q"\n---\n'
    ).encode()
    assert ("FL102", 4, 10) in codes(raw)


def test_invalid_utf8_is_reported_at_its_byte() -> None:
    raw = b"---\ntitle: ok\nexcerpt: caf\xe9\n---\n"
    assert codes(raw) == [("FL007", 3, 13)]


def test_binary_and_empty_files() -> None:
    # Placed at the first NUL byte (lines end at \n only: "\x89PNG\r", "\x1a", then it).
    assert codes(b"\x89PNG\r\n\x1a\n\x00\x00\x00") == [("FL008", 3, 1)]
    assert codes(b"") == [("FL009", 1, 1)]
    assert codes(b"  \n\t\n") == [("FL009", 1, 1)]


def test_fences() -> None:
    assert codes(b"title: x\n") == [("FL001", 1, 1)]
    assert codes(b"---\ntitle: x\n") == [("FL002", 1, 1)]
    # Trailing spaces on a fence are tolerated; the body is never parsed.
    raw = b"---   \ntitle: x\n---  \n: : not yaml [\n"
    assert [c for c, _, _ in codes(raw)] == ["FL101", "FL101", "FL101"]


def test_yaml_error_position_is_the_parsers() -> None:
    found = codes(b"---\ntitle: x\nquality: [1, 2\n---\n")
    assert len(found) == 1 and found[0][0] == "FL003"
    assert found[0][1] == 4  # the parser stops where the flow sequence should close


def test_size_cap(tmp_path) -> None:
    from feedlint.discovery import Candidate

    path = tmp_path / "big.md"
    path.write_bytes(b"---\ntitle: x\n---\n" + b"a" * 2000)
    linter = Linter(Settings(max_file_size=1000))
    result = linter.lint(Candidate(str(path), "big.md", explicit=True, bare=False))
    assert [d.code for d in result.diagnostics] == ["FL010"]


@pytest.mark.parametrize(
    "body",
    [
        "a: " + "[" * 20000 + "]" * 20000,
        "a: " + "{b: " * 5000 + "c" + "}" * 5000,
        "".join("  " * i + "k:\n" for i in range(500)) + "  " * 500 + "v",
        "a:\n" + "- " * 5000 + "x",
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "block-sequences"],
)
def test_deep_nesting_is_refused_quickly(body: str) -> None:
    start = time.perf_counter()
    found = codes(body.encode(), bare=True)
    assert found and found[0][0] == "FL015", found[:3]
    assert time.perf_counter() - start < 5


def test_moderate_nesting_is_fine() -> None:
    body = "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    assert "FL015" not in [c for c, _, _ in codes(body.encode(), bare=True)]


def test_unsafe_tags_are_not_constructed() -> None:
    raw = b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/feedlint-pwned']\n---\n"
    found = codes(raw)
    assert ("FL012", 2, 8) in found


def test_keys_in_the_source_map_are_escaped() -> None:
    article = parse("k.yaml", b"a/b: 1\n'~x': 2\n", bare=True).article
    assert article is not None
    assert set(article.source.nodes) == {"/a~1b", "/~0x"}
    assert article.get("/a~1b") == 1 and article.get("/~0x") == 2
