"""Paths as CI systems want them: relative to the repository's root, with forward slashes.

GitHub (annotations and code scanning) places a result by its path from the root
of the checkout, whatever folder feedlint ran in. The root is ``$GITHUB_WORKSPACE``
when set, otherwise the nearest folder at or above the current one that holds
``.git`` (a folder, or a file in a worktree), otherwise the current folder. It is
found once per run. A file outside the root keeps its absolute path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def find_root(cwd: str | None = None) -> str:
    """The folder that repository-relative paths are relative to."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and os.path.isdir(workspace):
        return os.path.realpath(workspace)
    start = os.path.realpath(cwd or os.getcwd())
    current = start
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return start
        current = parent


@dataclass(frozen=True)
class RepositoryPaths:
    root: str

    @classmethod
    def discover(cls) -> RepositoryPaths:
        return cls(find_root())

    def relative(self, path: str) -> str | None:
        """``path`` (as shown in diagnostics) relative to the root, or None when outside it."""
        if path == "-":
            return None
        # The path as named first (a symlinked article stays where it is linked),
        # then resolved (a path named through a symlinked folder).
        for absolute in (os.path.abspath(path), os.path.realpath(path)):
            try:
                relative = os.path.relpath(absolute, self.root)
            except ValueError:  # another drive on Windows
                continue
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return relative.replace(os.sep, "/")
        return None

    def for_annotation(self, path: str) -> str:
        """Repository-relative when inside the root, else absolute; forward slashes."""
        relative = self.relative(path)
        if relative is not None:
            return relative
        if path == "-":
            return path
        return os.path.abspath(path).replace(os.sep, "/")
