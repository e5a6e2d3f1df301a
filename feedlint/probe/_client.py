"""The one httpx client of a probe run: pinned connections, no cookies, no environment."""

from __future__ import annotations

import http.cookiejar
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterator
from types import TracebackType

import httpcore
import httpx

from feedlint import __version__
from feedlint.probe._guard import AddressGuard, PinnedBackend

DEFAULT_USER_AGENT = f"feedlint/{__version__} (+link check)"


class _Entry:
    __slots__ = ("active", "pool")

    def __init__(self, pool: httpcore.AsyncConnectionPool) -> None:
        self.pool = pool
        self.active = 0


class _TrackedStream:
    """A response body that tells its pool entry when it is closed."""

    def __init__(self, stream: object, entry: _Entry) -> None:
        self._stream = stream
        self._entry: _Entry | None = entry

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert hasattr(self._stream, "__aiter__")
        async for part in self._stream:
            yield part

    async def aclose(self) -> None:
        try:
            if hasattr(self._stream, "aclose"):
                await self._stream.aclose()
        finally:
            if self._entry is not None:
                self._entry.active -= 1
                self._entry = None


class PoolPerHost:
    """A small httpcore connection pool per origin, all connecting through the guard.

    One pool for every host would do, but httpcore looks over all of a pool's
    connections for each request it places, which at a few dozen connections costs
    more CPU than the requests themselves. Pools of one host stay small. Idle
    pools beyond ``max_pools`` are closed, so a run over thousands of hosts does
    not keep thousands of sockets open.
    """

    def __init__(
        self,
        guard: AddressGuard,
        *,
        per_host: int,
        max_pools: int,
        keepalive_expiry: float,
        ca_bundle: str | None = None,
    ) -> None:
        self._backend = PinnedBackend(guard)
        self._ca_bundle = ca_bundle
        self._per_host = per_host
        self._max_pools = max_pools
        self._keepalive_expiry = keepalive_expiry
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], _Entry] = OrderedDict()
        self._ssl_context: ssl.SSLContext | None = None

    def _context(self) -> ssl.SSLContext:
        # Built on the first https request: loading the CA bundle takes a while.
        if self._ssl_context is None:
            cafile = self._ca_bundle
            if cafile is None:
                import certifi

                cafile = certifi.where()
            self._ssl_context = ssl.create_default_context(cafile=cafile)
        return self._ssl_context

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        key = (request.url.scheme, request.url.host, request.url.port)
        entry = self._pools.get(key)
        if entry is None:
            await self._close_idle()
            entry = self._pools[key] = _Entry(
                httpcore.AsyncConnectionPool(
                    ssl_context=self._context() if request.url.scheme == b"https" else None,
                    max_connections=self._per_host,
                    max_keepalive_connections=self._per_host,
                    keepalive_expiry=self._keepalive_expiry,
                    http1=True,
                    http2=False,
                    network_backend=self._backend,
                )
            )
        else:
            self._pools.move_to_end(key)
        entry.active += 1
        try:
            response = await entry.pool.handle_async_request(request)
        except BaseException:
            entry.active -= 1
            raise
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_TrackedStream(response.stream, entry),
            extensions=response.extensions,
        )

    async def _close_idle(self) -> None:
        if len(self._pools) < self._max_pools:
            return
        for key in [k for k, e in self._pools.items() if e.active == 0]:
            entry = self._pools.pop(key)
            await entry.pool.aclose()
            if len(self._pools) < self._max_pools // 2:
                break

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for entry in pools:
            await entry.pool.aclose()

    async def __aenter__(self) -> PoolPerHost:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (its request mapping and error translation) over
    connection pools whose network backend connects only to the guard's pins."""

    def __init__(
        self, guard: AddressGuard, *, per_host: int, max_pools: int, ca_bundle: str | None
    ) -> None:
        # verify=False only spares building a CA context for the pool replaced below.
        super().__init__(verify=False, trust_env=False)
        # httpx builds its pool without a way to pass a network backend; replace it.
        # Refuse to run if httpx changed shape, rather than silently connecting
        # through an unpinned pool.
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError("this httpx version is not supported by feedlint's probe")
        self._pool = PoolPerHost(  # type: ignore[assignment]
            guard,
            per_host=per_host,
            max_pools=max_pools,
            keepalive_expiry=5.0,
            ca_bundle=ca_bundle,
        )


def _no_cookies() -> http.cookiejar.CookieJar:
    """A jar that keeps nothing: no domain is allowed to set a cookie."""
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def make_client(
    guard: AddressGuard,
    *,
    concurrency: int,
    per_host: int,
    timeout: float,
    user_agent: str | None,
    ca_bundle: str | None = None,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=PinnedTransport(
            guard,
            per_host=per_host,
            max_pools=max(8, 2 * concurrency // max(1, per_host)),
            ca_bundle=ca_bundle,
        ),
        trust_env=False,
        follow_redirects=False,
        cookies=_no_cookies(),
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": user_agent or DEFAULT_USER_AGENT, "Accept": "*/*"},
    )
