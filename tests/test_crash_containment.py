"""A crash inside feedlint stays with the file that caused it.

A rule module that raises is injected into the registry of a child process
started by the test (no plugin mechanism ships), and the whole command line
runs there: the crash becomes FL900 naming the check, every other file is
still linted and reported, the run exits 2 and prints no traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contracts import check_json_report, measured_run, sample_copy

#: Runs ``feedlint.cli.main`` after patching one stage to raise on articles titled
#: "crash" (argv[1] names the stage).
_SCRIPT = '''
import sys

import feedlint.pipeline as engine
from feedlint.rules import Rule, RuleModule

stage = sys.argv.pop(1)


def boom(article, *rest):
    if isinstance(article, dict) or article.data.get("title") == "crash":
        raise ZeroDivisionError("deliberate failure in " + stage)
    return [] if stage == "check" else {"title": article.data.get("title")}


def across(gathered, options):
    raise ZeroDivisionError("deliberate failure in across")


rule = Rule(code="FL990", name="crash-test", summary="s", what="w", why="y",
            example="", fixed="")
module = {
    "check": RuleModule(name="crashy", rules=(rule,), check=boom),
    "collect": RuleModule(name="crashy", rules=(rule,), collect=boom),
    "across": RuleModule(name="crashy", rules=(rule,), collect=boom, across=across),
}.get(stage)
if module is not None:
    engine.MODULES = (*engine.MODULES, module)
if stage == "parse":
    real_parse = engine.parse
    def parse(path, raw, **kwargs):
        if b"title: crash" in raw:
            raise MemoryError("deliberate failure in parse")
        return real_parse(path, raw, **kwargs)
    engine.parse = parse
if stage == "schema":
    real_check = engine.ArticleSchema.check
    def check(self, data):
        if data.get("title") == "crash":
            raise KeyError("deliberate failure in schema")
        return real_check(self, data)
    engine.ArticleSchema.check = check

from feedlint.cli import main

sys.exit(main(sys.argv[1:]))
'''

CRASH = b"---\ntitle: crash\n---\n"  # also three FL101 when nothing crashes
BAD = b"---\ntitle: bad\n---\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "a-good.md").write_bytes(sample_copy(1))
    (root / "b-crash.md").write_bytes(CRASH)
    (root / "c-bad.md").write_bytes(BAD)
    (root / "d-good.md").write_bytes(sample_copy(2))
    return tmp_path


def run_with_crash(stage: str, cwd: Path, *args: str) -> tuple[int, str, str]:
    run = measured_run([stage, "check", *args, "articles"], cwd=cwd, python=("-c", _SCRIPT))
    return run.returncode, run.stdout, run.stderr


@pytest.mark.parametrize(
    ("stage", "named"),
    [
        ("check", "the crashy check"),
        ("collect", "the crashy check"),
        ("parse", "the parser"),
        ("schema", "the schema check"),
    ],
)
def test_crash_in_one_file_is_fl900_and_the_run_goes_on(
    folder: Path, stage: str, named: str
) -> None:
    code, stdout, stderr = run_with_crash(stage, folder, "--format", "json")
    assert code == 2, stderr
    assert "Traceback" not in stderr and stderr == ""
    report = json.loads(stdout)
    check_json_report(report, files_checked=4)
    by_file: dict[str, list[str]] = {}
    for d in report["diagnostics"]:
        by_file.setdefault(d["file"], []).append(d["code"])
    # The crash is reported on its file, naming what crashed and why.
    crash = [d for d in report["diagnostics"] if d["code"] == "FL900"]
    assert [d["file"] for d in crash] == ["articles/b-crash.md"]
    assert crash[0]["message"].startswith(f"{named} crashed on this file")
    assert f"deliberate failure in {stage}" in crash[0]["message"]
    # Every other file is still linted and reported.
    assert by_file["articles/c-bad.md"] == ["FL101"] * 3
    assert "articles/a-good.md" not in by_file and "articles/d-good.md" not in by_file


def test_crash_across_files_is_fl900(folder: Path) -> None:
    code, stdout, stderr = run_with_crash("across", folder, "--format", "json")
    assert code == 2 and stderr == ""
    report = json.loads(stdout)
    check_json_report(report, files_checked=4)
    crash = [d for d in report["diagnostics"] if d["code"] == "FL900"]
    assert len(crash) == 2  # the collect on b-crash.md, then the check across files
    assert any("deliberate failure in across" in d["message"] for d in crash)
    assert [d["code"] for d in report["diagnostics"] if d["file"] == "articles/c-bad.md"] == [
        "FL101"
    ] * 3


@pytest.mark.parametrize("stage", ["parse", "schema"])
def test_crash_is_never_filtered_out(folder: Path, stage: str) -> None:
    """--select and --ignore choose what to report; a crash is not a finding to choose."""
    code, stdout, stderr = run_with_crash(
        stage, folder, "--format", "json", "--select", "FL1", "--ignore", "FL9"
    )
    assert code == 2, stderr
    report = json.loads(stdout)
    assert [d["code"] for d in report["diagnostics"] if d["file"] == "articles/b-crash.md"] == [
        "FL900"
    ]


def test_crash_in_text_output(folder: Path) -> None:
    code, stdout, stderr = run_with_crash("check", folder)
    assert code == 2 and stderr == ""
    assert "articles/b-crash.md:1:1: error FL900 the crashy check crashed on this file" in stdout
    assert "articles/c-bad.md:1:1: error FL101" in stdout
    assert stdout.rstrip().endswith("in 4 files")


def test_without_a_crash_the_same_files_exit_1(folder: Path) -> None:
    """The control: the script changes nothing when no stage is patched."""
    code, stdout, stderr = run_with_crash("none", folder, "--format", "json")
    assert code == 1, stderr
    assert "FL900" not in stdout
