"""The result cache: what linting a file gave, reused while nothing that decides it changed.

An entry holds one file's diagnostics and the facts its rule modules kept for the
checks across files, so a warm run still finds duplicates across files without
parsing anything. It is reused only when all of these are unchanged:

- the file's bytes (a BLAKE2b digest of its content). A file whose inode, size,
  modification and change times are all those stored with its entry is not
  read again: any write moves its change time, which no program can set back.
  A file changed within the last three seconds gets no such signature (times
  are coarse; git calls these files "racily clean"), and a fresh checkout has
  new inodes: both are read and hashed, and their signature stored for next time;
- feedlint itself: its version and a digest of each of its source files (a
  development checkout never serves results of older code, and reinstalling
  the same release keeps the key), the Python version, and the libraries
  whose behaviour shapes results (``_KEYED_FILES``: PyYAML, jsonschema, the
  Public Suffix List);
- the resolved settings (a stable serialization of the frozen
  :class:`~feedlint.settings.Settings`, less the fields that only steer the run:
  ``jobs``, ``exclude``, ...);
- the schema (``ArticleSchema.digest``, a BLAKE2b digest of its text).

Everything but the content makes up the *run key*; entries live in
``<cache dir>/lint/<run key>/``. There is one entry per linted path (named by a
hash of the path as displayed, whether it was named on the command line and
whether it is bare YAML), so an edited file replaces its entry rather than
adding one. Entries are packed into 64 bucket files by that name: creating a
file costs far more than writing a few kilobytes on many disks, so a cold run
of 2,000 files writes 64 files, not 2,000, and a run on one file reads and
rewrites one bucket (1/64 of the cache).

The clock: a check that reads ``RuleContext.now`` (a date in the future) gives a
result that time can change. A file on which such a check reported something is
never cached; one on which it found nothing is, since time only moves forward
and "not in the future" stays true. Results with an internal error (FL9xx) are
never cached either, and neither is standard input.

Safety: a bucket is written to a temporary file and renamed into place, so two
runs sharing a cache (two terminals, parallel CI jobs on one runner) never see
half a bucket; each run merges its entries into the bucket as it is on disk
just before writing, and when two runs write one bucket at the same moment the
entries of one are lost (a miss next time, never a wrong result).

Trust: the cache folder is inside the linted tree by default, where a pull
request can commit anything. So an entry is JSON that builds only feedlint's
own result types (:mod:`feedlint.cache_codec`: reading it runs no code), and it
carries a keyed digest made with this user's secret (:mod:`feedlint.secret`),
kept outside the tree: an entry this user's runs did not write, or a damaged
one, is a miss, counted in :attr:`ResultCache.rejected` for one note on stderr,
never an error and never a verdict. The cache folder and the folders in it are
made and used only where no component inside the current folder is a symbolic
link (:func:`safe_folder`), and a bucket is read only if it is a regular file.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import struct
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, TypeVar

from feedlint._hashing import blake2b
from feedlint.atomic import safe_folder as atomic_safe_folder
from feedlint.secret import mac
from feedlint.settings import SETTINGS

if TYPE_CHECKING:
    from feedlint.discovery import Candidate
    from feedlint.results import FileResult
    from feedlint.schema import ArticleSchema
    from feedlint.settings import Settings

#: The cache folder, relative to the current folder unless absolute.
DEFAULT_CACHE_DIR = ".feedlint_cache"
#: Overrides the default cache folder (``--cache-dir`` overrides this).
CACHE_DIR_ENV = "FEEDLINT_CACHE_DIR"
#: The result cache's own subfolder (other caches, such as ``probe/``, sit beside it).
LINT_SUBDIR = "lint"

#: Settings fields that steer the run but cannot change one file's result (declared
#: ``changes_results=False`` in feedlint.settings.SETTINGS).
RUN_ONLY_FIELDS = frozenset(s.name for s in SETTINGS if not s.changes_results)
#: Libraries whose upgrade can change results, and the files of theirs in the key.
_KEYED_FILES = (
    ("yaml", ("__init__.py",)),
    ("jsonschema", ("__init__.py", "_keywords.py")),
    ("publicsuffixlist", ("__init__.py", "public_suffix_list.dat")),
)

T = TypeVar("T")

_MAGIC = b"FLC4"
_DIGEST_SIZE = 16
_FORMAT = 6
#: Bucket files per run key.
BUCKETS = 64
#: A record: entry name, content digest, stat signature, keyed digest, payload length.
_RECORD = struct.Struct(">16s16s32s16sI")
#: A file modified this recently may still change without its times changing
#: (timestamps are coarse): its stat signature is not trusted ("racily clean",
#: as git calls it), and the next run reads and hashes it.
RACY_WINDOW_NS = 3_000_000_000
_SIGNATURE = struct.Struct(">QQqq")
#: The signature of a file that must be read to be recognized.
NO_SIGNATURE = bytes(_SIGNATURE.size)
#: A bucket larger than this is not read (a miss): 100,000 files make about 1 MB each.
MAX_BUCKET_SIZE = 64 * 1024 * 1024



def default_cache_dir() -> str:
    return os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR




#: What to do instead of writing the result cache through a link.
_CACHE_ADVICE = "remove it, or give --cache-dir a folder of your own outside the repository"


def safe_folder(path: str) -> str:
    """:func:`feedlint.atomic.safe_folder` for the result cache's folders."""
    return atomic_safe_folder(path, advice=_CACHE_ADVICE)


