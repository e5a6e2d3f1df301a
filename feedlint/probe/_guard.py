"""The address guard: resolve first, refuse non-public addresses, connect to what was checked.

In CI the URLs come from pull requests, so a URL must not make the checker reach
the machine it runs on, its network or a cloud metadata service. Every host is
resolved once per run; when any of its addresses is not public the request is
refused. The connection then goes to the checked address: the network backend
below looks the host up in the guard's pins and never asks DNS again, so an
answer that changes between the check and the connection (DNS rebinding) cannot
redirect it. The request keeps its host name for the pool, the ``Host`` header,
TLS SNI and certificate checks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore

#: Resolve a host name to its addresses (as strings), as getaddrinfo does.
Resolver = Callable[[str, int], Awaitable[list[str]]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Cloud metadata services (AWS, GCP and Azure share 169.254.169.254; AWS also
#: fd00:ec2::254; Alibaba 100.100.100.200; ECS task metadata 169.254.170.2).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """The guard refused a URL; the message says why, for a person."""


class ResolveError(Exception):
    """The host name did not resolve."""

    def __init__(self, message: str, *, final: bool) -> None:
        super().__init__(message)
        #: False for a temporary failure (worth trying again later in the run).
        self.final = final


def address_problem(address: str) -> str | None:
    """Why ``address`` must not be fetched (``"loopback"``, ...), or None when public."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparsable"
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 address that carries an IPv4 one reaches that IPv4 host.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_problem(str(embedded))
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared (CGNAT)"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


async def system_resolve(host: str, port: int) -> list[str]:
    """The system resolver (getaddrinfo), addresses in its order, each once."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        final = err.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5))
        raise ResolveError(
            f"the host name {host} does not resolve"
            if final
            else f"DNS failed for {host} ({err.strerror})",
            final=final,
        ) from err
    except UnicodeError as err:
        raise ResolveError(f"the host name {host} is not a valid name", final=True) from err
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ResolveError(f"the host name {host} has no address", final=True)
    return addresses


class AddressGuard:
    """Resolves each host once per run, checks its addresses and pins them."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allow_networks: Iterable[str] = (),
        resolve: Resolver | None = None,
    ) -> None:
        self.allow_private = allow_private
        #: Non-public networks that may be reached all the same (a narrower
        #: --probe-allow-private: one intranet range, one test address).
        self.allow_networks = tuple(
            ipaddress.ip_network(n, strict=False) for n in allow_networks
        )
        self._resolve = resolve or system_resolve
        #: Host (as the connection pool names it: IDNA ASCII, IPv6 without brackets)
        #: -> the checked addresses to connect to.
        self.pins: dict[str, tuple[str, ...]] = {}
        self._lookups: dict[str, asyncio.Future[tuple[str, ...]]] = {}
        #: How many times each host was resolved (a test shows it is once).
        self.lookups: dict[str, int] = {}

    async def check(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses ``host`` may be reached at; raises Refused or ResolveError."""
        future = self._lookups.get(host)
        if (
            future is not None
            and future.done()
            and not future.cancelled()
            and future.exception() is None
        ):
            return future.result()  # the common case: no trip through the event loop
        if future is None:
            future = asyncio.ensure_future(self._lookup(host, port))
            self._lookups[host] = future
        try:
            # Shielded: an attempt that times out must not cancel a lookup other
            # requests to the same host wait for.
            return await asyncio.shield(future)
        except ResolveError as err:
            if not err.final and self._lookups.get(host) is future:
                del self._lookups[host]
            raise

    async def _lookup(self, host: str, port: int) -> tuple[str, ...]:
        self.lookups[host] = self.lookups.get(host, 0) + 1
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
            addresses = [host]
        except ValueError:
            addresses = await self._resolve(host, port)
        if not self.allow_private:
            for address in addresses:
                problem = address_problem(address)
                if problem is not None and not self._allowed(address):
                    if address == host:
                        where = f"{address} is a {problem} address"
                    else:
                        where = f"its host {host} resolves to {address}, a {problem} address"
                    raise Refused(f"{where}; --probe-allow-private lets the probe reach it")
        pinned = tuple(addresses)
        self.pins[host] = pinned
        return pinned


    def _allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return any(ip in network for network in self.allow_networks)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the addresses the guard checked for a host, never resolving again."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self._guard.pins.get(host)
        if not addresses:
            # Fail closed: a host the guard has not checked is never connected to.
            raise httpcore.ConnectError(f"{host} was not checked by the address guard")
        error: Exception | None = None
        for address in addresses:
            try:
                return _Stream(
                    await self._inner.connect_tcp(
                        address, port, timeout, local_address, socket_options
                    )
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                error = err
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never used by the probe")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _Stream(httpcore.AsyncNetworkStream):
    """AnyIO's stream with its socket looked up once.

    httpcore asks whether every idle connection of a pool is readable each time it
    places a request, and anyio rebuilds its table of attributes for each such
    question: that alone cost a third of the probe's CPU time.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return _readable(self._socket)
        if info == "socket":
            return self._socket
        return self._inner.get_extra_info(info)


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would return at once (data, or the end of a closed connection)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([fd], [], [], 0)[0])
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))
