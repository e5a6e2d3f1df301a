"""The globs of the configuration (``exclude``, ``extend-exclude``, ``include``,
``per-file-ignores``): one meaning for all of them, that of ``.gitignore``.

They are read by pathspec's ``.gitignore`` patterns (:class:`pathspec.GitIgnoreSpec`,
the same engine that reads the ``.gitignore`` files of a walk):

- ``*`` and ``?`` stay within one folder name; ``**`` spans folders
  (``archive/**``, ``**/legacy/*.md``, ``a/**/b``); ``[abc]`` is a character class;
- a glob without a ``/`` (but for a trailing one) matches a file's or a folder's
  name at any depth (``drafts``, ``*.draft.md``);
- a glob with a ``/`` in its middle or at its start is anchored at the root
  (``news/drafts``, ``/top.md``): the configuration file's folder, or the current
  folder when there is no configuration file;
- a trailing ``/`` matches folders only (``drafts/``);
- a glob that matches a folder matches everything in it;
- ``!`` negates, as in ``.gitignore``: the last glob that matches a path decides.

A path is matched by its path relative to the root, ``/``-separated; a path
outside the root keeps its leading ``../`` (so only globs without a ``/`` can
match it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any


class GlobError(ValueError):
    """A glob that cannot be read (a trailing backslash, a lone ``!``)."""


def _line(pattern: str) -> str:
    """The ``.gitignore`` line for a glob of the configuration: a glob starting with
    ``#`` is a name starting with ``#``, not a comment."""
    return "\\" + pattern if pattern.startswith("#") else pattern


def _spec(patterns: Iterable[str]) -> Any:
    import pathspec

    lines = [_line(p) for p in patterns]
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception as err:  # noqa: BLE001 - pathspec's own error classes vary by version
        bad = next((line for line in lines if not _readable(pathspec, line)), None)
        shown = bad if bad is not None else ", ".join(lines)
        raise GlobError(f"{shown!r} is not a glob pattern ({err})") from None


def _readable(pathspec: Any, line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except Exception:  # noqa: BLE001
        return False
    return True


def gitignore_spec(lines: Sequence[str]) -> Any:
    """The patterns of a ``.gitignore`` file's ``lines`` (comments and all, as git
    reads them); a line pathspec cannot read is skipped, as git skips it, and the
    rest are kept."""
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # noqa: BLE001 - a bad pattern must not stop the run
        return pathspec.GitIgnoreSpec.from_lines(
            [line for line in lines if _readable(pathspec, line)]
        )


def check_glob(pattern: str) -> str | None:
    """Why ``pattern`` is not a glob feedlint can read, or None when it is."""
    try:
        _spec([pattern])
    except GlobError as err:
        return str(err)
    return None


def relative_to(root: str, path: str) -> str:
    """``path`` relative to the absolute folder ``root``, ``/``-separated (the path as
    globs see it)."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


class Globs:
    """A list of globs matched together: the last that matches a path decides
    (``!`` negates). Empty, it matches nothing (and pathspec is never imported)."""

    __slots__ = ("_spec_or_none", "patterns", "root")

    def __init__(self, patterns: Sequence[str], root: str | None = None) -> None:
        self.patterns = tuple(patterns)
        #: The folder relative globs are anchored at (absolute).
        self.root = os.path.abspath(root or os.curdir)
        self._spec_or_none: Any = _spec(self.patterns) if self.patterns else None

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match_relative(self, relative: str, *, is_dir: bool = False) -> bool:
        """Whether the globs match the path ``relative`` (to :attr:`root`,
        ``/``-separated); ``is_dir`` says it is a folder (for globs ending in ``/``)."""
        spec = self._spec_or_none
        if spec is None:
            return False
        if is_dir and not relative.endswith("/"):
            relative += "/"
        return bool(spec.match_file(relative))

    def match(self, path: str, *, is_dir: bool = False) -> bool:
        """Whether the globs match ``path`` (absolute, or relative to the current
        folder)."""
        if self._spec_or_none is None:
            return False
        return self.match_relative(relative_to(self.root, path), is_dir=is_dir)


class GlobTable:
    """Globs each paired with a value (``per-file-ignores``: glob -> codes); each glob
    is matched on its own."""

    __slots__ = ("entries", "root")

    def __init__(self, entries: Sequence[tuple[str, Any]], root: str | None = None) -> None:
        self.root = os.path.abspath(root or os.curdir)
        self.entries = [(Globs([pattern], self.root), value) for pattern, value in entries]

    def __bool__(self) -> bool:
        return bool(self.entries)

    def values_for(self, path: str) -> list[Any]:
        """The values of the globs that match ``path``, in the table's order."""
        if not self.entries:
            return []
        relative = relative_to(self.root, path)
        return [value for globs, value in self.entries if globs.match_relative(relative)]


__all__ = ["GlobError", "GlobTable", "Globs", "check_glob", "gitignore_spec", "relative_to"]
