"""--output-file, --statistics, --exit-zero, --quiet and FEEDLINT_FORMAT."""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from pathlib import Path

import pytest

from feedlint.reporters.output import atomic_output
from tests.conftest import run_feedlint
from tests.output_cases import make_repository


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("options") / "repo")


# -- --output-file ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_output_file_holds_what_stdout_would(repository: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "reports" / f"report.{fmt}"
    target.parent.mkdir()  # outside the current folder: a folder must exist
    to_file = run_feedlint(["check", "--format", fmt, "-o", str(target), "articles"],
                           cwd=repository)
    to_stdout = run_feedlint(["check", "--format", fmt, "articles"], cwd=repository)
    assert to_file.returncode == to_stdout.returncode == 1
    assert to_file.stdout == ""
    written = target.read_bytes().decode("utf-8")
    if fmt == "junit":  # only the timestamp and the time differ
        strip = re.compile(r' (timestamp|time)="[^"]*"')
        written, expected = strip.sub("", written), strip.sub("", to_stdout.stdout)
    else:
        expected = to_stdout.stdout
    assert written == expected
    assert to_file.stderr.startswith("feedlint: ") and to_file.stderr.endswith(
        f"in 5 files; report written to {target}\n"
    )
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp file


def test_output_file_is_never_coloured(repository: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    run_feedlint(["check", "--color", "always", "-o", str(target), "articles"], cwd=repository)
    assert "\033[" not in target.read_text("utf-8")


def test_output_file_keeps_the_permissions_of_the_file_it_replaces(
    repository: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    run_feedlint(["check", "--format", "json", "-o", str(target), "articles"], cwd=repository)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert json.loads(target.read_text("utf-8"))["files_checked"] == 5


def test_a_new_output_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    old = os.umask(0o027)
    try:
        with atomic_output(str(target)) as out:
            out.write("x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_interrupted_report_leaves_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("the previous report\n", "utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_output(str(target)) as out:
        out.write("half a rep")
        raise KeyboardInterrupt
    assert target.read_text("utf-8") == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_unwritable_output_file_is_a_usage_error(repository: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    run = run_feedlint(["check", "-o", str(blocker / "report.txt"), "articles"], cwd=repository)
    assert run.returncode == 2
    assert run.stderr.startswith(f"feedlint: error: cannot write the report to {blocker}")
    assert len(run.stderr.splitlines()) == 1


def test_quiet_drops_the_note_about_the_output_file(repository: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    run = run_feedlint(["check", "-q", "--format", "json", "-o", str(target), "articles"],
                       cwd=repository)
    assert run.returncode == 1 and run.stdout == "" and run.stderr == ""
    assert json.loads(target.read_text("utf-8"))["diagnostics"]


def test_output_file_under_github_actions_is_text(repository: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    run_feedlint(["check", "-o", str(target), "articles/bad.md"], cwd=repository,
                 env={"GITHUB_ACTIONS": "true"})
    assert target.read_text("utf-8").startswith("articles/bad.md:5:1: error FL102 ")


# -- --output-file where a pull request put symbolic links ----------------------------


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, a link's target, a folder."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_dir():
            out[key] = "dir"
        else:
            out[key] = path.read_bytes()
    return out


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder outside the checkout holding what a link could point at."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".profile").write_bytes(b"export PATH=/usr/bin\n")
    os.chmod(home / ".profile", 0o644)
    return home


@pytest.mark.parametrize("absolute", [False, True])
def test_a_link_at_the_output_path_is_replaced_not_written_through(
    tmp_path: Path, home: Path, absolute: bool
) -> None:
    checkout = make_repository(tmp_path / "repo")
    link = checkout / "feedlint.sarif"
    link.symlink_to(home / ".profile" if absolute else Path("..", "home", ".profile"))
    before = _snapshot(home)
    run = run_feedlint(["check", "--format", "sarif", "-o", "feedlint.sarif", "articles"],
                       cwd=checkout)
    assert run.returncode == 1, run.stderr
    assert _snapshot(home) == before  # the target is untouched, nothing added beside it
    assert not link.is_symlink()
    assert json.loads(link.read_text("utf-8"))["version"] == "2.1.0"
    assert stat.S_IMODE(link.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("named", ["out/report.sarif", "out/new/deeper/report.sarif"])
def test_a_linked_folder_leading_outside_is_not_written_through(
    tmp_path: Path, home: Path, named: str
) -> None:
    checkout = make_repository(tmp_path / "repo")
    (checkout / "out").symlink_to(home)
    before = _snapshot(home)
    run = run_feedlint(["check", "-o", named, "articles"], cwd=checkout)
    assert run.returncode == 2
    assert run.stderr.startswith(f"feedlint: error: cannot write the report to {named}: out is "
                                 "a symbolic link to ")
    assert "outside the current folder" in run.stderr
    assert len(run.stderr.splitlines()) == 1
    assert _snapshot(home) == before


def test_missing_folders_are_created_only_inside_the_current_folder(
    tmp_path: Path, home: Path
) -> None:
    checkout = make_repository(tmp_path / "repo")
    run = run_feedlint(["check", "--format", "json", "-o", "reports/ci/r.json", "articles"],
                       cwd=checkout)
    assert run.returncode == 1, run.stderr
    assert json.loads((checkout / "reports" / "ci" / "r.json").read_text("utf-8"))
    # A linked folder that stays inside is followed; missing folders below it are made.
    (checkout / "real").mkdir()
    (checkout / "alias").symlink_to("real")
    run = run_feedlint(["check", "-o", "alias/sub/r.txt", "articles"], cwd=checkout)
    assert run.returncode == 1, run.stderr
    assert (checkout / "real" / "sub" / "r.txt").is_file()
    assert (checkout / "alias").is_symlink()
    # Outside the current folder, the folder must exist: nothing is created there.
    before = _snapshot(tmp_path / "home")
    for named in (str(home / "new" / "r.txt"), "../home/new/r.txt"):
        run = run_feedlint(["check", "-o", named, "articles"], cwd=checkout)
        assert run.returncode == 2
        assert "feedlint creates missing folders only inside the current folder" in run.stderr
    assert _snapshot(home) == before
    # An existing folder outside, named by the user, is their choice.
    run = run_feedlint(["check", "-o", str(home / "r.txt"), "articles"], cwd=checkout)
    assert run.returncode == 1, run.stderr
    assert (home / "r.txt").read_text("utf-8").endswith("in 5 files\n")


# -- --statistics -------------------------------------------------------------


def json_counts(repository: Path, *paths: str) -> tuple[Counter[str], dict[str, object]]:
    report = run_feedlint(["check", "--format", "json", *paths], cwd=repository).json()
    return Counter(d["code"] for d in report["diagnostics"]), report


def test_statistics_text_counts_each_code(repository: Path) -> None:
    counts, report = json_counts(repository, "articles")
    run = run_feedlint(["check", "--statistics", "articles"], cwd=repository)
    assert run.returncode == 1
    *rows, summary = run.stdout.splitlines()
    parsed = [row.split() for row in rows]
    assert {p[1]: int(p[0]) for p in parsed} == counts
    assert [int(p[0]) for p in parsed] == sorted(counts.values(), reverse=True)
    by_code = {d["code"]: d for d in report["diagnostics"]}  # type: ignore[attr-defined]
    for p in parsed:
        assert p[2] == ("E" if by_code[p[1]]["severity"] == "error" else "W")
        assert p[3] == by_code[p[1]]["rule"]
    assert summary.endswith("in 5 files")
    # Counts line up on the right.
    assert len({row.index(" FL") for row in rows}) == 1
    quiet = run_feedlint(["check", "--statistics", "-q", "articles"], cwd=repository)
    assert quiet.stdout.splitlines() == rows


def test_statistics_json(repository: Path) -> None:
    counts, _ = json_counts(repository, "articles")
    run = run_feedlint(["check", "--statistics", "--format", "json", "articles"],
                       cwd=repository)
    document = run.json()
    assert document["version"] == 1 and document["files_checked"] == 5
    assert {row["code"]: row["count"] for row in document["statistics"]} == counts
    assert set(document["statistics"][0]) == {"code", "rule", "severity", "count", "summary"}


def test_statistics_of_a_clean_run(repository: Path) -> None:
    run = run_feedlint(["check", "--statistics", "articles/clean.md"], cwd=repository)
    assert run.returncode == 0
    assert run.stdout == "0 errors, 0 warnings in 1 file\n"


def test_statistics_cannot_be_sarif(repository: Path) -> None:
    run = run_feedlint(["check", "--statistics", "--format", "sarif", "articles"],
                       cwd=repository)
    assert run.returncode == 2
    assert run.stderr == "feedlint: error: --statistics is printed as text or json, not sarif\n"


def test_statistics_under_github_actions_or_a_sarif_default_is_text(repository: Path) -> None:
    for env in ({"GITHUB_ACTIONS": "true"}, {"FEEDLINT_FORMAT": "sarif"}):
        run = run_feedlint(["check", "--statistics", "articles/bad.md"], cwd=repository,
                           env=env)
        assert run.stdout.splitlines()[-1] == "3 errors, 1 warning in 1 file", env


# -- --exit-zero, --quiet, FEEDLINT_FORMAT -----------------------------------


def test_exit_zero_reports_but_passes(repository: Path) -> None:
    run = run_feedlint(["check", "--exit-zero", "articles/bad.md"], cwd=repository)
    assert run.returncode == 0
    assert "FL102" in run.stdout
    strict = run_feedlint(["check", "--exit-zero", "--strict", "articles/warn.md"],
                          cwd=repository)
    assert strict.returncode == 0 and "FL011" in strict.stdout
    assert run_feedlint(["check", "--strict", "articles/warn.md"], cwd=repository).returncode == 1


def test_exit_zero_does_not_hide_a_usage_error(repository: Path) -> None:
    run = run_feedlint(["check", "--exit-zero", "missing.md"], cwd=repository)
    assert run.returncode == 2


def test_quiet_text_has_no_summary(repository: Path) -> None:
    loud = run_feedlint(["check", "articles"], cwd=repository).stdout.splitlines()
    quiet = run_feedlint(["check", "-q", "articles"], cwd=repository).stdout.splitlines()
    assert quiet == loud[:-1] and loud[-1].endswith("in 5 files")


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_quiet_leaves_documents_as_they_are(repository: Path, fmt: str) -> None:
    loud = run_feedlint(["check", "--format", fmt, "articles"], cwd=repository)
    quiet = run_feedlint(["check", "--format", fmt, "-q", "articles"], cwd=repository)
    assert quiet.stdout == loud.stdout and json.loads(quiet.stdout)


def test_feedlint_format_sets_the_default(repository: Path) -> None:
    run = run_feedlint(["check", "articles/bad.md"], cwd=repository,
                       env={"FEEDLINT_FORMAT": "json"})
    assert run.json()["files_checked"] == 1
    asked = run_feedlint(["check", "--format", "text", "articles/bad.md"], cwd=repository,
                         env={"FEEDLINT_FORMAT": "json"})
    assert asked.stdout.startswith("articles/bad.md:5:1: error FL102 ")
    junit = run_feedlint(["check", "articles/bad.md"], cwd=repository,
                         env={"FEEDLINT_FORMAT": "junit"})
    assert junit.stdout.startswith("<?xml ")


def test_an_unknown_feedlint_format_is_a_usage_error(repository: Path) -> None:
    run = run_feedlint(["check", "articles/bad.md"], cwd=repository,
                       env={"FEEDLINT_FORMAT": "yaml"})
    assert run.returncode == 2 and run.stdout == ""
    assert "'yaml' (from FEEDLINT_FORMAT)" in run.stderr and "sarif" in run.stderr


def test_format_choices_are_the_registry() -> None:
    from feedlint.cli import build_parser
    from feedlint.reporters import REPORTERS

    assert set(REPORTERS) == {"text", "full", "json", "github", "sarif", "junit", "html"}
    check = build_parser()._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    (fmt,) = [a for a in check._actions if a.dest == "output_format"]
    assert fmt.option_strings == ["--output-format", "--format"]
    assert all(name in (fmt.help or "") for name in REPORTERS)


def test_an_unknown_format_is_a_usage_error_naming_the_formats(repository: Path) -> None:
    from feedlint.reporters import REPORTERS

    run = run_feedlint(["check", "--format", "yaml", "articles/bad.md"], cwd=repository)
    assert run.returncode == 2 and run.stdout == ""
    assert "'yaml'" in run.stderr and all(name in run.stderr for name in REPORTERS)
