"""The probe's keys in pyproject.toml / feedlint.toml, and the flags that win over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedlint.cli import main
from tests.probe.conftest import article, write_article
from tests.probe.server import Reply, Server


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    status = main(["check", "--select", "FL6", *args])
    out, err = capsys.readouterr()
    return status, out + err


def test_configured_limits_apply(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    urls = [server.route(f"/{n}", Reply(200, delay=0.03)) for n in range(6)]
    blocked = server.route("/members", Reply(403))
    skipped = server.route("/skip-me", Reply(404))
    (tmp_path / "feedlint.toml").write_text(
        "probe-per-host = 1\n"
        "probe-accept-status = [403]\n"
        'probe-exclude = ["/skip-"]\n'
        "probe-cache = false\n"
    )
    write_article(tmp_path, "a.md", article(urls[0], related=[*urls[1:], blocked, skipped]))
    status, output = run(tmp_path, monkeypatch, capsys, "--probe", "--allow-private", "a.md")
    assert status == 0, output
    assert server.peak == 1
    assert server.hits("/skip-me") == []
    assert len(server.hits("/members")) == 1  # accepted: no GET after the HEAD


def test_flags_win_over_the_file(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url = server.route("/boom", Reply(500))
    (tmp_path / "feedlint.toml").write_text(
        "probe-retries = 0\nprobe-backoff = 0.01\nprobe-cache = false\n"
    )
    write_article(tmp_path, "a.md", article(url))
    status, _ = run(tmp_path, monkeypatch, capsys, "--probe", "--allow-private", "a.md")
    assert status == 1 and len(server.hits("/boom")) == 1
    status, _ = run(tmp_path, monkeypatch, capsys, "--probe", "--allow-private",
                    "--probe-retries", "2", "a.md")
    assert status == 1 and len(server.hits("/boom")) == 1 + 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("probe-timeout = 0", "probe-timeout: expected a number above 0, got 0"),
        ("probe-url-deadline = 0", "probe-url-deadline: expected a number above 0, got 0"),
        ('probe-exclude = ["("]', "probe-exclude: '(' is not a regular expression"),
        ('probe-accept-status = ["403"]', "probe-accept-status: expected a list of HTTP status"),
        ('probe-allow-networks = ["10.0.0.0/33"]', "probe-allow-networks:"),
        ("probe-per-host = 0", "probe-per-host: expected a whole number of at least 1"),
        ("probe = true", "probe: unknown key"),
    ],
)
def test_bad_values_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, line: str, message: str
) -> None:
    (tmp_path / "feedlint.toml").write_text(line + "\n")
    write_article(tmp_path, "a.md", article("https://example.com/a"))
    status, output = run(tmp_path, monkeypatch, capsys, "a.md")
    assert status == 2
    assert f"{tmp_path / 'feedlint.toml'}: {message}" in output


def test_show_settings_names_where_each_probe_key_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (tmp_path / "feedlint.toml").write_text(
        'probe-per-host = 2\nprobe-ca-bundle = "ca.pem"\nprobe-url-deadline = 45\n'
    )
    status, output = run(tmp_path, monkeypatch, capsys, "--probe", "--probe-timeout", "3",
                         "--show-settings")
    assert status == 0
    config = tmp_path / "feedlint.toml"
    assert f"probe-per-host = 2  # {config}" in output
    assert "probe-timeout = 3.0  # command line" in output
    assert "probe-concurrency = 64  # default" in output
    assert f"probe-url-deadline = 45.0  # {config}" in output
    assert f'probe-ca-bundle = "{tmp_path / "ca.pem"}"  # {config}' in output
    assert "# links are probed (--probe)  # command line" in output


def test_the_url_deadline_from_the_file_and_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (tmp_path / "feedlint.toml").write_text("probe-url-deadline = 12.5\n")
    status, output = run(tmp_path, monkeypatch, capsys, "--probe", "--show-settings")
    assert status == 0
    assert f"probe-url-deadline = 12.5  # {tmp_path / 'feedlint.toml'}" in output
    status, output = run(tmp_path, monkeypatch, capsys, "--probe", "--probe-url-deadline",
                         "4", "--show-settings")
    assert status == 0
    assert "probe-url-deadline = 4.0  # command line" in output
