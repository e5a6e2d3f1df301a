"""Writing a file whole or not at all, and never through a symbolic link.

Every file feedlint writes (a fixed article, a report) is written the same way: to
a new temporary file in the folder of ``path`` (created exclusively, so nothing
already there is opened), flushed to disk, given its permissions, then renamed
over ``path`` in one step (``os.replace``). A reader sees the old file or the new
one, never half of one; a write that fails or is interrupted leaves the old file
as it was and no temporary file behind.

The rename replaces the directory entry ``path`` itself: when ``path`` is a
symbolic link, the link is replaced by the new file and its target is left
untouched. A caller that means to write a link's target (``--fix`` keeps a link a
link) resolves it first, and decides whether that target may be written.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from typing import BinaryIO

#: Part of every temporary file's name (``.NAME.feedlint-tmp.XXXXXXXX.tmp``).
TEMPORARY_MARK = "feedlint-tmp"


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file_mode(path: str) -> int:
    """The permissions a file written at ``path`` gets: those of the regular file
    there now (never read through a link), else 0666 less the umask."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    return 0o666 & ~current_umask()


@contextlib.contextmanager
def atomic_file(
    path: str,
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    sync: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> Iterator[BinaryIO]:
    """A binary stream whose bytes replace ``path`` when the block ends without error.

    ``mode``: the new file's permissions (default: :func:`new_file_mode`).
    ``owner``: (uid, gid) to give it, when allowed. ``sync``: flush the file and the
    rename to disk. ``before_replace``: called after the data is written, just
    before the rename; an exception from it leaves ``path`` as it was.
    """
    folder, name = os.path.split(path)
    folder = folder or os.curdir
    if mode is None:
        mode = new_file_mode(path)
    # Made here rather than by tempfile (whose import costs a one-file run more than
    # the write): a random name, created exclusively, never following a link.
    temporary = os.path.join(folder, f".{name}.{TEMPORARY_MARK}.{os.urandom(6).hex()}.tmp")
    fd = os.open(
        temporary,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
        0o600,
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            if owner is not None and owner != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):
                    os.fchown(handle.fileno(), *owner)
            if sync:
                os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if sync:
        _sync_folder(folder)


def write_atomically(
    path: str,
    data: bytes,
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    sync: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` by a file holding ``data`` (see :func:`atomic_file`)."""
    with atomic_file(path, mode=mode, owner=owner, sync=sync,
                     before_replace=before_replace) as handle:
        handle.write(data)


class UnsafeFolderError(OSError):
    """A folder feedlint will not write in; its text says which one and why."""


def shown(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    return os.path.relpath(absolute, here) if inside(absolute, here) else absolute


def safe_folder(path: str | os.PathLike[str], *, advice: str = "") -> str:
    """Make the folder ``path`` ready to write in, through no symbolic link; return it
    as an absolute path.

    Inside the current folder (the tree being linted, which anyone may have
    written), every component down to ``path`` must be a real folder, and the
    missing ones are made there one by one: a committed ``.feedlint_cache ->
    /elsewhere`` would send writes out of the tree. A folder outside it was named
    by the user (``--cache-dir``, the environment): its parents are taken as they
    are (made if missing), and only the folder itself must not be a link. Raises
    :class:`UnsafeFolderError` naming the folder refused and why (``advice`` says
    what to do instead), or OSError when a folder cannot be made.
    """
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if not inside(absolute, here):
        os.makedirs(os.path.dirname(absolute), exist_ok=True)
        _real_folder(absolute, advice)
        return absolute
    current = here
    for part in os.path.relpath(absolute, here).split(os.sep):
        if part in ("", os.curdir):
            continue
        current = os.path.join(current, part)
        _real_folder(current, advice)
    return absolute


def _real_folder(path: str, advice: str) -> None:
    """Make the folder ``path`` (its parent exists) unless it is there; refuse it when
    it is a symbolic link or not a folder."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
        info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolderError(
            f"{shown(path)} is a symbolic link, and feedlint never writes through one"
            + (f" ({advice})" if advice else "")
        )
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolderError(f"{shown(path)} is not a folder")


def inside(path: str, folder: str) -> bool:
    """True when the real path ``path`` is ``folder`` or below it (both resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (best effort: not every system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
