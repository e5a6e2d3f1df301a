"""The probe cache: successes are kept a day, failures asked again, --no-cache skips it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

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


# -- a cache committed in the linted tree is not trusted ---------------------------


def cli(tmp_path: Path, capsys, *flags: str) -> tuple[int, str, str]:
    """``feedlint check --probe`` on ``a.md`` in ``tmp_path`` (the current folder), with
    the default probe cache, ``.feedlint_cache/probe`` there; what it said on stderr
    about the probe cache (the result cache keeps its folder out of the tree)."""
    capsys.readouterr()
    result_cache = tmp_path.parent / f"{tmp_path.name}-result-cache"
    status = main(["check", "--probe", "--allow-private", "--probe-retries", "0",
                   "--format", "json", "--select", "FL6", "--cache-dir", str(result_cache),
                   *flags, "a.md"])
    out, err = capsys.readouterr()
    return status, out, "".join(line for line in err.splitlines(True) if "probe cache" in line)


def codes(out: str) -> list[str]:
    import json

    return [d["code"] for d in json.loads(out)["diagnostics"]]


def committed_database(path: Path, schema: str, rows: list[tuple[object, ...]],
                       version: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(schema)
        marks = ",".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO outcome VALUES ({marks})", rows)
        db.execute(f"PRAGMA user_version = {version}")
    db.close()


def answer_200(url: str) -> str:
    import json

    return json.dumps({"url": url, "status": 200, "final_url": url, "requests": 1})


YEAR_3000 = 32503680000.0


def test_a_committed_cache_dated_in_the_future_cannot_hide_a_dead_link(
    tmp_path: Path, server: Server, monkeypatch, capsys
) -> None:
    """A pull request commits a cache (in the layout feedlint used before entries were
    authenticated) saying, until the year 3000, that its dead link answered 200."""
    gone = server.route("/gone", Reply(404))
    write_article(tmp_path, "a.md", article(gone))
    committed_database(
        tmp_path / ".feedlint_cache" / "probe" / "outcomes.sqlite3",
        "CREATE TABLE outcome (url TEXT PRIMARY KEY, image INTEGER NOT NULL,"
        " private INTEGER NOT NULL, checked REAL NOT NULL, data TEXT NOT NULL)",
        [(gone, 0, 0, YEAR_3000, answer_200(gone))],
        version=1,
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli(tmp_path, capsys)
    assert (status, codes(out)) == (1, ["FL601"])
    assert len(server.hits("/gone")) == 1


@pytest.mark.parametrize("mac", [b"\0" * 16, b"not a digest", None])
def test_entries_this_user_did_not_write_are_ignored_with_one_note(
    tmp_path: Path, server: Server, monkeypatch, capsys, mac: bytes | None
) -> None:
    """The same, in today's layout: the attacker has no key, so the digest is wrong
    (or missing): every such entry is a miss, noted once, and gone after the run."""
    gone = server.route("/gone", Reply(404))
    also_gone = server.route("/also-gone", Reply(410))
    write_article(tmp_path, "a.md", article(gone, related=[also_gone]))
    db = tmp_path / ".feedlint_cache" / "probe" / "outcomes.sqlite3"
    from feedlint.probe._cache import _TABLE, _VERSION

    schema = _TABLE if mac is not None else _TABLE.replace(" NOT NULL)", ")")
    committed_database(
        db, schema,
        [(url, 0, 0, YEAR_3000 if n else 1.0e9, answer_200(url), mac)
         for n, url in enumerate([gone, also_gone])],
        version=_VERSION,
    )
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(tmp_path, capsys)
    assert (status, codes(out)) == (1, ["FL601", "FL601"])
    assert len(server.hits("/gone")) == 1 and len(server.hits("/also-gone")) == 1
    if mac is not None:
        assert err == (
            "feedlint: note: the probe cache .feedlint_cache/probe/outcomes.sqlite3 held 2 "
            "entries that this user's runs did not write (or damaged ones); they were "
            "ignored and those links probed again\n"
        )
    # Removed: the next run has nothing to say about them.
    status, out, err = cli(tmp_path, capsys)
    assert (status, codes(out), err) == (1, ["FL601", "FL601"], "")


def test_a_cache_written_with_another_users_key_is_not_believed(
    tmp_path: Path, servers, capsys, monkeypatch
) -> None:
    """Another user (another key) probed the link while it worked and committed the
    cache; it is dead now. This user's run probes it again, and rewrites the entry."""
    from tests.conftest import run_feedlint

    server = servers()
    state = {"status": 200}
    url = server.route("/page", lambda request: Reply(state["status"]))
    write_article(tmp_path, "a.md", article(url))
    other = run_feedlint(
        ["check", "--probe", "--allow-private", "--select", "FL6", "a.md"], cwd=tmp_path,
        env={"FEEDLINT_CACHE_KEY_FILE": str(tmp_path.parent / "another-users-key")},
    )
    assert other.returncode == 0, other.stderr
    assert len(server.hits("/page")) == 1
    state["status"] = 404
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(tmp_path, capsys)
    assert (status, codes(out)) == (1, ["FL601"])
    assert "held 1 entry that this user's runs did not write" in err
    assert len(server.hits("/page")) == 2
    # An answer of this user's own is kept and used.
    state["status"] = 200
    status, out, err = cli(tmp_path, capsys)
    assert (status, codes(out), err) == (0, [], "")
    assert len(server.hits("/page")) == 3
    status, out, err = cli(tmp_path, capsys)
    assert (status, codes(out), err) == (0, [], "")
    assert len(server.hits("/page")) == 3  # from the cache


