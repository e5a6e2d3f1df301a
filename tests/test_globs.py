"""One glob engine for exclude, extend-exclude, include and per-file-ignores: the
patterns of ``.gitignore`` (pathspec), matched against paths relative to the
configuration file's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedlint.globs import Globs, check_glob
from feedlint.selection import FileIgnores
from tests.conftest import run_feedlint


@pytest.mark.parametrize(
    ("pattern", "matched", "not_matched"),
    [
        # The examples of docs/configuration.md.
        ("drafts", ["drafts/a.md", "news/drafts/a.md", "drafts"], ["drafts.md", "news/a.md"]),
        ("drafts/", ["drafts/a.md", "news/drafts/b/c.md"], ["drafts", "a/drafts"]),
        ("*.draft.md", ["a.draft.md", "news/2024/a.draft.md"], ["a.md", "a.draft.md.bak"]),
        ("archive/**", ["archive/a.md", "archive/2020/01/a.md"], ["news/archive/a.md"]),
        ("**/legacy/*.md", ["legacy/a.md", "x/y/legacy/a.md"], ["legacy/sub/a.md", "a.md"]),
        # "*" stays within one folder name; a "/" in the middle anchors at the root.
        ("news/*.md", ["news/a.md"], ["news/sub/a.md", "old/news/a.md"]),
        ("news/drafts", ["news/drafts/a.md"], ["archive/news/drafts/a.md"]),
        ("/top.md", ["top.md"], ["news/top.md"]),
        ("a[0-9].md", ["a7.md", "x/a7.md"], ["ab.md"]),
    ],
)
def test_gitignore_semantics(pattern: str, matched: list[str], not_matched: list[str]) -> None:
    globs = Globs([pattern], "/repo")
    for path in matched:
        assert globs.match(f"/repo/{path}"), (pattern, path)
    for path in not_matched:
        assert not globs.match(f"/repo/{path}"), (pattern, path)


def test_folder_only_glob_and_negation() -> None:
    globs = Globs(["drafts/", "build/*", "!build/keep.md"], "/repo")
    assert globs.match("/repo/drafts", is_dir=True)
    assert not globs.match("/repo/drafts")  # a file named drafts
    assert globs.match("/repo/build/a.md")
    assert not globs.match("/repo/build/keep.md")


def test_a_glob_starting_with_a_hash_is_a_name_not_a_comment() -> None:
    assert Globs(["#notes.md"], "/repo").match("/repo/x/#notes.md")


def test_unreadable_globs_are_reported() -> None:
    assert check_glob("drafts/**") is None
    problem = check_glob("drafts\\")
    assert problem is not None and "'drafts\\\\' is not a glob pattern" in problem


def test_per_file_ignores_use_the_same_globs() -> None:
    ignores = FileIgnores(
        [("news/*.md", ["FL1"]), ("legacy", ["FL2"]), ("build/", ["FL3"])], "/repo"
    )
    assert ignores.ignored("/repo/news/a.md") == ("FL1",)
    assert ignores.ignored("/repo/news/sub/a.md") == ()
    assert ignores.ignored("/repo/x/legacy/y/a.md") == ("FL2",)
    # A trailing "/" matches folders only: a file named "build" is not one.
    assert ignores.ignored("/repo/x/build/a.md") == ("FL3",)
    assert ignores.ignored("/repo/x/build") == ()


def _write(path: Path, text: str = "---\ntitle: x\n---\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _shown(cwd: Path, *args: str) -> list[str]:
    run = run_feedlint(["check", "--show-files", *args], cwd=cwd)
    assert run.returncode == 0, run.stderr
    return sorted(run.stdout.split())


def test_exclude_star_no_longer_crosses_a_slash(tmp_path: Path) -> None:
    _write(tmp_path / "feedlint.toml", 'exclude = ["news/*.md"]\n')
    for name in ["news/a.md", "news/sub/b.md", "old/news/c.md"]:
        _write(tmp_path / name)
    # Before, "*" crossed "/" and the glob matched the end of any path: all three went.
    assert _shown(tmp_path) == ["news/sub/b.md", "old/news/c.md"]


def test_exclude_and_include_are_relative_to_the_configuration(tmp_path: Path) -> None:
    _write(tmp_path / "feedlint.toml",
           'exclude = ["news/drafts", "*.draft.md", "archive/**", "**/legacy/*.md"]\n'
           'include = ["news/*.yaml"]\n')
    for name in ["news/a.md", "news/drafts/b.md", "news/c.draft.md", "news/archive/d.md",
                 "archive/e.md", "news/legacy/f.md", "news/legacy/sub/g.md"]:
        _write(tmp_path / name)
    _write(tmp_path / "news" / "h.yaml", "title: x\n")
    _write(tmp_path / "news" / "sub" / "i.yaml", "title: x\n")
    expected = ["a.md", "archive/d.md", "h.yaml", "legacy/sub/g.md"]
    # Run from the subfolder: the globs still see paths from the configuration's folder.
    assert _shown(tmp_path / "news", ".") == expected
    assert _shown(tmp_path, "news") == [f"news/{name}" for name in expected]


def test_a_named_file_is_chosen_by_the_same_globs(tmp_path: Path) -> None:
    _write(tmp_path / "feedlint.toml", 'exclude = ["news/drafts/"]\n')
    _write(tmp_path / "news" / "drafts" / "a.md")
    _write(tmp_path / "news" / "b.md")
    assert _shown(tmp_path / "news", "--skip-non-articles", "drafts/a.md", "b.md") == ["b.md"]


def test_an_unreadable_glob_stops_the_run(tmp_path: Path) -> None:
    _write(tmp_path / "feedlint.toml", 'exclude = ["drafts\\\\"]\n')
    _write(tmp_path / "a.md")
    run = run_feedlint(["check", "."], cwd=tmp_path)
    assert run.returncode == 2
    assert "exclude: 'drafts\\\\' is not a glob pattern" in run.stderr
    run = run_feedlint(["check", "--isolated", "--exclude", "x\\", "."], cwd=tmp_path)
    assert run.returncode == 2 and "is not a glob pattern" in run.stderr
