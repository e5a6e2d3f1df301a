"""Many files: through the result cache, in one process or several, in a stable order.

A run first asks the cache (in this process: a hit costs a read and a hash, far
less than handing the file to a worker). What is left is linted here when it is
little — starting workers costs more than linting a few dozen files — and
otherwise in ``jobs`` worker processes: forked from this one where fork is
offered (they inherit its :class:`Linter`), started and each building its own
elsewhere.
Results come back in the candidates' order whatever the number of processes, so
the output of ``--jobs 4`` is byte for byte that of ``--jobs 1``.

Workers hand back :class:`~feedlint.engine.FileResult` objects: diagnostics and
the small facts that the checks across files need, never the parsed article.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from feedlint.discovery import Candidate
from feedlint.placing import crash_diagnostic
from feedlint.results import FileResult

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from feedlint.cache import ResultCache
    from feedlint.engine import Linter
    from feedlint.schema import ArticleSchema
    from feedlint.settings import Settings

#: Fewer files than this to lint (cache hits do not count) are linted in this
#: process. Measured on 2 cores (benchmarks/lint_bench.py --threshold, in one
#: process, start-up aside): 25 files take 11 ms alone and 16 ms with two
#: workers, 50 files 25 ms and 21 ms, 100 files 45 ms and 41 ms.
PARALLEL_THRESHOLD = 60
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
            from feedlint.reading import content_digest

            stamp = (content_digest(raw), file_signature)
        return linter.lint_raw(candidate, raw), stamp
    except Exception as err:  # noqa: BLE001 - one file's failure must not stop the run
        crash = crash_diagnostic(candidate.display, "feedlint", err)
        return FileResult(candidate.display, [crash]), None


def _look_up(linter: Linter, candidate: Candidate, cache: ResultCache) -> FileResult | None:
    """The cached result of one file, or None when it must be linted.

    When the run keeps sources (a report that shows files' text), a hit is taken
    only on the file's content, read here through :meth:`Linter.read` with the
    walk's rules: the result then keeps what a fresh lint's would (the bytes, or
    for a file without findings their digest: see :meth:`Linter.keep_source`).
    """
    try:
        file_signature = _stat_signature(candidate)
        if file_signature is None:
            return None
        if linter.source_limit is None:
            unchanged = cache.get_unchanged(candidate, file_signature)
            if unchanged is not None:
                return unchanged
        raw = linter.read(candidate)
        if isinstance(raw, FileResult):
            return raw  # unreadable or too large: that is its whole result
        from feedlint.reading import content_digest

        hit = cache.get(candidate, content_digest(raw), file_signature)
        if hit is not None:
            linter.keep_source(hit, raw, candidate)
        return hit
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

    workers: _Forked | _Pooled | None = None
    fresh: Iterator[tuple[FileResult, Stamp]]
    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD:
        fresh = (lint_one(linter, c, stamp_wanted) for c in todo)
    else:
        # The first file is linted here before the workers start: what a first
        # file sets up once (the YAML parser's import, the Public Suffix List,
        # compiled patterns, memos) is then inherited by forked workers instead of
        # being set up again in each of them.
        first = lint_one(linter, todo[0], stamp_wanted)
        processes = min(jobs, len(todo) - 1)
        kind = _Forked if _CAN_FORK else _Pooled
        workers = kind(linter, todo[1:], processes, stamp_wanted)
        fresh = itertools.chain([first], workers.results())
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
        if workers is not None:
            workers.close()
        if cache is not None:
            cache.flush()


# -- workers ---------------------------------------------------------------

#: Where workers are forked (they inherit this process's modules, compiled schema
#: and the list of files, nothing is sent to them); elsewhere a pool of started
#: processes, each building its own linter.
_CAN_FORK = sys.platform == "linux"


def _chunk_size(files: int, processes: int) -> int:
    """Files per piece of work: few round trips, and a balanced end."""
    return max(1, min(_MAX_CHUNK, files // (processes * 8)))


class _Forked:
    """Worker processes forked from this one. Each takes the next chunk of files
    from a shared counter, lints it, and sends the results back through its own
    pipe; :meth:`results` puts them back in order.

    Nothing but results crosses a pipe (a chunk at a time), and no thread runs
    here: multiprocessing's Pool costs this process about 35 µs of CPU per file,
    on a 2-core machine CPU taken from the workers.
    """

    def __init__(
        self, linter: Linter, todo: Sequence[Candidate], processes: int, stamp_wanted: bool
    ) -> None:
        import gc
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._linter = linter
        self._files = _Files(todo)
        self._stamp_wanted = stamp_wanted
        self._size = _chunk_size(self._files.count, processes)
        self._chunks = -(-self._files.count // self._size)
        # Worker k starts with chunk k (so that each has a share, however the
        # processes are scheduled), then takes the next one not taken.
        self._next = context.Value("q", processes)
        self._readers: list[Connection] = []
        self._pids: list[int] = []
        linter.schema.fast  # noqa: B018 - compiled once here, shared by the workers
        # Objects made so far are left alone by the workers' garbage collector: its
        # passes would otherwise write to, and so copy, every page they share.
        gc.freeze()
        try:
            for worker in range(processes):
                reader, writer = context.Pipe(duplex=False)
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the worker (coverage sees the parent)
                    self._serve(reader, writer, worker)
                writer.close()
                self._readers.append(reader)
                self._pids.append(pid)
        except BaseException:
            self.close()
            raise
        finally:
            gc.unfreeze()

    def _serve(self, reader: Connection, writer: Connection, index: int) -> None:
        """The worker's whole life, from chunk ``index`` on: it never returns into
        the caller's code."""
        code = 1
        try:
            reader.close()
            for other in self._readers:
                other.close()
            while index < self._chunks:
                writer.send((index, self._lint_chunk(index)))
                with self._next.get_lock():
                    index = self._next.value
                    self._next.value = index + 1
            writer.close()
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent lints what went missing
            pass
        finally:
            os._exit(code)

    def _lint_chunk(self, index: int) -> list[tuple[FileResult, Stamp]]:
        """The results of chunk ``index`` (in a worker; here for a chunk whose
        worker died)."""
        start = index * self._size
        return [
            lint_one(self._linter, self._files.candidate(at), self._stamp_wanted)
            for at in range(start, min(start + self._size, self._files.count))
        ]

    def results(self) -> Iterator[tuple[FileResult, Stamp]]:
        """Every file's result, in order, as the chunks come in."""
        from multiprocessing.connection import Connection, wait

        arrived: dict[int, list[tuple[FileResult, Stamp]]] = {}
        for index in range(self._chunks):
            while index not in arrived and self._readers:
                for reader in wait(self._readers):
                    assert isinstance(reader, Connection)
                    try:
                        got, results = reader.recv()  # a chunk's index and results
                    except (EOFError, OSError):
                        self._readers.remove(reader)  # done, or gone
                        continue
                    arrived[got] = results
            chunk = arrived.pop(index, None)
            if chunk is None:
                # A worker died with this chunk (killed, out of memory): lint it here.
                chunk = self._lint_chunk(index)
            yield from chunk

    def close(self) -> None:
        """Stop the workers that are still running, and reap them all."""
        import signal

        for reader in self._readers:
            reader.close()
        self._readers.clear()
        for pid in self._pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self._pids.clear()


class _Files:
    """The files to lint, for forked workers to read without touching the objects.

    A worker that read the :class:`Candidate` objects it inherited would write to
    each (Python counts references in the object itself), and so copy every
    page holding one: 20 MB more per 100,000 files. The paths are kept here as
    one string each for all files, with their offsets and flags in arrays, and
    a worker builds its own :class:`Candidate` for each file. The rare file that
    carries more (standard input, an error found while walking) is kept as is.
    """

    def __init__(self, todo: Sequence[Candidate]) -> None:
        from array import array

        self.count = len(todo)
        self._paths = "\0".join(c.path for c in todo)
        same = all(c.display == c.path for c in todo)
        self._displays = None if same else "\0".join(c.display for c in todo)
        self._path_ends = array("q", itertools.accumulate(len(c.path) + 1 for c in todo))
        self._display_ends = None if same else array(
            "q", itertools.accumulate(len(c.display) + 1 for c in todo)
        )
        self._flags = bytes(c.explicit | c.bare << 1 for c in todo)
        self._special = {
            at: c for at, c in enumerate(todo) if c.error is not None or c.stdin_bytes is not None
        }

    def candidate(self, at: int) -> Candidate:
        """The file at position ``at``, as a new object."""
        special = self._special.get(at)
        if special is not None:
            return special
        start = self._path_ends[at - 1] if at else 0
        path = self._paths[start : self._path_ends[at] - 1]
        display = path
        if self._displays is not None and self._display_ends is not None:
            start = self._display_ends[at - 1] if at else 0
            display = self._displays[start : self._display_ends[at] - 1]
        flags = self._flags[at]
        return Candidate(path, display, explicit=bool(flags & 1), bare=bool(flags & 2))


class _Pooled:
    """Where fork is not offered: a pool of started processes, each building its
    own :class:`Linter` (multiprocessing's, with the files sent to it)."""

    def __init__(
        self, linter: Linter, todo: Sequence[Candidate], processes: int, stamp_wanted: bool
    ) -> None:
        import multiprocessing

        self._todo = todo
        self._chunk = _chunk_size(len(todo), processes)
        self._pool = multiprocessing.get_context("spawn").Pool(
            processes,
            initializer=_init_worker,
            # The run's schema travels as its data (a copy without the validators
            # built from it): a started worker cannot read it again as the run did,
            # from a URL or with its references fetched.
            initargs=(type(linter), linter.settings, dataclasses.replace(linter.schema),
                      stamp_wanted, linter.source_limit),
        )

    def results(self) -> Iterator[tuple[FileResult, Stamp]]:
        return self._pool.imap(_work, self._todo, chunksize=self._chunk)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


#: This process's linter and whether to stamp what it lints, in a pooled worker.
_WORKER: tuple[Linter, bool] | None = None


def _init_worker(
    kind: type[Linter],
    settings: Settings,
    schema: ArticleSchema,
    stamp_wanted: bool,
    source_limit: int | None,
) -> None:
    """Set up a started worker: a linter of the run's class (passed by the runner, so
    that this module never imports it) with the run's settings."""
    global _WORKER
    linter = kind(settings, schema)
    linter.source_limit = source_limit
    _WORKER = (linter, stamp_wanted)


def _work(candidate: Candidate) -> tuple[FileResult, Stamp]:
    assert _WORKER is not None
    linter, stamp_wanted = _WORKER
    return lint_one(linter, candidate, stamp_wanted)
