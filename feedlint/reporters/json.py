"""``--format json``: the contract other tools parse.

``{"version": 1, "files_checked": K, "diagnostics": [...]}``, each diagnostic with
file, line, column, end_line, end_column, code, rule, severity, message, pointer
and fix, sorted by file, line, column (then code). ``fix`` is null, or what
``--fix`` would do: ``{"message", "edits": [{"line", "column", "end_line",
"end_column", "content"}]}``, each edit replacing its range (placed as the
diagnostics' spans are, the end exclusive) by ``content`` in the file as read.

The version stays 1 while members are only added: a reader ignores the members it
does not know.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from feedlint.diagnostics import command_safe_json
from feedlint.reporters._base import Reporter

if TYPE_CHECKING:
    from feedlint.results import RunResult

FORMAT_VERSION = 1


class JsonReporter(Reporter):
    def write(self, result: RunResult, out: TextIO) -> None:
        document = {
            "version": FORMAT_VERSION,
            "files_checked": result.files_checked,
            "diagnostics": [d.as_json() for d in result.diagnostics],
        }
        out.write(command_safe_json(json.dumps(document, ensure_ascii=False, indent=2)))
        out.write("\n")
