"""feedlint: a linter for news article files.

The public API: lint articles from Python as the command line does.

>>> from feedlint import Linter, Settings
>>> result = Linter(Settings()).lint_bytes("a.md", b"---\\ntitle: x\\n---\\n")
>>> [d.code for d in result.diagnostics]
['FL101', 'FL101', 'FL101']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from feedlint.diagnostics import Diagnostic, Finding, Fix, Severity, Span
    from feedlint.document import Article, SourceMap
    from feedlint.engine import FileResult, Linter, RunResult
    from feedlint.parsed import ParseResult
    from feedlint.parsing import parse
    from feedlint.settings import Settings

#: Public name -> the module that defines it. Imported on first use (PEP 562):
#: ``feedlint merge`` or ``feedlint rules`` need no YAML parser, and
#: ``import feedlint.discovery`` no rules.
_EXPORTS = {
    "Article": "feedlint.document",
    "Diagnostic": "feedlint.diagnostics",
    "FileResult": "feedlint.engine",
    "Finding": "feedlint.diagnostics",
    "Fix": "feedlint.diagnostics",
    "Linter": "feedlint.engine",
    "ParseResult": "feedlint.parsed",
    "RunResult": "feedlint.engine",
    "Settings": "feedlint.settings",
    "Severity": "feedlint.diagnostics",
    "SourceMap": "feedlint.document",
    "Span": "feedlint.diagnostics",
    "parse": "feedlint.parsing",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'feedlint' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])

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
