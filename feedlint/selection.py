"""Which codes a run reports: ``--select``/``--ignore`` by code or prefix, as ruff does.

The most specific entry wins (``--select FL1 --ignore FL103`` reports FL101 but not
FL103; ``--ignore FL1 --select FL103`` the other way round); on a tie, ignore wins.
"""

from __future__ import annotations

from collections.abc import Iterable


class CodeSelector:
    def __init__(self, select: Iterable[str], ignore: Iterable[str] = ()) -> None:
        self._select = tuple(s.upper() for s in select)
        self._ignore = tuple(s.upper() for s in ignore)
        self._cache: dict[str, bool] = {}

    def enabled(self, code: str) -> bool:
        try:
            return self._cache[code]
        except KeyError:
            pass
        best_select = max((len(p) for p in self._select if code.startswith(p)), default=-1)
        best_ignore = max((len(p) for p in self._ignore if code.startswith(p)), default=-1)
        result = best_select > best_ignore
        self._cache[code] = result
        return result

    def any_enabled(self, codes: Iterable[str]) -> bool:
        return any(self.enabled(code) for code in codes)
