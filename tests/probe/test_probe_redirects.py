"""Redirects are followed by feedlint itself: counted, loop-checked, each hop guarded."""

from __future__ import annotations

from feedlint.probe import Outcome, findings_for
from tests.probe.conftest import probe_one, quick
from tests.probe.server import Reply, Server


def found(outcome: Outcome) -> list[tuple[str, str]]:
    return findings_for(outcome, "webUrl", None)


def test_chain_of_301s_warns_with_the_new_place(server: Server) -> None:
    server.route("/1", Reply(301, {"Location": "/2"}))
    server.route("/2", Reply(301, {"Location": server.url("/3")}))
    server.route("/3", Reply(308, {"Location": "/final"}))
    server.route("/final", Reply(200))
    outcome = probe_one(server.url("/1"))
    assert outcome.status == 200
    assert [s for s, _ in outcome.redirects] == [301, 301, 308]
    [(code, message)] = found(outcome)
    assert code == "FL605"
    assert message == f"webUrl has moved permanently to {server.url('/final')}: link there"


def test_permanent_then_temporary_names_the_permanent_target(server: Server) -> None:
    server.route("/old", Reply(301, {"Location": "/new"}))
    server.route("/new", Reply(302, {"Location": "/login?next=/new"}))
    server.route("/login?next=/new", Reply(200))
    [(code, message)] = found(probe_one(server.url("/old")))
    assert code == "FL605" and message.endswith(f"{server.url('/new')}: link there")


def test_temporary_redirects_are_fine(server: Server) -> None:
    server.route("/tmp", Reply(302, {"Location": "/here"}))
    server.route("/here", Reply(200))
    outcome = probe_one(server.url("/tmp"))
    assert outcome.status == 200 and found(outcome) == []


def test_redirect_to_a_broken_page_is_broken_not_moved(server: Server) -> None:
    server.route("/old", Reply(301, {"Location": "/gone"}))
    server.route("/gone", Reply(404))
    [(code, message)] = found(probe_one(server.url("/old")))
    assert code == "FL601"
    assert message == (
        f"webUrl is broken: 404 Not Found (after redirecting to {server.url('/gone')})"
    )


def test_scheme_only_move_is_not_reported() -> None:
    outcome = Outcome(
        url="http://example.com/a",
        status=200,
        final_url="https://example.com/a",
        redirects=[(301, "https://example.com/a")],
    )
    assert outcome.moved_to() is None
    moved = Outcome(
        url="http://example.com/a",
        status=200,
        final_url="https://example.com/a/",
        redirects=[(301, "https://example.com/a/")],
    )
    assert moved.moved_to() == "https://example.com/a/"


def test_redirect_loop(server: Server) -> None:
    server.route("/a", Reply(302, {"Location": "/b"}))
    server.route("/b", Reply(302, {"Location": "/a"}))
    outcome = probe_one(server.url("/a"))
    [(code, message)] = found(outcome)
    assert code == "FL603"
    assert message == (
        f"webUrl redirects in a loop: {server.url('/a')} -> {server.url('/b')} -> "
        f"{server.url('/a')}"
    )
    assert len(server.requests) == 2


def test_too_many_redirects(server: Server) -> None:
    for n in range(20):
        server.route(f"/{n}", Reply(301, {"Location": f"/{n + 1}"}))
    outcome = probe_one(server.url("/0"), settings=quick(probe_max_redirects=10))
    [(code, message)] = found(outcome)
    assert code == "FL603" and "more than 10 times" in message
    assert len(server.requests) == 11


def test_redirect_without_location_is_broken(server: Server) -> None:
    server.route("/nowhere", Reply(302))
    [(code, message)] = found(probe_one(server.url("/nowhere")))
    assert code == "FL601" and "without a Location" in message


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    server.route("/ftp", Reply(301, {"Location": "ftp://example.com/file"}))
    [(code, message)] = found(probe_one(server.url("/ftp")))
    assert code == "FL607"
    assert "not an http or https URL" in message


def test_redirect_with_credentials_is_refused(server: Server) -> None:
    server.route("/cred", Reply(302, {"Location": f"http://user:pw@127.0.0.1:{server.port}/x"}))
    [(code, message)] = found(probe_one(server.url("/cred")))
    assert code == "FL607"
    assert message == (
        "webUrl was not fetched: it redirects to a URL with a user name or password"
    )
    assert "pw" not in message  # never copied into a CI log
    assert len(server.requests) == 1


def test_redirect_to_no_host_is_broken(server: Server) -> None:
    server.route("/odd", Reply(301, {"Location": "http://:80/nowhere"}))
    [(code, message)] = found(probe_one(server.url("/odd")))
    assert code == "FL601"
    assert message == "webUrl is broken: it redirects to http://:80/nowhere, which has no host"


def test_every_hop_is_checked_by_the_guard(servers) -> None:
    """127.0.0.1 is allowed here (one network), 127.0.0.2 is not: the redirect there
    is refused, and the second server never sees a request."""
    first, second = servers("127.0.0.1"), servers("127.0.0.2")
    second.route("/inside", Reply(200))
    first.route("/out", Reply(302, {"Location": second.url("/inside")}))
    settings = quick(probe_allow_private=False, probe_allow_networks=("127.0.0.1/32",))
    outcome = probe_one(first.url("/out"), settings=settings)
    [(code, message)] = found(outcome)
    assert code == "FL607"
    assert "127.0.0.2 is a loopback address" in message
    assert second.requests == []
    assert len(first.requests) == 1


def test_failure_after_a_redirect_names_where_it_failed(server: Server) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    server.route("/moved", Reply(302, {"Location": f"http://127.0.0.1:{closed}/here"}))
    [(code, message)] = found(probe_one(server.url("/moved")))
    assert code == "FL602"
    assert message == (
        "webUrl cannot be reached: the connection was refused "
        f"(after redirecting to http://127.0.0.1:{closed}/here)"
    )
