"""Hostile article files, built on demand (nothing this large is kept in the repository).

Each case is a function returning the file's bytes; :data:`CASES` maps a name to
(file name, builder, the codes one of which must answer it). The tests lint each
in its own process and hold it to the bounds stated in SECURITY.md.
"""

from __future__ import annotations

from collections.abc import Callable

#: The default size limit (5 MiB); the cases that must be parsed stay under it.
LIMIT = 5 * 1024 * 1024
UNDER = LIMIT - 4096

_VALID_FIELDS = (
    b'title: "A headline"\n'
    b"publishedDateTime: 2023-08-07T08:11:00Z\n"
    b"webUrl: https://example.com/a\n"
    b"provider: {name: Example, domain: example.com}\n"
)


def front_matter(yaml: bytes, body: bytes = b"") -> bytes:
    return b"---\n" + yaml + b"\n---\n" + body


def billion_laughs() -> bytes:
    lines = [b'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = b",".join([b"*a%d" % (level - 1)] * 9)
        lines.append(b"a%d: &a%d [%s]" % (level, level, refs))
    return front_matter(b"\n".join(lines))


def billion_laughs_json_style() -> bytes:
    """Anchors and aliases glued to JSON-style keys (``"k":&a``): no space before them."""
    parts = [b'"a0":&a0 {"x":"lol","y":"lol"}']
    for level in range(1, 30):
        refs = b",".join(b'"k%d":*a%d' % (i, level - 1) for i in range(9))
        parts.append(b'"a%d":&a%d {%s}' % (level, level, refs))
    return front_matter(b"{" + b",".join(parts) + b"}")


def alias_cycle() -> bytes:
    return front_matter(b'{"a":&x ["b":*x]}')


def deep_flow_sequences() -> bytes:
    depth = 100_000
    return front_matter(b"title: " + b"[" * depth + b"]" * depth)


def deep_flow_mappings() -> bytes:
    depth = 100_000
    return front_matter(b"title: " + b"{a: " * depth + b"x" + b"}" * depth)


def deep_pair_mappings() -> bytes:
    """``[a: [a: ...]]``: each bracket opens a list *and* a single-pair mapping."""
    depth = 100_000
    return front_matter(b"title: " + b"[a: " * depth + b"x" + b"]" * depth)


def deep_block_sequences() -> bytes:
    depth = 100_000
    return front_matter(b"title:\n" + b"- " * depth + b"x")


def deep_explicit_keys() -> bytes:
    depth = 100_000
    return front_matter(b"? " * depth + b"x")


def deep_mixed() -> bytes:
    """Block entries, then flow lists and mappings in turn, then explicit keys."""
    depth = 30_000
    return front_matter(
        b"title:\n"
        + b"- " * 1000
        + b"[{a: " * depth
        + b"{? [x]: y}"
        + b"}]" * depth
    )


def nested_below_the_prefilter() -> bytes:
    """90 single-pair mappings in lists: 180 levels, yet only 90 brackets. The
    cheap count stays under the event pass's threshold; the builder refuses it."""
    depth = 90
    return front_matter(_VALID_FIELDS + b"topics: " + b"[a: " * depth + b"x" + b"]" * depth)


def deep_tabs() -> bytes:
    depth = 100_000
    return front_matter(b"title:\n" + b"-\t" * depth + b"x")


def _indented(depth: int, newline: bytes) -> bytes:
    return newline.join(b" " * level + b"k:" for level in range(depth)) + b" v"


def deep_indentation() -> bytes:
    return front_matter(_indented(3000, b"\n"))


def deep_indentation_lone_cr() -> bytes:
    """Lines that end in a lone CR: libyaml breaks lines there, ``^`` does not."""
    return front_matter(_indented(3000, b"\r"))


def deep_indentation_nel() -> bytes:
    return front_matter(_indented(3000, "\u0085".encode()))


def deep_indentation_line_separator() -> bytes:
    return front_matter(_indented(3000, "\u2028".encode()))


def line_over_limit() -> bytes:
    return front_matter(b'title: "' + b"a" * (10 * 1024 * 1024) + b'"')


def line_under_limit() -> bytes:
    return front_matter(_VALID_FIELDS + b'excerpt: "' + b"a" * (UNDER - 200) + b'"')


def key_under_limit() -> bytes:
    return front_matter(_VALID_FIELDS + b"k" * (UNDER - 200) + b": 1")


def empty_lines_under_limit() -> bytes:
    return front_matter(_VALID_FIELDS + b"\n" * (UNDER - 200) + b"quality: 500")


def many_values() -> bytes:
    return front_matter(b"topics: [" + b"a," * (UNDER // 2 - 20) + b"a]")


def many_block_values() -> bytes:
    return front_matter(b"topics:\n" + b"- a\n" * (UNDER // 4 - 20))


def many_anchors() -> bytes:
    return front_matter(b"topics: [" + b"&a x," * (UNDER // 5 - 20) + b"x]")


def many_duplicate_keys() -> bytes:
    return front_matter(b"{" + b"a: 1," * (UNDER // 5 - 20) + b"a: 1}")


def many_wrong_values() -> bytes:
    """Just under the value limit, every value wrong: the most diagnostics one file gives."""
    return front_matter(_VALID_FIELDS + b"topics: [" + b"1," * 19_900 + b"1]")


def many_unknown_keys() -> bytes:
    keys = b",".join(b"k%d: 1" % i for i in range(9_990))
    return front_matter(_VALID_FIELDS.replace(b"\n", b", ").join([b"{", b""]) + keys + b"}")


def huge_integer() -> bytes:
    return front_matter(_VALID_FIELDS + b"quality: " + b"9" * 100_000)


CASES: dict[str, tuple[str, Callable[[], bytes], frozenset[str]]] = {
    "billion-laughs": ("a.md", billion_laughs, frozenset({"FL006"})),
    "billion-laughs-json-style": ("a.md", billion_laughs_json_style, frozenset({"FL006"})),
    "alias-cycle": ("a.md", alias_cycle, frozenset({"FL006"})),
    "deep-flow-sequences": ("a.md", deep_flow_sequences, frozenset({"FL015"})),
    "deep-flow-mappings": ("a.md", deep_flow_mappings, frozenset({"FL015"})),
    "deep-pair-mappings": ("a.md", deep_pair_mappings, frozenset({"FL015"})),
    "deep-block-sequences": ("a.md", deep_block_sequences, frozenset({"FL015"})),
    "deep-explicit-keys": ("a.md", deep_explicit_keys, frozenset({"FL015"})),
    "deep-mixed": ("a.md", deep_mixed, frozenset({"FL015"})),
    "nested-below-the-prefilter": ("a.md", nested_below_the_prefilter, frozenset({"FL015"})),
    "deep-tabs": ("a.md", deep_tabs, frozenset({"FL003", "FL015"})),
    "deep-indentation": ("a.md", deep_indentation, frozenset({"FL015"})),
    "deep-indentation-lone-cr": ("a.md", deep_indentation_lone_cr, frozenset({"FL015"})),
    "deep-indentation-nel": ("a.md", deep_indentation_nel, frozenset({"FL015"})),
    "deep-indentation-line-separator": (
        "a.md",
        deep_indentation_line_separator,
        frozenset({"FL015"}),
    ),
    "line-over-limit": ("a.md", line_over_limit, frozenset({"FL010"})),
    "line-under-limit": ("a.md", line_under_limit, frozenset()),
    # A plain key may not be longer than 1,024 characters in YAML.
    "key-under-limit": ("a.md", key_under_limit, frozenset({"FL003"})),
    "empty-lines-under-limit": ("a.md", empty_lines_under_limit, frozenset({"FL105"})),
    "many-values": ("a.md", many_values, frozenset({"FL016"})),
    "many-block-values": ("a.md", many_block_values, frozenset({"FL016"})),
    "many-anchors": ("a.md", many_anchors, frozenset({"FL006", "FL016"})),
    "many-duplicate-keys": ("a.md", many_duplicate_keys, frozenset({"FL005", "FL016"})),
    "many-wrong-values": ("a.md", many_wrong_values, frozenset({"FL102"})),
    "many-unknown-keys": ("a.md", many_unknown_keys, frozenset({"FL103"})),
    "huge-integer": ("a.md", huge_integer, frozenset({"FL102", "FL105"})),
}
