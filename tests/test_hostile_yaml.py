"""Hostile YAML: each file gets a clear diagnostic, within the bounds SECURITY.md states.

Every case in :mod:`tests.hostile` is linted by ``python -m feedlint`` in its own
process; the CPU time and peak memory of that process are measured and held to
the bounds. The in-process tests below pin down each weakness that was fixed.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from feedlint import composing
from feedlint.composing import depth_bound, node_bound
from feedlint.engine import Linter
from feedlint.parsed import MAX_DEPTH, MAX_NODES
from feedlint.parsing import parse
from feedlint.settings import Settings
from tests.contracts import check_json_report, check_positions, measured_run
from tests.hostile import CASES, billion_laughs

#: The bounds SECURITY.md promises for one file under the size limit, start-up
#: included: CPU seconds and peak resident memory of the whole process.
MAX_CPU_SECONDS = 5.0
MAX_PEAK_MIB = 256

SUITE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "yaml-test-suite"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Settings())


def codes(linter: Linter, raw: bytes, name: str = "a.md") -> list[tuple[str, int]]:
    result = linter.lint_bytes(name, raw, bare=not name.endswith(".md"))
    check_positions(result.diagnostics, raw)
    return [(d.code, d.line) for d in result.diagnostics]


# -- each hostile file, in its own measured process ---------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_answered_within_bounds(name: str, tmp_path: Path) -> None:
    file_name, build, expected = CASES[name]
    raw = build()
    path = tmp_path / file_name
    path.write_bytes(raw)
    run = measured_run(["check", "--format", "json", file_name], cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert run.stderr == ""
    report = run.json()
    check_json_report(report, files_checked=1)
    found = {d["code"] for d in report["diagnostics"]}
    assert not any(code.startswith("FL9") for code in found), report["diagnostics"][:3]
    if expected:
        assert found & expected, f"{name}: got {sorted(found)}, wanted one of {sorted(expected)}"
    else:
        assert found == set(), report["diagnostics"][:3]
    check_positions(report["diagnostics"], raw)
    assert run.cpu < MAX_CPU_SECONDS, f"{name}: {run.cpu:.2f} s of CPU"
    assert run.peak_mib < MAX_PEAK_MIB, f"{name}: {run.peak_mib:.0f} MiB at peak"


_RAISED_LIMIT = """
import sys
from feedlint.discovery import discover
from feedlint.engine import Linter
from feedlint.reporters.json import JsonReporter
from feedlint.settings import Settings

settings = Settings(max_file_size=int(sys.argv[1]))
result = Linter(settings).run(discover(sys.argv[2:]))
JsonReporter().write(result, sys.stdout)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("limit", "codes"), [(16 * 1024 * 1024, []), (8 * 1024 * 1024, ["FL010"])],
    ids=["under-a-raised-limit", "over-it"],
)
def test_ten_megabyte_line(tmp_path: Path, limit: int, codes: list[str]) -> None:
    """A 10 MB line is over the default limit (the line-over-limit case); with the limit
    raised past it, it is parsed and answered within the same bounds."""
    raw = (
        b'---\ntitle: "A headline"\npublishedDateTime: 2023-08-07T08:11:00Z\n'
        b"webUrl: https://example.com/a\nprovider: {name: Example, domain: example.com}\n"
        b'excerpt: "' + b"a" * (10 * 1024 * 1024) + b'"\n---\n'
    )
    (tmp_path / "a.md").write_bytes(raw)
    run = measured_run([str(limit), "a.md"], cwd=tmp_path, python=("-c", _RAISED_LIMIT))
    assert run.returncode == 0, run.stderr
    report = run.json()
    check_json_report(report, files_checked=1)
    assert [d["code"] for d in report["diagnostics"]] == codes
    assert run.cpu < MAX_CPU_SECONDS, f"{run.cpu:.2f} s of CPU"
    assert run.peak_mib < MAX_PEAK_MIB, f"{run.peak_mib:.0f} MiB at peak"


# -- aliases and anchors --------------------------------------------------------


def test_anchor_glued_to_a_json_style_key_is_refused(linter: Linter) -> None:
    """``{"a":&x 1}`` needs no space before the anchor; the cheap filter once missed it,
    and the alias was expanded."""
    raw = b'---\n{"a":&x [1], "b":*x, "c": {?&y k: 1}}\n---\n'
    assert sorted(codes(linter, raw)) == [("FL006", 2)] * 3  # &x, *x, &y


def test_alias_cycle_is_refused_not_a_recursion_error(linter: Linter) -> None:
    assert ("FL006", 2) in codes(linter, b'---\n{"a":&x ["b":*x]}\n---\n')


