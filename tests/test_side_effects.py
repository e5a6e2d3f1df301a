"""What a plain ``feedlint check`` never does: touch the network, or change a file it reads.

Both are promises of SECURITY.md for untrusted repositories (a pull request's
articles linted in CI).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, SEEDS
from tests.contracts import measured_run

#: Runs the command line with every way of opening a connection or resolving a
#: name replaced by one that records the attempt and fails.
_NO_NETWORK = '''
import socket
import sys

attempts = []


def refuse(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("network use is not allowed in this test")


class NoSocket(socket.socket):
    def connect(self, *args, **kwargs):
        refuse(*args)

    def connect_ex(self, *args, **kwargs):
        refuse(*args)


socket.socket = NoSocket
socket.create_connection = refuse
socket.getaddrinfo = refuse
socket.gethostbyname = refuse

from feedlint.cli import main

code = main(sys.argv[1:])
print("ATTEMPTS", len(attempts), attempts[:3], file=sys.stderr)
sys.exit(code)
'''


def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder / "fixtures")
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


def test_check_makes_no_network_connection(tmp_path: Path) -> None:
    """Every article is full of URLs; without --probe not one is looked up or fetched."""
    _articles(tmp_path)
    run = measured_run(["check", "--format", "json", "articles"], cwd=tmp_path,
                       python=("-c", _NO_NETWORK))
    assert run.returncode == 1, run.stderr
    assert "ATTEMPTS 0 []" in run.stderr
    assert json.loads(run.stdout)["files_checked"] > 30


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mode,
                                        path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".feedlint_cache" not in path.parts
    }


def test_check_never_changes_a_file_it_reads(tmp_path: Path) -> None:
    """Without --fix, every file is left byte for byte, mode and time as it was (a
    result cache, when there is one, lives in its own folder)."""
    folder = _articles(tmp_path)
    (folder / "read-only.md").write_bytes(b"---\ntitle: x\n---\n")
    (folder / "read-only.md").chmod(0o444)
    before = _snapshot(folder)
    for fmt in ("text", "json"):
        run = measured_run(["check", "--format", fmt, "articles"], cwd=tmp_path)
        assert run.returncode == 1, run.stderr
    assert _snapshot(folder) == before
    assert sorted(os.listdir(tmp_path)) in (["articles"], [".feedlint_cache", "articles"])
