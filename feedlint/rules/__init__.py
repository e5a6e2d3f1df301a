"""The registry of every code feedlint reports.

Codes come in families, one hundred each:

- ``FL0xx`` the file and its YAML (:mod:`feedlint.rules.file_syntax`)
- ``FL1xx`` the schema (:mod:`feedlint.rules.schema_shape`)
- ``FL2xx`` URLs (:mod:`~feedlint.rules.urls`), ``FL3xx`` images
  (:mod:`~feedlint.rules.images`), ``FL4xx`` dates (:mod:`~feedlint.rules.dates`),
  ``FL5xx`` the secured field (:mod:`~feedlint.rules.secured`), related items
  (:mod:`~feedlint.rules.related`) and duplicates across files
  (:mod:`~feedlint.rules.duplicates`): the content rules
- ``FL6xx`` links checked with ``--probe`` (:mod:`~feedlint.rules.links`)
- ``FL8xx`` suppression comments (:mod:`feedlint.rules.noqa`)
- ``FL9xx`` feedlint's own failures (:mod:`feedlint.rules.internal`)

A module is listed here by hand: there is no plugin discovery to go wrong.
"""

from __future__ import annotations

from feedlint.rules import (
    dates,
    duplicates,
    file_syntax,
    images,
    internal,
    links,
    noqa,
    related,
    schema_shape,
    secured,
    urls,
)
from feedlint.rules._base import Option, Rule, RuleContext, RuleModule, is_whole_file

MODULES: tuple[RuleModule, ...] = (
    file_syntax.MODULE,
    schema_shape.MODULE,
    urls.MODULE,
    images.MODULE,
    dates.MODULE,
    secured.MODULE,
    related.MODULE,
    duplicates.MODULE,
    links.MODULE,
    noqa.MODULE,
    internal.MODULE,
)

RULES: dict[str, Rule] = {rule.code: rule for module in MODULES for rule in module.rules}
RULES = dict(sorted(RULES.items()))

FAMILIES: dict[str, str] = {
    "FL0": "file and YAML",
    "FL1": "schema",
    "FL2": "URLs",
    "FL3": "images",
    "FL4": "dates",
    "FL5": "secured field, related items, duplicates",
    "FL6": "links",
    "FL8": "suppressions",
    "FL9": "internal",
}


def family(code: str) -> str:
    return FAMILIES.get(code[:3], "other")


def rule_for(code: str) -> Rule:
    try:
        return RULES[code]
    except KeyError:
        return internal.UNKNOWN_CODE


__all__ = [
    "FAMILIES", "MODULES", "RULES", "Option", "Rule", "RuleContext", "RuleModule", "is_whole_file",
]