def test_an_entry_dated_in_the_future_is_never_used(
    tmp_path: Path, server: Server, monkeypatch
) -> None:
    """Even one this user wrote (a clock that was set wrong): it would never expire."""
    import feedlint.probe._cache as probe_cache

    url = server.route("/ok", Reply(200))
    later = probe_cache.time.time() + 3 * probe_cache.CLOCK_SKEW
    with monkeypatch.context() as patch:
        patch.setattr(probe_cache.time, "time", lambda: later)
        probe([url], cached(tmp_path))
    assert not probe([url], cached(tmp_path))[url].cached
    assert len(server.hits("/ok")) == 2
    # Within the allowance, it is.
    slightly = probe_cache.time.time() + probe_cache.CLOCK_SKEW / 2
    with monkeypatch.context() as patch:
        patch.setattr(probe_cache.time, "time", lambda: slightly)
        probe([url], cached(tmp_path))
    assert probe([url], cached(tmp_path))[url].cached


def test_the_private_flag_of_an_entry_cannot_be_changed(tmp_path: Path, server: Server) -> None:
    """An answer fetched with the guard lifted, relabelled as a guarded one, is not an
    answer for a guarded run."""
    url = server.route("/ok", Reply(200))
    probe([url], cached(tmp_path))  # allow_private is on in these tests
    with sqlite3.connect(tmp_path / "cache" / "outcomes.sqlite3") as db:
        db.execute("UPDATE outcome SET private = 0")
    db.close()
    guarded = probe([url], cached(tmp_path, probe_allow_private=False))[url]
    assert guarded.error == "refused" and not guarded.cached


def test_tables_views_and_triggers_someone_else_made_are_thrown_away(
    tmp_path: Path, server: Server
) -> None:
    url = server.route("/ok", Reply(200))
    folder = tmp_path / "cache"
    from feedlint.probe._cache import _TABLE, _VERSION

    committed_database(folder / "outcomes.sqlite3", _TABLE,
                       [(url, 0, 0, 1.0e9, answer_200(url), b"")], version=_VERSION)
    with sqlite3.connect(folder / "outcomes.sqlite3") as db:
        db.execute("CREATE TABLE spy (url TEXT)")
        db.execute("CREATE TRIGGER copy AFTER INSERT ON outcome BEGIN"
                   " INSERT INTO spy VALUES (new.url); END")
    db.close()
    assert probe([url], cached(tmp_path))[url].status == 200
    with sqlite3.connect(folder / "outcomes.sqlite3") as db:
        names = db.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    db.close()
    assert names == [("outcome",), ("sqlite_autoindex_outcome_1",)]
    assert probe([url], cached(tmp_path))[url].cached


