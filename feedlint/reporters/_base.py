"""The reporter interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from feedlint.engine import RunResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    #: Print only the diagnostics, no summary.
    quiet: bool = False
    #: Warnings fail the run too (a JUnit test case fails on them).
    strict: bool = False
    #: How long the run took, in seconds, for formats that record it (JUnit).
    elapsed: float | None = None


class Reporter(ABC):
    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    @abstractmethod
    def write(self, result: RunResult, out: TextIO) -> None:
        """Render the whole run to ``out``."""
