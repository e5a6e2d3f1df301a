"""The README's pre-commit config, GitHub Actions workflow and audit commands work as
shown (placeholders aside)."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_feedlint
from tests.output_cases import (
    BAD,
    article_repository,
    is_git_checkout,
    make_repository,
    run_pre_commit,
)

README = (ROOT / "README.md").read_text("utf-8")


def section(title: str) -> str:
    start = README.index(f"\n### {title}\n")
    end = README.find("\n#", start + 1)
    return README[start:end if end != -1 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def feedlint_args(command: str) -> list[str]:
    words = shlex.split(command)
    assert words[0] == "feedlint", command
    return words[1:]


@pytest.mark.skipif(not is_git_checkout(ROOT), reason="pre-commit needs a git checkout")
def test_pre_commit_config(tmp_path: Path, pre_commit_home: Path) -> None:
    (block,) = blocks(section("As a pre-commit hook"), "yaml")
    config = yaml.safe_load(block)
    (repo_entry,) = config["repos"]
    assert repo_entry["repo"] == "https://github.com/OWNER/feedlint"
    assert repo_entry["rev"] == "REV"
    assert [hook["id"] for hook in repo_entry["hooks"]] == ["feedlint"]
    # The same config with this checkout for the placeholders.
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    repo_entry.update(repo=str(ROOT), rev=head)
    repo = article_repository(tmp_path / "articles-repo")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    (repo / "articles" / "bad.md").write_text(BAD, "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    run = run_pre_commit(["run", "feedlint", "--all-files", "--color", "never"], repo,
                         pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "articles/bad.md:5:1: error FL102" in run.stdout


def test_github_actions_workflow(tmp_path: Path) -> None:
    (block,) = blocks(section("In CI (GitHub Actions)"), "yaml")
    workflow = yaml.safe_load(block)
    jobs = workflow["jobs"]
    assert set(jobs) == {"lint", "code-scanning"}
    assert jobs["code-scanning"]["permissions"]["security-events"] == "write"
    uses = {step["uses"].split("@")[0] for job in jobs.values() for step in job["steps"]
            if "uses" in step}
    assert uses == {"actions/checkout", "actions/setup-python",
                    "github/codeql-action/upload-sarif"}
    repo = make_repository(tmp_path / "repo")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo)}

    lint = [s["run"] for s in jobs["lint"]["steps"] if s.get("run", "").startswith("feedlint")]
    (command,) = lint
    run = run_feedlint(feedlint_args(command), cwd=repo, env=env)
    assert run.returncode == 1
    assert run.stdout.startswith("::error file=articles/")

    scan = jobs["code-scanning"]["steps"]
    (command,) = [s["run"] for s in scan if s.get("run", "").startswith("feedlint")]
    run = run_feedlint(feedlint_args(command), cwd=repo, env=env)
    assert run.returncode == 0, run.stderr
    (upload,) = [s for s in scan if "upload-sarif" in s.get("uses", "")]
    sarif = json.loads((repo / upload["with"]["sarif_file"]).read_text("utf-8"))
    assert sarif["runs"][0]["results"]


def test_audit_commands(tmp_path: Path) -> None:
    (block,) = blocks(section("Auditing an archive"), "sh")
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    folder = tmp_path / "work"
    make_repository(folder)
    (folder / "articles").rename(folder / "archive")
    statistics = run_feedlint(feedlint_args(commands[0]), cwd=folder)
    assert statistics.returncode == 1
    assert re.match(r"\s*\d+  FL\d{3}  [EW]  ", statistics.stdout)
    audit = run_feedlint(feedlint_args(commands[1]), cwd=folder)
    assert audit.returncode == 0
    assert json.loads((folder / "audit.json").read_text("utf-8"))["files_checked"] == 5
