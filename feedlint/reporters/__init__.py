"""Output formats. ``REPORTERS`` doubles as the choices of ``--format``.

A reporter renders a finished :class:`~feedlint.engine.RunResult`; it never
decides what to report.
"""

from __future__ import annotations

from feedlint.reporters._base import Reporter, ReportOptions
from feedlint.reporters.github import GithubReporter
from feedlint.reporters.html import HtmlReporter
from feedlint.reporters.json import JsonReporter
from feedlint.reporters.junit import JunitReporter
from feedlint.reporters.sarif import SarifReporter
from feedlint.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
    "html": HtmlReporter,
}

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]