def ensure_cache_root(root: str) -> None:
    """Create the cache folder with a ``.gitignore`` of ``*`` and a CACHEDIR.TAG.

    Safe to call from several processes at once; raises OSError when the folder
    cannot be made, or when it is, or lies under, a symbolic link inside the
    current folder (see :func:`safe_folder`).
    """
    safe_folder(root)
    for name, text in (
        (".gitignore", "*\n"),  # as the probe cache writes it
        (
            "CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by feedlint.\n"
            "# For information about cache directory tags, see https://bford.info/cachedir/\n",
        ),
    ):
        path = os.path.join(root, name)
        if not os.path.lexists(path):
            _write_atomically(path, text.encode("utf-8"))


def _stable(value: Any) -> Any:
    """A JSON-able form of a settings value that does not depend on dict order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _stable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return _stable(value.value)
    if isinstance(value, dict):
        return sorted(([_stable(k), _stable(v)] for k, v in value.items()), key=repr)
    if isinstance(value, list | tuple):
        return [_stable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_stable(v) for v in value), key=repr)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def settings_fingerprint(settings: Settings) -> str:
    """A stable text of the settings that can change a file's result."""
    fields = {
        f.name: _stable(getattr(settings, f.name))
        for f in dataclasses.fields(settings)
        if f.name not in RUN_ONLY_FIELDS
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=True, default=repr)


def _code_fingerprint() -> list[Any]:
    """feedlint's version and sources, Python's version, and the keyed libraries.

    Contents, not file times: installing the same version again (a CI job after
    restoring its cache) must give the same key. The digests are themselves kept
    as derived data under the files' times, so a run hashes them only when one
    of them changed.
    """
    from feedlint import __version__

    files = _code_files()
    stamp: list[Any] = []
    for label, path in files:
        try:
            stat = os.stat(path)
        except OSError:
            stamp.append([label, None])
            continue
        stamp.append([label, stat.st_size, stat.st_mtime_ns, stat.st_ino])

    def digest() -> str:
        sources = blake2b(digest_size=16)
        for label, path in files:
            sources.update(label.encode("utf-8", "surrogateescape") + b"\0")
            sources.update(_file_digest(path))
        return sources.hexdigest()

    return [__version__, list(sys.version_info[:3]), derived("code-digest", stamp, digest)]


