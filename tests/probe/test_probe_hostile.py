"""Servers that misbehave: every probe ends, in bounded time and bytes."""

from __future__ import annotations

import asyncio
import gzip
import time

from feedlint.probe import findings_for
from tests.probe.conftest import probe_one, quick
from tests.probe.server import Reply, Server


def test_garbage_instead_of_http(server: Server) -> None:
    async def garbage(request, reader, writer) -> None:
        writer.write(b"\x00\x01 this is not HTTP at all \xff\r\n\r\n")
        await writer.drain()

    url = server.raw("/garbage", garbage)
    started = time.monotonic()
    outcome = probe_one(url)
    assert time.monotonic() - started < 2.0
    assert outcome.error == "protocol"
    # HEAD failed in a way a GET might not: one GET more, and no retries of garbage.
    assert [r.method for r in server.hits("/garbage")] == ["HEAD", "GET"]
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL602" and "not valid HTTP" in message


def test_endless_headers(server: Server) -> None:
    async def endless_headers(request, reader, writer) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\n")
        try:
            for n in range(200_000):
                writer.write(b"X-Filler-%d: %s\r\n" % (n, b"a" * 100))
                await writer.drain()
        except ConnectionError:
            return

    url = server.raw("/headers", endless_headers)
    started = time.monotonic()
    outcome = probe_one(url, settings=quick(probe_retries=0))
    assert time.monotonic() - started < 3.0
    assert outcome.error in ("protocol", "timeout")


def test_endless_page_body_is_not_read(server: Server) -> None:
    async def endless(request, reader, writer) -> None:
        if request.method == "HEAD":
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(100_000):
                writer.write(b"4000\r\n" + b"x" * 0x4000 + b"\r\n")
                await writer.drain()
        except ConnectionError:
            return

    url = server.raw("/endless", endless)
    started = time.monotonic()
    outcome = probe_one(url)
    assert time.monotonic() - started < 2.0
    assert outcome.status == 200 and outcome.bytes_read == 0


def test_compression_bomb_page(server: Server) -> None:
    bomb = gzip.compress(b"\0" * 16_000_000, 9)
    url = server.route(
        "/bomb",
        lambda r: Reply(405) if r.method == "HEAD"
        else Reply(200, {"Content-Encoding": "gzip", "Content-Type": "text/html"}, bomb),
    )
    outcome = probe_one(url)
    assert outcome.status == 200 and outcome.bytes_read == 0


def test_connection_dropped_mid_response(server: Server) -> None:
    async def drop(request, reader, writer) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 5000\r\n\r\n")
        writer.write(b"\x89PNG\r\n")
        await writer.drain()
        writer.transport.abort()

    url = server.raw("/drop.png", drop)
    started = time.monotonic()
    outcome = probe_one(url, image=True)
    assert time.monotonic() - started < 2.0
    assert outcome.error == "reset"
    assert len(server.hits("/drop.png")) == 3  # a reset is worth retrying
    [(code, message)] = findings_for(outcome, "images[0].url", (1, 1), image=True)
    assert code == "FL602" and "closed the connection mid-answer (3 attempts)" in message


def test_connection_dropped_before_answering(server: Server) -> None:
    async def hang_up(request, reader, writer) -> None:
        writer.transport.abort()

    url = server.raw("/hangup", hang_up)
    outcome = probe_one(url, settings=quick(probe_retries=1))
    assert outcome.error == "reset"
    # HEAD and its retry, then GET and its retry.
    assert [r.method for r in server.hits("/hangup")] == ["HEAD", "HEAD", "GET", "GET"]


def test_slow_drip_body_hits_the_timeout(server: Server) -> None:
    async def drip(request, reader, writer) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
        )
        try:
            for _ in range(100):
                writer.write(b"\0")
                await writer.drain()
                await asyncio.sleep(0.05)
        except ConnectionError:
            return

    url = server.raw("/drip.jpg", drip)
    started = time.monotonic()
    outcome = probe_one(url, image=True, settings=quick(probe_timeout=0.3, probe_retries=0))
    assert time.monotonic() - started < 2.0  # the body would take 5 s
    assert outcome.error == "timeout"


def test_many_bad_servers_at_once_stay_bounded(servers) -> None:
    """A mix of the above over several hosts, all in one run, ends quickly."""
    one, two = servers("127.0.0.1"), servers("127.0.0.2")

    async def garbage(request, reader, writer) -> None:
        writer.write(b"nonsense\r\n\r\n")
        await writer.drain()

    from tests.probe.conftest import probe

    urls = {}
    for n in range(10):
        urls[one.raw(f"/g{n}", garbage)] = False
        urls[two.route(f"/slow{n}", Reply(200, delay=5))] = False
        urls[two.route(f"/ok{n}", Reply(200))] = False
    started = time.monotonic()
    outcomes = probe(urls, quick(probe_timeout=0.3, probe_retries=0, probe_per_host=4))
    assert time.monotonic() - started < 4.5  # a slow answer takes 5 s
    assert sum(o.error == "timeout" for o in outcomes.values()) == 10
    assert sum(o.status == 200 and o.error is None for o in outcomes.values()) == 10
