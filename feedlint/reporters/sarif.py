"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning takes it.

One run whose ``tool.driver.rules`` holds the rules that appear in the results
(id, name, short and full description, help as text and Markdown, default level),
in code order; each result points at its rule by ``ruleId`` and ``ruleIndex``.
Locations are repository-relative URIs against ``%SRCROOT%`` (see
:mod:`feedlint.reporters._paths`); a file outside the repository gets an absolute
``file:`` URI. Regions use feedlint's own positions: 1-based, ``endColumn``
exclusive, columns counted in Unicode code points (``columnKind``).

``partialFingerprints["feedlintFingerprint/v1"]`` identifies a finding across runs:
a hash of the code, the repository-relative path, the JSON pointer of the field
and the finding's rank among those sharing all three. It leaves out the line
(an edit above a field must not make its finding new) and the message (wording
changes between versions).
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from feedlint import __version__
from feedlint.diagnostics import Diagnostic, Severity, command_safe_json
from feedlint.reporters._base import Reporter
from feedlint.reporters._paths import RepositoryPaths

if TYPE_CHECKING:
    from feedlint.results import RunResult
    from feedlint.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/feedlint/"
FINGERPRINT_KEY = "feedlintFingerprint/v1"
SRCROOT = "%SRCROOT%"
#: Stands for the results while the rest of the document is indented.
_RESULTS = "\0feedlint-results\0"


def _fence(text: str) -> str:
    """A Markdown code fence longer than any run of backticks in ``text``."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def rule_help_text(rule: Rule) -> str:
    parts = [rule.what, f"Why is this bad? {rule.why}", f"Example:\n{rule.example}",
             f"Use instead:\n{rule.fixed}"]
    if rule.fix:
        parts.append(f"Fix (--fix): {rule.fix}")
    return "\n\n".join(part.rstrip("\n") for part in parts)


def rule_help_markdown(rule: Rule) -> str:
    def code(block: str) -> str:
        fence = _fence(block)
        return f"{fence}yaml\n{block.rstrip(chr(10))}\n{fence}"

    parts = [
        f"## What it does\n\n{rule.what}",
        f"## Why is this bad?\n\n{rule.why}",
        f"## Example\n\n{code(rule.example)}",
        f"## Use instead\n\n{code(rule.fixed)}",
    ]
    if rule.fix:
        parts.append(f"## Fix (`--fix`)\n\n{rule.fix}")
    return "\n\n".join(parts)


def rule_descriptor(code: str, rule: Rule) -> dict[str, Any]:
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": {"text": rule_help_text(rule), "markdown": rule_help_markdown(rule)},
        "defaultConfiguration": {
            "level": "error" if rule.severity == Severity.ERROR else "warning"
        },
        "properties": {"tags": [code[:3] + "xx"]},
    }


def fingerprint(code: str, location: str, pointer: str, rank: int) -> str:
    key = "\0".join((code, location, pointer, str(rank)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def artifact_location(path: str, paths: RepositoryPaths) -> dict[str, str]:
    relative = paths.relative(path)
    if relative is not None:
        # os.fsencode keeps an undecodable file name's bytes, so they can be escaped.
        return {"uri": quote(os.fsencode(relative), safe="/"), "uriBaseId": SRCROOT}
    if path == "-":
        return {"uri": "-"}
    return {"uri": pathlib.Path(os.path.abspath(path)).as_uri()}


class SarifReporter(Reporter):
    def write(self, result: RunResult, out: TextIO) -> None:
        # Indented, except for the results: one per line, each encoded by the C
        # encoder (json's indenting encoder is pure Python: 10x slower on an archive).
        document = self.document(result)
        run = document["runs"][0]
        results = run["results"]
        run["results"] = _RESULTS
        head, tail = json.dumps(document, ensure_ascii=False, indent=2).split(
            json.dumps(_RESULTS)
        )
        out.write(command_safe_json(head))
        if results:
            out.write("[\n")
            last = len(results) - 1
            for i, item in enumerate(results):
                out.write("        " + command_safe_json(json.dumps(item, ensure_ascii=False)))
                out.write(",\n" if i < last else "\n")
            out.write("      ]")
        else:
            out.write("[]")
        out.write(command_safe_json(tail))
        out.write("\n")

    def document(self, result: RunResult) -> dict[str, Any]:
        from feedlint.rules import rule_for

        paths = RepositoryPaths.discover()
        diagnostics = result.diagnostics
        codes = sorted({d.code for d in diagnostics})
        index = {code: i for i, code in enumerate(codes)}
        locations: dict[str, dict[str, str]] = {}
        ranks: Counter[tuple[str, str, str]] = Counter()
        results = []
        for d in diagnostics:
            location = locations.get(d.file)
            if location is None:
                location = locations[d.file] = artifact_location(d.file, paths)
            key = (d.code, location["uri"], d.pointer)
            rank = ranks[key]
            ranks[key] += 1
            results.append(self._result(d, location, index[d.code], rank))
        root_uri = pathlib.Path(paths.root).as_uri().rstrip("/") + "/"
        return {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "feedlint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": [rule_descriptor(code, rule_for(code)) for code in codes],
                        }
                    },
                    "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
                    "columnKind": "unicodeCodePoints",
                    "invocations": [{"executionSuccessful": result.internal_errors == 0}],
                    "results": results,
                }
            ],
        }

    @staticmethod
    def _result(
        d: Diagnostic, location: dict[str, str], rule_index: int, rank: int
    ) -> dict[str, Any]:
        found = {
            "ruleId": d.code,
            "ruleIndex": rule_index,
            "level": "error" if d.severity == Severity.ERROR else "warning",
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        },
                    }
                }
            ],
            "partialFingerprints": {
                FINGERPRINT_KEY: fingerprint(d.code, location["uri"], d.pointer, rank)
            },
        }
        if d.fixable:
            found["fixes"] = [sarif_fix(d, location)]
        return found


def sarif_fix(d: Diagnostic, location: dict[str, str]) -> dict[str, Any]:
    """The edits ``--fix`` would make for ``d``, as a SARIF fix: one artifact change
    whose replacements are the edits (regions as the results' own, code points)."""
    assert d.fix is not None
    return {
        "description": {"text": d.fix.description},
        "artifactChanges": [
            {
                "artifactLocation": location,
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                        "insertedContent": {"text": content},
                    }
                    for line, column, end_line, end_column, content in d.fix_edits
                ],
            }
        ],
    }
