"""What a run found: one :class:`FileResult` per file, gathered in a :class:`RunResult`.

The types every layer above the pipeline hands along (the runner, the cache, the
worker processes, fixes, the probe, the reporters); this module depends on no
other part of feedlint but the diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from feedlint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from feedlint.fixing import FixReport
    from feedlint.suppression import Suppressor


@dataclass(slots=True)
class FileResult:
    """What one file gave: its diagnostics, and facts kept for checks across files."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: A file found by walking a folder that turned out not to be an article.
    skipped: bool = False
    #: Rule module name -> what its ``collect`` kept of this file.
    facts: dict[str, Any] = field(default_factory=dict)
    #: The file's ``noqa`` directives, kept until the checks across files have run.
    suppressor: Suppressor | None = None
    #: What ``--fix``/``--diff`` did to this file.
    fixing: FixReport | None = None
    #: A check that reads the clock reported something: the result may change
    #: with time alone, so the result cache does not keep it.
    clock_dependent: bool = False
    #: The bytes the diagnostics were found in, as read for the lint (at most
    #: ``Linter.source_limit`` of them); kept only when a reporter shows a
    #: file's text (``--format html``), which must never open the file again, and
    #: only for a file that had diagnostics when its lint ended.
    source: bytes | None = None
    #: Instead of :attr:`source`, for a file without diagnostics when its lint
    #: ended: the BLAKE2b digest (16 bytes) of the bytes linted, then the device
    #: and inode numbers of the file they were read from. Should the checks across
    #: files or the link probe give it findings, the report reads it again
    #: (``Linter.read_again`` in :mod:`feedlint.engine`) and shows it only if it is
    #: still that file, holding those bytes.
    source_check: bytes | None = None


@dataclass(slots=True)
class RunResult:
    files: list[FileResult]
    #: Reads again, for a report that shows files' text, the files given that got
    #: findings after their lint (``Linter.sources_again``); set by
    #: ``Linter.run`` when the run keeps sources.
    rereader: Callable[[Iterable[FileResult]], dict[str, bytes | None]] | None = field(
        default=None, repr=False, compare=False
    )

    def sources_again(self, files: Iterable[FileResult]) -> dict[str, bytes | None]:
        """``Linter.sources_again`` for ``files``, when the run can say."""
        return {} if self.rereader is None else self.rereader(files)

    @property
    def files_checked(self) -> int:
        return len(self.files)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [d for f in self.files for d in f.diagnostics]
        found.sort(key=Diagnostic.sort_key)
        return found

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.files for d in f.diagnostics if d.severity == severity)

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.files for d in f.diagnostics if d.code.startswith("FL9"))
