"""The examples of the docs that are not shell sessions work as shown (placeholders
aside): the pre-commit config, the GitHub Actions and GitLab CI files, the audit
commands, the configuration that keeps Jekyll pages out; and the README shows what
`feedlint check examples/` really prints.

Shell examples (```console and ```sh blocks) are run by tests/test_shell_examples.py."""

from __future__ import annotations

import json
import re
import shlex
import shutil
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

DOCS = ROOT / "docs"


def section(page: str, title: str) -> str:
    """The section ``## title`` of ``docs/<page>``, up to the next heading of its level
    or above."""
    text = (DOCS / page).read_text("utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def feedlint_args(command: str) -> list[str]:
    words = shlex.split(command)
    assert words[0] == "feedlint", command
    return words[1:]


@pytest.mark.skipif(not is_git_checkout(ROOT), reason="pre-commit needs a git checkout")
def test_pre_commit_config(tmp_path: Path, pre_commit_home: Path) -> None:
    (block,) = blocks(section("pre-commit.md", "The hook"), "yaml")
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
    (block,) = blocks(section("ci.md", "GitHub Actions"), "yaml")
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
    (block,) = blocks(section("audit.md", "Auditing an archive"), "sh")
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


# -- the README ----------------------------------------------------------------------


def _sessions(text: str) -> list[tuple[str, str]]:
    """(command, what the block shows it prints) for each one-command ```console block."""
    found = []
    for block in blocks(text, "console"):
        first, _, shown = block.partition("\n")
        assert first.startswith("$ "), block
        found.append((first[2:], shown))
    return found


def test_the_readme_shows_what_feedlint_prints_over_the_examples(tmp_path: Path) -> None:
    """The README's output of `feedlint check examples/`, in text and in `--format full`,
    is a real run's, byte for byte (no colour: NO_COLOR, and not a terminal)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    shown = dict(_sessions(readme))
    assert "feedlint check examples/" in shown
    (full,) = [c for c in shown if c.startswith("feedlint check --format full examples/")]
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for command in ("feedlint check examples/", full):
        run = run_feedlint(feedlint_args(command), cwd=tmp_path, env={"NO_COLOR": "1"})
        assert run.returncode == 1, run.stderr
        assert run.stdout + run.stderr == shown[command], command
    # One article per quiet way the README names, each failing.
    articles = sorted(p.name for p in (ROOT / "examples").glob("*.md") if p.name != "README.md")
    assert 3 <= len(articles) <= 5
    assert f"in {len(articles)} files" in shown["feedlint check examples/"]
    for name in articles:
        assert f"examples/{name}:" in shown["feedlint check examples/"], name


def test_the_readme_and_the_pre_commit_page_show_one_hook() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    (page_block,) = blocks(section("pre-commit.md", "The hook"), "yaml")
    assert [b for b in blocks(readme, "yaml") if "pre-commit" in b or "hooks:" in b] == [
        page_block]


def test_the_quickstart_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    quickstart = readme[readme.index("\n## Quickstart\n"):]
    first, second = blocks(quickstart, "sh")[:2]
    assert first.strip() == ("python3 -m venv .venv && . .venv/bin/activate && pip install . "
                             "&& feedlint check seeds/")
    assert second.strip() == ("python3 -m venv .venv && . .venv/bin/activate && "
                              "pip install '.[test,docs]' && python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "pip install --quiet '.[test,docs]'" in ci
    assert "\npython -m pytest\n" in ci


# -- output formats: the JSON contract ---------------------------------------------


def test_the_json_contract_shown_is_a_real_run(tmp_path: Path) -> None:
    from tests.contracts import check_json_report

    text = section("output-formats.md", "Output and exit codes")
    article = blocks(text, "yaml")[0]
    (tmp_path / "a.md").write_text(article, "utf-8")
    (contract,) = blocks(text, "json")
    shown = json.loads(contract)
    check_json_report(shown, files_checked=1)
    run = run_feedlint(["check", "--isolated", "--format", "json", "a.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.json() == shown
    # The text report shown is that run's too.
    text_run = run_feedlint(["check", "--isolated", "a.md"], cwd=tmp_path)
    assert text_run.stdout in text


# -- CI: GitLab -----------------------------------------------------------------------


def test_the_gitlab_ci_file(tmp_path: Path) -> None:
    (block,) = blocks(section("ci.md", "GitLab CI"), "yaml")
    job = yaml.safe_load(block)["articles"]
    report = job["artifacts"]["reports"]["junit"]
    assert job["artifacts"]["when"] == "always"
    commands = [c for c in job["script"] if c.startswith("feedlint")]
    assert len(commands) == 2
    repo = make_repository(tmp_path / "repo")
    env = {"GITLAB_CI": "true", "CI": "true"}
    junit = run_feedlint(feedlint_args(commands[0]), cwd=repo, env=env)
    assert junit.returncode == 0, junit.stderr  # --exit-zero: the report is always written
    xml = (repo / report).read_text("utf-8")
    assert xml.startswith("<?xml") and "<failure" in xml and "articles/bad.md" in xml
    log = run_feedlint(feedlint_args(commands[1]), cwd=repo, env=env)
    assert log.returncode == 1
    assert "articles/bad.md:5:1: error FL102" in log.stdout


# -- FAQ: keeping other front-matter files out -----------------------------------------


JEKYLL_POST = '---\nlayout: post\ntitle: "Hello"\ndate: 2024-01-01\n---\nHello.\n'


def test_the_faq_configuration_keeps_jekyll_pages_and_templates_out(tmp_path: Path) -> None:
    (block,) = blocks(section(
        "faq.md", "How do I keep Jekyll pages, issue templates and other front-matter "
        "files out?"), "toml")
    repo = tmp_path / "site"
    files = {
        "_posts/2024-01-01-hello.md": JEKYLL_POST,
        "_drafts/draft.md": JEKYLL_POST,
        "_layouts/page.md": JEKYLL_POST,
        "index.md": JEKYLL_POST,
        "about.md": JEKYLL_POST,
        "docs/usage.md": "---\ntitle: Usage\nnav_order: 2\n---\n# Usage\n",
        ".github/ISSUE_TEMPLATE/bug.md": "---\nname: Bug\nabout: Tell us\n---\nWhat?\n",
        "README.md": "# A site\n",
        "_config.yml": "title: A site\n",
        "articles/index.md": (ROOT / "seeds" / "001_9f2c4e1a7b3d5c60.md").read_text("utf-8"),
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, "utf-8")
    before = run_feedlint(["check", "--show-files"], cwd=repo)
    assert "_posts/2024-01-01-hello.md" in before.stdout.splitlines()
    (repo / "feedlint.toml").write_text(block, "utf-8")
    after = run_feedlint(["check", "--show-files"], cwd=repo)
    assert after.returncode == 0, after.stderr
    assert after.stdout.splitlines() == ["articles/index.md"]
    assert run_feedlint(["check"], cwd=repo).returncode == 0
    # The hook's command, given every file as pre-commit would name them.
    hook = run_feedlint(["check", "--skip-non-articles", "--format", "json", *files], cwd=repo)
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert hook.json()["files_checked"] == 1
