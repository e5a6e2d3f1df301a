"""The probe cache: what a URL answered, kept a day so a second audit probes only what is new.

Only successes are kept (a failure may be temporary and is asked again next time).
The cache is one SQLite file in ``.feedlint_cache/probe/``: each write is a
transaction, so a run that is interrupted, or two runs at once, never leave a
half-written cache behind. A cache that cannot be read is thrown away, never an
error.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from feedlint.probe._outcome import Outcome

_VERSION = 1
_BATCH = 500
DEFAULT_FOLDER = Path(".feedlint_cache")


def ensure_ignored(folder: Path) -> None:
    """Give a cache folder its own ``.gitignore`` (``*``), so it is never committed."""
    marker = folder / ".gitignore"
    if marker.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gitignore.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write("*\n")
        os.replace(tmp, marker)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


class ProbeCache:
    def __init__(self, path: Path, *, ttl: float, allow_private: bool) -> None:
        self.path = path
        self.ttl = ttl
        self.allow_private = allow_private
        self._db = self._connect()

    @classmethod
    def open(cls, folder: str | None, *, ttl: float, allow_private: bool) -> ProbeCache | None:
        """The cache in ``folder`` (default ``.feedlint_cache/probe``), or None when
        it cannot be used (a read-only folder, a broken file)."""
        if folder is None:
            top = DEFAULT_FOLDER
            where = top / "probe"
        else:
            top = where = Path(folder)
        try:
            ensure_ignored(top)
            where.mkdir(parents=True, exist_ok=True)
            return cls(where / "outcomes.sqlite3", ttl=ttl, allow_private=allow_private)
        except (OSError, sqlite3.Error):
            return None

    def _connect(self) -> sqlite3.Connection:
        for _ in range(2):
            db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            try:
                (version,) = db.execute("PRAGMA user_version").fetchone()
                if version != _VERSION:
                    db.execute("DROP TABLE IF EXISTS outcome")
                    db.execute(
                        "CREATE TABLE outcome (url TEXT PRIMARY KEY, image INTEGER NOT NULL,"
                        " private INTEGER NOT NULL, checked REAL NOT NULL, data TEXT NOT NULL)"
                    )
                    db.execute(f"PRAGMA user_version = {_VERSION}")
                return db
            except sqlite3.DatabaseError:
                db.close()
                self.path.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"cannot use the probe cache {self.path}")

    def get_many(self, wanted: dict[str, bool]) -> dict[str, Outcome]:
        """Fresh outcomes for ``wanted`` (url -> needs an image probe)."""
        found: dict[str, Outcome] = {}
        oldest = time.time() - self.ttl
        urls = list(wanted)
        try:
            for start in range(0, len(urls), _BATCH):
                batch = urls[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    "SELECT url, image, private, checked, data FROM outcome"
                    f" WHERE url IN ({marks})",
                    batch,
                )
                for url, image, private, checked, data in rows:
                    if checked < oldest or (wanted[url] and not image):
                        continue
                    if private and not self.allow_private:
                        # Fetched with the guard off: not an answer for a guarded run.
                        continue
                    outcome = Outcome.from_json(json.loads(data))
                    outcome.cached = True
                    found[url] = outcome
        except (sqlite3.Error, ValueError, TypeError, KeyError):
            return found
        return found

    def put_many(self, outcomes: Iterable[Outcome]) -> None:
        now = time.time()
        rows = [
            (
                o.url,
                int(o.image),
                int(self.allow_private),
                now,
                json.dumps(o.as_json(), separators=(",", ":")),
            )
            for o in outcomes
        ]
        if not rows:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO outcome VALUES (?,?,?,?,?)", rows)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self._db.close()
