"""Fetching a user's schema and the documents its ``$ref``s name, through --probe's guard.

``--schema https://...`` and an ``http(s)`` reference are fetched once per run,
before any file is linted, with the probe's own client: only public addresses
(unless the command line lifts the guard), the connection pinned to the checked
address, every redirect checked again, no cookies, no proxy from the
environment, the body read to a bound. A successful answer is kept in the
``schemas`` folder of the cache (``--no-cache``: neither read nor written), one
JSON file per URL signed with the user's key (feedlint.secret): an entry this
user's runs did not write, one dated in the future, or one fetched with the
guard lifted for a guarded run, is not believed, and the URL is fetched again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import stat
import time
from collections.abc import Mapping

#: The most bytes of one schema read.
MAX_SCHEMA_BYTES = 4 * 1024 * 1024
MAX_REDIRECTS = 10
#: Seconds a cached schema is used before it is fetched again.
CACHE_TTL = 86400.0
_FORMAT = b"feedlint-schema-cache-1"


class SchemaFetchError(OSError):
    """A URL that could not be fetched; the text says why."""


class SchemaFetcher:
    """``fetcher(url) -> bytes``: each URL fetched once per run (or read from the cache)."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allow_networks: tuple[str, ...] = (),
        cache_folder: str | None = None,
        timeout: float = 10.0,
        ca_bundle: str | None = None,
        mirrors: Mapping[str, str] | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.allow_networks = allow_networks
        self.cache_folder = cache_folder
        self.timeout = timeout
        self.ca_bundle = ca_bundle
        #: URL prefix -> the prefix it is fetched from (a test serves a suite's
        #: ``http://localhost:1234/`` from its own loopback server).
        self.mirrors = dict(mirrors or {})
        self._fetched: dict[str, bytes] = {}
        #: One line each for standard error: cache entries not believed, and why.
        self.notes: list[str] = []
        #: URLs fetched over the network this run (tests count them).
        self.requests: list[str] = []

    @property
    def guarded(self) -> bool:
        return not self.allow_private and not self.allow_networks

    def __call__(self, url: str) -> bytes:
        if url not in self._fetched:
            body = self._cached(url)
            if body is None:
                body = asyncio.run(self._fetch(url))
                self._store(url, body)
            self._fetched[url] = body
        return self._fetched[url]

    # -- the network --------------------------------------------------------------

    async def _fetch(self, url: str) -> bytes:
        import httpx

        from feedlint.probe._client import make_client
        from feedlint.probe._fetch import parse_url
        from feedlint.probe._guard import AddressGuard, Refused, ResolveError

        guard = AddressGuard(allow_private=self.allow_private, allow_networks=self.allow_networks)
        client = make_client(guard, concurrency=1, per_host=1, timeout=self.timeout,
                             user_agent=None, ca_bundle=self.ca_bundle)
        current = url
        async with client:
            for _ in range(MAX_REDIRECTS + 1):
                target = current
                for prefix, mirror in self.mirrors.items():
                    if target.startswith(prefix):
                        target = mirror + target[len(prefix):]
                        break
                parsed = parse_url(target, redirected=current != url)
                if isinstance(parsed, tuple):
                    raise SchemaFetchError(parsed[1])
                host = parsed.raw_host.decode("ascii").lower()
                port = parsed.port or (443 if parsed.scheme == "https" else 80)
                try:
                    async with asyncio.timeout(self.timeout):
                        await guard.check(host, port)
                        self.requests.append(target)
                        async with client.stream("GET", parsed) as response:
                            if response.is_redirect and "location" in response.headers:
                                current = str(parsed.join(response.headers["location"]))
                                continue
                            if response.status_code != 200:
                                raise SchemaFetchError(
                                    f"the server answered {response.status_code}"
                                )
                            body = bytearray()
                            async for part in response.aiter_bytes():
                                body += part
                                if len(body) > MAX_SCHEMA_BYTES:
                                    raise SchemaFetchError(
                                        f"it is larger than {MAX_SCHEMA_BYTES // 1024} KiB"
                                    )
                            return bytes(body)
                except Refused as err:
                    reason = str(err).split(";")[0]
                    raise SchemaFetchError(
                        f"{reason}; only public addresses are fetched "
                        "(--schema-allow-private lifts this for your own network)"
                    ) from None
                except ResolveError as err:
                    raise SchemaFetchError(str(err)) from None
                except TimeoutError:
                    raise SchemaFetchError(f"no answer within {self.timeout:g} s") from None
                except httpx.HTTPError as err:
                    raise SchemaFetchError(f"the request failed ({err or type(err).__name__})") \
                        from None
        raise SchemaFetchError(f"more than {MAX_REDIRECTS} redirects")

    # -- the signed cache ---------------------------------------------------------

    def _entry_path(self, url: str) -> str | None:
        if self.cache_folder is None:
            return None
        from feedlint._hashing import blake2b

        name = blake2b(url.encode("utf-8"), digest_size=16).hexdigest()
        return os.path.join(self.cache_folder, f"{name}.json")

    def _mac(self, url: str, body: bytes, private: bool, when: float) -> str:
        from feedlint.secret import mac

        return mac(_FORMAT, url.encode("utf-8"), body, b"1" if private else b"0",
                   repr(when).encode("ascii")).hex()

    def _cached(self, url: str) -> bytes | None:
        path = self._entry_path(url)
        if path is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            raw = os.read(fd, 2 * MAX_SCHEMA_BYTES + 4096)
        finally:
            os.close(fd)
        try:
            entry = json.loads(raw)
            body: bytes = entry["body"].encode("utf-8")
            private, when, signature = bool(entry["private"]), float(entry["when"]), entry["mac"]
            good = entry["url"] == url and signature == self._mac(url, body, private, when)
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            good = False
        if not good:
            self.notes.append(
                f"ignored the cached schema for {url}: this user's runs did not write it "
                "(or it is damaged); it was fetched again"
            )
            return None
        now = time.time()
        if when > now + 300 or now - when > CACHE_TTL or (private and self.guarded):
            return None
        return body

    def _store(self, url: str, body: bytes) -> None:
        path = self._entry_path(url)
        if path is None or self.cache_folder is None:
            return
        from feedlint.atomic import safe_folder, write_atomically

        try:
            text = body.decode("utf-8")
            when = time.time()
            entry = {"url": url, "when": when, "private": not self.guarded, "body": text,
                     "mac": self._mac(url, body, not self.guarded, when)}
            safe_folder(self.cache_folder)
            write_atomically(path, json.dumps(entry).encode("utf-8"), sync=False)
        except (OSError, UnicodeDecodeError) as err:
            with contextlib.suppress(Exception):
                self.notes.append(f"the schema cache is off: {err}")