def _code_files() -> list[tuple[str, str]]:
    """(label, path) of feedlint's source files and of the keyed libraries' files."""
    from importlib.machinery import PathFinder

    package = os.path.dirname(os.path.abspath(__file__))
    files: list[tuple[str, str]] = []
    stack = [""]
    while stack:
        relative = stack.pop()
        try:
            entries = sorted(os.scandir(os.path.join(package, relative)), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(name)
            elif entry.name.endswith((".py", ".json")):
                files.append((name, entry.path))
    for module, names in _KEYED_FILES:
        try:
            spec = PathFinder.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            files.append((module, ""))
            continue
        folder = os.path.dirname(spec.origin)
        files.extend((f"{module}/{name}", os.path.join(folder, name)) for name in names)
    return files


def _file_digest(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return b""


def run_key(settings: Settings, schema: ArticleSchema) -> str:
    """The part of every entry's key that is the same for a whole run."""
    material = json.dumps(
        [_FORMAT, _code_fingerprint(), settings_fingerprint(settings), schema.digest],
        sort_keys=True,
        default=repr,
    )
    return blake2b(material.encode("utf-8"), digest_size=16).hexdigest()


class ResultCache:
    """One run's view of the cache: ``get`` by candidate and content digest, ``stage``
    new results, and ``flush`` them at the end of the run.

    Never raises for a cache problem: a folder that cannot be written turns the
    cache off for the rest of the run (``disabled`` says why).
    """

    def __init__(self, root: str, key: str) -> None:
        self.root = root
        self.key = key
        self.folder = os.path.join(root, LINT_SUBDIR, key)
        self.disabled: str | None = None
        #: Entries found whose keyed digest is wrong: written by someone else, or damaged.
        self.rejected = 0
        #: Bucket number -> entry name -> record, as read.
        self._loaded: dict[int, dict[bytes, _Record]] = {}
        #: Bucket number -> entry name -> record bytes, to be written.
        self._staged: dict[int, dict[bytes, bytes]] = {}

    @classmethod
    def for_run(cls, root: str, settings: Settings, schema: ArticleSchema) -> ResultCache:
        return cls(root, run_key(settings, schema))

    def is_empty(self) -> bool:
        """True when no entry can be found (a first run): lookups can be skipped."""
        try:
            with os.scandir(self.folder) as entries:
                return not any(e.name.endswith(".bin") for e in entries)
        except OSError:
            return True

    @staticmethod
    def entry_name(candidate: Candidate) -> bytes:
        flags = f"{int(candidate.explicit)}{int(candidate.bare)}"
        ident = f"{flags}\0{candidate.display}".encode("utf-8", "surrogateescape")
        return blake2b(ident, digest_size=_DIGEST_SIZE).digest()

    def _bucket_path(self, bucket: int) -> str:
        return os.path.join(self.folder, f"{bucket:02x}.bin")

    def _bucket(self, bucket: int) -> dict[bytes, _Record]:
        found = self._loaded.get(bucket)
        if found is None:
            found = self._loaded[bucket] = _read_bucket(self._bucket_path(bucket))
        return found

    def _record(self, name: bytes) -> _Record | None:
        return self._bucket(name[0] % BUCKETS).get(name)

    def get_unchanged(self, candidate: Candidate, signature: bytes) -> FileResult | None:
        """The cached result of a file whose stat signature is the one stored with
        it (see :func:`signature`), without reading the file; else None."""
        if signature == NO_SIGNATURE:
            return None
        name = self.entry_name(candidate)
        record = self._record(name)
        if record is None or record[1] != signature:
            return None
        return self._verified(name, record, candidate.display)

    def get(
        self, candidate: Candidate, digest: bytes, signature: bytes = NO_SIGNATURE
    ) -> FileResult | None:
        """The cached result of this file with this content, or None. A hit whose
        stored signature is out of date (a fresh checkout, a touched file) is
        stored again with ``signature``, so that the next run need not read it."""
        name = self.entry_name(candidate)
        record = self._record(name)
        if record is None or record[0] != digest:
            return None
        result = self._verified(name, record, candidate.display)
        if result is not None and signature != NO_SIGNATURE and record[1] != signature:
            payload = record[3]
            self._stage_record(name, _pack(name, digest, signature, payload))
        return result

    def stage(
        self, candidate: Candidate, digest: bytes, signature: bytes, result: FileResult
    ) -> None:
        """Keep ``result`` for :meth:`flush` (serialized now: later changes to it,
        such as the checks across files, are not cached)."""
        from feedlint import cache_codec

        name = self.entry_name(candidate)
        try:
            payload = cache_codec.dumps_fields(
                _FORMAT,
                candidate.display,
                result.skipped,
                result.diagnostics,
                result.facts,
                result.suppressor,
            )
            record = _pack(name, digest, signature, payload)
        except (ValueError, OSError):  # a fact the cache cannot hold, or no key: not cached
            return
        self._stage_record(name, record)

    def _verified(self, name: bytes, record: _Record, display: str) -> FileResult | None:
        digest, signature, checksum, payload = record
        try:
            expected = mac(name, digest, signature, payload)
        except OSError:
            return None
        if expected != checksum:
            self.rejected += 1
            return None
        return _decode(payload, display)

    def _stage_record(self, name: bytes, record: bytes) -> None:
        self._staged.setdefault(name[0] % BUCKETS, {})[name] = record

    def flush(self) -> None:
        """Write the staged entries, each bucket merged with what is on disk now."""
        staged, self._staged = self._staged, {}
        if not staged or self.disabled is not None:
            return
        try:
            ensure_cache_root(self.root)
            safe_folder(self.folder)
            for bucket, records in staged.items():
                path = self._bucket_path(bucket)
                merged = {
                    name: _pack(name, digest, signature, payload, checksum)
                    for name, (digest, signature, checksum, payload) in _read_bucket(path).items()
                }
                merged.update(records)
                _write_atomically(path, _MAGIC + b"".join(merged.values()))
        except OSError as err:
            self.disabled = f"cannot write the cache in {self.root}: {err.strerror or err}"


#: (content digest, stat signature, keyed digest, payload) of one entry.
_Record = tuple[bytes, bytes, bytes, bytes]


def signature(stat: os.stat_result, now_ns: int) -> bytes:
    """What tells, without reading a file, that it has not changed since: its inode,
    size, and modification and change times (a write moves the change time, which
    no program can set back). :data:`NO_SIGNATURE` for a file changed within the
    last few seconds, where equal times do not prove equal content."""
    if not S_ISREG(stat.st_mode):
        return NO_SIGNATURE  # a pipe or a device named on the command line: read it
    changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
    if now_ns - changed < RACY_WINDOW_NS:
        return NO_SIGNATURE
    return _SIGNATURE.pack(stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _pack(
    name: bytes, digest: bytes, signature: bytes, payload: bytes, checksum: bytes | None = None
) -> bytes:
    if checksum is None:
        checksum = mac(name, digest, signature, payload)
    return _RECORD.pack(name, digest, signature, checksum, len(payload)) + payload


def _read_bucket(path: str) -> dict[bytes, _Record]:
    """Entry name -> record; a damaged tail is dropped. Only a regular file is read
    (a symbolic link, a FIFO or a device in its place reads as empty)."""
    blob = read_regular(path, MAX_BUCKET_SIZE)
    if blob is None:
        return {}
    records: dict[bytes, _Record] = {}
    if not blob.startswith(_MAGIC):
        return records
    pos, end, size = len(_MAGIC), len(blob), _RECORD.size
    while pos + size <= end:
        name, digest, signature, checksum, length = _RECORD.unpack_from(blob, pos)
        pos += size
        if pos + length > end:
            break
        records[name] = (digest, signature, checksum, blob[pos : pos + length])
        pos += length
    return records


def read_regular(path: str, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link) of at most ``limit``
    bytes; else None. Never waits on a FIFO."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            blob = handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return blob if len(blob) <= limit else None


# -- derived data: built once, reused by later runs ----------------------------

#: Where :func:`derived` keeps its files (``<cache dir>/derived``), set by the
#: command line when the cache is on and inherited by forked workers; None
#: (``--no-cache``, the Python API) builds every time.
_derived_root: str | None = None
#: The derived subfolder of the cache folder.
DERIVED_SUBDIR = "derived"


def use_derived(root: str | None) -> None:
    """Keep derived data under ``root`` (the cache folder), or nowhere (None)."""
    global _derived_root
    _derived_root = None if root is None else os.path.join(root, DERIVED_SUBDIR)


def derived(name: str, stamp: Any, build: Callable[[], T]) -> T:
    """``build()``, or what it returned in an earlier run with the same ``stamp``.

    For set-up that every process would otherwise repeat, such as hashing
    feedlint's own sources for the cache key. ``stamp``
    names the inputs (a library's files); a missing, stale or damaged file is
    built anew and rewritten, never an error. The value is kept as JSON (so it
    must be JSON data) under this user's keyed digest, like a cache entry: a file
    someone else wrote is built anew.
    """
    if _derived_root is None:
        return build()
    material = repr((name, stamp, sys.version_info[:2], _FORMAT)).encode("utf-8")
    path = os.path.join(_derived_root, f"{name}-{blake2b(material, digest_size=12).hexdigest()}")
    head = len(_MAGIC) + _DIGEST_SIZE
    blob = read_regular(path, MAX_BUCKET_SIZE)
    label = name.encode("utf-8")
    try:
        if blob is not None and blob[: len(_MAGIC)] == _MAGIC:
            payload = blob[head:]
            if blob[len(_MAGIC) : head] == mac(label, payload):
                return json.loads(payload)  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass
    value = build()
    try:
        payload = json.dumps(value, separators=(",", ":")).encode("utf-8")
        safe_folder(_derived_root)
        _write_atomically(path, _MAGIC + mac(label, payload) + payload)
    except (OSError, TypeError, ValueError):
        pass
    return value


def file_stamp(module: str, *names: str) -> Any:
    """Sizes and times of files shipped inside an installed package (found without
    importing it), to stamp data derived from them."""
    from importlib.machinery import PathFinder

    try:
        spec = PathFinder.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = os.path.dirname(spec.origin)
    stamps: list[Any] = []
    for name in names:
        try:
            stat = os.stat(os.path.join(folder, name))
        except OSError:
            stamps.append([name, None])
            continue
        stamps.append([name, stat.st_size, stat.st_mtime_ns, stat.st_ino])
    return [folder, stamps]


def cacheable(result: FileResult) -> bool:
    """Whether a result may be reused: not clock-dependent, no internal error."""
    if result.clock_dependent:
        return False
    return not any(d.code.startswith("FL9") for d in result.diagnostics)


def _decode(payload: bytes, display: str) -> FileResult | None:
    from feedlint import cache_codec
    from feedlint.results import FileResult

    try:
        version, stored_display, skipped, diagnostics, facts, suppressor = (
            cache_codec.loads_fields(payload, 6)
        )
    except (ValueError, TypeError):  # a bad entry is a miss
        return None
    if version != _FORMAT or stored_display != display:
        return None
    if not isinstance(diagnostics, list) or not isinstance(facts, dict):
        return None
    # The file's noqa directives too (when the checks across files or the link
    # probe still need them), as they stood before the checks across files.
    return FileResult(
        display, diagnostics, skipped=bool(skipped), facts=facts, suppressor=suppressor
    )


def _write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees all of it or none of it; a
    link at ``path`` is replaced, never written through. Not flushed to disk: a
    cache entry lost in a crash is a miss."""
    from feedlint.atomic import write_atomically

    write_atomically(path, data, mode=0o644, sync=False)
