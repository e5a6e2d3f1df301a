"""A ``.gitignore`` cannot hide a tracked article: git never ignores a tracked file.

A pull request that commits ``*.md`` to ``.gitignore`` must not make ``feedlint check
.`` pass over the articles it ships. The tracked files are read from git's index
(``feedlint.gitindex``), checked here against ``git ls-files`` on real repositories.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from feedlint.gitindex import tracked_paths
from tests.conftest import SAMPLE, run_feedlint

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

BROKEN = (
    '---\ntitle: "Broken"\npubishedDateTime: 2024-01-01T00:00:00Z\n'
    "webUrl: https://example.com/a\nprovider: {name: E, domain: example.com}\n---\n"
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}  # fmt: skip


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True,
        env={**os.environ, **GIT_ENV},
    ).stdout.decode("utf-8", "surrogateescape")


def make_repo(path: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    return path


def test_a_committed_gitignore_cannot_hide_tracked_articles(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "news").mkdir()
    (repo / "news" / "broken.md").write_text(BROKEN)
    (repo / "top.md").write_text(BROKEN)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "articles")
    # The pull request: ignore every article and the folder that holds them.
    (repo / ".gitignore").write_text("*.md\nnews/\n")
    (repo / "untracked.md").write_text(BROKEN)  # ignored and untracked: skipped, as git does
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-qm", "hide them")

    run = run_feedlint(["check", "--format", "json", "."], cwd=repo)
    assert run.returncode == 1, run.stderr
    files = {d["file"] for d in run.json()["diagnostics"]}
    assert files == {"news/broken.md", "top.md"}
    shown = run_feedlint(["check", "--show-files", "."], cwd=repo)
    assert sorted(shown.stdout.split()) == ["news/broken.md", "top.md"]


def test_a_subfolder_walk_uses_the_repository_index(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "news").mkdir()
    (repo / "news" / "broken.md").write_text(BROKEN)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a")
    (repo / ".gitignore").write_text("news/*.md\n")
    (repo / "news" / "draft.md").write_text(BROKEN)
    run = run_feedlint(["check", "--format", "json", "news"], cwd=repo)
    assert {d["file"] for d in run.json()["diagnostics"]} == {"news/broken.md"}


def test_without_a_readable_index_gitignore_applies_as_before(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "a.md").write_text(BROKEN)
    (repo / "b.md").write_bytes(SAMPLE.read_bytes())
    git(repo, "add", "-A")
    (repo / ".gitignore").write_text("a.md\n")
    index = repo / ".git" / "index"
    index.write_bytes(index.read_bytes()[:40])  # damaged
    run = run_feedlint(["check", "."], cwd=repo)
    assert run.returncode == 0, run.stdout
    index.unlink()
    os.mkfifo(index)  # never waited on
    run = run_feedlint(["check", "."], cwd=repo, timeout=30)
    assert run.returncode == 0, run.stdout


def _random_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    parts = ["news", "a", "2024", "drafts", "ünïcode", "x y", "deep", "b.c"]
    names = set()
    while len(names) < count:
        depth = rng.randint(0, 4)
        folders = [rng.choice(parts) for _ in range(depth)]
        stem = "".join(rng.choice("abcdefghij-_") for _ in range(rng.randint(1, 40)))
        names.add("/".join([*folders, f"{stem}.md"]))
    return sorted(names)


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_the_index_reader_agrees_with_git_ls_files(tmp_path: Path, version: str) -> None:
    repo = make_repo(tmp_path / "repo")
    names = _random_names(400, seed=int(version))
    for name in names:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    git(repo, "add", "-A")
    if version == "3":  # version 3 holds extended flags: an intent-to-add entry has one
        (repo / "later.md").write_text("x")
        git(repo, "add", "-N", "later.md")
    git(repo, "update-index", "--index-version", version)
    listed = set(git(repo, "ls-files", "-z").split("\0")) - {""}
    assert tracked_paths(str(repo / ".git" / "index")) == listed
