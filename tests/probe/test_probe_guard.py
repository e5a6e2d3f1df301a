"""The address guard: non-public addresses are refused before any request is sent."""

from __future__ import annotations

import asyncio

import pytest

from feedlint.probe import AddressGuard, Refused, address_problem, findings_for
from tests.probe.conftest import probe, probe_one, quick
from tests.probe.server import Reply, Server


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.20", "private"),
        ("fc00::1", "private"),
        ("169.254.10.1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("100.64.0.1", "shared (CGNAT)"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 around 10.0.0.1
        ("192.0.2.1", "private"),  # documentation range: never a real host
    ],
)
def test_non_public_addresses(address: str, problem: str) -> None:
    assert address_problem(address) == problem


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert address_problem(address) is None


def test_loopback_url_is_refused_and_never_requested(server: Server) -> None:
    url = server.route("/secret", Reply(200))
    outcome = probe_one(url, settings=quick(probe_allow_private=False))
    assert outcome.error == "refused"
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL607"
    assert message == (
        "webUrl was not fetched: 127.0.0.1 is a loopback address; "
        "--probe-allow-private lets the probe reach it"
    )
    assert server.requests == [] and server.connections == 0


def test_a_name_resolving_to_loopback_is_refused(server: Server) -> None:
    server.route("/", Reply(200))
    url = f"http://localhost:{server.port}/"
    outcome = probe_one(url, settings=quick(probe_allow_private=False))
    assert outcome.error == "refused"
    assert "its host localhost resolves to" in outcome.detail
    assert server.connections == 0


def test_any_bad_address_refuses_the_host() -> None:
    async def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.5"]

    guard = AddressGuard(resolve=mixed)
    with pytest.raises(Refused, match="resolves to 10.0.0.5, a private address"):
        asyncio.run(guard.check("mixed.example", 80))
    assert "mixed.example" not in guard.pins


def test_credentials_in_the_url_are_refused(server: Server) -> None:
    server.route("/", Reply(200))
    outcome = probe_one(f"http://user:secret@127.0.0.1:{server.port}/")
    assert outcome.error == "refused"
    assert outcome.detail == "it carries a user name or password"
    assert server.connections == 0


def test_the_connection_goes_to_the_checked_address(server: Server) -> None:
    """A made-up name, resolved once by the guard, reaches the server: the connection
    used the pinned address (a second lookup would fail), and the request kept its
    host name."""
    calls: list[str] = []

    async def fake_dns(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    server.route("/a", Reply(200))
    server.route("/b", Reply(301, {"Location": f"http://pinned.test:{server.port}/a"}))
    urls = [f"http://pinned.test:{server.port}/a", f"http://pinned.test:{server.port}/b"]
    outcomes = probe(urls, quick(), resolve=fake_dns)
    assert all(o.status == 200 for o in outcomes.values()), outcomes
    assert calls == ["pinned.test"]
    assert {r.headers["host"] for r in server.requests} == {f"pinned.test:{server.port}"}


def test_rebinding_cannot_change_the_address(server: Server) -> None:
    """The first answer is checked and pinned; a later, different answer is never asked
    for, so a name cannot pass the check and then point somewhere else."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])

    async def rebinding_dns(host: str, port: int) -> list[str]:
        return next(answers)

    server.route("/", Reply(200))
    urls = [f"http://rebind.test:{server.port}/?{n}" for n in range(5)]
    for url in urls:
        server.route(url.split(str(server.port))[1], Reply(200))
    settings = quick(probe_allow_private=False, probe_allow_networks=("127.0.0.1/32",))
    outcomes = probe(urls, settings, resolve=rebinding_dns)
    assert [o.status for o in outcomes.values()] == [200] * 5


def test_allow_networks_is_narrower_than_allow_private(servers) -> None:
    one, two = servers("127.0.0.1"), servers("127.0.0.3")
    one.route("/", Reply(200))
    two.route("/", Reply(200))
    settings = quick(probe_allow_private=False, probe_allow_networks=("127.0.0.1/32",))
    outcomes = probe([one.url("/"), two.url("/")], settings)
    assert outcomes[one.url("/")].status == 200
    assert outcomes[two.url("/")].error == "refused"
    assert two.connections == 0
