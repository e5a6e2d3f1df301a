"""``--statistics``: how many diagnostics of each code, most frequent first.

Text: one line per code — count, code, severity, rule name and summary — then the
summary line (left out with ``--quiet``). JSON (``--format json``)::

    {"version": 1, "files_checked": K, "statistics": [
      {"code": "FL103", "rule": "unknown-field", "severity": "error", "count": 12,
       "summary": "..."}]}

Ties in the count are broken by code.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TextIO

from feedlint.diagnostics import command_safe_json
from feedlint.reporters._base import Reporter
from feedlint.reporters.text import summary_line

if TYPE_CHECKING:
    from feedlint.results import RunResult

#: The formats ``--statistics`` can be written in.
STATISTICS_FORMATS = ("text", "json")


@dataclass(frozen=True)
class CodeCount:
    code: str
    rule: str
    severity: str
    count: int
    summary: str


def count_codes(result: RunResult) -> list[CodeCount]:
    from feedlint.rules import rule_for

    counts: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for d in result.diagnostics:
        counts[(d.code, str(d.severity))] += 1
        names[d.code] = d.rule
    rows = [
        CodeCount(code, names[code], severity, count, rule_for(code).summary)
        for (code, severity), count in counts.items()
    ]
    rows.sort(key=lambda row: (-row.count, row.code, row.severity))
    return rows


class TextStatisticsReporter(Reporter):
    def write(self, result: RunResult, out: TextIO) -> None:
        rows = count_codes(result)
        if rows:
            width = len(str(rows[0].count))
            name_width = max(len(row.rule) for row in rows)
            for row in rows:
                level = "E" if row.severity == "error" else "W"
                out.write(
                    f"{row.count:>{width}}  {row.code}  {level}  "
                    f"{row.rule:<{name_width}}  {row.summary}\n"
                )
        if not self.options.quiet:
            out.write(summary_line(result) + "\n")


class JsonStatisticsReporter(Reporter):
    def write(self, result: RunResult, out: TextIO) -> None:
        document: dict[str, Any] = {
            "version": 1,
            "files_checked": result.files_checked,
            "statistics": [asdict(row) for row in count_codes(result)],
        }
        out.write(command_safe_json(json.dumps(document, ensure_ascii=False, indent=2)))
        out.write("\n")


STATISTICS_REPORTERS: dict[str, type[Reporter]] = {
    "text": TextStatisticsReporter,
    "json": JsonStatisticsReporter,
}
