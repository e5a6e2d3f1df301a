"""``feedlint check --probe`` end to end: findings on the right field of every file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feedlint.cli import main
from tests.conftest import ROOT, Run, run_feedlint
from tests.probe.conftest import PROBE_FLAGS, article, write_article
from tests.probe.images import make_image
from tests.probe.server import Reply, Server


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the command line in this process (quicker than a new interpreter each
    time); one test below runs it as a user does, in a subprocess."""

    def run(args: list[str], cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            status = main(args)
        except SystemExit as exit:
            status = int(exit.code or 0)
        out, err = capsys.readouterr()
        return Run(status, out, err)

    return run


def test_plain_check_never_imports_httpx(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", article("https://example.com/a"))
    code = (
        "import sys\n"
        "from feedlint.cli import main\n"
        f"status = main(['check', {str(path)!r}])\n"
        "loaded = [m for m in ('httpx', 'httpcore', 'imagesize', 'tqdm', 'feedlint.probe')"
        " if m in sys.modules]\n"
        "print('LOADED', loaded, status)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "LOADED [] 0" in proc.stdout


@pytest.mark.parametrize(
    "flags",
    [["--probe-allow-private"], ["--probe-timeout", "3"], ["--probe-url-deadline", "20"],
     ["--probe-per-host", "2"], ["--probe-exclude", "x"]],
)
def test_probe_flags_without_probe_are_usage_errors(cli, tmp_path: Path, flags: list[str]) -> None:
    path = write_article(tmp_path, "a.md", article("https://example.com/a"))
    run = cli(["check", *flags, str(path)])
    assert run.returncode == 2
    assert f"{flags[0]} only makes sense with --probe" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--probe-timeout", "0"], "above 0"),
        (["--probe-url-deadline", "0"], "above 0"),
        (["--probe-url-deadline", "-1"], "above 0"),
        (["--probe-concurrency", "0"], "at least 1"),
        (["--probe-exclude", "(unclosed"], "probe_exclude pattern '(unclosed' is invalid"),
    ],
)
def test_bad_probe_values_are_usage_errors(
    cli, tmp_path: Path, flags: list[str], message: str
) -> None:
    path = write_article(tmp_path, "a.md", article("https://example.com/a"))
    run = cli(["check", "--probe", *flags, str(path)])
    assert run.returncode == 2
    assert message in run.stderr


def test_findings_land_on_the_field_in_every_file(tmp_path: Path, server: Server) -> None:
    ok = server.route("/ok", Reply(200))
    gone = server.route("/gone", Reply(404))
    moved = server.route("/old", Reply(301, {"Location": "/ok"}))
    image = server.route(
        "/img.png", Reply(200, {"Content-Type": "image/png"}, make_image("PNG", 300, 200))
    )
    write_article(tmp_path, "a.md", article(ok, original_url=gone + "#comments",
                                            images=[(image, 300, 200)], related=[moved]))
    write_article(tmp_path, "b.md", article(gone, images=[(image, 320, 200)]))
    run = run_feedlint(["check", *PROBE_FLAGS, "a.md", "b.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    got = [(d["file"], d["line"], d["column"], d["code"], d["pointer"], d["severity"])
           for d in run.json()["diagnostics"]]
    assert got == [
        ("a.md", 5, 14, "FL601", "/originalUrl", "error"),
        ("a.md", 15, 13, "FL605", "/related/0/webUrl", "warning"),
        ("b.md", 4, 9, "FL601", "/webUrl", "error"),
        ("b.md", 9, 10, "FL606", "/images/0/url", "error"),
    ]
    messages = {d["code"]: d["message"] for d in run.json()["diagnostics"]}
    assert messages["FL606"] == (
        "images[0].url: the image is 300x200 pixels, but width and height declare 320x200"
    )
    assert messages["FL605"] == f"related[0].webUrl has moved permanently to {ok}: link there"
    # Each URL once, however many files and fields mention it (the fragment is not
    # part of the URL); the image as an image: one GET, no HEAD.
    assert [r.method for r in server.hits("/gone")] == ["HEAD"]
    assert [r.method for r in server.hits("/img.png")] == ["GET"]
    assert len(server.hits("/ok")) == 2  # the link itself, and the end of the redirect


def test_url_used_as_page_and_image_is_probed_once_as_image(
    cli, tmp_path: Path, server: Server
) -> None:
    url = server.route("/both.gif", Reply(200, {"Content-Type": "image/gif"},
                                          make_image("GIF", 10, 10)))
    write_article(tmp_path, "a.md", article(url, images=[(url, 10, 10)]))
    run = cli(["check", *PROBE_FLAGS, "a.md"], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [r.method for r in server.requests] == ["GET"]


def test_guard_refuses_loopback_without_allow_private(cli, tmp_path: Path, server: Server) -> None:
    url = server.route("/", Reply(200))
    write_article(tmp_path, "a.md", article(url))
    run = cli(["check", "--probe", "--no-cache", "--format", "json", "--select", "FL6", "a.md"],
                       cwd=tmp_path)
    assert run.returncode == 1
    [d] = run.json()["diagnostics"]
    assert d["code"] == "FL607" and d["severity"] == "error" and d["line"] == 4
    assert server.requests == [] and server.connections == 0


def test_warnings_alone_pass(cli, tmp_path: Path, server: Server) -> None:
    url = server.route("/blocked", Reply(403))
    write_article(tmp_path, "a.md", article(url))
    run = cli(["check", *PROBE_FLAGS, "a.md"], cwd=tmp_path)
    assert run.returncode == 0
    assert [d["code"] for d in run.json()["diagnostics"]] == ["FL604"]
    strict = cli(["check", *PROBE_FLAGS, "--strict", "a.md"], cwd=tmp_path)
    assert strict.returncode == 1


def test_exclude_and_select(cli, tmp_path: Path, server: Server) -> None:
    gone = server.route("/gone", Reply(404))
    write_article(tmp_path, "a.md", article(gone))
    run = cli(["check", *PROBE_FLAGS, "--probe-exclude", "/go+ne$", "a.md"],
                       cwd=tmp_path)
    assert run.returncode == 0 and run.json()["diagnostics"] == []
    assert server.requests == []
    # FL6 not selected: nothing is probed at all. (Repeated, --select adds up: the
    # FL6 of PROBE_FLAGS is left out.)
    unselected = PROBE_FLAGS[: PROBE_FLAGS.index("--select")]
    run = cli(["check", *unselected, "--select", "FL1", "a.md"], cwd=tmp_path)
    assert run.returncode == 0 and server.requests == []


def test_text_output_without_terminal_has_no_progress_bar(
    cli, tmp_path: Path, server: Server
) -> None:
    gone = server.route("/gone", Reply(404))
    write_article(tmp_path, "a.md", article(gone))
    flags = [f for f in PROBE_FLAGS if f not in ("--format", "json")]
    run = cli(["check", *flags, "a.md"], cwd=tmp_path)
    assert run.stderr == ""
    assert run.stdout == (
        "a.md:4:9: error FL601 webUrl is broken: 404 Not Found\n1 error, 0 warnings in 1 file\n"
    )


def test_progress_bar_on_a_terminal(tmp_path: Path, server: Server) -> None:
    """With stderr on a terminal, a bar shows URLs done/total, the rate and the time left."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    urls = [server.route(f"/{n}", Reply(200, delay=0.05)) for n in range(6)]
    write_article(tmp_path, "a.md", article(urls[0], related=urls[1:]))
    leader, follower = pty.openpty()
    # A terminal of 24 rows and 100 columns (a new pty has no size at all).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDLINT_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "feedlint", "check", *PROBE_FLAGS, "--probe-per-host", "1",
         "a.md"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=60,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.returncode == 0, shown
    text = shown.decode("utf-8", "replace")
    assert "probing links" in text
    assert "/6" in text and "URL/s" in text
    assert json_diagnostics(proc.stdout) == []


def json_diagnostics(stdout: bytes) -> list[object]:
    import json

    return list(json.loads(stdout)["diagnostics"])


def test_noqa_silences_a_probe_finding(cli, tmp_path: Path, server: Server) -> None:
    gone = server.route("/gone", Reply(404))
    text = article(gone).replace(f'webUrl: "{gone}"', f'webUrl: "{gone}"  # noqa: FL601')
    write_article(tmp_path, "quiet.md", text)
    write_article(tmp_path, "loud.md", article(gone))
    run = cli(["check", *PROBE_FLAGS, "quiet.md", "loud.md"], cwd=tmp_path)
    assert [(d["file"], d["code"]) for d in run.json()["diagnostics"]] == [("loud.md", "FL601")]


def test_html_report_shows_a_file_the_probe_found_something_in(
    cli, tmp_path: Path, server: Server
) -> None:
    """The lint keeps only a digest of a file without findings; the probe finds its
    link broken afterwards, and the report reads it again (unchanged) to show it."""
    from tests.html_cases import report_data

    gone = server.route("/gone", Reply(404))
    write_article(tmp_path, "a.md", article(gone))
    flags = [f for f in PROBE_FLAGS if f not in ("--format", "json")]
    run = cli(["check", *flags, "--format", "html", "--output-file", "report.html", "a.md"],
              cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    data = report_data((tmp_path / "report.html").read_text("utf-8"))
    (entry,) = data["files"]
    assert entry[0] == "a.md" and entry[5] == ""
    assert entry[6] == [[1, article(gone).rstrip("\n").split("\n")]]
    assert [(data["codes"][r[5]][0], r[8]) for r in data["rows"]] == [("FL601", f'"{gone}"')]
