"""--shard K/N splits the files across CI jobs; `feedlint merge` joins their reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from feedlint.discovery import discover, display_path, in_shard, shard
from tests.conftest import run_feedlint
from tests.helpers import load_corpus_module


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "archive"
    load_corpus_module().generate(str(root), 240, per_feed=60)
    broken = sorted(root.rglob("*.md"))[::9]
    for path in broken:
        path.write_text(path.read_text("utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    return root


def test_shards_partition_the_files(archive: Path) -> None:
    every = [c.display for c in discover(["archive"])]
    for count in (1, 2, 3, 5):
        parts = [[c.display for c in shard(discover(["archive"]), k, count)]
                 for k in range(1, count + 1)]
        assert sorted(d for part in parts for d in part) == sorted(every)  # union
        assert sum(len(part) for part in parts) == len(every)  # disjoint
        if count > 1:
            assert all(part for part in parts)
            assert max(map(len, parts)) < 2 * len(every) / count  # roughly even


def test_a_file_stays_in_its_shard_when_others_come_and_go(archive: Path) -> None:
    before = {c.display: k for k in (1, 2, 3) for c in shard(discover(["archive"]), k, 3)}
    (archive / "feed-000" / "0999_new.md").write_text("---\ntitle: x\n---\n")
    sorted(archive.rglob("*.md"))[5].unlink()
    after = {c.display: k for k in (1, 2, 3) for c in shard(discover(["archive"]), k, 3)}
    moved = {d for d in before.keys() & after.keys() if before[d] != after[d]}
    assert moved == set()
    assert len(after.keys() - before.keys()) == 1


def test_the_split_depends_on_the_path_alone(archive: Path, tmp_path: Path) -> None:
    assert [in_shard("archive/feed-000/0001_a.md", k, 4) for k in (1, 2, 3, 4)].count(True) == 1
    assert in_shard("a/b.md", 1, 1)
    # The same answer in every process, whatever Python's string hash seed.
    listings = {
        run_feedlint(["check", "--shard", "2/4", "--show-files", "archive"], cwd=tmp_path,
                     env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(listings) == 1


def test_shard_runs_merge_into_the_report_of_one_run(archive: Path, tmp_path: Path) -> None:
    whole = run_feedlint(["check", "--format", "json", "archive"], cwd=tmp_path)
    assert whole.returncode == 1
    reports = []
    for k in (1, 2, 3):
        run = run_feedlint(["check", "--no-cache", "--shard", f"{k}/3", "--format", "json",
                            "archive"], cwd=tmp_path)
        report = tmp_path / f"shard-{k}.json"
        report.write_text(run.stdout, encoding="utf-8")
        reports.append(str(report))
        assert 0 < run.json()["files_checked"] < whole.json()["files_checked"]
    merged = run_feedlint(["merge", *reports], cwd=tmp_path)
    assert merged.returncode == 1
    assert merged.json() == whole.json()
    text = run_feedlint(["merge", "--format", "text", *reports], cwd=tmp_path)
    expected = run_feedlint(["check", "--no-cache", "--color", "never", "archive"], cwd=tmp_path)
    assert text.stdout == expected.stdout


def test_show_files_lists_the_shard(archive: Path, tmp_path: Path) -> None:
    listed = run_feedlint(["check", "--shard", "1/2", "--show-files", "archive"], cwd=tmp_path)
    expected = [c.display for c in shard(discover(["archive"]), 1, 2)]
    assert listed.stdout.splitlines() == expected


@pytest.mark.parametrize("spec", ["0/3", "4/3", "2", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_a_usage_error(spec: str, tmp_path: Path) -> None:
    run = run_feedlint(["check", f"--shard={spec}", "."], cwd=tmp_path)
    assert run.returncode == 2
    assert "K/N" in run.stderr


def test_merge_exit_codes_and_bad_reports(tmp_path: Path) -> None:
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({"version": 1, "files_checked": 3, "diagnostics": []}))
    run = run_feedlint(["merge", str(clean), str(clean)], cwd=tmp_path)
    assert run.returncode == 0 and run.json()["files_checked"] == 6
    warning = dict(file="a.md", line=3, column=1, end_line=3, end_column=4, code="FL011",
                   rule="ambiguous-boolean", severity="warning", message="m", pointer="/p")
    warned = tmp_path / "warned.json"
    warned.write_text(json.dumps({"version": 1, "files_checked": 1, "diagnostics": [warning]}))
    assert run_feedlint(["merge", str(warned)], cwd=tmp_path).returncode == 0
    assert run_feedlint(["merge", "--strict", str(warned)], cwd=tmp_path).returncode == 1
    for content in ("not json", json.dumps({"version": 2}), json.dumps([1])):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        run = run_feedlint(["merge", str(clean), str(bad)], cwd=tmp_path)
        assert run.returncode == 2
        assert run.stderr.startswith(f"feedlint: error: {bad}")
    run = run_feedlint(["merge", str(tmp_path / "missing.json")], cwd=tmp_path)
    assert run.returncode == 2 and "cannot read" in run.stderr


@pytest.mark.parametrize("given", [".", "./", "archive", "archive/", "./archive", "archive//",
                                   "archive/../archive", "ABS", "ABS/"])
def test_paths_found_by_walking_display_as_display_path_says(
    archive: Path, tmp_path: Path, given: str
) -> None:
    given = given.replace("ABS", str(archive))
    for candidate in discover([given])[:20]:
        assert candidate.display == display_path(candidate.path)


def test_paths_outside_the_current_folder_display_as_given(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(archive / "feed-000")
    for given in ("../feed-001", str(archive / "feed-002")):
        displays = [c.display for c in discover([given])]
        assert displays and all(d.startswith(given) for d in displays)
        assert all(d == display_path(os.path.join(given, os.path.basename(d)))
                   for d in displays)


def test_the_docs_shard_workflow_runs_as_shown(archive: Path, tmp_path: Path) -> None:
    """Every `feedlint` step of the matrix workflow of docs/ci.md, for each shard, then
    the report job's merge: it fails the build exactly when one run over every file
    would."""
    import glob
    import re
    import shlex

    import yaml

    from tests.conftest import ROOT

    page = (ROOT / "docs" / "ci.md").read_text("utf-8")
    start = page.index("\n## Shards")
    end = page.find("\n## ", start + 1)
    (block,) = re.findall(r"```yaml\n(.*?)```", page[start:end if end != -1 else None], re.S)
    jobs = yaml.safe_load(block)["jobs"]
    shards = jobs["lint"]["strategy"]["matrix"]["shard"]
    def commands(job: str) -> list[str]:
        return [s["run"] for s in jobs[job]["steps"] if s.get("run", "").startswith("feedlint")]

    lint_steps, report_steps = commands("lint"), commands("report")
    assert len(lint_steps) == 2 and len(report_steps) == 1
    for part in shards:
        for command in lint_steps:
            words = shlex.split(command.replace("${{ matrix.shard }}", str(part)))
            words = [w.replace(".", "archive") if w == "." else w for w in words]
            run = run_feedlint(words[1:], cwd=tmp_path)
            assert run.returncode == 0, run.stderr  # --exit-zero
    (merge,) = report_steps
    words = shlex.split(merge)
    reports = [
        found
        for word in words[1:]
        for found in (sorted(glob.glob(str(tmp_path / word))) if "*" in word else [word])
    ]
    merged = run_feedlint(reports, cwd=tmp_path)
    whole = run_feedlint(["check", "--no-cache", "--color", "never", "archive"], cwd=tmp_path)
    assert merged.returncode == whole.returncode == 1
    assert merged.stdout == whole.stdout
