"""The block YAML reader agrees with libyaml on everything it reads, and reads articles.

:mod:`feedlint.blockyaml` reads the plain block YAML most front matter is written
in and declines the rest; whatever it reads must give the very data, source map
and (no) findings that the libyaml path gives. Each test parses the same bytes
both ways (``parse(..., block_reader=False)`` is libyaml alone) and compares.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedlint import blockyaml, parsed, parsing
from feedlint.blockyaml import read_block_yaml
from tests.conftest import FIXTURES, ROOT, SAMPLE, SHARED
from tests.helpers import load_corpus_module
from tests.strategies import article_files

SUITE = SHARED / "corpora" / "yaml-test-suite"


def both_ways(raw: bytes, name: str = "a.md") -> tuple[parsed.ParseResult, bool]:
    """The parse of ``raw``, checked equal to libyaml's; and whether the block reader read it."""
    bare = name.endswith((".yaml", ".yml", ".json"))
    fast = parsing.parse(name, raw, bare=bare)
    slow = parsing.parse(name, raw, bare=bare, block_reader=False)
    assert fast.findings == slow.findings, name
    assert (fast.article is None) == (slow.article is None), name
    read = False
    if fast.article is not None and slow.article is not None:
        assert fast.article.data == slow.article.data, name
        assert fast.article.source.nodes == slow.article.source.nodes, name
        # The same order too (a pointer before those inside it).
        assert list(fast.article.source.nodes) == list(slow.article.source.nodes), name
        article = fast.article
        read = read_block_yaml(article.text[article.yaml_start : article.yaml_end],
                               article.yaml_start) is not None
    return fast, read


def test_the_sample_and_the_seeds_are_read_by_the_block_reader() -> None:
    seeds = sorted((ROOT / "seeds").iterdir())
    assert seeds
    for path in [SAMPLE, *seeds]:
        result, read = both_ways(path.read_bytes(), path.name)
        assert read, f"{path.name} fell back to libyaml"
        assert result.findings == []


def test_the_benchmark_corpus_is_read_by_the_block_reader(tmp_path: Path) -> None:
    paths = load_corpus_module().generate(str(tmp_path), 300)
    declined = [p for p in paths if not both_ways(Path(p).read_bytes(), p)[1]]
    assert declined == []


def test_every_fixture_parses_the_same_both_ways() -> None:
    files = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file()]
    assert len(files) > 100
    read = sum(both_ways(p.read_bytes(), p.name)[1] for p in files)
    # Fixtures mostly write the provider as a flow mapping, which is left to libyaml;
    # some (CRLF ones among them) are plain block YAML.
    assert read >= 8


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"the YAML test suite is not at {SUITE}")
def test_every_yaml_suite_document_parses_the_same_both_ways() -> None:
    docs = sorted(SUITE.glob("*.yaml"))
    assert len(docs) >= 400
    read = 0
    for doc in docs:
        raw = doc.read_bytes()
        both_ways(raw, doc.name)
        front = b"---\n" + raw + (b"" if raw.endswith(b"\n") or not raw else b"\n") + b"---\n"
        read += both_ways(front, doc.stem + ".md")[1]
    # The suite is mostly what the block reader leaves to libyaml, but not all.
    assert read >= 10


