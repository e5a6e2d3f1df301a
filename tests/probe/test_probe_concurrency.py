"""Limits: never more in flight than allowed, overall and per host; connections reused."""

from __future__ import annotations

from feedlint.probe._fetch import Prober
from tests.probe.conftest import probe, quick
from tests.probe.server import Reply


def test_per_host_limit_is_never_exceeded(servers) -> None:
    hosts = [servers(f"127.0.0.{n}") for n in (1, 2, 3)]
    urls = []
    for server in hosts:
        for n in range(12):
            urls.append(server.route(f"/{n}", Reply(200, delay=0.05)))
    probers: list[Prober] = []
    outcomes = probe(urls, quick(probe_per_host=3), on_prober=probers.append)
    assert all(o.status == 200 for o in outcomes.values())
    for server in hosts:
        assert server.peak == 3, "each host should see exactly its limit at the busiest"
    assert max(probers[0].peak.values()) == 3


def test_global_limit_across_hosts(servers) -> None:
    hosts = [servers(f"127.0.0.{n}") for n in (1, 2, 3, 4)]
    urls = [server.route(f"/{n}", Reply(200, delay=0.05)) for server in hosts for n in range(6)]
    probe(urls, quick(probe_per_host=8, probe_concurrency=5))
    assert _peak_in_flight(hosts) == 5


def _peak_in_flight(hosts) -> int:
    """The most requests the servers were handling at one time, from their logs of
    start and end times (each server only knows its own)."""
    events = []
    for server in hosts:
        events += server.timeline
    events.sort()
    current = peak = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def test_one_host_with_most_urls_does_not_hold_up_the_others(servers) -> None:
    busy, quiet = servers("127.0.0.1"), servers("127.0.0.2")
    urls = [busy.route(f"/{n}", Reply(200, delay=0.05)) for n in range(20)]
    quiet_url = quiet.route("/only", Reply(200))
    # The quiet host's one URL comes last in the input.
    urls.append(quiet_url)
    outcomes = probe(urls, quick(probe_per_host=2, probe_concurrency=4))
    assert outcomes[quiet_url].status == 200
    # The quiet host is asked in the first round, before the busy host's third URL
    # (which waits for one of the first two to finish).
    busy_starts = [t for t, delta in busy.timeline if delta == 1]
    assert quiet.timeline[0][0] < busy_starts[2], "the quiet host waited behind the busy one"


def test_keep_alive_reuses_connections(server) -> None:
    urls = [server.route(f"/{n}", Reply(200)) for n in range(20)]
    probe(urls, quick(probe_per_host=1))
    assert len(server.requests) == 20
    assert server.connections == 1


def test_each_unique_url_once(server) -> None:
    url = server.route("/page", Reply(200))
    outcomes = probe({url: False, url + "?x": False})
    assert len(outcomes) == 2
    assert len(server.hits("/page")) == 1
