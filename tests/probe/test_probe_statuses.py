"""What a link answers and what feedlint makes of it, against a real loopback server."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from feedlint.probe import findings_for
from feedlint.probe._fetch import parse_retry_after
from tests.probe.conftest import probe, probe_one, quick
from tests.probe.server import Reply, Request, Server


def codes(outcome, **kwargs) -> list[str]:
    return [code for code, _ in findings_for(outcome, "webUrl", None, **kwargs)]


def test_200_is_fine_with_one_head(server: Server) -> None:
    url = server.route("/ok", Reply(200))
    outcome = probe_one(url)
    assert outcome.status == 200 and outcome.error is None
    assert codes(outcome) == []
    assert [r.method for r in server.hits("/ok")] == ["HEAD"]


@pytest.mark.parametrize("status", [404, 410, 418, 400])
def test_client_errors_are_broken(server: Server, status: int) -> None:
    url = server.route("/gone", Reply(status))
    outcome = probe_one(url)
    assert outcome.status == status
    assert codes(outcome) == ["FL601"]
    message = findings_for(outcome, "webUrl", None)[0][1]
    assert str(status) in message and message.startswith("webUrl is broken")


def test_404_and_410_are_not_retried_nor_asked_again_with_get(server: Server) -> None:
    server.route("/a", Reply(404))
    server.route("/b", Reply(410))
    probe([server.url("/a"), server.url("/b")])
    assert [r.method for r in server.requests] == ["HEAD", "HEAD"]


@pytest.mark.parametrize("status", [401, 403, 451, 999])
def test_blocked_statuses_are_warnings(server: Server, status: int) -> None:
    url = server.route("/blocked", Reply(status))
    outcome = probe_one(url)
    assert codes(outcome) == ["FL604"]
    assert "may work in a browser" in findings_for(outcome, "webUrl", None)[0][1]


def test_accepted_status_is_fine(server: Server) -> None:
    url = server.route("/blocked", Reply(403))
    settings = quick(probe_accept_status=(403,))
    outcome = probe_one(url, settings=settings)
    assert codes(outcome, accept=(403,)) == []
    # An accepted status is not asked again with GET.
    assert [r.method for r in server.hits("/blocked")] == ["HEAD"]


def test_500_is_retried_then_broken(server: Server) -> None:
    url = server.route("/boom", Reply(500))
    outcome = probe_one(url)
    assert len(server.hits("/boom")) == 3  # one attempt and two retries
    assert outcome.status == 500 and codes(outcome) == ["FL601"]


def test_503_then_200_is_fine(server: Server) -> None:
    answers = iter([Reply(503), Reply(200)])
    url = server.route("/flaky", lambda request: next(answers))
    outcome = probe_one(url)
    assert outcome.status == 200 and codes(outcome) == []
    assert len(server.hits("/flaky")) == 2


def test_retries_setting(server: Server) -> None:
    url = server.route("/boom", Reply(502))
    probe_one(url, settings=quick(probe_retries=0))
    assert len(server.hits("/boom")) == 1


def test_429_with_retry_after_is_honoured(server: Server) -> None:
    answers = iter([Reply(429, {"Retry-After": "1"}), Reply(200)])
    url = server.route("/slow-down", lambda request: next(answers))
    started = time.monotonic()
    outcome = probe_one(url)
    elapsed = time.monotonic() - started
    assert outcome.status == 200 and codes(outcome) == []
    assert elapsed >= 0.95, "the Retry-After of 1 s was not waited for"
    assert elapsed < 3.0


def test_429_after_retries_is_a_warning(server: Server) -> None:
    url = server.route("/busy", Reply(429))
    outcome = probe_one(url)
    assert len(server.hits("/busy")) == 3
    assert codes(outcome) == ["FL604"]


def test_retry_after_beyond_the_cap_is_reported_at_once(server: Server) -> None:
    url = server.route("/later", Reply(503, {"Retry-After": "3600"}))
    started = time.monotonic()
    outcome = probe_one(url)
    assert time.monotonic() - started < 1.5  # the cap alone is 2 s
    assert len(server.hits("/later")) == 1
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL601" and "3,600 s" in message


def test_retry_after_as_http_date() -> None:
    now = time.time()
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now) == pytest.approx(30, abs=1)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now) == 0
    assert parse_retry_after("120") == 120
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_head_405_then_get_200(server: Server) -> None:
    url = server.route(
        "/no-head", lambda r: Reply(405) if r.method == "HEAD" else Reply(200, body=b"x" * 10)
    )
    outcome = probe_one(url)
    assert [r.method for r in server.hits("/no-head")] == ["HEAD", "GET"]
    assert outcome.status == 200 and codes(outcome) == []


def test_head_501_then_get_404_is_broken(server: Server) -> None:
    url = server.route("/x", lambda r: Reply(501) if r.method == "HEAD" else Reply(404))
    outcome = probe_one(url)
    assert [r.method for r in server.hits("/x")] == ["HEAD", "GET"]
    assert codes(outcome) == ["FL601"]


def test_user_agent_and_no_environment_proxy(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy in the environment is ignored: the request still reaches the server.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    url = server.route("/ua", Reply(200))
    probe_one(url)
    (request,) = server.hits("/ua")
    from feedlint import __version__

    assert request.headers["user-agent"] == f"feedlint/{__version__} (+link check)"
    probe_one(url, settings=quick(probe_user_agent="AuditBot/1.0"))
    assert server.hits("/ua")[-1].headers["user-agent"] == "AuditBot/1.0"


def test_port_nothing_listens_on(server: Server) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Bound but not listening: connections are refused.
    outcome = probe_one(f"http://127.0.0.1:{port}/")
    assert outcome.error == "connect"
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL602" and "refused" in message


def test_slower_than_the_timeout(server: Server) -> None:
    url = server.route("/slow", Reply(200, delay=2.0))
    started = time.monotonic()
    outcome = probe_one(url, settings=quick(probe_timeout=0.3, probe_retries=1))
    elapsed = time.monotonic() - started
    assert outcome.error == "timeout"
    assert len(server.hits("/slow")) == 2
    assert elapsed < 1.8  # the server would take 2 s
    [(code, message)] = findings_for(outcome, "webUrl", None)
    assert code == "FL602" and "no answer within 0.3 s (2 attempts)" in message


def test_unresolvable_host() -> None:
    async def nowhere(host: str, port: int) -> list[str]:
        from feedlint.probe import ResolveError

        raise ResolveError("the host name does not resolve", final=True)

    outcome = probe({"http://no-such-host.invalid/": False}, resolve=nowhere)[
        "http://no-such-host.invalid/"
    ]
    assert outcome.error == "dns"
    assert codes(outcome) == ["FL602"]


def test_no_cookies_are_kept(server: Server) -> None:
    server.route(
        "/set", Reply(302, {"Location": "/check", "Set-Cookie": "session=1; Path=/"})
    )
    server.route("/check", Reply(200))
    probe_one(server.url("/set"))
    (request,) = server.hits("/check")
    assert "cookie" not in request.headers


def test_each_request_carries_the_host_name(server: Server) -> None:
    seen: list[Request] = []

    def record(request: Request) -> Reply:
        seen.append(request)
        return Reply(200)

    url = server.route("/host", record)
    probe_one(url)
    assert seen[0].headers["host"] == f"127.0.0.1:{server.port}"
