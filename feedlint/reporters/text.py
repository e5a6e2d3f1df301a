"""``--format text``: ``path:line:col: CODE message``, then a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from feedlint.diagnostics import Severity
from feedlint.reporters._base import Reporter

if TYPE_CHECKING:
    from feedlint.results import RunResult

_BOLD, _RED, _YELLOW, _GREEN, _DIM, _RESET = (
    "\033[1m",
    "\033[31m",
    "\033[33m",
    "\033[32m",
    "\033[2m",
    "\033[0m",
)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(result: RunResult) -> str:
    """``N errors, M warnings in K files``."""
    return (
        f"{plural(result.count(Severity.ERROR), 'error')}, "
        f"{plural(result.count(Severity.WARNING), 'warning')} "
        f"in {plural(result.files_checked, 'file')}"
    )


class TextReporter(Reporter):
    def _paint(self, text: str, *styles: str) -> str:
        if not self.options.color:
            return text
        return "".join(styles) + text + _RESET

    def write(self, result: RunResult, out: TextIO) -> None:
        for d in result.diagnostics:
            colour = _RED if d.severity == Severity.ERROR else _YELLOW
            where = self._paint(f"{d.file}:{d.line}:{d.column}:", _BOLD)
            code = self._paint(d.code, _BOLD, colour)
            out.write(f"{where} {code} {d.message}\n")
        if self.options.quiet:
            return
        errors = result.count(Severity.ERROR)
        warnings = result.count(Severity.WARNING)
        summary = summary_line(result)
        if errors:
            summary = self._paint(summary, _BOLD, _RED)
        elif warnings:
            summary = self._paint(summary, _BOLD, _YELLOW)
        else:
            summary = self._paint(summary, _GREEN)
        out.write(summary + "\n")
