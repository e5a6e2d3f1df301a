"""One gate decides what a run reports: the same answer however the run is asked.

For any files and any selection S, the diagnostics of ``--select S`` are exactly
the full run's diagnostics whose code S selects (same code, line and message);
feedlint's own failures (FL9xx) are in both. Every check runs whatever the
selection, so a problem has one owner: a prose date is the schema's FL106 in
every run, never the dates rule's FL401 under ``--select FL4``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedlint.discovery import discover
from feedlint.engine import Linter
from feedlint.selection import CodeSelector
from feedlint.settings import Settings
from tests.conftest import FIXTURES, SAMPLE, run_feedlint

#: A fixed "now", so that messages about the future do not move between runs.
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _report(settings: Settings, paths: list[str]) -> list[tuple[str, int, int, str, str, str]]:
    candidates = discover(paths)
    result = Linter(settings).run(candidates)
    return [(d.file, d.line, d.column, d.code, str(d.severity), d.message)
            for d in result.diagnostics]


@pytest.fixture(scope="module")
def full() -> list[tuple[str, int, int, str, str, str]]:
    found = _report(Settings(now=NOW), [str(FIXTURES)])
    assert len({d[3] for d in found}) > 30  # the fixtures hold most codes
    return found


SELECTIONS = [
    (("FL0",), ()), (("FL1",), ()), (("FL2",), ()), (("FL3",), ()), (("FL4",), ()),
    (("FL5",), ()), (("FL8",), ()), (("FL4", "FL8"), ()), (("FL106", "FL401"), ()),
    (("FL520",), ()), (("FL",), ("FL1",)), (("FL",), ("FL4", "FL801")),
    (("FL1", "FL2"), ("FL103",)), (("FL0", "FL8"), ()),
]  # fmt: skip


@pytest.mark.parametrize(("select", "ignore"), SELECTIONS)
def test_a_selection_reports_exactly_what_the_full_run_reports_of_it(
    full: list[tuple[str, int, int, str, str, str]],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    selector = CodeSelector(select, ignore)
    expected = [d for d in full if d[3].startswith("FL9") or selector.enabled(d[3])]
    got = _report(Settings(now=NOW, select=select, ignore=ignore), [str(FIXTURES)])
    assert got == expected


PROSE_DATE = "publishedDateTime: 18/03/2024 07:45"


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_a_prose_date_has_one_code_in_every_run(tmp_path: Path) -> None:
    sample = SAMPLE.read_text("utf-8")
    date_line = next(line for line in sample.splitlines() if line.startswith("publishedDate"))
    (tmp_path / "a.md").write_text(_with(sample, date_line, PROSE_DATE), "utf-8")
    full_run = run_feedlint(["check", "--no-cache", "--format", "json", "a.md"], cwd=tmp_path)
    codes = [d["code"] for d in full_run.json()["diagnostics"]]
    assert "FL106" in codes and "FL401" not in codes
    dates_only = run_feedlint(
        ["check", "--no-cache", "--format", "json", "--select", "FL4", "a.md"], cwd=tmp_path
    )
    assert dates_only.json()["diagnostics"] == []
    assert dates_only.returncode == 0
    # A noqa for the code a narrower run once showed is stale in every run.
    (tmp_path / "a.md").write_text(
        _with(sample, date_line, PROSE_DATE + "  # noqa: FL401"), "utf-8"
    )
    for select in ("FL", "FL8"):
        run = run_feedlint(
            ["check", "--no-cache", "--format", "json", "--select", select, "a.md"],
            cwd=tmp_path,
        )
        unused = [d for d in run.json()["diagnostics"] if d["code"] == "FL801"]
        assert len(unused) == 1 and "FL401" in unused[0]["message"], select


def test_a_duplicate_of_a_file_missing_a_field_is_reported_the_same_way(
    tmp_path: Path,
) -> None:
    """The duplicates check keeps no URL the schema rejected: under ``--select FL5``
    as in the full run (where the schema's finding was FL101, the duplicate none)."""
    sample = SAMPLE.read_text("utf-8")
    title = next(line for line in sample.splitlines() if line.startswith("title:"))
    broken = _with(sample, title + "\n", "")
    (tmp_path / "a.md").write_text(broken, "utf-8")
    (tmp_path / "b.md").write_text(broken, "utf-8")
    full_run = run_feedlint(["check", "--no-cache", "--format", "json", "."], cwd=tmp_path)
    full_codes = sorted(d["code"] for d in full_run.json()["diagnostics"])
    narrow = run_feedlint(
        ["check", "--no-cache", "--format", "json", "--select", "FL5", "."], cwd=tmp_path
    )
    narrow_codes = sorted(d["code"] for d in narrow.json()["diagnostics"])
    assert narrow_codes == [c for c in full_codes if c.startswith("FL5")]


def test_severity_overrides_are_the_gates_too(tmp_path: Path) -> None:
    sample = SAMPLE.read_text("utf-8")
    date_line = next(line for line in sample.splitlines() if line.startswith("publishedDate"))
    (tmp_path / "a.md").write_text(_with(sample, date_line, PROSE_DATE), "utf-8")
    (tmp_path / "feedlint.toml").write_text('[severity]\nFL106 = "warning"\n')
    run = run_feedlint(["check", "--no-cache", "--format", "json", "a.md"], cwd=tmp_path)
    [d] = [d for d in run.json()["diagnostics"] if d["code"] == "FL106"]
    assert d["severity"] == "warning"
    assert run.returncode == 0


def test_settings_are_frozen_between_linters() -> None:
    """Workers get a copy: nothing a gate decides may leak into another's settings."""
    settings = Settings(now=NOW, select=("FL1",))
    first = Linter(settings)
    Linter(dataclasses.replace(settings, select=("FL4",)))
    assert first.gate.selected("FL101") and not first.gate.selected("FL401")
