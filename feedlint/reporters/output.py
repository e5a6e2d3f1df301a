"""``--output-file``: the report is written whole or not at all, and only where asked.

It is written by :func:`feedlint.atomic.atomic_file`: a temporary file beside the
target, which then replaces the target in one step (``os.replace``): a reader
never sees half a report, and an interrupted run leaves the previous report in
place. A file that existed keeps its permissions; a new one gets the usual ones
(0666 less the umask). Text is UTF-8 with ``\\n`` line ends; a character UTF-8
cannot carry (a lone surrogate from an undecodable file name) is written as a
backslash escape.

The folder it goes to is checked, since the current folder is usually a checkout
of the files being linted, and a pull request can commit symbolic links:

- A symbolic link at the path itself is replaced by the report, never written
  through (its target is left as it was).
- Inside the current folder, missing folders are created; a folder on the way
  that is a symbolic link is followed only when it leads to a folder inside the
  current folder, else the report is refused.
- A path outside the current folder is the user's own choice and is used as
  given, but its folder must exist: nothing is created outside the current folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
from collections.abc import Iterator
from typing import TextIO

from feedlint.atomic import atomic_file, inside


class UnsafeOutputPath(OSError):
    """An ``--output-file`` feedlint will not write (the reason is the message)."""


def output_target(path: str) -> str:
    """Where the report named ``path`` is written: a resolved folder and the name.

    Creates the missing folders inside the current folder; raises
    :class:`UnsafeOutputPath` when the path leads outside it through a link, or
    names a missing folder outside it.
    """
    name = os.path.basename(path)
    if name in ("", os.curdir, os.pardir):
        raise UnsafeOutputPath(f"{path} names a folder, not a file")
    cwd = os.getcwd()
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        relative = absolute
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(
        relative
    ):
        folder = os.path.dirname(absolute)
        if not os.path.isdir(folder):
            raise UnsafeOutputPath(
                f"there is no folder {folder} (feedlint creates missing folders only "
                "inside the current folder)"
            )
        return os.path.join(folder, name)
    here = os.path.realpath(cwd)
    real = here
    walked = ""
    for part in relative.split(os.sep)[:-1]:
        walked = os.path.join(walked, part)
        step = os.path.join(real, part)
        try:
            info = os.lstat(step)
        except FileNotFoundError:
            os.mkdir(step)
            real = step
            continue
        if stat.S_ISLNK(info.st_mode):
            resolved = os.path.realpath(step)
            if not inside(resolved, here):
                raise UnsafeOutputPath(
                    f"{walked} is a symbolic link to {resolved}, outside the current "
                    "folder; feedlint does not write through it"
                )
            if not os.path.isdir(resolved):
                raise UnsafeOutputPath(f"{walked} is a symbolic link to no folder")
            real = resolved
        elif stat.S_ISDIR(info.st_mode):
            real = step
        else:
            raise UnsafeOutputPath(f"{walked} is not a folder")
    return os.path.join(real, name)


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[TextIO]:
    """Open a stream whose text replaces ``path`` when the block ends without error."""
    with atomic_file(output_target(path)) as raw:
        handle = io.TextIOWrapper(
            raw, encoding="utf-8", errors="backslashreplace", newline="", write_through=True
        )
        try:
            yield handle
            handle.flush()
        finally:
            handle.detach()
