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
    #: The current folder, read once (``os.path.abspath`` asks for it on every call).
    cwd: str = ""

    @classmethod
    def discover(cls) -> RepositoryPaths:
        return cls(find_root(), os.getcwd())

    def relative(self, path: str) -> str | None:
        """``path`` (as shown in diagnostics) relative to the root, or None when outside it."""
        if path == "-":
            return None
        prefix = self.root.rstrip(os.sep) + os.sep
        # The path as named first (a symlinked article stays where it is linked), then
        # resolved (a path named through a symlinked folder, or a root that is a link).
        absolute = os.path.normpath(os.path.join(self.cwd or os.getcwd(), path))
        if not absolute.startswith(prefix):
            absolute = os.path.realpath(path)
            if not absolute.startswith(prefix):
                return None
        return absolute[len(prefix):].replace(os.sep, "/")

    def for_annotation(self, path: str) -> str:
        """Repository-relative when inside the root, else absolute; forward slashes."""
        relative = self.relative(path)
        if relative is not None:
            return relative
        if path == "-":
            return path
        return os.path.abspath(path).replace(os.sep, "/")
