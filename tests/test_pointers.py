"""A diagnostic about a field carries that field's JSON pointer.

SARIF fingerprints, the HTML report's grouping and ``per-file-ignores`` by field
all read the pointer, so a YAML-level problem on a field (an ambiguous boolean, a
duplicate key, a tag, an anchor) names the field like any schema or rule
finding does. Only what is about the whole file, its syntax or a comment has the
empty pointer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedlint.engine import Linter
from tests.conftest import FIXTURES, SAMPLE, run_feedlint


def pointers(linter: Linter, text: str) -> list[tuple[str, int, str]]:
    result = linter.lint_bytes("a.md", text.encode("utf-8"))
    return [(d.code, d.line, d.pointer) for d in result.diagnostics]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("published: Off", ("FL011", "/published")),
        ("title: dup", ("FL005", "/title")),
        ("isCached: !!int abc", ("FL012", "/isCached")),
        ("extra: !!python/object:os.system a", ("FL012", "/extra")),
        ("webUrl2: &u https://example.com/a", ("FL006", "/webUrl2")),
    ],
)
def test_a_yaml_problem_on_a_field_names_the_field(
    linter: Linter, line: str, expected: tuple[str, str]
) -> None:
    text = SAMPLE.read_text("utf-8").replace("---\n", f"---\n{line}\n", 1)
    found = pointers(linter, text)
    code, pointer = expected
    assert (code, pointer) in {(c, p) for c, _, p in found}, found


def test_nested_keys_and_aliases_name_their_place(linter: Linter) -> None:
    text = (
        "---\n"
        "provider:\n"
        "  name: X\n"
        "  on: 1\n"
        "  ? [a]\n"
        "  : 1\n"
        "related:\n"
        "  - webUrl: &first https://example.com/a\n"
        "  - webUrl: *first\n"
        "---\n"
    )
    found = pointers(linter, text)
    assert ("FL006", 8, "/related/0/webUrl") in found, found
    assert ("FL006", 9, "/related/1/webUrl") in found, found
    without_alias = text.replace("&first ", "").replace("*first", "https://example.com/b")
    found = pointers(linter, without_alias)
    assert ("FL011", 4, "/provider/on") in found, found
    assert ("FL014", 5, "/provider") in found, found


def test_nesting_and_size_limits_name_where_they_were_hit(linter: Linter) -> None:
    deep = "---\ndeep: " + "[" * 80 + "]" * 80 + "\n---\n"
    [(code, _, pointer)] = [p for p in pointers(linter, deep) if p[0] == "FL015"]
    assert pointer.startswith("/deep/0/0/")


#: Codes about the whole file, its YAML syntax, a comment, or a field missing from
#: the top level (reported on the front matter itself, as decisions.md says).
WHOLE_FILE = {
    "FL001", "FL002", "FL003", "FL004", "FL007", "FL008", "FL009", "FL010", "FL013",
    "FL101", "FL801", "FL802", "FL900",
}  # fmt: skip


def test_only_whole_file_codes_have_an_empty_pointer(tmp_path: Path) -> None:
    run = run_feedlint(["check", "--no-cache", "--format", "json", "."], cwd=FIXTURES)
    diagnostics = run.json()["diagnostics"]
    assert len({d["code"] for d in diagnostics}) > 30
    empty = {d["code"] for d in diagnostics if d["pointer"] == ""}
    assert empty <= WHOLE_FILE, sorted(empty - WHOLE_FILE)
    nested_missing = [d for d in diagnostics if d["code"] == "FL101" and d["pointer"]]
    assert nested_missing  # a field missing below the top level names its parent
    assert json.dumps(diagnostics)  # the contract holds
