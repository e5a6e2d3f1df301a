"""https through the pinned connection: SNI and the certificate check use the host name."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme

from feedlint.probe import findings_for
from tests.probe.conftest import probe, quick
from tests.probe.server import Reply, Server


@pytest.fixture
def tls_server(tmp_path: Path):
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("news.test").configure_cert(context)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment]
    server = Server("127.0.0.1", tls=context, name="news.test").start()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    yield server, str(bundle), names
    server.stop()


async def to_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def test_https_is_verified_against_the_host_name(tls_server) -> None:
    server, bundle, names = tls_server
    url = server.route("/story", Reply(200))
    outcome = probe([url], quick(probe_ca_bundle=bundle), resolve=to_loopback)[url]
    assert outcome.status == 200, outcome
    assert names == ["news.test"]
    assert server.hits("/story")[0].headers["host"] == f"news.test:{server.port}"


def test_a_certificate_for_another_name_fails(tls_server) -> None:
    server, bundle, _ = tls_server
    server.route("/story", Reply(200))
    url = f"https://elsewhere.test:{server.port}/story"
    outcome = probe([url], quick(probe_ca_bundle=bundle), resolve=to_loopback)[url]
    assert outcome.error == "tls"
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL602" and "TLS failed" in message
    assert server.requests == []


def test_an_unknown_authority_fails(tls_server) -> None:
    server, _, _ = tls_server
    url = server.route("/story", Reply(200))
    outcome = probe([url], quick(), resolve=to_loopback)[url]
    assert outcome.error == "tls"
    assert server.requests == []
