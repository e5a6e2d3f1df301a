"""The one reader: a file's bytes, or why feedlint will not or cannot read them.

Every file feedlint lints is read here, once, and what is shown of it later (the
HTML report's source) is what was read here, or is read again here under the same
rules. Only regular files are read, except that a pipe or a character device
named on the command line is; a FIFO, socket or device found in a folder is
refused (FL013) and never opened; a file over the size limit is reported (FL010)
and not read. The walk (:mod:`feedlint.discovery`) has already refused symbolic
links that lead out of the linted folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import struct

from feedlint._hashing import blake2b
from feedlint.diagnostics import Finding, Span
from feedlint.discovery import Candidate
from feedlint.rules.file_syntax import FL010, FL013


def read_file(
    candidate: Candidate, limit: int, same_file: bytes | None = None
) -> bytes | Finding:
    """The file's bytes (at most ``limit`` plus one), or why they cannot be had.

    Only regular files are read, except that a pipe or a character device named
    on the command line is (``feedlint check <(git show HEAD:a.md)``). The file
    is opened non-blocking, so a FIFO with no writer cannot hang the run. With
    ``same_file`` (an :func:`identity`), only the file of that identity is read:
    checked before it is opened and again on what was opened.
    """
    path = candidate.path
    try:
        info = os.stat(path)
        if same_file is not None and identity(info) != same_file:
            return Finding(FL013, _NOT_THE_SAME, span=Span(1, 1, 1, 2))
        kind = _file_kind(info.st_mode)
        refusal = _refuse_kind(kind, candidate.explicit)
        if refusal:
            return Finding(FL013, refusal, span=Span(1, 1, 1, 2))
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            # Checked again on what was opened: the path may have been swapped.
            if same_file is not None and identity(info) != same_file:
                return Finding(FL013, _NOT_THE_SAME, span=Span(1, 1, 1, 2))
            refusal = _refuse_kind(_file_kind(info.st_mode), candidate.explicit)
            if refusal:
                return Finding(FL013, refusal, span=Span(1, 1, 1, 2))
            if stat.S_ISREG(info.st_mode):
                if info.st_size > limit:
                    return too_large(info.st_size, limit)
            else:
                _set_blocking(fd)
            return handle.read(limit + 1)
    except OSError as err:
        return Finding(FL013, _unreadable(path, err), span=Span(1, 1, 1, 2))


def too_large(size: int, limit: int) -> Finding:
    return Finding(
        FL010,
        f"the file is {size:,} bytes, over the limit of "
        f"{limit:,}; it was not parsed",
        span=Span(1, 1, 1, 2),
    )


def _file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _refuse_kind(kind: str | None, explicit: bool) -> str | None:
    if kind is None or explicit and kind in ("FIFO", "character device"):
        return None
    if kind == "folder":
        return "cannot read the file: it is a folder, not a file"
    return f"cannot read the file: it is a {kind}, not a regular file"


def _unreadable(path: str, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "cannot read the file: it is a symbolic link that leads back to itself"
    if isinstance(err, FileNotFoundError):
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"cannot read the file: it is a broken symbolic link (to {target})"
        return "cannot read the file: it no longer exists (removed during the run?)"
    if isinstance(err, IsADirectoryError):
        return "cannot read the file: it is a folder, not a file"
    return f"cannot read the file: {err.strerror or err}"


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

#: Bytes of a :func:`content_digest` (which opens a ``source_check``).
DIGEST_SIZE = 16
_NOT_THE_SAME = "cannot read the file again: it is no longer the file that was linted"


def identity(info: os.stat_result) -> bytes:
    """The file's device and inode numbers, packed."""
    return struct.pack("<QQ", info.st_dev % 2**64, info.st_ino % 2**64)


def source_check(candidate: Candidate, raw: bytes) -> bytes | None:
    """A ``source_check`` for ``raw`` read from ``candidate``, or None when the file
    cannot be read again (standard input, not a regular file, gone)."""
    if candidate.stdin_bytes is not None or candidate.error is not None:
        return None
    try:
        info = os.stat(candidate.path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return content_digest(raw) + identity(info)


def content_digest(raw: bytes) -> bytes:
    """What identifies a file's content: a BLAKE2b digest of :data:`DIGEST_SIZE` bytes
    (the result cache keys entries by it too)."""
    return blake2b(raw, digest_size=DIGEST_SIZE).digest()


def _set_blocking(fd: int) -> None:
    """Wait for a pipe's writer from here on (the open itself did not wait)."""
    with contextlib.suppress(AttributeError, OSError):  # not POSIX: nothing to do
        os.set_blocking(fd, True)
