"""Which codes a run reports: ``--select``/``--ignore`` by code or prefix, as ruff does.

The most specific entry wins (``--select FL1 --ignore FL103`` reports FL101 but not
FL103; ``--ignore FL1 --select FL103`` the other way round); on a tie, ignore wins.

:class:`FileIgnores` adds the configuration's ``per-file-ignores``: codes that are
not reported for the files a glob matches, whatever the selection says.
"""

from __future__ import annotations

import os
import re
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


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over ``/``-separated paths.

    ``*`` and ``?`` stay within one path segment, ``**/`` spans any number of
    folders (none included), ``[abc]``/``[!abc]`` are character classes.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = pattern.find("]", i + 2)
            if close == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


class FileIgnores:
    """``per-file-ignores``: glob -> codes or prefixes not reported for matching files.

    A glob holding a ``/`` is matched against the file's path relative to ``root``
    (the configuration file's folder), or against its absolute path when the glob
    is absolute. A glob with no ``/`` is matched against the file's name and each
    of its folders' names. A glob that matches a folder covers everything in it.
    """

    def __init__(self, entries: Sequence[tuple[str, Sequence[str]]], root: str | None) -> None:
        self._root = os.path.abspath(root or os.curdir)
        self._entries: list[tuple[re.Pattern[str], bool, bool, tuple[str, ...]]] = []
        for pattern, codes in entries:
            trimmed = pattern.rstrip("/") or pattern
            anchored = "/" in trimmed
            absolute = trimmed.startswith("/")
            prefixes = tuple(c.upper() for c in codes)
            self._entries.append((glob_regex(trimmed), anchored, absolute, prefixes))

    def __bool__(self) -> bool:
        return bool(self._entries)

    def ignored(self, path: str) -> tuple[str, ...]:
        """The code prefixes not reported for ``path`` (empty when no glob matches)."""
        if not self._entries:
            return ()
        absolute = os.path.abspath(path).replace(os.sep, "/")
        relative = os.path.relpath(absolute, self._root).replace(os.sep, "/")
        parts = relative.split("/")
        found: list[str] = []
        for regex, anchored, is_absolute, prefixes in self._entries:
            if anchored:
                target = absolute if is_absolute else relative
                segments = target.split("/")
                hit = any(
                    regex.match("/".join(segments[:end])) for end in range(len(segments), 0, -1)
                )
            else:
                hit = any(regex.match(part) for part in parts)
            if hit:
                found.extend(prefixes)
        return tuple(found)
