"""feedlint: a linter for news article files.

The public API: lint articles from Python as the command line does.

>>> from feedlint import Linter, Settings
>>> result = Linter(Settings()).lint_bytes("a.md", b"---\\ntitle: x\\n---\\n")
>>> [d.code for d in result.diagnostics]
['FL101', 'FL101', 'FL101']
"""

from __future__ import annotations

__version__ = "0.1.0"

from feedlint.diagnostics import Diagnostic, Finding, Fix, Severity, Span
from feedlint.document import Article, SourceMap
from feedlint.engine import FileResult, Linter, RunResult
from feedlint.parsing import ParseResult, parse
from feedlint.settings import Settings

__all__ = [
    "Article",
    "Diagnostic",
    "FileResult",
    "Finding",
    "Fix",
    "Linter",
    "ParseResult",
    "RunResult",
    "Settings",
    "Severity",
    "SourceMap",
    "Span",
    "__version__",
    "parse",
]
