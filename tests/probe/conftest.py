"""Fixtures for the probe tests: loopback servers, quick settings, articles that link to them."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from feedlint.probe import Outcome, probe_urls
from feedlint.settings import Settings
from tests.probe.server import Server

#: Short timeouts and tiny backoffs keep the suite fast; no cache unless a test wants one.
QUICK = Settings(
    probe=True,
    probe_allow_private=True,
    probe_timeout=1.0,
    probe_retries=2,
    probe_backoff=0.01,
    probe_retry_after_cap=2.0,
    probe_cache=False,
)


def quick(**changes: Any) -> Settings:
    return dataclasses.replace(QUICK, **changes)


def probe(wanted: Mapping[str, bool] | list[str], settings: Settings | None = None,
          **kwargs: Any) -> dict[str, Outcome]:
    """Probe URLs (a list: as pages; a mapping: url -> as an image) in a fresh loop."""
    if not isinstance(wanted, Mapping):
        wanted = {url: False for url in wanted}
    return asyncio.run(probe_urls(wanted, settings or QUICK, **kwargs))


def probe_one(url: str, *, image: bool = False, settings: Settings | None = None) -> Outcome:
    return probe({url: image}, settings)[url]


@pytest.fixture
def servers() -> Iterator[Any]:
    started: list[Server] = []

    def start(host: str = "127.0.0.1") -> Server:
        server = Server(host).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(servers: Any) -> Server:
    return servers("127.0.0.1")


def article(web_url: str, *, images: list[tuple[str, int, int]] = (),  # type: ignore[assignment]
            related: list[str] = (), original_url: str | None = None) -> str:  # type: ignore[assignment]
    """An otherwise valid article whose URLs are the ones given."""
    lines = [
        "---",
        'title: "A headline"',
        "publishedDateTime: 2023-08-07T08:11:00Z",
        f'webUrl: "{web_url}"',
    ]
    if original_url:
        lines.append(f'originalUrl: "{original_url}"')
    lines += ["provider:", "  name: Example", "  domain: example.com"]
    if images:
        lines.append("images:")
        for url, width, height in images:
            lines += [f'  - url: "{url}"', f"    width: {width}", f"    height: {height}"]
    if related:
        lines.append("related:")
        for url in related:
            lines += ['  - title: "Coverage"', f'    webUrl: "{url}"', "    provider:",
                      "      name: Other", "      domain: example.org"]
    lines += ["---", ""]
    return "\n".join(lines)


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


#: The link codes only: the test articles link to loopback servers over http, which
#: the content rules (rightly) report too.
PROBE_FLAGS = ["--probe", "--allow-private", "--no-cache", "--probe-timeout", "1",
               "--probe-retries", "0", "--format", "json", "--select", "FL6"]