# -- nothing is written through a link ---------------------------------------------


def other_database(path: Path) -> bytes:
    """A real SQLite database of someone else's, and its bytes."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE accounts (name TEXT, balance INTEGER)")
        db.execute("INSERT INTO accounts VALUES ('alice', 100)")
        db.execute("PRAGMA user_version = 7")
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("name", ["outcomes.sqlite3", "outcomes.sqlite3-journal"])
def test_a_committed_link_to_another_database_is_not_written(
    tmp_path: Path, server: Server, monkeypatch, capsys, name: str
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    victim = tmp_path / "precious.db"
    before = other_database(victim)
    gone = server.route("/gone", Reply(404))
    write_article(tree, "a.md", article(gone))
    folder = tree / ".feedlint_cache" / "probe"
    folder.mkdir(parents=True)
    (folder / name).symlink_to(victim)
    monkeypatch.chdir(tree)
    status, out, err = cli(tree, capsys)
    assert victim.read_bytes() == before
    assert (folder / name).is_symlink()
    # The probe goes on without the cache, and says so once.
    assert (status, codes(out)) == (1, ["FL601"])
    assert err == (
        f"feedlint: note: the probe cache is off for this run: .feedlint_cache/probe/{name} "
        "is a symbolic link, and feedlint never writes through one (remove it); links are "
        "probed all the same\n"
    )


@pytest.mark.parametrize("linked", [".feedlint_cache", ".feedlint_cache/probe"])
def test_a_committed_link_to_a_folder_receives_nothing(
    tmp_path: Path, server: Server, monkeypatch, capsys, linked: str
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    gone = server.route("/gone", Reply(404))
    write_article(tree, "a.md", article(gone))
    (tree / linked).parent.mkdir(parents=True, exist_ok=True)
    (tree / linked).symlink_to(elsewhere)
    monkeypatch.chdir(tree)
    status, out, err = cli(tree, capsys)
    assert list(elsewhere.iterdir()) == []
    assert (status, codes(out)) == (1, ["FL601"])
    assert err == (
        f"feedlint: note: the probe cache is off for this run: {linked} is a symbolic link, "
        "and feedlint never writes through one (remove it, or set probe-cache-dir to a "
        "folder of your own); links are probed all the same\n"
    )
    assert len(server.hits("/gone")) == 1


def test_a_named_cache_folder_that_is_a_link_is_refused(
    tmp_path: Path, server: Server, capsys
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "cache").symlink_to(elsewhere)
    url = server.route("/ok", Reply(200))
    assert probe([url], cached(tmp_path))[url].status == 200
    assert list(elsewhere.iterdir()) == []
    assert f"{tmp_path / 'cache'} is a symbolic link" in capsys.readouterr().err


def test_without_a_key_the_cache_is_off_and_the_probe_goes_on(
    tmp_path: Path, server: Server, monkeypatch, capsys
) -> None:
    import feedlint.secret

    key = tmp_path / "shared-key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)  # readable by others: not a secret
    monkeypatch.setattr(feedlint.secret, "_key", None)
    monkeypatch.setenv("FEEDLINT_CACHE_KEY_FILE", str(key))
    url = server.route("/ok", Reply(200))
    assert probe([url], cached(tmp_path))[url].status == 200
    assert not (tmp_path / "cache").exists()
    err = capsys.readouterr().err
    assert err.startswith(
        "feedlint: note: the probe cache is off for this run: there is no key to "
        f"authenticate its entries ({key} must belong to this user"
    ), err
