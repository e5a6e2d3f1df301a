"""Output formats. ``REPORTERS`` doubles as the choices of ``--format``.

A reporter renders a finished :class:`~feedlint.engine.RunResult`; it never
decides what to report.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from feedlint.reporters._base import Reporter, ReportOptions

#: Format name -> (module, class). A reporter's module is imported when its format
#: is asked for: a run writes one format, and SARIF's or HTML's module alone costs
#: more start-up than a one-file check.
_CLASSES = {
    "text": ("feedlint.reporters.text", "TextReporter"),
    "full": ("feedlint.reporters.full", "FullReporter"),
    "json": ("feedlint.reporters.json", "JsonReporter"),
    "github": ("feedlint.reporters.github", "GithubReporter"),
    "sarif": ("feedlint.reporters.sarif", "SarifReporter"),
    "junit": ("feedlint.reporters.junit", "JunitReporter"),
    "html": ("feedlint.reporters.html", "HtmlReporter"),
}


class _Registry(Mapping[str, type[Reporter]]):
    """Format name -> reporter class, importing the class on first use."""

    def __getitem__(self, name: str) -> type[Reporter]:
        from importlib import import_module

        module, attribute = _CLASSES[name]
        found: type[Reporter] = getattr(import_module(module), attribute)
        return found

    def __contains__(self, name: object) -> bool:
        return name in _CLASSES

    def __iter__(self) -> Iterator[str]:
        return iter(_CLASSES)

    def __len__(self) -> int:
        return len(_CLASSES)


REPORTERS: Mapping[str, type[Reporter]] = _Registry()

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]