def test_builder_refuses_aliases_even_when_the_event_pass_is_skipped(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second line of defence: a node met twice is an alias, so the tree walk never
    expands one (exponential) or follows a cycle (endless)."""
    monkeypatch.setattr(composing, "_worth_an_event_pass", lambda text: False)
    found = codes(linter, billion_laughs())
    assert found and {code for code, _ in found} == {"FL006"}
    assert ("FL006", 2) in codes(linter, b'---\n{"a":&x ["b":*x]}\n---\n')


def test_builder_refuses_depth_and_size_even_when_the_event_pass_is_skipped(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(composing, "_worth_an_event_pass", lambda text: False)
    deep = b"---\ntitle: " + b"[" * 150 + b"]" * 150 + b"\n---\n"
    assert codes(linter, deep) == [("FL015", 2)]
    many = b"---\ntopics: [" + b"a," * MAX_NODES + b"a]\n---\n"
    assert ("FL016", 2) in codes(linter, many)


# -- the cheap bounds that decide whether the event pass runs -------------------


def _measure(text: str) -> tuple[int, int, bool]:
    """Depth, node count and whether anchors or aliases occur, from the event stream
    (as far as it gets before any error)."""
    depth = deepest = nodes = 0
    anchored = False
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                anchored = True
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                nodes += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return deepest, nodes, anchored


def _assert_bounds_hold(text: str) -> None:
    deepest, nodes, anchored = _measure(text)
    assert deepest <= depth_bound(text), (deepest, depth_bound(text), text[:200])
    assert nodes <= node_bound(text), (nodes, node_bound(text), text[:200])
    if anchored:
        assert composing._may_hold_anchor_or_alias(text), text[:200]
    # The fast indentation test on every file agrees with the measured one.
    deepest_indent = composing._max_indent(text)
    for spaces in (1, 2, deepest_indent, deepest_indent + 1):
        assert composing._indented_at_least(text, spaces) == (deepest_indent >= spaces), spaces


def suite_texts() -> list[str]:
    if not SUITE.is_dir():
        return []
    return [p.read_bytes().decode("utf-8", "replace") for p in sorted(SUITE.glob("*.yaml"))]


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"the YAML test suite is not at {SUITE}")
def test_cheap_bounds_hold_on_the_yaml_test_suite() -> None:
    texts = suite_texts()
    assert len(texts) > 300
    for text in texts:
        _assert_bounds_hold(text)


_TOKENS = st.sampled_from(
    ["[", "]", "{", "}", ",", ":", ": ", "- ", "-", "-\t", "? ", "?", "&a ", "&a", "*a", "   ",
     "*a ", "!!str ", "!t ", '"q"', "'q'", "x", "k: ", "  ", " ", "\t", "\n", "\r", "\r\n",
     "\u0085", "\u2028", "\u2029", "\ufeff", "|\n", ">\n", "#c\n", "---\n", "...\n", "%YAML 1.1\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=60).map("".join))
def test_cheap_bounds_hold_on_generated_yaml(text: str) -> None:
    _assert_bounds_hold(text)


# -- nesting --------------------------------------------------------------------


@pytest.mark.parametrize(
    "yaml_text",
    [
        b"title: " + b"[" * 5000 + b"]" * 5000,
        b"title: " + b"[a: " * 5000 + b"x" + b"]" * 5000,
        b"title:\n" + b"- " * 5000 + b"x",
        b"? " * 5000 + b"x",
        b"\r".join(b" " * i + b"k:" for i in range(1200)) + b" v",
        "\u2028".join(" " * i + "k:" for i in range(1200)).encode() + b" v",
    ],
    ids=["flow", "pair-mappings", "block-entries", "explicit-keys", "lone-cr", "line-separator"],
)
def test_deep_nesting_is_refused_by_depth(linter: Linter, yaml_text: bytes) -> None:
    found = codes(linter, b"---\n" + yaml_text + b"\n---\n")
    assert [code for code, _ in found] == ["FL015"]


def test_nesting_just_within_the_limit_is_accepted(linter: Linter) -> None:
    inside = b"---\ntitle: " + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"\n---\n"
    assert "FL015" not in {code for code, _ in codes(linter, inside)}
    beyond = b"---\ntitle: " + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"\n---\n"
    assert "FL015" in {code for code, _ in codes(linter, beyond)}


# -- tags: safe loading only -------------------------------------------------------

_SENTINEL = '''
import pathlib
pathlib.Path(__file__).with_name("imported").write_text("feedlint_sentinel was imported")


class Thing:
    def __init__(self, *args, **kwargs):
        pathlib.Path(__file__).with_name("constructed").write_text("a Thing was built")

    def __setstate__(self, state):
        pathlib.Path(__file__).with_name("constructed").write_text("a Thing was built")


def touch(*args):
    pathlib.Path(__file__).with_name("called").write_text("touch was called")
'''

_UNSAFE = """---
title: !!python/object/apply:feedlint_sentinel.touch ["x"]
excerpt: !!python/object/new:feedlint_sentinel.Thing [1]
category: !!python/name:feedlint_sentinel.touch
type: !!python/module:feedlint_sentinel
webUrl: !!python/object:feedlint_sentinel.Thing {a: 1}
provider: !!python/object/apply:os.system ["touch system-was-called"]
secured: !!binary aGVsbG8=
topics: !!set {a, b}
images: !!omap [a: 1]
publishedDateTime: !custom 2023-08-07T08:11:00Z
---
"""


def test_unsafe_tags_construct_nothing(tmp_path: Path) -> None:
    """Every unsafe tag is reported (FL012) and nothing is imported, built or called,
    though the module they name is importable in the linting process."""
    (tmp_path / "feedlint_sentinel.py").write_text(_SENTINEL)
    (tmp_path / "a.md").write_text(_UNSAFE)
    # python -m puts the current folder first on sys.path: the sentinel is importable.
    run = measured_run(["check", "--format", "json", "a.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    report = run.json()
    check_json_report(report, files_checked=1)
    tagged = sorted(d["line"] for d in report["diagnostics"] if d["code"] == "FL012")
    assert tagged == list(range(2, 12))
    # Nothing but feedlint's own result cache (.feedlint_cache) was created.
    made = sorted(p.name for p in tmp_path.iterdir() if p.name != ".feedlint_cache")
    assert made == ["a.md", "feedlint_sentinel.py"], made


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_unsafe_tags_leave_plain_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "feedlint_sentinel.py").write_text(_SENTINEL)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = parse("a.md", _UNSAFE.encode())
    assert result.article is not None
    assert _plain(result.article.data)
    assert "feedlint_sentinel" not in sys.modules
    assert {f.code for f in result.findings} == {"FL012"}


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (b"!!int abc", {"FL012", "FL102"}),
        (b"!!float abc", {"FL012", "FL102"}),
        (b"!!bool maybe", {"FL012", "FL102"}),
        (b"!!null something", {"FL012", "FL102"}),
        (b"!!int 0x_", {"FL012", "FL102"}),
        (b"0x_", {"FL102"}),  # looks like a YAML 1.1 integer, is not one: plain text
        (b"._", {"FL102"}),
        (b"!!int 12", set()),
    ],
)
def test_a_tag_that_does_not_fit_its_value(linter: Linter, value: bytes, want: set[str]) -> None:
    """A loader raises ValueError/KeyError on these; feedlint once did too."""
    raw = (
        b'---\ntitle: "t"\npublishedDateTime: 2023-08-07T08:11:00Z\n'
        b"webUrl: https://example.com/a\nprovider: {name: E, domain: example.com}\n"
        b"quality: " + value + b"\n---\n"
    )
    found = codes(linter, raw)
    assert {code for code, _ in found} == want
    assert all(line == 6 for _, line in found)


@pytest.mark.parametrize(
    "number",
    [b"9" * 5000, b"-" + b"9" * 5000, b"0x" + b"f" * 5000, b"0b" + b"1" * 20000],
    ids=["decimal", "negative", "hex", "binary"],
)
def test_huge_integers_are_answered(linter: Linter, number: bytes) -> None:
    """Over 4,300 digits, int() refuses the text (decimal) or repr() the number (hex):
    once a crash of the parser or of the schema's message."""
    raw = b"---\ntitle: t\nquality: " + number + b"\n---\n"
    result = linter.lint_bytes("a.md", raw)
    quality = [d for d in result.diagnostics if d.pointer == "/quality"]
    assert [d.code for d in quality] == ["FL102"]
    assert quality[0].line == 3 and "inf" in quality[0].message
    data = parse("a.md", raw).article
    assert data is not None and math.isinf(data.data["quality"])


def test_a_byte_order_mark_that_starts_a_line_counts_as_indentation() -> None:
    """libyaml skips a mark at the start of a line as one column: ``:`` after it is
    a key nested under ``k`` (found by the generated documents above)."""
    _assert_bounds_hold("k: \n\ufeff:")
