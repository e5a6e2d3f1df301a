"""Which codes a run reports: ``--select``/``--ignore`` by code or prefix, as ruff does.

The most specific entry wins (``--select FL1 --ignore FL103`` reports FL101 but not
FL103; ``--ignore FL1 --select FL103`` the other way round); on a tie, ignore wins.

:class:`FileIgnores` adds the configuration's ``per-file-ignores``: codes that are
not reported for the files a glob matches, whatever the selection says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


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


class FileIgnores:
    """``per-file-ignores``: glob -> codes or prefixes not reported for matching files.

    The globs mean what they mean in ``.gitignore`` (see :mod:`feedlint.globs`),
    matched against the file's path relative to ``root`` (the configuration file's
    folder, else the current folder): one without a ``/`` matches a file's or a
    folder's name at any depth, one with a ``/`` is anchored at ``root``, ``**``
    spans folders, and a glob that matches a folder covers everything in it.
    """

    def __init__(self, entries: Sequence[tuple[str, Sequence[str]]], root: str | None) -> None:
        from feedlint.globs import GlobTable

        self._table = GlobTable(
            [(pattern, tuple(c.upper() for c in codes)) for pattern, codes in entries], root
        )

    def __bool__(self) -> bool:
        return bool(self._table)

    def ignored(self, path: str) -> tuple[str, ...]:
        """The code prefixes not reported for ``path`` (empty when no glob matches)."""
        if not self._table:
            return ()
        return tuple(code for codes in self._table.values_for(path) for code in codes)
