"""The pre-commit hook sees the committed articles: a staged copy of an article already
in the repository is FL520, though pre-commit names only the staged file; the
committed files' own problems are not reported."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_feedlint

ARTICLE = (
    "---\ntitle: The story\npublishedDateTime: 2023-08-07T10:00:00Z\n"
    "webUrl: https://www.example.com/2023/08/the-story\n"
    "provider: {name: Example, domain: example.com}\n---\nBody\n"
)
#: The committed article also has a problem of its own (FL302: its image's declared
#: height is not the one in its URL).
COMMITTED = ARTICLE.replace(
    "---\nBody",
    "images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
    "    width: 1200\n    height: 800\n---\nBody",
)


def hook_args() -> list[str]:
    """The hook's command, as .pre-commit-hooks.yaml gives it, less ``feedlint``."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    entry = shlex.split(hook["entry"])
    assert entry[0] == "feedlint"
    return entry[1:]


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo, check=True, capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one committed article (news/a.md) and a copy of it staged
    under another name (news/b.md)."""
    repo = tmp_path / "repo"
    (repo / "news").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "news" / "a.md").write_text(COMMITTED)
    git(repo, "add", "news/a.md")
    git(repo, "commit", "-q", "-m", "a")
    (repo / "news" / "b.md").write_text(ARTICLE)
    git(repo, "add", "news/b.md")
    return repo


def run_hook(repo: Path, *extra: str, cache: Path | None = None) -> tuple[int, dict]:
    cache_args = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    run = run_feedlint(
        [*hook_args(), *extra, *cache_args, "--format", "json", "news/b.md"], cwd=repo
    )
    return run.returncode, json.loads(run.stdout) if run.stdout else {"stderr": run.stderr}


def test_a_staged_copy_of_a_committed_article_fails_the_hook(repo: Path, tmp_path: Path) -> None:
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):  # no cache, cold, warm
        status, report = run_hook(repo, cache=cache)
        assert status == 1, report
        assert report["files_checked"] == 1
        [finding] = report["diagnostics"]
        assert finding["file"] == "news/b.md"
        assert finding["code"] == "FL520"
        assert "news/a.md:4" in finding["message"], finding
        # The committed file's own problem (FL302) is not reported.
        assert all(d["file"] == "news/b.md" for d in report["diagnostics"])


def test_the_hook_passes_a_new_article(repo: Path) -> None:
    (repo / "news" / "b.md").write_text(ARTICLE.replace("the-story", "another-story"))
    status, report = run_hook(repo)
    assert status == 0, report
    assert report["diagnostics"] == []


def test_the_check_against_the_repository_can_be_turned_off(repo: Path) -> None:
    status, report = run_hook(repo, "--no-committed-duplicates")
    assert status == 0 and report["diagnostics"] == []
    (repo / "feedlint.toml").write_text("committed-duplicates = false\n")
    status, report = run_hook(repo)
    assert status == 0 and report["diagnostics"] == []


def test_without_the_hooks_flag_only_the_named_files_are_compared(repo: Path) -> None:
    run = run_feedlint(["check", "--no-cache", "--format", "json", "news/b.md"], cwd=repo)
    assert run.returncode == 0, run.stdout + run.stderr
