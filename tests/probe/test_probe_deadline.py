"""One URL's whole check (every redirect, retry and wait) ends at --probe-url-deadline."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from feedlint.probe import findings_for
from tests.conftest import run_feedlint
from tests.probe.conftest import article, probe, probe_one, quick, write_article
from tests.probe.server import Reply, Request, Server


def busy_chain(server: Server, hops: int, retry_after: str) -> str:
    """``/hop/0`` -> ``/hop/1`` -> ... -> ``/hop/<hops>`` (200), each hop answering
    ``503 Retry-After`` twice before it redirects."""
    seen: Counter[str] = Counter()

    def hop(request: Request) -> Reply:
        seen[request.path] += 1
        number = int(request.path.rsplit("/", 1)[1])
        if number == hops:
            return Reply(200)
        if seen[request.path] % 3:
            return Reply(503, {"Retry-After": retry_after})
        return Reply(302, {"Location": f"/hop/{number + 1}"})

    for number in range(hops + 1):
        server.route(f"/hop/{number}", hop)
    return server.url("/hop/0")


def test_redirects_answering_503_with_retry_after_end_at_the_deadline(
    tmp_path: Path, server: Server
) -> None:
    """Eleven hops, each asking twice to retry after 1 s, took 22 s for one URL with
    --probe-timeout 1 (and 66 s with Retry-After: 3): --probe-url-deadline bounds it."""
    url = busy_chain(server, hops=11, retry_after="1")
    write_article(tmp_path, "a.md", article(url))
    started = time.monotonic()
    run = run_feedlint(
        ["check", "--probe", "--allow-private", "--no-cache", "--probe-timeout", "1",
         "--probe-url-deadline", "3", "--format", "json", "--select", "FL6", "a.md"],
        cwd=tmp_path,
    )
    elapsed = time.monotonic() - started
    assert elapsed < 8, elapsed  # a bound, not a benchmark: the deadline is 3 s
    assert run.returncode == 1, run.stderr
    [found] = run.json()["diagnostics"]
    assert (found["code"], found["pointer"], found["line"]) == ("FL602", "/webUrl", 4)
    message = found["message"]
    assert message.startswith(
        "webUrl cannot be reached: the whole check would take longer than 3 s, redirects, "
        "retries and waits included: the server asked to retry after 1 s (after "
        f"redirecting to {server.url('/hop/1')})"
    ), message
    assert message.endswith(
        "; to give each URL more time, raise --probe-url-deadline (probe-url-deadline in "
        "the configuration)"
    )
    assert server.hits("/hop/11") == [] and server.hits("/hop/2") == []


def test_a_retry_after_that_would_pass_the_deadline_is_not_waited_for(server: Server) -> None:
    url = server.route("/busy", Reply(503, {"Retry-After": "2"}))
    started = time.monotonic()
    outcome = probe_one(url, settings=quick(probe_retry_after_cap=60, probe_url_deadline=1.5))
    assert time.monotonic() - started < 1.5
    assert len(server.hits("/busy")) == 1
    assert outcome.error == "timeout" and outcome.deadline == 1.5
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL602"
    assert message.startswith(
        "webUrl cannot be reached: the whole check would take longer than 1.5 s, redirects, "
        "retries and waits included: the server asked to retry after 2 s;"
    )


def test_a_slow_answer_is_cut_at_the_deadline(server: Server) -> None:
    """The deadline cuts an attempt short too, and leaves no time for a retry."""
    url = server.route("/slow", Reply(200, delay=4))
    started = time.monotonic()
    outcome = probe_one(url, settings=quick(probe_timeout=10, probe_url_deadline=0.5))
    assert time.monotonic() - started < 2.5
    assert len(server.hits("/slow")) == 1
    assert outcome.error == "timeout" and outcome.deadline == 0.5
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL602" and "the whole check took longer than 0.5 s" in message


def test_retries_within_the_deadline_still_happen(server: Server) -> None:
    calls: Counter[str] = Counter()

    def flaky(request: Request) -> Reply:
        calls[request.path] += 1
        return Reply(503, {"Retry-After": "0"}) if calls[request.path] < 3 else Reply(200)

    url = server.route("/flaky", flaky)
    outcome = probe_one(url, settings=quick(probe_url_deadline=5))
    assert outcome.status == 200 and outcome.error is None
    assert len(server.hits("/flaky")) == 3


def test_time_queued_for_a_request_slot_does_not_count(servers) -> None:
    """Five URLs on five hosts all redirect to one host that takes one request at a
    time: the last waits its turn there past its deadline, but only the time spent
    on it counts."""
    target = servers("127.0.0.1")
    slow = target.route("/slow", Reply(200, delay=0.4))
    urls = []
    for n in range(2, 7):
        origin = servers(f"127.0.0.{n}")
        urls.append(origin.route("/moved", Reply(302, {"Location": slow})))
    outcomes = probe(urls, quick(probe_per_host=1, probe_url_deadline=1))
    assert target.peak == 1 and len(target.hits("/slow")) == 5
    assert [outcomes[url].status for url in urls] == [200] * 5
