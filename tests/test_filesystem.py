"""What a repository can hold besides articles: each odd thing is reported, none crashes
or hangs the run, and every other file is still linted.

Tests run as root here, where mode 000 still reads. The unreadable cases run
feedlint with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped from its bounding
set, so root's permission checks apply to it as to anyone (and as any other user,
they apply anyway).
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from feedlint.discovery import Candidate, discover
from feedlint.engine import Linter
from feedlint.settings import Settings
from tests.conftest import ROOT, SAMPLE, run_feedlint
from tests.contracts import check_json_report, sample_copy

BAD = b"---\ntitle: x\n---\n"  # three FL101: publishedDateTime, webUrl, provider


def codes_by_file(report: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for d in report["diagnostics"]:
        found.setdefault(d["file"], []).append(d["code"])
    return found


def messages_of(report: dict, file: str) -> list[str]:
    return [d["message"] for d in report["diagnostics"] if d["file"] == file]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder holding two good articles and one bad, for other oddities to join."""
    root = tmp_path / "articles"
    root.mkdir()
    (root / "good1.md").write_bytes(sample_copy(1))
    (root / "good2.md").write_bytes(sample_copy(2))
    (root / "bad.md").write_bytes(BAD)
    return root


def check_tree(tmp_path: Path, *args: str, files: int) -> dict:
    run = run_feedlint(["check", "--format", "json", *args, "articles"], cwd=tmp_path, timeout=60)
    assert run.returncode == 1, run.stderr
    assert run.stderr == ""
    report = run.json()
    check_json_report(report, files_checked=files)
    found = codes_by_file(report)
    assert found["articles/bad.md"] == ["FL101"] * 3
    assert "articles/good1.md" not in found and "articles/good2.md" not in found
    return report


# -- FIFOs and devices ------------------------------------------------------------------


def test_fifo_in_a_folder_is_reported_not_waited_on(tmp_path: Path, tree: Path) -> None:
    """open() on a FIFO with no writer blocks forever: this hung the whole run."""
    os.mkfifo(tree / "pipe.md")
    report = check_tree(tmp_path, files=4)
    assert codes_by_file(report)["articles/pipe.md"] == ["FL013"]
    assert "FIFO" in messages_of(report, "articles/pipe.md")[0]


def test_fifo_named_with_no_writer_reads_as_empty(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    run = run_feedlint(["check", "--format", "json", "pipe.md"], cwd=tmp_path, timeout=30)
    assert run.returncode == 1
    assert [d["code"] for d in run.json()["diagnostics"]] == ["FL009"]


def test_pipe_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    """``feedlint check <(git show HEAD:a.md)``: the shell passes /dev/fd/N, a pipe."""
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=_write_and_close, args=(write_end, SAMPLE.read_bytes()))
    writer.start()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "feedlint", "check", "--format", "json", f"/dev/fd/{read_end}"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            pass_fds=(read_end,),
            capture_output=True,
            timeout=60,
        )
    finally:
        os.close(read_end)
        writer.join()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check_json_report(json.loads(proc.stdout), files_checked=1)


def _write_and_close(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def test_endless_device_named_on_the_command_line_is_read_to_the_limit() -> None:
    run = run_feedlint(["check", "--format", "json", "/dev/zero"], timeout=60)
    assert run.returncode == 1
    assert [d["code"] for d in run.json()["diagnostics"]] == ["FL010"]


def test_endless_stdin_is_read_to_the_limit() -> None:
    """stdin was read whole: ``feedlint check - < /dev/zero`` never ended."""
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            [sys.executable, "-m", "feedlint", "check", "--format", "json", "-"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=zero,
            capture_output=True,
            timeout=60,
        )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [d["code"] for d in report["diagnostics"]] == ["FL010"]


# -- symbolic links -------------------------------------------------------------------------


def test_broken_and_looping_links(tmp_path: Path, tree: Path) -> None:
    (tree / "broken.md").symlink_to("nowhere.md")
    (tree / "loop.md").symlink_to("loop.md")
    (tree / "ping.md").symlink_to("pong.md")
    (tree / "pong.md").symlink_to("ping.md")
    report = check_tree(tmp_path, files=7)
    found = codes_by_file(report)
    for name in ("broken", "loop", "ping", "pong"):
        assert found[f"articles/{name}.md"] == ["FL013"], name
    assert "broken symbolic link (to nowhere.md)" in messages_of(report, "articles/broken.md")[0]
    assert "leads back to itself" in messages_of(report, "articles/loop.md")[0]


def test_broken_link_named_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "broken.md").symlink_to("nowhere.md")
    run = run_feedlint(["check", "broken.md"], cwd=tmp_path)
    assert run.returncode == 1
    assert "FL013 cannot read the file: it is a broken symbolic link" in run.stdout


