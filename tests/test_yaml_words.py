"""FL003 in plain words only when libyaml's error and the line agree exactly: near
misses keep libyaml's own words (the fixtures under ``fail/yaml`` hold each kind)."""

from __future__ import annotations

import pytest

from feedlint.parsing import parse

_HEAD = 'title: "Port delays ease"\nwebUrl: https://www.example.com/a\n'


def _findings(front_matter: str) -> list[tuple[int, int, str]]:
    raw = f"---\n{front_matter}---\n".encode()
    result = parse("a.md", raw)
    assert result.article is None
    return [(f.span.line, f.span.column, f.message) for f in result.findings]


@pytest.mark.parametrize(
    "front_matter",
    [
        # The first line of a block may be its key's text, and the key below misplaced.
        _HEAD + "provider:\n  name Example\n  domain: example.com\n",
        # Text after a closing quote, with no second quote: not a quote inside the value.
        'title: "Port delays ease" (updated)\n',
        # A directive where a key should be.
        "%title: x\n",
        # A ' #' in a flow mapping that spans lines.
        _HEAD + "provider: {name: Example #1,\n  domain: example.com\n",
    ],
    ids=["first-in-block", "text-after-quote", "directive", "multi-line-flow"],
)
def test_near_misses_keep_libyaml_words(front_matter: str) -> None:
    [(_, _, message)] = _findings(front_matter)
    assert message.startswith("invalid YAML: "), message


def test_the_quoted_value_keeps_a_hash_word_and_drops_a_comment() -> None:
    [(line, column, message)] = _findings(_HEAD + "excerpt: Oakland: down #2 now  # checked\n")
    assert (line, column) == (4, 17)
    assert message.endswith('quote the value: excerpt: "Oakland: down #2 now"')


def test_a_value_with_a_double_quote_is_quoted_with_single_quotes() -> None:
    [(_, _, message)] = _findings(_HEAD + 'excerpt: He said "no": then left\n')
    assert message.endswith("""quote the value: excerpt: 'He said "no": then left'""")


def test_crlf_lines_point_at_the_same_character() -> None:
    raw = b"---\r\ntitle: x\r\nexcerpt: Cargo: up\r\n---\r\n"
    [finding] = parse("a.md", raw).findings
    assert (finding.span.line, finding.span.column) == (3, 15)
    assert finding.message.endswith('excerpt: "Cargo: up"')


def test_an_alias_of_a_defined_anchor_stays_fl006() -> None:
    raw = b"---\nwebUrl: &u https://example.com/a\noriginalUrl: *u\n---\n"
    assert {f.code for f in parse("a.md", raw).findings} == {"FL006"}
