"""A configuration file committed to the linted tree may change what is checked, but
never lift a guard: reach private networks, or read or write files outside its folder.

The attacker commits ``feedlint.toml`` beside an article that links to a server on
loopback (standing in for an internal service); the victim runs the README's CI
command, ``feedlint check --probe .``, with no ``--allow-private``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_feedlint
from tests.probe.conftest import article, write_article
from tests.probe.server import Reply, Server

PROBE = ["check", "--probe", "--no-cache", "--probe-timeout", "1", "--probe-retries", "0",
         "--format", "json", "--select", "FL6", "."]


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ("probe-allow-private = true", "--probe-allow-private"),
        ('probe-allow-networks = ["0.0.0.0/0", "::/0"]', "--probe-allow-networks CIDR"),
        ('probe-allow-networks = ["127.0.0.1/32"]', "--probe-allow-networks CIDR"),
    ],
)
def test_a_committed_config_cannot_lift_the_private_address_guard(
    tmp_path: Path, server: Server, line: str, flag: str
) -> None:
    url = server.route("/internal", Reply(200))
    write_article(tmp_path, "a.md", article(url))
    (tmp_path / "feedlint.toml").write_text(line + "\n")
    run = run_feedlint(PROBE, cwd=tmp_path)
    assert server.requests == [] and server.connections == 0
    assert run.returncode == 2
    assert run.stdout == ""
    [message] = run.stderr.splitlines()
    assert message.startswith(f"feedlint: error: {tmp_path / 'feedlint.toml'}: ")
    assert "a configuration file cannot" in message and flag in message


@pytest.mark.parametrize(
    "line", ["probe-allow-private = false", "probe-allow-networks = []"]
)
def test_a_config_may_keep_the_guard(tmp_path: Path, server: Server, line: str) -> None:
    url = server.route("/internal", Reply(200))
    write_article(tmp_path, "a.md", article(url))
    (tmp_path / "feedlint.toml").write_text(line + "\n")
    run = run_feedlint(PROBE, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert [d["code"] for d in run.json()["diagnostics"]] == ["FL607"]
    assert server.requests == []


def test_the_command_line_lifts_the_guard_for_one_network(
    tmp_path: Path, server: Server
) -> None:
    url = server.route("/internal", Reply(200))
    write_article(tmp_path, "a.md", article(url))
    run = run_feedlint([*PROBE, "--allow-network", "127.0.0.1/32"], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [r.path for r in server.requests] == ["/internal"]
    refused = run_feedlint([*PROBE, "--allow-network", "10.0.0.0/8"], cwd=tmp_path)
    assert [d["code"] for d in refused.json()["diagnostics"]] == ["FL607"]
    assert len(server.requests) == 1


def test_allow_network_without_probe_is_a_usage_error(tmp_path: Path) -> None:
    run = run_feedlint(["check", "--allow-network", "10.0.0.0/8", "."], cwd=tmp_path)
    assert run.returncode == 2
    assert "--probe-allow-networks only makes sense with --probe" in run.stderr


SECRET_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"title": {"const": "s3cr3t-value-from-outside"}},
}


def _outside_schema(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere" / "private.json"
    outside.parent.mkdir()
    outside.write_text(json.dumps(SECRET_SCHEMA))
    return outside


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "home", "link"])
def test_a_committed_config_cannot_read_a_schema_outside_its_folder(
    tmp_path: Path, how: str
) -> None:
    outside = _outside_schema(tmp_path)
    tree = tmp_path / "repo"
    tree.mkdir()
    write_article(tree, "a.md", article("https://example.com/a"))
    value = {
        "absolute": str(outside),
        "dot-dot": "../elsewhere/private.json",
        "home": "~/../" + str(outside).lstrip("/"),
        "link": "schema.json",
    }[how]
    if how == "link":
        (tree / "schema.json").symlink_to(outside)
    (tree / "feedlint.toml").write_text(f"schema = {json.dumps(value)}\n")
    run = run_feedlint(["check", "."], cwd=tree, env={"HOME": str(tmp_path / "home")})
    assert run.returncode == 2
    assert "s3cr3t" not in run.stdout + run.stderr
    [message] = run.stderr.splitlines()
    assert "leads outside the configuration file's folder" in message
    assert "--schema PATH" in message


def test_a_schema_inside_the_folder_is_used(tmp_path: Path) -> None:
    write_article(tmp_path, "a.md", article("https://example.com/a"))
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "mine.json").write_text(json.dumps(SECRET_SCHEMA))
    (tmp_path / "feedlint.toml").write_text('schema = "schemas/mine.json"\n')
    run = run_feedlint(["check", "--format", "json", "--select", "FL1", "."], cwd=tmp_path)
    assert run.returncode == 1
    assert any("s3cr3t-value-from-outside" in d["message"] for d in run.json()["diagnostics"])


def test_the_command_line_may_name_a_schema_anywhere(tmp_path: Path) -> None:
    outside = _outside_schema(tmp_path)
    tree = tmp_path / "repo"
    tree.mkdir()
    write_article(tree, "a.md", article("https://example.com/a"))
    run = run_feedlint(["check", "--schema", str(outside), "--select", "FL1", "."], cwd=tree)
    assert run.returncode == 1
    assert "s3cr3t-value-from-outside" in run.stdout


@pytest.mark.parametrize("key", ["probe-cache-dir", "probe-ca-bundle"])
def test_a_committed_config_cannot_name_a_probe_file_outside_its_folder(
    tmp_path: Path, key: str
) -> None:
    tree = tmp_path / "repo"
    tree.mkdir()
    write_article(tree, "a.md", article("https://example.com/a"))
    (tree / "feedlint.toml").write_text(f'{key} = "{tmp_path / "elsewhere"}"\n')
    run = run_feedlint(["check", "--probe", "--no-cache", "."], cwd=tree)
    assert run.returncode == 2
    assert f"{key}: " in run.stderr and "leads outside the configuration file's folder" in (
        run.stderr
    )
    assert not (tmp_path / "elsewhere").exists()


def test_a_committed_config_that_links_out_of_the_tree_is_not_read(tmp_path: Path) -> None:
    """``feedlint.toml -> /elsewhere/secret.toml`` would have feedlint read a file of
    the machine and quote its keys in the error about them."""
    outside = tmp_path / "elsewhere" / "secret.toml"
    outside.parent.mkdir()
    outside.write_text('s3cr3t-token = "x"\n')
    tree = tmp_path / "repo"
    tree.mkdir()
    write_article(tree, "a.md", article("https://example.com/a"))
    (tree / "feedlint.toml").symlink_to(outside)
    run = run_feedlint(["check", "."], cwd=tree)
    assert run.returncode == 2
    assert "s3cr3t" not in run.stdout + run.stderr
    assert "a symbolic link leading out of its folder" in run.stderr
    # A link to a file inside the tree is read as that file.
    (tree / "config").mkdir()
    (tree / "config" / "feedlint.toml").write_text('ignore = ["FL1", "FL2"]\n')
    (tree / "feedlint.toml").unlink()
    (tree / "feedlint.toml").symlink_to(tree / "config" / "feedlint.toml")
    assert run_feedlint(["check", "."], cwd=tree).returncode == 0
