"""The one httpx client of a probe run: pinned connections, no cookies, no environment."""

from __future__ import annotations

import http.cookiejar
import ssl

import certifi
import httpcore
import httpx

from feedlint import __version__
from feedlint.probe._guard import AddressGuard, PinnedBackend

DEFAULT_USER_AGENT = f"feedlint/{__version__} (+link check)"


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (its request mapping and error translation) over a
    connection pool whose network backend connects only to the guard's pins."""

    def __init__(self, guard: AddressGuard, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        # httpx builds its pool without a way to pass a network backend; replace it
        # with an equal pool that has one. Refuse to run if httpx changed shape,
        # rather than silently connecting through an unpinned pool.
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError("this httpx version is not supported by feedlint's probe")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=PinnedBackend(guard),
        )


def _no_cookies() -> http.cookiejar.CookieJar:
    """A jar that keeps nothing: no domain is allowed to set a cookie."""
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def make_client(
    guard: AddressGuard, *, concurrency: int, timeout: float, user_agent: str | None
) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=concurrency,
        max_keepalive_connections=concurrency,
        keepalive_expiry=5.0,
    )
    return httpx.AsyncClient(
        transport=PinnedTransport(guard, limits),
        trust_env=False,
        follow_redirects=False,
        cookies=_no_cookies(),
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": user_agent or DEFAULT_USER_AGENT, "Accept": "*/*"},
    )
