"""``--format text``: one line per diagnostic, then a summary.

Each line is ``path:line:col: severity CODE message``, with ``[*]`` before the
message when ``--fix`` would fix it (as ruff marks it), coloured on a terminal::

    a.md:3:1: error FL103 unknown field "pubishedDateTime": did you mean ...?
    a.md:7:20: warning FL401 [*] publishedDateTime is not in RFC 3339 form ...

The ``path:line:col:`` prefix comes first, so editors and terminals jump to it; the
severity is a word, so a warning is told from an error without colour (a CI log).
The summary says ``N errors, M warnings in K files``, then ``N fixable with
feedlint check --fix`` when some are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from feedlint.diagnostics import Diagnostic, Severity
from feedlint.reporters._base import Reporter

if TYPE_CHECKING:
    from feedlint.results import RunResult

BOLD, RED, YELLOW, GREEN, DIM, CYAN, RESET = (
    "\033[1m",
    "\033[31m",
    "\033[33m",
    "\033[32m",
    "\033[2m",
    "\033[36m",
    "\033[0m",
)

#: What marks a diagnostic ``--fix`` would fix (ruff's mark).
FIXABLE_MARK = "[*]"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(result: RunResult) -> str:
    """``N errors, M warnings in K files``."""
    return (
        f"{plural(result.count(Severity.ERROR), 'error')}, "
        f"{plural(result.count(Severity.WARNING), 'warning')} "
        f"in {plural(result.files_checked, 'file')}"
    )


def fixable_line(count: int) -> str:
    """``N fixable with feedlint check --fix``."""
    return f"{count} fixable with feedlint check --fix"


class TextReporter(Reporter):
    def _paint(self, text: str, *styles: str) -> str:
        if not self.options.color:
            return text
        return "".join(styles) + text + RESET

    def line(self, d: Diagnostic) -> str:
        """One diagnostic on one line: ``path:line:col: severity CODE [*] message``."""
        colour = RED if d.severity == Severity.ERROR else YELLOW
        where = self._paint(f"{d.file}:{d.line}:{d.column}:", BOLD)
        severity = self._paint(str(d.severity), BOLD, colour)
        code = self._paint(d.code, BOLD)
        mark = f" {self._paint(FIXABLE_MARK, CYAN)}" if d.fixable else ""
        return f"{where} {severity} {code}{mark} {d.message}"

    def write(self, result: RunResult, out: TextIO) -> None:
        for d in result.diagnostics:
            out.write(self.line(d) + "\n")
        self.write_summary(result, out)

    def write_summary(self, result: RunResult, out: TextIO) -> None:
        if self.options.quiet:
            return
        errors = result.count(Severity.ERROR)
        warnings = result.count(Severity.WARNING)
        summary = summary_line(result)
        if errors:
            summary = self._paint(summary, BOLD, RED)
        elif warnings:
            summary = self._paint(summary, BOLD, YELLOW)
        else:
            summary = self._paint(summary, GREEN)
        out.write(summary + "\n")
        fixable = sum(1 for f in result.files for d in f.diagnostics if d.fixable)
        if fixable:
            out.write(self._paint(fixable_line(fixable), CYAN) + "\n")
