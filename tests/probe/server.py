"""A real HTTP/1.1 server on a loopback address, run in a thread, for the probe tests.

Routes answer with a :class:`Reply` (status, headers, body, delay, Range support)
or with a raw handler that writes whatever it likes to the socket (garbage, an
endless body, a connection dropped mid-answer). The server records every request
and the most requests it was ever handling at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    connection: int


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: Seconds to wait before answering.
    delay: float = 0.0
    #: Answer a ``Range: bytes=a-b`` request with 206 and that slice.
    ranges: bool = False


Handler = Callable[[Request], Reply]
Raw = Callable[[Request, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

_REASONS = {200: "OK", 206: "Partial Content", 301: "Moved Permanently", 302: "Found",
            404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable"}


class Server:
    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None,
                 name: str | None = None) -> None:
        self.host = host
        self.tls = tls
        #: The host name URLs use (a made-up name the tests resolve themselves).
        self.name = name or host
        self.port = 0
        self.routes: dict[str, Reply | Handler | Raw] = {}
        self.raw_routes: set[str] = set()
        self.requests: list[Request] = []
        self.connections = 0
        self.active = 0
        self.peak = 0
        #: (time.monotonic(), +1 or -1) as each request starts and ends.
        self.timeline: list[tuple[float, int]] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # -- set up ------------------------------------------------------------

    def url(self, path: str) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.name}:{self.port}{path}"

    def route(self, path: str, answer: Reply | Handler) -> str:
        self.routes[path] = answer
        return self.url(path)

    def raw(self, path: str, handler: Raw) -> str:
        self.routes[path] = handler
        self.raw_routes.add(path)
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> Server:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._server = loop.run_until_complete(
                asyncio.start_server(self._serve, self.host, 0, limit=1 << 20, ssl=self.tls)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    # -- serving -----------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._lock:
            self.connections += 1
            connection = self.connections
        self._writers.add(writer)
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                try:
                    method, target, _ = line.decode("latin-1").split(" ", 2)
                except ValueError:
                    return
                headers: dict[str, str] = {}
                while True:
                    header = await reader.readline()
                    if header in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                request = Request(method, target, headers, connection)
                with self._lock:
                    self.requests.append(request)
                    self.active += 1
                    self.peak = max(self.peak, self.active)
                    self.timeline.append((time.monotonic(), 1))
                ended = False

                def end() -> None:
                    # Counted as over before the answer is written, so that a client
                    # that sends its next request on reading it is never counted twice.
                    nonlocal ended
                    if not ended:
                        ended = True
                        with self._lock:
                            self.active -= 1
                            self.timeline.append((time.monotonic(), -1))

                try:
                    keep = await self._answer(request, reader, writer, end)
                finally:
                    end()
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()

    async def _answer(
        self,
        request: Request,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        end: Callable[[], None],
    ) -> bool:
        path = request.path
        route = self.routes.get(path)
        if path in self.raw_routes:
            await route(request, reader, writer)  # type: ignore[operator]
            return False
        if route is None:
            reply = Reply(404, body=b"not found")
        elif isinstance(route, Reply):
            reply = route
        else:
            reply = route(request)  # type: ignore[operator]
        if reply.delay:
            await asyncio.sleep(reply.delay)
        status, body = reply.status, reply.body
        headers = dict(reply.headers)
        wanted = request.headers.get("range", "")
        if reply.ranges and status == 200 and wanted.startswith("bytes="):
            first, _, last = wanted[6:].partition("-")
            start = int(first)
            stop = min(int(last) if last else len(body) - 1, len(body) - 1)
            headers["Content-Range"] = f"bytes {start}-{stop}/{len(body)}"
            status, body = 206, body[start : stop + 1]
        if reply.ranges:
            headers.setdefault("Accept-Ranges", "bytes")
        headers.setdefault("Content-Length", str(len(body)))
        end()
        head = f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        writer.write(head.encode("latin-1"))
        if request.method != "HEAD":
            writer.write(body)
        await writer.drain()
        return True
