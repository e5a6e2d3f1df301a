"""The probe cache: successes are kept a day, failures asked again, --no-cache skips it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from feedlint.cli import main
from tests.probe.conftest import article, probe, quick, write_article
from tests.probe.images import make_image
from tests.probe.server import Reply, Server


def cached(tmp_path: Path, **changes):
    return quick(probe_cache=True, probe_cache_dir=str(tmp_path / "cache"), **changes)


def test_second_run_asks_only_what_failed(tmp_path: Path, server: Server) -> None:
    ok = server.route("/ok", Reply(200))
    gone = server.route("/gone", Reply(404))
    image = server.route("/i.png", Reply(200, body=make_image("PNG", 7, 9)))
    wanted = {ok: False, gone: False, image: True}
    first = probe(wanted, cached(tmp_path))
    assert not any(o.cached for o in first.values())
    second = probe(wanted, cached(tmp_path))
    assert second[ok].cached and second[ok].status == 200
    assert second[image].cached and second[image].size == (7, 9)
    assert not second[gone].cached
    assert len(server.hits("/ok")) == 1
    assert len(server.hits("/i.png")) == 1
    assert len(server.hits("/gone")) == 2


def test_a_page_answer_does_not_stand_for_an_image(tmp_path: Path, server: Server) -> None:
    url = server.route("/x.gif", Reply(200, body=make_image("GIF", 3, 4)))
    probe({url: False}, cached(tmp_path))
    outcome = probe({url: True}, cached(tmp_path))[url]
    assert not outcome.cached and outcome.size == (3, 4)
    # ... but an image answer does for a page.
    assert probe({url: False}, cached(tmp_path))[url].cached


def test_time_to_live(tmp_path: Path, server: Server) -> None:
    url = server.route("/ok", Reply(200))
    probe([url], cached(tmp_path, probe_cache_ttl=0.05))
    import time

    time.sleep(0.1)
    assert not probe([url], cached(tmp_path, probe_cache_ttl=0.05))[url].cached
    assert len(server.hits("/ok")) == 2


def test_answers_fetched_with_the_guard_lifted_stay_apart(tmp_path: Path, server: Server) -> None:
    url = server.route("/ok", Reply(200))
    probe([url], cached(tmp_path))  # allow_private is on in these tests
    guarded = probe([url], cached(tmp_path, probe_allow_private=False))[url]
    assert guarded.error == "refused" and not guarded.cached


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, server: Server) -> None:
    url = server.route("/ok", Reply(200))
    probe([url], quick(probe_cache=False, probe_cache_dir=str(tmp_path / "cache")))
    assert not (tmp_path / "cache").exists()


def test_broken_cache_file_is_replaced(tmp_path: Path, server: Server) -> None:
    url = server.route("/ok", Reply(200))
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "outcomes.sqlite3").write_bytes(b"this is not a database" * 100)
    assert probe([url], cached(tmp_path))[url].status == 200
    assert probe([url], cached(tmp_path))[url].cached


def test_default_folder_is_git_ignored(tmp_path: Path, server: Server, monkeypatch, capsys) -> None:
    url = server.route("/ok", Reply(200))
    write_article(tmp_path, "a.md", article(url))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--probe", "--allow-private", "--select", "FL6", "a.md"]) == 0
    assert (tmp_path / ".feedlint_cache" / ".gitignore").read_text() == "*\n"
    db = tmp_path / ".feedlint_cache" / "probe" / "outcomes.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url FROM outcome").fetchall() == [(url,)]
    assert main(["check", "--probe", "--allow-private", "--select", "FL6", "a.md"]) == 0
    assert len(server.requests) == 1
    assert main(["check", "--probe", "--allow-private", "--no-cache", "--select", "FL6",
                 "a.md"]) == 0
    assert len(server.requests) == 2
