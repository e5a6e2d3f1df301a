"""The pre-commit hook, run for real by pre-commit against a temporary repository,
and ``--skip-non-articles``, which lets the hook take every staged Markdown, text,
YAML and JSON file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_feedlint
from tests.output_cases import BAD, article_repository, is_git_checkout, run_pre_commit


def test_the_hook_manifest() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "feedlint" and hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["feedlint", "check"]
    assert set(hook["types_or"]) == {"markdown", "plain-text", "yaml", "json"}


@pytest.mark.skipif(not is_git_checkout(ROOT), reason="pre-commit needs a git checkout")
def test_try_repo_passes_clean_and_fails_bad(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = article_repository(tmp_path / "articles-repo")
    command = ["try-repo", str(ROOT), "feedlint", "--all-files", "--color", "never"]

    clean = run_pre_commit(command, repo, pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "feedlint" in clean.stdout and "Passed" in clean.stdout

    (repo / "articles" / "bad.md").write_text(BAD, "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    bad = run_pre_commit(command, repo, pre_commit_home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "articles/bad.md:5:1: error FL102 provider must be a mapping" in bad.stdout
    # Only the bad article is reported: README, notes, templates, YAML and JSON pass by.
    reported = {line.split(":", 1)[0] for line in bad.stdout.splitlines()
                if re.match(r"\S+:\d+:\d+: (error|warning) FL\d{3} ", line)}
    assert reported == {"articles/bad.md"}
    assert "errors, 1 warning in 2 files" in bad.stdout


# -- --skip-non-articles ------------------------------------------------------


def test_named_files_are_chosen_as_in_a_folder_walk(tmp_path: Path) -> None:
    repo = article_repository(tmp_path / "repo")
    named = ["README.md", "notes.txt", ".github/ISSUE_TEMPLATE/bug.md", "config.yaml",
             "data.json", "script.py", "articles/clean.md"]
    plain = run_feedlint(["check", "--format", "json", *named], cwd=repo)
    assert plain.returncode == 1  # every named file is linted: README.md has no front matter
    assert plain.json()["files_checked"] == len(named)

    skipping = run_feedlint(["check", "--format", "json", "--skip-non-articles", *named],
                            cwd=repo)
    assert skipping.returncode == 0, skipping.stdout
    assert skipping.json() == {"version": 1, "files_checked": 1, "diagnostics": []}
    walked = run_feedlint(["check", "--format", "json", "."], cwd=repo)
    assert walked.json() == skipping.json()


def test_skip_non_articles_still_lints_the_bad_ones(tmp_path: Path) -> None:
    repo = article_repository(tmp_path / "repo")
    (repo / "articles" / "bad.md").write_text(BAD, "utf-8")
    (repo / "articles" / "bare.yaml").write_text("title: 1\n", "utf-8")
    run = run_feedlint(["check", "--format", "json", "--skip-non-articles", "README.md",
                        "articles/bad.md", "articles/clean.md", "articles/bare.yaml"],
                       cwd=repo)
    report = run.json()
    assert run.returncode == 1
    assert report["files_checked"] == 2
    assert {d["file"] for d in report["diagnostics"]} == {"articles/bad.md"}


def test_show_files_with_skip_non_articles(tmp_path: Path) -> None:
    repo = article_repository(tmp_path / "repo")
    run = run_feedlint(["check", "--show-files", "--skip-non-articles", "config.yaml",
                        ".github/ISSUE_TEMPLATE/bug.md", "script.py", "articles/clean.md",
                        "README.md"], cwd=repo)
    # Exactly what check lints: README.md has no front matter, so it is not listed.
    assert run.stdout.splitlines() == ["articles/clean.md"]
