"""The paths git tracks in a repository, read from its index file.

``.gitignore`` never hides a tracked file from git: ``git add`` and ``git commit``
go on shipping it. The walk follows git: a file the index lists is linted even
where a ``.gitignore`` pattern matches it, so a pull request cannot hide its
articles from the check by committing a ``.gitignore`` of ``*.md``.

The index is read here, not by running ``git ls-files``: git reads the
repository's own configuration, which can name programs to run (a file system
monitor, for one), and the tree being linted is not trusted. Versions 2, 3 and 4
of the format are read (``Documentation/gitformat-index.txt`` in git's sources);
anything else, or a damaged index, reads as "nothing is tracked", which is what
the walk assumed before.
"""

from __future__ import annotations

import os
import stat
import struct

#: A larger index is not read (100,000 tracked files make about 10 MB).
MAX_INDEX_SIZE = 256 * 1024 * 1024
_HEADER = struct.Struct(">4sII")
#: ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), object id.
_STAT_DATA = 40 + 20
_EXTENDED = 0x4000


def index_path(repository: str) -> str | None:
    """The index of the repository whose top folder is ``repository``, or None."""
    dot_git = os.path.join(repository, ".git")
    if os.path.isdir(dot_git):
        return os.path.join(dot_git, "index")
    try:  # a worktree or a submodule: ".git" is a file naming the real folder
        with open(dot_git, "rb") as handle:
            text = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    folder = text[len("gitdir:") :].strip()
    return os.path.join(repository, folder, "index")


def tracked_paths(index_file: str) -> frozenset[str]:
    """The tracked paths (``/``-separated, relative to the repository's top folder;
    a folder that a sparse index keeps whole ends with ``/``).

    Empty when the index cannot be read or is not one this reader knows.
    """
    try:
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(index_file, flags)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INDEX_SIZE:
                return frozenset()
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_INDEX_SIZE + 1)
        finally:
            os.close(fd)
    except OSError:
        return frozenset()
    try:
        return frozenset(_entries(data))
    except (ValueError, struct.error, IndexError, UnicodeDecodeError):
        return frozenset()


def _entries(data: bytes) -> list[str]:
    signature, version, count = _HEADER.unpack_from(data, 0)
    if signature != b"DIRC" or version not in (2, 3, 4):
        raise ValueError("not an index this reader knows")
    pos = _HEADER.size
    paths: list[str] = []
    previous = b""
    for _ in range(count):
        start = pos
        (flags,) = struct.unpack_from(">H", data, pos + _STAT_DATA)
        pos += _STAT_DATA + 2
        if version >= 3 and flags & _EXTENDED:
            pos += 2
        if version == 4:
            strip, pos = _varint(data, pos)
            end = data.index(b"\0", pos)
            if strip > len(previous):
                raise ValueError("bad prefix length")
            name = previous[: len(previous) - strip] + data[pos:end]
            pos = end + 1
        else:
            end = data.index(b"\0", pos)
            name = data[pos:end]
            # Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
            pos = start + ((end - start) // 8 + 1) * 8
        previous = name
        paths.append(name.decode("utf-8", "surrogateescape"))
    return paths


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """git's offset encoding (each continuation adds one before shifting)."""
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, pos


class Tracked:
    """The tracked files of one repository, and the folders that hold them; read on
    first use."""

    def __init__(self, repository: str) -> None:
        self.repository = repository
        self._files: frozenset[str] | None = None
        self._folders: frozenset[str] = frozenset()

    def _load(self) -> frozenset[str]:
        if self._files is None:
            found = index_path(self.repository)
            self._files = tracked_paths(found) if found else frozenset()
            folders = {path.rstrip("/") for path in self._files if path.endswith("/")}
            for path in self._files:
                cut = path.rstrip("/").rfind("/")
                while cut > 0 and path[:cut] not in folders:
                    folders.add(path[:cut])
                    cut = path.rfind("/", 0, cut)
            self._folders = frozenset(folders)
        return self._files

    def holds(self, path: str, is_dir: bool) -> bool:
        """Whether git tracks the file ``path``, or some file inside the folder ``path``."""
        relative = os.path.relpath(path, self.repository).replace(os.sep, "/")
        if relative.startswith("../"):
            return False
        files = self._load()
        return relative in (self._folders if is_dir else files)
