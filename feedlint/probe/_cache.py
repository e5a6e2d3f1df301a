"""The probe cache: what a URL answered, kept a day so a second audit probes only what is new.

Only successes are kept (a failure may be temporary and is asked again next time).
The cache is one SQLite file in ``.feedlint_cache/probe/``: each write is a
transaction, so a run that is interrupted, or two runs at once, never leave a
half-written cache behind. A cache that cannot be read is thrown away, never an
error.

Trust: the cache sits inside the linted tree by default, where a pull request
can commit anything, so nothing in it is taken on its word:

- each row carries a keyed BLAKE2b digest (:func:`feedlint.secret.mac`, with
  this user's secret, kept outside the tree) of its URL, flags, time and
  answer: a row this user's runs did not write is a miss (probed again, and
  counted in :attr:`ProbeCache.rejected` for one note), never a verdict;
- a row dated in the future (beyond :data:`CLOCK_SKEW`) is never used;
- a database whose tables are not exactly the ones feedlint makes is replaced;
- the folders and the file are used only if they are what they seem: a
  component inside the current folder that is a symbolic link, a cache file
  (or its journal) that is a link or not a regular file, is refused
  (:class:`CacheRefused`): the cache is off for the run and the probe goes on.
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import json
import os
import sqlite3
import struct
import time
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from urllib.parse import quote

from feedlint import atomic
from feedlint.atomic import shown
from feedlint.probe._outcome import Outcome

#: The schema's version (``PRAGMA user_version``); a cache of another version is rebuilt.
_VERSION = 2
_BATCH = 500
DEFAULT_FOLDER = Path(".feedlint_cache")
FILE_NAME = "outcomes.sqlite3"
#: Seconds a row's time may be ahead of the clock (clocks of one machine drift a
#: little); a row dated later than that is never used.
CLOCK_SKEW = 300.0
#: What SQLite puts beside the database while it writes.
_COMPANIONS = ("-journal", "-wal", "-shm")
_TABLE = (
    "CREATE TABLE outcome (url TEXT PRIMARY KEY, image INTEGER NOT NULL,"
    " private INTEGER NOT NULL, checked REAL NOT NULL, data TEXT NOT NULL,"
    " mac BLOB NOT NULL)"
)
#: Everything a cache made by feedlint holds (sqlite_master, by type and name).
_SCHEMA = [
    ("index", "sqlite_autoindex_outcome_1", "outcome", None),
    ("table", "outcome", "outcome", _TABLE),
]
#: What to do instead of writing the probe cache through a link.
_ADVICE = "remove it, or set probe-cache-dir to a folder of your own"
#: Sets the probe cache's digests apart from those of the other caches made with the key.
_PURPOSE = b"feedlint probe cache 2"


class CacheRefused(Exception):
    """The probe cache's folder or file is not safe to use; the text says which and why."""


class _Foreign(Exception):
    """The database holds tables feedlint did not make, or another version's."""


def safe_folder(folder: Path) -> None:
    """:func:`feedlint.atomic.safe_folder` for the probe cache's folders; a refusal
    turns the cache off for the run (:class:`CacheRefused`)."""
    try:
        atomic.safe_folder(folder, advice=_ADVICE)
    except atomic.UnsafeFolderError as err:
        raise CacheRefused(str(err)) from None


def ensure_ignored(folder: Path) -> None:
    """Give a cache folder (already made) its own ``.gitignore`` (``*``), so it is
    never committed; renamed into place, so a link of that name is replaced, never
    followed."""
    marker = folder / ".gitignore"
    if not os.path.lexists(marker):
        with contextlib.suppress(OSError):
            atomic.write_atomically(str(marker), b"*\n", mode=0o644, sync=False)