@pytest.mark.parametrize(
    ("yaml_text", "read"),
    [
        # What the block reader reads.
        ("a: 1\nb: x\n", True),
        ("a: -1\nb: 0\nc: true\nd: false\n", True),
        ("a: 'it''s'\nb: \"x # not a comment\"\n", True),
        ("a: x # a comment\nb: 'y'   # another\n\n# a line of comment\nc: z\n", True),
        ("a:\n  b: 1\n  c:\n    d: 2\ne: 3\n", True),
        ("a:\n- 1\n- k: v\n  z: w\n\nf: []\ng: {}\n", True),
        ("a:\n  - x\n  -   y\nb:\n    - url: u\n      w: 1\n    - url: v\n", True),
        ("r:\n  - t: x\n    i:\n    - u: a\n    - u: b\n  - t: y\nz: 1\n", True),
        ("a: http://x.y/z?a=1&b=2#frag\nb: a:b\nc: ':x'\nd: x-\ne: ?y\n", True),
        ("a: plain text   \nb: 2023-01-01T00:00:00Z\nc: 2023-01-01\n", True),
        ("a: x#y\nb: x :y\nc: x[y, z]\nd: x]\n", True),
        ("  a: 1\n  b: 2\n", True),
        ("some-key: 1\n_k: 2\n", True),
        ("a: \u00e9t\u00e9 \U0001f600\nb: \"\u2019\"\n", True),
        # What it leaves to libyaml (which reads it, or says what is wrong).
        ("a: 1\na: 2\n", False),
        ("yes: 1\n", False),
        ("a: yes\n", False),
        ("a: True\n", False),
        ("a: ~\nb: null\n", False),
        ("a:\nb: 1\n", False),
        ("a: 1.5\n", False),
        ("a: -x\n", False),  # a value starting as a number may be one: left to libyaml
        ("a: 0x10\nb: 012\nc: +1\nd: 1_000\n", False),
        ("a: \"x\\ty\"\n", False),
        ("a: &x 1\nb: *x\n", False),
        ("a: !!str 1\n", False),
        ("a: [1, 2]\n", False),
        ("a: {b: 1}\n", False),
        ("a: |\n  text\n", False),
        ("a: >\n  text\n", False),
        ("a: multi\n  line\n", False),
        ("a: \"multi\n  line\"\n", False),
        ("a:\n\tb: 1\n", False),
        ("a: 1\n- 2\n", False),
        ("- 1\n- 2\n", False),
        ("x\n", False),
        ("a: b: c\n", False),
        ("a: b :\n", False),
        ("a: x\n  b: y\n", False),
        ("a:\n    b: 1\n  c: 2\n", False),
        ("a:\n  - 1\n  b: 2\n", False),
        ("a:\n  -\n", False),
        ("a: 1\r\nb:\r\n  - x\r\n\r\nc: 2\r\n", True),
        ("a: 1\rb: 2\n", False),
        ("a: 1\r\n\rb: 2\n", False),
        ("a: 1\n...\n", False),
        ("a: \x85\n", False),
        ("a: x\u2028y\n", False),
        ("a: \ufeffx\n", False),
        ("a: 1\n# \x01\n", False),
        ("? a\n: 1\n", False),
        ("'a': 1\n", False),
        ("a : 1\n", False),
        ("a: 1", True),  # as front matter; bare, the missing line break is left to libyaml
        ("<<: 1\n", False),
        ("a: =\n", False),
        ("a: %x\n", False),
        ("a: @x\n", False),
    ],
)
def test_what_is_read_and_what_is_left_to_libyaml(yaml_text: str, read: bool) -> None:
    raw = ("---\n" + yaml_text + ("" if yaml_text.endswith("\n") else "\n") + "---\nbody\n")
    _, was_read = both_ways(raw.encode("utf-8", "surrogatepass"))
    assert was_read is read
    bare = yaml_text.encode("utf-8", "surrogatepass")
    _, bare_read = both_ways(bare, "a.yaml")
    assert bare_read is (read and yaml_text.endswith("\n"))


# -- generated near-YAML: lines of every kind, in any order ------------------------------------

_KEYS = st.sampled_from(["a", "b", "title", "url", "x-y", "_k", "yes", "on", "null", "a b",
                         "'q'", "\"d\"", "? k", "k ", "-k", "k#"])
_VALUES = st.one_of(
    st.sampled_from([
        "", "1", "-1", "0", "01", "1.5", "true", "false", "True", "yes", "~", "null",
        "[]", "{}", "[ ]", "[1]", "{a: 1}", "x", "x y", "x  y ", "x:y", "x: y", "x :y", "x #y",
        "x#y", "-x", "- x", "?x", ":x", ": x", "'s'", "'it''s'", "'a", "\"d\"", "\"a\\\"b\"",
        "\"a", "&a x", "*a", "!!str x", "|", ">", "%x", "@x", "`x", ",x", "2023-01-01",
        "2023-01-01T00:00:00Z", "http://x/y?a=1&b=2", "\t", "x\t", "\u2028", "\x85", "\ufeff",
        "caf\u00e9", "\U0001f600", "---", "...", "#c", "x # c",
    ]),
    st.text(alphabet=st.sampled_from("ab :#-'\"[]{}?&*!|>,\t\\."), max_size=8),
)


