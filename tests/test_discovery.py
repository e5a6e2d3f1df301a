"""Which files a run lints."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import run_feedlint

ARTICLE = "---\ntitle: x\n---\n"


def make(root: Path, relative: str, text: str = ARTICLE) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def shown(cwd: Path, *args: str) -> list[str]:
    run = run_feedlint(["check", "--show-files", *args], cwd=cwd)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_walk_finds_articles_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(tmp_path, "news/a.md")
    make(tmp_path, "news/b.markdown")
    make(tmp_path, "news/c.txt")
    make(tmp_path, "news/d.yaml", "title: x\n")
    make(tmp_path, "news/e.json", '{"title": "x"}')
    make(tmp_path, "news/notes.rst")
    make(tmp_path, ".hidden/h.md")
    make(tmp_path, "node_modules/pkg/readme.md")
    make(tmp_path, "env/lib/x.md")
    make(tmp_path, "myvenv/pyvenv.cfg", "home = /usr\n")
    make(tmp_path, "myvenv/lib/x.md")
    make(tmp_path, "archive/old.md")
    make(tmp_path, "drafts/keep.md")
    make(tmp_path, "drafts/tmp.md")
    make(tmp_path, ".gitignore", "archive/\n")
    make(tmp_path, "drafts/.gitignore", "tmp.md\n")
    assert shown(tmp_path) == [
        "drafts/keep.md", "news/a.md", "news/b.markdown", "news/c.txt",
    ]


def test_gitignore_above_the_linted_folder_applies(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(tmp_path, ".gitignore", "*.draft.md\n")
    make(tmp_path, "news/a.md")
    make(tmp_path, "news/b.draft.md")
    assert shown(tmp_path / "news", ".") == ["a.md"]


def test_files_without_front_matter_are_skipped_when_walking(tmp_path: Path) -> None:
    make(tmp_path, "README.md", "# A project\n")
    make(tmp_path, "a.md")
    run = run_feedlint(["check", "--format", "json", "."], cwd=tmp_path)
    assert run.json()["files_checked"] == 1
    # Named on the command line, it is linted whatever it holds.
    run = run_feedlint(["check", "--format", "json", "README.md"], cwd=tmp_path)
    assert [d["code"] for d in run.json()["diagnostics"]] == ["FL001"]


def test_a_file_named_twice_is_linted_once(tmp_path: Path) -> None:
    make(tmp_path, "a.md")
    os.symlink(tmp_path / "a.md", tmp_path / "link.md")
    run = run_feedlint(["check", "--format", "json", "a.md", "./a.md", "link.md", "."],
                       cwd=tmp_path)
    assert run.json()["files_checked"] == 1


def test_bare_articles_are_linted_when_named(tmp_path: Path) -> None:
    make(tmp_path, "a.yaml", "title: x\n")
    run = run_feedlint(["check", "--format", "json", "a.yaml"], cwd=tmp_path)
    assert {d["code"] for d in run.json()["diagnostics"]} == {"FL101"}
