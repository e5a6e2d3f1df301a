"""The reporter interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TextIO

if TYPE_CHECKING:
    from feedlint.results import RunResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    #: Print only the diagnostics, no summary.
    quiet: bool = False
    #: Warnings fail the run too (a JUnit test case fails on them).
    strict: bool = False
    #: How long the run took, in seconds, for formats that record it (JUnit).
    elapsed: float | None = None
    #: Files' bytes by the name they are reported under, besides the sources the
    #: run kept in its results; a reporter that shows a file's text shows only these.
    sources: Mapping[str, bytes] = field(default_factory=dict)


class Reporter(ABC):
    #: The reporter writes only what its stream can encode (the command line then
    #: leaves the stream's encoding alone; otherwise it makes machine formats UTF-8).
    adapts_to_encoding: ClassVar[bool] = False
    #: Bytes of each file's text the report shows at most, when it shows any: the
    #: run then keeps that much of what it read of each file with findings
    #: (:attr:`~feedlint.engine.FileResult.source`; a digest of any other), and
    #: the report never reads a file itself. None (most formats): the run keeps no
    #: text.
    source_limit: ClassVar[int | None] = None

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    @abstractmethod
    def write(self, result: RunResult, out: TextIO) -> None:
        """Render the whole run to ``out``."""


def kept_sources(
    result: RunResult, options: ReportOptions
) -> tuple[dict[str, bytes], list[str]]:
    """The bytes the lint read of each reported file, by the name it is reported
    under (``options.sources``, then each result's kept ``source``), and those of the
    files that got findings after their lint, read again by the linter
    (:meth:`~feedlint.results.RunResult.sources_again`); and the names of those read
    again that had changed since (not shown). Never a file opened by its path here.
    """
    sources = dict(options.sources)
    sources.update((f.path, f.source) for f in result.files if f.source is not None)
    changed = []
    for path, raw in result.sources_again(
        f for f in result.files if f.path not in sources
    ).items():
        if raw is None:
            changed.append(path)
        else:
            sources[path] = raw
    return sources, changed
