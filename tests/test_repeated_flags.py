"""A list-valued flag adds up over its repetitions and takes comma-separated values,
as in ruff: ``--ignore FL1 --ignore FL4`` ignores both, like ``--ignore FL1,FL4``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_feedlint

#: FL102 (a schema problem) and FL402 (a date problem).
ARTICLE = """---
title: "Two families of problems"
publishedDateTime: 2024-01-01T00:00:00
webUrl: https://example.com/b
provider: {name: Example, domain: example.com}
quality: "high"
---
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def found(path: Path, *flags: str) -> set[str]:
    run = run_feedlint(["check", "--isolated", "--no-cache", "--format", "json", *flags,
                        path.name], cwd=path.parent)
    assert run.returncode in (0, 1), run.stderr
    return {d["code"] for d in run.json()["diagnostics"]}


def test_the_article_has_both_families(article: Path) -> None:
    assert found(article) == {"FL102", "FL402"}


@pytest.mark.parametrize(
    "flags",
    [
        ["--ignore", "FL1", "--ignore", "FL4"],
        ["--ignore", "FL1,FL4"],
        ["--ignore=FL1", "--ignore", "fl4"],
    ],
)
def test_repeated_ignores_add_up(article: Path, flags: list[str]) -> None:
    assert found(article, *flags) == set()


@pytest.mark.parametrize(
    "flags",
    [
        ["--select", "FL1", "--select", "FL4"],
        ["--select", "FL1,FL4"],
        ["--select", "FL0", "--select", "FL1,FL4"],
    ],
)
def test_repeated_selects_add_up(article: Path, flags: list[str]) -> None:
    assert found(article, *flags) == {"FL102", "FL402"}


def test_repeated_extend_selects_add_up(article: Path) -> None:
    flags = ["--select", "FL0", "--extend-select", "FL1", "--extend-select", "FL4"]
    assert found(article, *flags) == {"FL102", "FL402"}


def test_an_unknown_code_in_any_repetition_is_a_usage_error(article: Path) -> None:
    run = run_feedlint(["check", "--isolated", "--ignore", "FL1", "--ignore", "FL4,XY9",
                        article.name], cwd=article.parent)
    assert run.returncode == 2
    assert "unknown code or prefix 'XY9'" in run.stderr


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def shown_files(tree: Path, *flags: str) -> list[str]:
    run = run_feedlint(["check", "--isolated", "--show-files", *flags, "."], cwd=tree)
    assert run.returncode == 0, run.stderr
    return sorted(run.stdout.split())


@pytest.mark.parametrize("flag", ["--exclude", "--extend-exclude"])
@pytest.mark.parametrize("form", ["repeated", "commas"])
def test_repeated_excludes_add_up(tree: Path, flag: str, form: str) -> None:
    assert shown_files(tree) == ["a/x.md", "b/x.md", "c/x.md"]
    flags = [flag, "a", flag, "b"] if form == "repeated" else [flag, "a,b"]
    assert shown_files(tree, *flags) == ["c/x.md"]


def test_repeated_excludes_still_replace_the_files_exclude(tree: Path) -> None:
    (tree / "feedlint.toml").write_text('exclude = ["c"]\nextend-exclude = ["b"]\n')
    run = run_feedlint(["check", "--show-files", "--exclude", "a", "--exclude", "x", "."],
                       cwd=tree)
    assert sorted(run.stdout.split()) == ["c/x.md"]


def show_settings(tmp_path: Path, *flags: str) -> list[str]:
    run = run_feedlint(["check", "--isolated", "--show-settings", *flags, "."], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_show_settings_shows_every_repetition(tmp_path: Path) -> None:
    lines = show_settings(
        tmp_path, "--select", "FL1", "--select", "FL4,FL5", "--ignore", "FL103",
        "--ignore", "FL104", "--extend-select", "FL201", "--extend-select", "FL202",
        "--exclude", "a", "--exclude", "b,c", "--extend-exclude", "d", "--extend-exclude", "e",
    )
    assert 'select = ["FL1", "FL4", "FL5"]  # command line' in lines
    assert 'ignore = ["FL103", "FL104"]  # command line' in lines
    assert 'extend-select = ["FL201", "FL202"]  # command line' in lines
    assert 'exclude = ["a", "b", "c"]  # command line' in lines
    assert 'extend-exclude = ["d", "e"]  # command line' in lines


def test_allow_network_adds_up_and_takes_commas(tmp_path: Path) -> None:
    lines = show_settings(
        tmp_path, "--probe", "--allow-network", "10.1.0.0/16",
        "--allow-network", "10.2.0.0/16,192.168.0.0/24",
    )
    assert ('probe-allow-networks = ["10.1.0.0/16", "10.2.0.0/16", "192.168.0.0/24"]'
            "  # command line") in lines


def test_a_bad_network_among_commas_is_a_usage_error(tmp_path: Path) -> None:
    run = run_feedlint(["check", "--isolated", "--probe", "--allow-network",
                        "10.1.0.0/16,10.0.0.0/33", "."], cwd=tmp_path)
    assert run.returncode == 2
    assert "expected a network such as 10.1.0.0/16, got '10.0.0.0/33'" in run.stderr


def test_probe_exclude_adds_up_one_regex_per_flag(tmp_path: Path) -> None:
    """A regular expression may hold a comma: --probe-exclude is never split."""
    lines = show_settings(
        tmp_path, "--probe", "--probe-exclude", "^https://a/{1,3}x", "--probe-exclude", "b,c",
    )
    assert 'probe-exclude = ["^https://a/{1,3}x", "b,c"]  # command line' in lines


def help_entries() -> dict[str, str]:
    """``feedlint check --help``: each option's entry (names, metavar and help on one
    line), by its first name."""
    run = run_feedlint(["check", "--help"], env={"COLUMNS": "100"})
    assert run.returncode == 0, run.stderr
    entries: dict[str, str] = {}
    name = ""
    for line in run.stdout.splitlines():
        if line.startswith("  -"):
            name = line.split()[0].rstrip(",")
            entries[name] = line.strip()
        elif name and line.startswith("   "):
            # argparse breaks lines after a hyphen too ("comma-" / "separated").
            glue = "" if entries[name].endswith("-") else " "
            entries[name] += glue + line.strip()
        else:
            name = ""
    return entries


def test_the_help_says_which_flags_add_up() -> None:
    lines = help_entries()
    for flag in ("--select", "--extend-select", "--ignore", "--exclude", "--extend-exclude",
                 "--probe-allow-networks"):
        assert "comma-separated" in lines[flag] and "repeatable" in lines[flag], lines[flag]
    assert "repeatable" in lines["--probe-exclude"]
    assert "not split at commas" in lines["--probe-exclude"]