def test_links_back_to_ancestor_folders_do_not_multiply_the_walk(
    tmp_path: Path, tree: Path
) -> None:
    """Two links to the parent in each of three nested folders made 6^40 paths before
    the kernel's ELOOP: the walk never ended. Each real folder is walked once."""
    folder = tree
    for depth in range(3):
        folder = folder / f"level{depth}"
        folder.mkdir()
        (folder / "up").symlink_to("..")
        (folder / "top").symlink_to(tree)
        (folder / f"bad{depth}.md").write_bytes(BAD)
    report = check_tree(tmp_path, files=6)
    bad = [f for f in codes_by_file(report) if "bad" in f]
    assert len(bad) == 4, bad  # each article once, under one name


def test_links_leading_out_of_the_linted_folder_are_not_followed(
    tmp_path: Path, tree: Path
) -> None:
    """A pull request can add ``a.md -> /home/runner/secrets.yml``: linting the target
    would print its values into a public CI log. A walk follows links that stay
    inside the folder it walks; a file named on the command line is read."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "ci.md").write_bytes(b"---\ntitle: t\nwebUrl: SECRET-TOKEN-1234\n---\n")
    (tree / "leak.md").symlink_to(Path("..") / "secrets" / "ci.md")
    (tree / "leaks").symlink_to(secrets)
    (tree / "inside.md").symlink_to("bad.md")  # stays inside: linted (once)
    report = check_tree(tmp_path, files=5)
    found = codes_by_file(report)
    assert found["articles/leak.md"] == ["FL013"]
    assert found["articles/leaks"] == ["FL013"]
    assert "symbolic link to a file outside articles (secrets/ci.md)" in messages_of(
        report, "articles/leak.md"
    )[0]
    assert "SECRET-TOKEN" not in json.dumps(report)

    # pre-commit names files (--skip-non-articles) from the repository's root: a link
    # leading out of it is refused the same way.
    named = run_feedlint(
        ["check", "--format", "json", "--skip-non-articles", "leak.md"], cwd=tree
    )
    assert [d["code"] for d in named.json()["diagnostics"]] == ["FL013"]
    assert "SECRET-TOKEN" not in named.stdout

    # Named by a person, a file is read wherever it leads.
    explicit = run_feedlint(["check", "--format", "json", "articles/leak.md"], cwd=tmp_path)
    assert "SECRET-TOKEN-1234" in explicit.stdout


# -- folders and files that change ----------------------------------------------------------


def test_folder_named_like_an_article_is_walked_not_read(tmp_path: Path, tree: Path) -> None:
    (tree / "folder.md").mkdir()
    (tree / "folder.md" / "inner.md").write_bytes(BAD)
    report = check_tree(tmp_path, files=4)
    assert codes_by_file(report)["articles/folder.md/inner.md"] == ["FL101"] * 3


def test_file_that_vanishes_or_becomes_a_folder_during_the_run(tree: Path) -> None:
    """Found by the walk, then gone (or replaced by a folder) before it is read."""
    candidates = discover([str(tree)])
    (tree / "good2.md").unlink()
    (tree / "bad.md").unlink()
    (tree / "bad.md").mkdir()
    result = Linter(Settings()).run(candidates)
    by_file = {Path(f.path).name: f.diagnostics for f in result.files}
    assert set(by_file) == {"good1.md", "good2.md", "bad.md"}
    assert by_file["good1.md"] == []
    assert [d.code for d in by_file["good2.md"]] == ["FL013"]
    assert "no longer exists" in by_file["good2.md"][0].message
    assert [d.code for d in by_file["bad.md"]] == ["FL013"]
    assert "it is a folder" in by_file["bad.md"][0].message


def test_a_path_that_is_a_folder_is_never_read_as_a_file(tmp_path: Path) -> None:
    result = Linter(Settings()).lint(Candidate(str(tmp_path), "x.md", explicit=True, bare=False))
    assert [d.code for d in result.diagnostics] == ["FL013"]
    assert "it is a folder, not a file" in result.diagnostics[0].message


# -- permissions ----------------------------------------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _drop_permission_override() -> None:  # pragma: no cover - runs in the child
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_as_anyone(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """feedlint with the file permissions checked, even when the tests run as root."""
    preexec = _drop_permission_override if os.geteuid() == 0 else None
    try:
        return subprocess.run(
            [sys.executable, "-m", "feedlint", *args],
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            preexec_fn=preexec,
            capture_output=True,
            timeout=60,
        )
    except subprocess.SubprocessError as err:  # pragma: no cover - no CAP_SETPCAP here
        pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE: {err}")


def test_unreadable_file_and_unlistable_folder(tmp_path: Path, tree: Path) -> None:
    (tree / "secret.md").write_bytes(BAD)
    (tree / "secret.md").chmod(0)
    (tree / "locked").mkdir()
    (tree / "locked" / "inside.md").write_bytes(BAD)
    (tree / "locked").chmod(0)
    try:
        proc = run_as_anyone(["check", "--format", "json", "articles"], cwd=tmp_path)
    finally:
        (tree / "locked").chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    check_json_report(report, files_checked=5)
    found = codes_by_file(report)
    assert found["articles/secret.md"] == ["FL013"]
    assert "Permission denied" in messages_of(report, "articles/secret.md")[0]
    # Skipped silently before: a folder nobody can list is a folder nobody checked.
    assert found["articles/locked"] == ["FL013"]
    assert "cannot list the folder: Permission denied" in messages_of(report, "articles/locked")[0]
    assert found["articles/bad.md"] == ["FL101"] * 3


# -- names ----------------------------------------------------------------------------------


def test_names_that_are_not_utf8_or_hold_control_characters(tmp_path: Path, tree: Path) -> None:
    """A name with a Latin-1 byte crashed both outputs (UnicodeEncodeError); a newline or
    ESC in a name broke the one-line-per-diagnostic text output."""
    os.mkdir(os.fsencode(tree) + b"/caf\xe9")
    (Path(os.fsdecode(os.fsencode(tree) + b"/caf\xe9")) / "\u00e9t\xe9.md").write_bytes(BAD)
    with open(os.fsencode(tree) + b"/r\xe9sum\xe9.md", "wb") as handle:
        handle.write(BAD)
    (tree / "two\nlines\x1b[31m.md").write_bytes(BAD)
    report = check_tree(tmp_path, files=6)
    found = codes_by_file(report)
    assert found["articles/r\\xe9sum\\xe9.md"] == ["FL101"] * 3
    assert found["articles/caf\\xe9/\u00e9t\u00e9.md"] == ["FL101"] * 3
    assert found["articles/two\\nlines\\x1b[31m.md"] == ["FL101"] * 3

    text = run_feedlint(["check", "articles"], cwd=tmp_path)
    assert text.returncode == 1 and text.stderr == ""
    lines = text.stdout.splitlines()
    assert len(lines) == 12 + 1  # four bad files, three diagnostics each, and the summary
    assert "articles/r\\xe9sum\\xe9.md:1:1: error FL101" in text.stdout
    assert "\x1b" not in text.stdout

    shown = run_feedlint(["check", "--show-files", "articles"], cwd=tmp_path)
    assert shown.returncode == 0 and "articles/r\\xe9sum\\xe9.md" in shown.stdout


def test_name_that_is_not_utf8_on_the_command_line(tmp_path: Path) -> None:
    with open(os.fsencode(tmp_path) + b"/\xff.md", "wb") as handle:
        handle.write(BAD)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"feedlint", b"check", b"--format", b"json", b"\xff.md"],
        cwd=tmp_path, env=env, capture_output=True, timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    check_json_report(report, files_checked=1)
    assert {d["file"] for d in report["diagnostics"]} == {"\\xff.md"}


def test_output_in_a_locale_that_cannot_encode_it(tmp_path: Path) -> None:
    """A curly quote in a message, on an ASCII stdout, was a UnicodeEncodeError (exit 2)
    in every format but html. Text escapes what the locale cannot show; machine
    formats are written in UTF-8 (JSON must be); the HTML page makes itself ASCII."""
    (tmp_path / "a.md").write_text('---\ntitle: x\nwebUrl: "“quoted” 😀"\n---\n', "utf-8")
    env = {"PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    text = run_feedlint(["check", "a.md"], cwd=tmp_path, env=env)
    assert (text.returncode, text.stderr) == (1, "")
    assert "\\u201cquoted\\u201d \\U0001f600" in text.stdout
    for fmt in ("json", "sarif", "junit", "github", "html"):
        run = run_feedlint(["check", "--format", fmt, "a.md"], cwd=tmp_path, env=env)
        assert (run.returncode, run.stderr) == (1, ""), fmt
        if fmt == "html":
            assert run.stdout.isascii()
        else:
            assert "“quoted” 😀" in run.stdout, fmt
    assert any("“quoted”" in d["message"] for d in run_feedlint(
        ["check", "--format", "json", "a.md"], cwd=tmp_path, env=env).json()["diagnostics"])


# -- ignore files ----------------------------------------------------------------------------


def test_gitignore_with_patterns_git_skips(tmp_path: Path, tree: Path) -> None:
    """pathspec raises on `\\`, `!` and `[z-a]`; the whole run ended with it."""
    (tmp_path / ".git").mkdir()
    (tree / ".gitignore").write_text("\\\n!\n[z-a]\nignored.md\n")
    (tree / "ignored.md").write_bytes(BAD)
    report = check_tree(tmp_path, files=3)
    assert "articles/ignored.md" not in codes_by_file(report)


def test_gitignore_that_is_a_fifo_is_not_read(tmp_path: Path, tree: Path) -> None:
    os.mkfifo(tree / ".gitignore")
    check_tree(tmp_path, files=3)
