"""Image sizes from the first bytes: real PNG, JPEG, GIF and WebP files, with and
without Range support, and the reads bounded whatever the server does."""

from __future__ import annotations

import gzip
import time

import pytest

from feedlint.probe import findings_for
from tests.probe.conftest import probe_one, quick
from tests.probe.images import CONTENT_TYPES, FORMATS, jpeg_with_metadata, make_image
from tests.probe.server import Reply, Server

#: The most one network read brings in (httpcore reads 64 KiB at a time): reading
#: stops at the byte cap, overshooting it by at most one read.
ONE_READ = 64 * 1024


@pytest.mark.parametrize("ranges", [True, False], ids=["range", "no-range"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_real_size_is_read(server: Server, fmt: str, ranges: bool) -> None:
    body = make_image(fmt, 321, 123)
    headers = {"Content-Type": CONTENT_TYPES[fmt]}
    url = server.route("/img", Reply(200, headers, body, ranges=ranges))
    outcome = probe_one(url, image=True)
    assert outcome.size == (321, 123)
    assert findings_for(outcome, "images[0].url", (321, 123), image=True) == []
    [(code, message)] = findings_for(outcome, "images[0].url", (800, 492), image=True)
    assert code == "FL606"
    assert message == (
        "images[0].url: the image is 321x123 pixels, but width and height declare 800x492"
    )
    (request,) = server.hits("/img")
    assert request.method == "GET"
    assert request.headers["range"].startswith("bytes=0-")


def test_range_request_reads_only_the_first_bytes(server: Server) -> None:
    # A PNG followed by 2 MB (decoders ignore what follows the image).
    body = make_image("PNG", 64, 48) + b"\0" * 2_000_000
    url = server.route("/big.png", Reply(200, {"Content-Type": "image/png"}, body, ranges=True))
    outcome = probe_one(url, image=True, settings=quick(probe_image_bytes=4096))
    assert outcome.size == (64, 48)
    assert outcome.bytes_read <= 4096
    assert server.hits("/big.png")[0].headers["range"] == "bytes=0-4095"


def test_server_ignoring_range_is_cut_off(server: Server) -> None:
    body = make_image("PNG", 64, 48) + b"\0" * 5_000_000
    url = server.route("/big.png", Reply(200, {"Content-Type": "image/png"}, body))
    outcome = probe_one(url, image=True)
    assert outcome.size == (64, 48)
    # The size is in the first chunk: reading stopped long before the 5 MB.
    assert outcome.bytes_read <= 256 * 1024


def test_size_beyond_the_byte_cap_is_unknown(server: Server) -> None:
    body = jpeg_with_metadata(640, 480, metadata_bytes=20_000)
    url = server.route("/exif.jpg", Reply(200, {"Content-Type": "image/jpeg"}, body))
    outcome = probe_one(url, image=True, settings=quick(probe_image_bytes=8192))
    assert outcome.size is None and outcome.image_problem == "unknown-size"
    assert outcome.bytes_read <= 8192 + ONE_READ
    [(code, message)] = findings_for(outcome, "images[0].url", (640, 480), image=True,
                                     image_bytes=8192)
    assert code == "FL609" and "8,192 bytes" in message
    # With the default cap the same image is read to its size.
    assert probe_one(url, image=True).size == (640, 480)


def test_html_at_an_image_url(server: Server) -> None:
    url = server.route(
        "/photo", Reply(200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>login</html>")
    )
    outcome = probe_one(url, image=True)
    [(code, message)] = findings_for(outcome, "images[0].url", (800, 600), image=True)
    assert code == "FL608"
    assert message == "images[0].url does not serve an image: it serves text/html"


def test_broken_image_url_is_a_broken_link(server: Server) -> None:
    url = server.route("/missing.jpg", Reply(404))
    outcome = probe_one(url, image=True)
    assert [c for c, _ in findings_for(outcome, "images[0].url", (1, 1), image=True)] == ["FL601"]


def test_endless_image_body_is_bounded(server: Server) -> None:
    async def endless(request, reader, writer) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"\xff\xd8\xff\xe2" + b"\0" * 16000
        try:
            for _ in range(100_000):
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
        except ConnectionError:
            return

    url = server.raw("/endless.jpg", endless)
    started = time.monotonic()
    outcome = probe_one(url, image=True, settings=quick(probe_image_bytes=64 * 1024))
    assert time.monotonic() - started < 2.0
    assert outcome.bytes_read <= 64 * 1024 + ONE_READ
    assert outcome.image_problem == "unknown-size"


def test_compression_bomb_is_bounded(server: Server) -> None:
    # 16 MB of zeros after a PNG header, gzipped to 16 KB.
    bomb = gzip.compress(make_image("PNG", 10, 10)[:33] + b"\0" * 16_000_000, 9)
    url = server.route(
        "/bomb.png",
        Reply(200, {"Content-Type": "image/png", "Content-Encoding": "gzip"}, bomb),
    )
    outcome = probe_one(url, image=True, settings=quick(probe_image_bytes=32 * 1024))
    assert outcome.size == (10, 10)
    assert outcome.bytes_read <= ONE_READ


def test_compression_bomb_without_a_size_is_bounded(server: Server) -> None:
    bomb = gzip.compress(b"\0" * 16_000_000, 9)
    url = server.route("/bomb", Reply(200, {"Content-Encoding": "gzip"}, bomb))
    started = time.monotonic()
    outcome = probe_one(url, image=True, settings=quick(probe_image_bytes=32 * 1024))
    assert time.monotonic() - started < 2.0
    assert outcome.image_problem == "not-image"
    assert outcome.bytes_read <= ONE_READ


def test_connection_dropped_after_the_size_arrived(server: Server) -> None:
    image = make_image("GIF", 40, 30)

    async def drop(request, reader, writer) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: 100000\r\n\r\n"
        )
        writer.write(image)
        await writer.drain()
        writer.transport.abort()

    url = server.raw("/drop.gif", drop)
    outcome = probe_one(url, image=True)
    assert outcome.size == (40, 30)
