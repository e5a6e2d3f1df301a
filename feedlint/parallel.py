"""Many files: through the result cache, in one process or several, in a stable order.

A run first asks the cache (in this process: a hit costs a read and a hash, far
less than handing the file to a worker). What is left is linted here when it is
little — starting workers costs more than linting a few dozen files — and
otherwise in ``jobs`` worker processes, each building its :class:`Linter` once.
Results come back in the candidates' order whatever the number of processes, so
the output of ``--jobs 4`` is byte for byte that of ``--jobs 1``.

Workers hand back :class:`~feedlint.engine.FileResult` objects: diagnostics and
the small facts that the checks across files need, never the parsed article.
"""

from __future__ import annotations

import itertools
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from feedlint.engine import FileResult, Linter, _crash_diagnostic

if TYPE_CHECKING:
    from feedlint.cache import ResultCache
    from feedlint.discovery import Candidate
    from feedlint.settings import Settings

#: Fewer files than this to lint (cache hits do not count) are linted in this
#: process. Measured on 2 cores (benchmarks/lint_bench.py --threshold, in one
#: process, start-up aside): 100 files take 64 ms alone and 71 ms with two
#: workers, 150 files 96 ms and 78 ms.
PARALLEL_THRESHOLD = 120
#: Files handed to a worker at a time (at most): fewer round trips, still balanced.
_MAX_CHUNK = 64


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


#: What the cache needs to store a result: the content digest and stat signature.
Stamp = tuple[bytes, bytes] | None


def _stat_signature(candidate: Candidate) -> bytes | None:
    """The file's stat signature (see :func:`feedlint.cache.signature`), or None when
    the cache must leave it alone: standard input, or not a regular file (a pipe
    named on the command line can be read only once)."""
    # Taken before the file is read: a write after it moves the change time, so the
    # stored signature can only be older than the content, never newer.
    from feedlint.cache import NO_SIGNATURE, signature

    if candidate.stdin_bytes is not None or candidate.error is not None:
        return None
    try:
        info = os.stat(candidate.path)
    except OSError:
        return NO_SIGNATURE  # reading it will say what is wrong
    if not stat.S_ISREG(info.st_mode):
        return None
    return signature(info, time.time_ns())


def lint_one(
    linter: Linter, candidate: Candidate, stamp_wanted: bool = False
) -> tuple[FileResult, Stamp]:
    """Read and lint one file; never raises. With ``stamp_wanted``, also the digest
    and stat signature of what was linted (None for standard input, a file that
    is not a regular file, or an unreadable one)."""
    try:
        file_signature = _stat_signature(candidate) if stamp_wanted else None
        raw = linter.read(candidate)
        if isinstance(raw, FileResult):
            return raw, None
        stamp: Stamp = None
        if file_signature is not None:
            from feedlint.cache import content_digest

            stamp = (content_digest(raw), file_signature)
        return linter.lint_raw(candidate, raw), stamp
    except Exception as err:  # noqa: BLE001 - one file's failure must not stop the run
        crash = _crash_diagnostic(candidate.display, "feedlint", err)
        return FileResult(candidate.display, [crash]), None


def _look_up(linter: Linter, candidate: Candidate, cache: ResultCache) -> FileResult | None:
    """The cached result of one file, or None when it must be linted."""
    try:
        file_signature = _stat_signature(candidate)
        if file_signature is None:
            return None
        unchanged = cache.get_unchanged(candidate, file_signature)
        if unchanged is not None:
            return unchanged
        raw = linter.read(candidate)
        if isinstance(raw, FileResult):
            return raw  # unreadable or too large: that is its whole result
        from feedlint.cache import content_digest

        return cache.get(candidate, content_digest(raw), file_signature)
    except Exception:  # noqa: BLE001 - lint_one will report it
        return None


def lint_many(
    linter: Linter,
    candidates: Sequence[Candidate],
    *,
    jobs: int = 1,
    cache: ResultCache | None = None,
) -> Iterator[FileResult]:
    """One result per candidate, in the candidates' order; new results go to the cache."""
    if cache is not None and not cache.is_empty():
        done: list[FileResult | None] = [_look_up(linter, c, cache) for c in candidates]
    else:
        done = [None] * len(candidates)
    todo = [c for c, result in zip(candidates, done, strict=True) if result is None]
    stamp_wanted = cache is not None

    pool = None
    fresh: Iterator[tuple[FileResult, Stamp]]
    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD:
        fresh = (lint_one(linter, c, stamp_wanted) for c in todo)
    else:
        # The first file is linted here before the workers start: what a first
        # file sets up once (the YAML parser's import, the Public Suffix List,
        # compiled patterns, memos) is then inherited by forked workers instead of
        # being set up again in each of them.
        first = lint_one(linter, todo[0], stamp_wanted)
        pool = _start_pool(linter, min(jobs, len(todo) - 1), stamp_wanted)
        chunk = max(1, min(_MAX_CHUNK, len(todo) // (jobs * 8)))
        fresh = itertools.chain([first], pool.imap(_work, todo[1:], chunksize=chunk))
    try:
        for candidate, result in zip(candidates, done, strict=True):
            if result is None:
                result, stamp = next(fresh)
                # A worker's result comes with its own copy of the path: keep the
                # candidate's (one string per file, not two, in a long run).
                if result.path == candidate.display:
                    result.path = candidate.display
                if cache is not None and stamp is not None:
                    from feedlint.cache import cacheable

                    if cacheable(result):
                        cache.stage(candidate, *stamp, result)
            yield result
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if cache is not None:
            cache.flush()


# -- workers ---------------------------------------------------------------

#: This process's linter and whether to stamp what it lints, in a worker.
_WORKER: tuple[Linter, bool] | None = None
#: The parent's linter, seen by a forked worker (a spawned one builds its own).
_PARENT: Linter | None = None


def _start_pool(linter: Linter, processes: int, stamp_wanted: bool) -> _Pool:
    import multiprocessing

    global _PARENT
    # fork shares the parent's imported modules and compiled schema; elsewhere (or
    # where fork is not offered) workers start fresh and build their own.
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    _PARENT = linter
    if linter.schema_enabled:
        linter.schema.fast  # noqa: B018 - compiled once here, shared by forked workers
    return context.Pool(
        processes, initializer=_init_worker, initargs=(linter.settings, stamp_wanted)
    )


def _init_worker(settings: Settings, stamp_wanted: bool) -> None:
    global _WORKER
    if _PARENT is not None and _PARENT.settings == settings:
        _WORKER = (_PARENT, stamp_wanted)
    else:
        _WORKER = (Linter(settings), stamp_wanted)


def _work(candidate: Candidate) -> tuple[FileResult, Stamp]:
    assert _WORKER is not None
    linter, stamp_wanted = _WORKER
    return lint_one(linter, candidate, stamp_wanted)


if TYPE_CHECKING:
    from multiprocessing.pool import Pool as _Pool
