"""``--output-file``: the report is written whole or not at all.

It goes to a temporary file beside the target, which then replaces the target in
one step (``os.replace``): a reader never sees half a report, and an interrupted
run leaves the previous report in place. A file that existed keeps its
permissions; a new one gets the usual ones (0666 less the umask). Missing folders
are created. Text is UTF-8 with ``\\n`` line ends; a character UTF-8 cannot carry
(a lone surrogate from an undecodable file name) is written as a backslash escape.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import TextIO


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[TextIO]:
    """Open a stream whose text replaces ``path`` when the block ends without error."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder
    )
    try:
        with os.fdopen(
            descriptor, "w", encoding="utf-8", errors="backslashreplace", newline=""
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
