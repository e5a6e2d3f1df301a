"""Every rule's documented example produces its code, and its fix does not.

``Rule.example`` and ``Rule.fixed`` are either a whole file (starting with
``---``, or anything that is not a mapping of fields: a body, an empty file) or
front matter fields laid over :data:`BASE`, replacing the base's fields of the
same name. Rules marked ``illustrative`` describe their example in words (a
6 MiB file, two files linted together); they are reported as skipped, by code.
"""

from __future__ import annotations

import pytest

from feedlint.engine import Linter
from feedlint.rules import RULES, Rule, is_whole_file
from feedlint.settings import Settings

#: A small valid article the overlay examples are laid over.
BASE = """\
---
title: "A headline"
publishedDateTime: 2023-08-07T08:11:00Z
webUrl: "https://www.example.com/2023/08/07/a-headline/"
provider:
  name: Example News
  domain: example.com
---
The body.
"""


def _blocks(front_matter: str) -> list[tuple[str, str]]:
    """Top-level fields of simple block YAML: (key, the lines that belong to it)."""
    blocks: list[tuple[str, str]] = []
    for line in front_matter.splitlines(keepends=True):
        if line[:1].strip() and not line.startswith("#"):
            blocks.append((line.split(":", 1)[0].strip(), line))
        elif blocks:
            key, text = blocks[-1]
            blocks[-1] = (key, text + line)
        else:
            blocks.append(("", line))
    return blocks




def compose(snippet: str) -> str:
    """The file a documentation snippet stands for."""
    if is_whole_file(snippet):
        return snippet
    head, front_matter, body = BASE.split("---\n", 2)
    replaced = {key for key, _ in _blocks(snippet)}
    kept = "".join(text for key, text in _blocks(front_matter) if key not in replaced)
    overlay = snippet if snippet.endswith("\n") else snippet + "\n"
    return f"{head}---\n{kept}{overlay}---\n{body}"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Settings())


def codes(linter: Linter, text: str) -> list[str]:
    result = linter.lint_bytes("example.md", text.encode("utf-8"))
    return [d.code for d in result.diagnostics]


def test_base_article_is_clean(linter: Linter) -> None:
    assert codes(linter, BASE) == []


def test_overlay_replaces_fields_of_the_same_name() -> None:
    text = compose("provider:\n  name: Other\n  domain: example.org\nexcerpt: x\n")
    assert text.count("provider:") == 1
    assert "domain: example.org" in text and "domain: example.com" not in text
    assert "title: \"A headline\"" in text and text.endswith("---\nThe body.\n")


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_example_produces_the_code_and_fixed_does_not(rule: Rule, linter: Linter) -> None:
    if rule.illustrative:
        pytest.skip(f"{rule.code}: its example is illustrative ({rule.example[:50]})")
    example = compose(rule.example)
    produced = codes(linter, example)
    assert rule.code in produced, f"the example of {rule.code} gives {produced}:\n{example}"
    fixed = compose(rule.fixed)
    produced = codes(linter, fixed)
    assert rule.code not in produced, f"the fixed example of {rule.code} still gives it:\n{fixed}"


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_rule_is_documented(rule: Rule) -> None:
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary and rule.what and rule.why
