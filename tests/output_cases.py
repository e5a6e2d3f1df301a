"""Articles and a repository to run the output formats against (shared by the tests
of github, sarif, junit and the output options)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE

#: Errors and a warning; an unknown key whose message carries every character the
#: formats must escape (%, :, ",", CR, LF, <, &, a quote); and a list as the front
#: matter's value (a span over several lines) is in LIST_ROOT.
BAD = (
    "---\n"
    'title: "Bad article"\n'
    "publishedDateTime: 2023-08-07T08:11:00Z\n"
    "webUrl: https://example.com/a\n"
    "provider:\n"
    "  - name: a\n"
    "  - domain: b\n"
    '"50%, off: now\\r\\nreally <b> & \\"x\\" \\x01": 1\n'
    "quality: 150\n"
    "published: yes\n"
    "---\n"
    "Body.\n"
)

#: A warning only: passes unless --strict.
WARN_ONLY = (
    "---\n"
    'title: "Only a warning"\n'
    "publishedDateTime: 2023-08-07T08:11:00Z\n"
    "webUrl: https://example.com/w\n"
    "provider: {name: Example, domain: example.com}\n"
    "published: yes\n"
    "---\n"
)

#: The front matter is a list: FL004 spans lines 2 to 4.
LIST_ROOT = "---\n- title\n- webUrl\n---\n"

README = "# Articles\n\nNo front matter here.\n"

#: A file name that needs escaping as a workflow-command property and as a URI.
ODD_NAME = "we,ird:100% é.md"


def git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def make_repository(root: Path) -> Path:
    """A git repository with clean, bad, warning-only and list-root articles and a README."""
    root.mkdir(parents=True, exist_ok=True)
    git_init(root)
    articles = root / "articles"
    articles.mkdir()
    (articles / "clean.md").write_bytes(SAMPLE.read_bytes())
    (articles / "bad.md").write_text(BAD, "utf-8")
    (articles / "warn.md").write_text(WARN_ONLY, "utf-8")
    (articles / "list-root.md").write_text(LIST_ROOT, "utf-8")
    (articles / ODD_NAME).write_text(BAD, "utf-8")
    (root / "README.md").write_text(README, "utf-8")
    return root


ISSUE_TEMPLATE = "---\nname: Bug report\nabout: Tell us what broke\n---\n\nWhat happened?\n"


def is_git_checkout(path: Path) -> bool:
    probe = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                           capture_output=True, text=True)
    return probe.returncode == 0 and Path(probe.stdout.strip()).resolve() == path.resolve()


def run_pre_commit(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDLINT_", "GITHUB_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def article_repository(root: Path) -> Path:
    """A repository with a clean article and files that are not articles."""
    git_init(root)
    (root / "articles").mkdir()
    (root / "articles" / "clean.md").write_bytes(SAMPLE.read_bytes())
    (root / "README.md").write_text(README, "utf-8")
    (root / "notes.txt").write_text("plain notes\n", "utf-8")
    (root / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    (root / ".github" / "ISSUE_TEMPLATE" / "bug.md").write_text(ISSUE_TEMPLATE, "utf-8")
    (root / "config.yaml").write_text("title: [not, an, article]\n", "utf-8")
    (root / "data.json").write_text("[1, 2]\n", "utf-8")
    (root / "script.py").write_text("print('not an article')\n", "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root