def _open_regular(path: Path) -> os.stat_result:
    """Create ``path`` if missing, without following a link, and return what it is;
    refuse a link, a hard link, or anything but a regular file."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise CacheRefused(
                f"{shown(path)} is a symbolic link, and feedlint never writes through one "
                "(remove it)"
            ) from None
        if err.errno == errno.EISDIR:
            raise CacheRefused(f"{shown(path)} is not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not S_ISREG(info.st_mode):
        raise CacheRefused(f"{shown(path)} is not a regular file")
    if info.st_nlink != 1:
        raise CacheRefused(
            f"{shown(path)} has other names (hard links): writing it would change them too"
        )
    for suffix in _COMPANIONS:
        companion = f"{path}{suffix}"
        try:
            other = os.lstat(companion)
        except FileNotFoundError:
            continue
        if S_ISLNK(other.st_mode):
            raise CacheRefused(
                f"{shown(companion)} is a symbolic link, and feedlint never writes through "
                "one (remove it)"
            )
        if not S_ISREG(other.st_mode) or other.st_nlink != 1:
            raise CacheRefused(f"{shown(companion)} is not a regular file of its own")
    return info


class ProbeCache:
    def __init__(self, path: Path, *, ttl: float, allow_private: bool) -> None:
        self.path = path
        self.ttl = ttl
        self.allow_private = allow_private
        #: Rows met that this user's runs did not write (or damaged ones): ignored.
        self.rejected = 0
        self._db = self._connect()

    @classmethod
    def open(cls, folder: str | None, *, ttl: float, allow_private: bool) -> ProbeCache | None:
        """The cache in ``folder`` (default ``.feedlint_cache/probe``), or None when
        it cannot be used (a read-only folder, a broken file). Raises
        :class:`CacheRefused` when using it would not be safe, or there is no key
        to authenticate its rows."""
        from feedlint.secret import user_key

        try:
            user_key()
        except OSError as err:
            raise CacheRefused(
                f"there is no key to authenticate its entries ({err.strerror or err})"
            ) from None
        if folder is None:
            top = DEFAULT_FOLDER
            where = top / "probe"
        else:
            top = where = Path(folder)
        try:
            safe_folder(top)
            if where != top:
                safe_folder(where)
            ensure_ignored(top)
            return cls(where / FILE_NAME, ttl=ttl, allow_private=allow_private)
        except (OSError, sqlite3.Error):
            return None

    def _connect(self) -> sqlite3.Connection:
        uri = f"file:{quote(os.path.abspath(self.path))}?mode=rw"
        for attempt in range(2):
            info = _open_regular(self.path)
            # mode=rw: SQLite opens the file just checked and creates nothing.
            db = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)
            try:
                now = os.lstat(self.path)
                if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or not S_ISREG(
                    now.st_mode
                ):
                    raise CacheRefused(f"{shown(self.path)} changed while it was opened")
                # Nothing in the file's schema may call a function on its own.
                db.execute("PRAGMA trusted_schema = OFF")
                _ready_schema(db)
                return db
            except (_Foreign, sqlite3.DatabaseError):
                db.close()
                if attempt == 0:
                    # Only a regular file of our own was opened: this removes no link's target.
                    self.path.unlink(missing_ok=True)
            except BaseException:
                db.close()
                raise
        raise sqlite3.DatabaseError(f"cannot use the probe cache {self.path}")

    def _mac(self, url: str, image: int, private: int, checked: float, data: str) -> bytes:
        from feedlint.secret import mac

        return mac(
            _PURPOSE,
            url.encode("utf-8", "surrogatepass"),
            bytes((image, private)),
            struct.pack(">d", checked),
            data.encode("utf-8", "surrogatepass"),
        )

    def get_many(self, wanted: dict[str, bool]) -> dict[str, Outcome]:
        """Fresh outcomes for ``wanted`` (url -> needs an image probe)."""
        found: dict[str, Outcome] = {}
        now = time.time()
        oldest = now - self.ttl
        newest = now + CLOCK_SKEW
        urls = list(wanted)
        forged: list[tuple[str, bytes]] = []
        try:
            for start in range(0, len(urls), _BATCH):
                batch = urls[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    "SELECT url, image, private, checked, data, mac FROM outcome"
                    f" WHERE url IN ({marks})",
                    batch,
                ).fetchall()
                for url, image, private, checked, data, tag in rows:
                    if not (
                        isinstance(url, str)
                        and type(image) is int
                        and image in (0, 1)
                        and type(private) is int
                        and private in (0, 1)
                        and type(checked) in (int, float)
                        and isinstance(data, str)
                        and isinstance(tag, bytes)
                        and hmac.compare_digest(
                            tag, self._mac(url, image, private, float(checked), data)
                        )
                    ):
                        # Not written by this user's runs (or damaged): a miss.
                        self.rejected += 1
                        if isinstance(url, str) and isinstance(tag, bytes):
                            forged.append((url, tag))
                        continue
                    # Out of date, or dated in the future (NaN is neither in range).
                    if not oldest <= checked <= newest:
                        continue
                    if url not in wanted or (wanted[url] and not image):
                        continue
                    if private and not self.allow_private:
                        # Fetched with the guard off: not an answer for a guarded run.
                        continue
                    try:
                        outcome = Outcome.from_json(json.loads(data))
                    except (ValueError, TypeError, KeyError, IndexError):
                        continue
                    if outcome.url != url:
                        continue
                    outcome.cached = True
                    found[url] = outcome
            if forged:
                # Gone, so that they are not met (and noted) again at every run.
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.executemany("DELETE FROM outcome WHERE url = ? AND mac = ?", forged)
        except sqlite3.Error:
            return found
        return found

    def put_many(self, outcomes: Iterable[Outcome]) -> None:
        now = time.time()
        private = int(self.allow_private)
        rows = []
        try:
            for o in outcomes:
                data = json.dumps(o.as_json(), separators=(",", ":"))
                image = int(o.image)
                rows.append(
                    (o.url, image, private, now, data, self._mac(o.url, image, private, now, data))
                )
        except OSError:  # the key went away: nothing is written
            return
        if not rows:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO outcome VALUES (?,?,?,?,?,?)", rows)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self._db.close()


def _ready_schema(db: sqlite3.Connection) -> None:
    """Make the table in a new, empty database; accept one that holds exactly what
    feedlint makes; raise :class:`_Foreign` for anything else (another version's
    cache, or tables, views and triggers someone else put there)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        objects = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        if version == _VERSION and objects == _SCHEMA:
            db.execute("COMMIT")
            return
        if version == 0 and not objects:
            db.execute(_TABLE)
            db.execute(f"PRAGMA user_version = {_VERSION}")
            db.execute("COMMIT")
            return
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("ROLLBACK")
    raise _Foreign
