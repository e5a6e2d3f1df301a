"""The per-user secret that authenticates what feedlint's caches hold.

A cache can sit where others can write (a folder inside the linted tree, a CI
cache restored from elsewhere). Each cache entry carries a keyed BLAKE2b digest
made with this secret, which lives outside every linted tree, in the user's own
cache folder; an entry that anyone else wrote fails its check and is ignored.

Where the key is: ``$FEEDLINT_CACHE_KEY_FILE`` when set, else
``$XDG_CACHE_HOME/feedlint/secret-key`` (``~/.cache/feedlint/secret-key`` when
XDG_CACHE_HOME is unset). It is made on first use: 32 random bytes, in a file
only its owner can read, created without following a symbolic link.
"""

from __future__ import annotations

import contextlib
import os
import stat

from feedlint._hashing import blake2b

#: Names the key file (the environment is the user's, not the linted tree's).
KEY_FILE_ENV = "FEEDLINT_CACHE_KEY_FILE"
KEY_SIZE = 32
#: The size of the digests made with the key.
MAC_SIZE = 16

_key: bytes | None = None


def user_cache_home() -> str:
    """``$XDG_CACHE_HOME/feedlint``, or ``~/.cache/feedlint``."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "feedlint")


def key_path() -> str:
    return os.environ.get(KEY_FILE_ENV) or os.path.join(user_cache_home(), "secret-key")


def user_key() -> bytes:
    """This user's secret (made on first use). Raises OSError when none can be had:
    the caller then uses no cache."""
    global _key
    if _key is None:
        _key = _load_or_create(key_path())
    return _key


def mac(*parts: bytes) -> bytes:
    """A keyed digest of ``parts`` (each length-prefixed, so parts cannot shift)."""
    framed = b"".join(len(part).to_bytes(8, "big") + part for part in parts)
    return blake2b(framed, key=user_key(), digest_size=MAC_SIZE).digest()


def _load_or_create(path: str) -> bytes:
    for _ in range(3):
        try:
            return _read_key(path)
        except FileNotFoundError:
            pass
        folder = os.path.dirname(path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        key = os.urandom(KEY_SIZE)
        temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(key)
            # A link, not a rename: two processes making the key at once agree on
            # the first one, and an existing key is never replaced.
            os.link(temporary, path)
        except FileExistsError:
            continue
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return key
    return _read_key(path)


def _read_key(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise OSError(f"{path} must belong to this user and be readable by no one else")
        key = os.read(fd, KEY_SIZE + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_SIZE:
        raise OSError(f"{path} does not hold a {KEY_SIZE}-byte key")
    return key
