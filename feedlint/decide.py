"""The one gate: which diagnostics a run reports, and with which severity.

Every diagnostic passes through :class:`Gate` exactly once, wherever it was found:
the per-file checks, the checks across files, ``--probe``. Nothing else filters.
In order:

1. ``# noqa`` comments of the file silence what they name (a directive is marked
   used even when the code it silences is not selected: de-selecting a code never
   makes its comment look unused);
2. the selection (``select``, ``extend-select``, ``ignore``: the most specific
   prefix wins) and ``per-file-ignores`` drop what the run does not report;
3. ``severity`` overrides set the severity of what is left.

feedlint's own failures (FL9xx) pass every filter: a crash must never look like a
pass. Which checks run never depends on the selection (see
:mod:`feedlint.pipeline`), so a problem has one code however the run is asked
for, and ``--select S`` reports exactly the diagnostics of a full run that S
selects.

The gate also judges ``noqa`` comments that silenced nothing (FL801): against the
codes whose checks ran on the file, and, for codes the checks across files
report, only once those have run (``final``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from feedlint.diagnostics import Diagnostic, Finding
from feedlint.selection import CodeSelector, FileIgnores
from feedlint.settings import Settings

if TYPE_CHECKING:
    from feedlint.suppression import Suppressor

#: feedlint's own failures: never filtered out, never silenced.
_ALWAYS = "FL9"


class Gate:
    def __init__(self, settings: Settings) -> None:
        self.selector = CodeSelector(settings.select + settings.extend_select, settings.ignore)
        self.file_ignores = FileIgnores(settings.per_file_ignores, settings.config_root)
        self.severity = settings.severity
        #: What ``noqa`` comments are judged against (see :meth:`judge_against`).
        self.known: frozenset[str] = frozenset()
        self.checked: frozenset[str] = frozenset()
        self.pending: frozenset[str] = frozenset()
        self.every_check_runs = False

    def judge_against(
        self,
        *,
        known: frozenset[str],
        checked: frozenset[str],
        pending: frozenset[str],
        every_check_runs: bool,
    ) -> None:
        """What the pipeline runs: every code feedlint has, those whose checks run on
        each file, those that checks across files may still add, and whether every
        check runs (a bare ``noqa`` is judged only then)."""
        self.known = known
        self.checked = checked
        self.pending = pending
        self.every_check_runs = every_check_runs

    def selected(self, code: str) -> bool:
        """Whether the selection reports ``code`` (before ``noqa`` and per-file ignores)."""
        return code.startswith(_ALWAYS) or self.selector.enabled(code)

    def decide(
        self,
        path: str,
        diagnostics: Iterable[Diagnostic],
        suppressor: Suppressor | None = None,
    ) -> list[Diagnostic]:
        """What is reported of ``diagnostics`` (all of the file ``path``), sorted."""
        if suppressor is not None:
            diagnostics = suppressor.silence(diagnostics)
        ignored = self.file_ignores.ignored(path) if self.file_ignores else ()
        severity = self.severity
        out = []
        for diagnostic in diagnostics:
            code = diagnostic.code
            if not code.startswith(_ALWAYS):
                if not self.selector.enabled(code):
                    continue
                if ignored and code.startswith(ignored):
                    continue
                override = severity.get(code) if severity else None
                if override is not None and override != diagnostic.severity:
                    diagnostic = dataclasses.replace(diagnostic, severity=override)
            out.append(diagnostic)
        out.sort(key=Diagnostic.sort_key)
        return out

    def unused(self, suppressor: Suppressor, *, final: bool) -> list[Finding]:
        """FL801 for the file's ``noqa`` comments that silenced nothing (each judged
        once; their spans are set)."""
        return suppressor.unused(
            self.known,
            self.checked,
            self.pending,
            every_check_ran=self.every_check_runs,
            final=final,
        )