@st.composite
def near_yaml(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 6]))
        kind = draw(st.sampled_from(["kv", "kv", "kv", "key", "key", "item", "item-kv",
                                     "blank", "comment", "value"]))
        if kind == "kv":
            line = f"{draw(_KEYS)}: {draw(_VALUES)}"
        elif kind == "key":
            line = f"{draw(_KEYS)}:"
        elif kind == "item":
            line = f"- {draw(_VALUES)}"
        elif kind == "item-kv":
            line = f"-{' ' * draw(st.integers(1, 3))}{draw(_KEYS)}: {draw(_VALUES)}"
        elif kind == "comment":
            line = "# " + draw(_VALUES)
        elif kind == "value":
            line = draw(_VALUES)
        else:
            line = ""
        lines.append(indent + line + draw(st.sampled_from(["", "", " ", "  # c"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n", "\n# end\n"]))


_SAFE_VALUES = st.sampled_from([
    "1", "-1", "0", "42", "true", "false", "[]", "{}", "x", "x y", "x:y", "x :y", "x#y", "-x",
    "?x", ":x", "'s'", "'it''s'", "''", "\"d\"", "\"\"", "\"a # b\"", "2023-01-01",
    "2023-01-01T00:00:00Z", "2023-08-07T08:11:00+02:00", "http://x/y?a=1&b=2#f", "caf\u00e9",
    "\U0001f600", "x[y, z]", "x]", "a-b", "01", "1.5", "yes", "~", "\"a\\\"b\"",
])
_SAFE_KEYS = st.sampled_from(["a", "b", "c", "title", "url", "x-y", "_k", "K9"])


@st.composite
def block_trees(draw: st.DrawFn, depth: int = 0) -> Any:
    """A mapping or list of scalars (as written), mappings and lists."""
    kind = draw(st.sampled_from(["map", "map", "list"])) if depth else "map"
    size = draw(st.integers(1, 4))
    if depth >= 3:
        children = [draw(_SAFE_VALUES) for _ in range(size)]
    else:
        children = [
            draw(st.one_of(_SAFE_VALUES, _SAFE_VALUES, block_trees(depth + 1)))  # type: ignore[call-arg]
            for _ in range(size)
        ]
    if kind == "list":
        return children
    keys = draw(st.lists(_SAFE_KEYS, min_size=size, max_size=size, unique=True))
    return dict(zip(keys, children, strict=True))


@st.composite
def block_documents(draw: st.DrawFn) -> str:
    """Block YAML as people write it: any indent step, lists indented or not, blank
    lines and comments anywhere, LF or CRLF; sometimes one line then broken."""
    tree = draw(block_trees())
    lines: list[str] = []

    def write(node: Any, column: int, first_prefix: str | None = None) -> None:
        items = list(node.items()) if isinstance(node, dict) else [(None, v) for v in node]
        for index, (key, value) in enumerate(items):
            pad = first_prefix if first_prefix is not None and index == 0 else " " * column
            if draw(st.integers(0, 5)) == 0:
                lines.append(" " * draw(st.integers(0, 6)) + draw(st.sampled_from(["", "# c"])))
            head = pad if key is None else f"{pad}{key}:"
            if key is None:
                dash = "-" + " " * draw(st.integers(1, 3))
                if isinstance(value, dict):
                    write(value, column + len(dash), pad + dash)
                elif isinstance(value, list):
                    lines.append(pad + "-")  # a list in a list: left to libyaml
                    write(value, column + 2)
                else:
                    lines.append(pad + dash + value)
                continue
            if isinstance(value, str):
                comment = draw(st.sampled_from(["", "", " # c", "   "]))
                lines.append(f"{head} {value}{comment}")
                continue
            lines.append(head)
            step = draw(st.integers(1, 4))
            if isinstance(value, list):
                write(value, column + draw(st.sampled_from([0, step])))
            else:
                write(value, column + step)

    write(tree, 0)
    if draw(st.integers(0, 3)) == 0:
        # One line broken: moved, dropped, repeated or re-indented.
        at = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "repeat", "indent", "dedent", "tab"]))
        if how == "drop":
            del lines[at]
        elif how == "repeat":
            lines.insert(at, lines[at])
        elif how == "indent":
            lines[at] = " " + lines[at]
        elif how == "dedent":
            lines[at] = lines[at][1:]
        else:
            lines[at] = "\t" + lines[at]
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text


@settings(max_examples=int(os.environ.get("FEEDLINT_NEAR_YAML_EXAMPLES", "1500")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(block_documents())
def test_generated_block_yaml_parses_the_same_both_ways(yaml_text: str) -> None:
    raw = yaml_text.encode("utf-8")
    both_ways(b"---\n" + raw + b"---\nbody\n")
    both_ways(raw, "a.yaml")


@settings(max_examples=int(os.environ.get("FEEDLINT_NEAR_YAML_EXAMPLES", "1500")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(near_yaml())
def test_generated_near_yaml_parses_the_same_both_ways(yaml_text: str) -> None:
    raw = yaml_text.encode("utf-8", "surrogatepass")
    both_ways(b"---\n" + raw + (b"" if raw.endswith(b"\n") else b"\n") + b"---\nbody\n")
    both_ways(raw, "a.yaml")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_files())
def test_generated_articles_parse_the_same_both_ways(article: tuple[str, bytes]) -> None:
    name, raw = article
    both_ways(raw, name)


def test_large_and_deep_documents_are_left_to_libyaml_and_its_limits() -> None:
    many = "topics:\n" + "- a\n" * (parsed.MAX_NODES + 10)
    result, read = both_ways(f"---\n{many}---\n".encode())
    assert not read
    assert [f.code for f in result.findings] == ["FL016"]
    deep = "".join(" " * level + f"k{level}:\n" for level in range(parsed.MAX_DEPTH + 5))
    result, read = both_ways(f"---\n{deep}{' ' * 80}x: 1\n---\n".encode())
    assert not read
    assert [f.code for f in result.findings] == ["FL015"]
    # Below the parser's limits, but beyond what any article holds: still left to libyaml.
    result, read = both_ways(("---\ntopics:\n" + "- a\n" * 6000 + "---\n").encode())
    assert not read and result.findings == []
    result, read = both_ways(("---\n" + "\n" * 30_000 + "title: x\n---\n").encode())
    assert not read and result.article is not None and result.article.data == {"title": "x"}


_PLAIN_CHARS = st.sampled_from("aytnofYTNOF019-+._:<=~eExXbB# Z")


@settings(max_examples=3000, deadline=None)
@given(st.one_of(
    st.text(_PLAIN_CHARS, min_size=1, max_size=12),
    st.sampled_from(sorted(blockyaml._BOOL_WORDS | blockyaml._NULL_WORDS | {
        "<<", "=", ".inf", "-.Inf", ".NaN", "0x1f", "0o7", "017", "1_000", "1:30", "1:30.5",
        "1e3", "1.5e-3", "+1", "-0", "2023-01-01", "2023-1-1", "2023-01-01 00:00:00",
        "2023-01-01T00:00:00z", "2023-01-01t00:00:00+05:30", "1.", ".5", "y", "n", "nul",
    })),
))
def test_plain_values_read_as_pyyaml_resolves_them(value: str) -> None:
    """What the block reader keeps of a plain scalar is what PyYAML's resolver says
    it is: text for text and timestamps, an int, or true/false; the rest is left."""
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    try:
        read = blockyaml._scalar(value)
    except blockyaml._Decline:
        return
    short = tag.rsplit(":", 1)[-1]
    if isinstance(read, bool):
        assert short == "bool" and read is (value == "true")
    elif isinstance(read, int):
        assert short == "int" and read == int(value)
    else:
        assert short in ("str", "timestamp") and read == value
