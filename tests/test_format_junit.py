"""``--format junit``: parsed as a CI report viewer would, counted against the JSON
report of the same files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

from feedlint.reporters.junit import xml_text
from tests.conftest import run_feedlint
from tests.output_cases import make_repository


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("junit") / "repo")


def junit(args: list[str], cwd: Path) -> ET.Element:
    run = run_feedlint(["check", "--format", "junit", *args], cwd=cwd)
    assert run.returncode in (0, 1), run.stderr
    assert run.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(run.stdout.encode("utf-8"))


def by_file(args: list[str], cwd: Path) -> tuple[dict[str, list[dict[str, object]]], int]:
    report = run_feedlint(["check", "--format", "json", *args], cwd=cwd).json()
    grouped: dict[str, list[dict[str, object]]] = defaultdict(list)
    for d in report["diagnostics"]:
        grouped[str(d["file"])].append(d)
    return grouped, report["files_checked"]


def line_of(d: dict[str, object]) -> str:
    """A diagnostic as a JUnit failure lists it: one line, line breaks spelled out."""
    message = str(d["message"]).replace("\r", "\\r").replace("\n", "\\n")
    return xml_text(
        f"{d['file']}:{d['line']}:{d['column']}: {d['severity']} {d['code']} {message}"
    )


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_one_case_per_file_counted_against_json(repository: Path, strict: bool) -> None:
    args = ["--strict"] if strict else []
    root = junit([*args, "articles"], repository)
    diagnostics, files_checked = by_file(["articles"], repository)
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == files_checked == 5
    failing = {
        name for name, ds in diagnostics.items()
        if any(d["severity"] == "error" or strict for d in ds)
    }
    assert {c.get("name") for c in cases if c.find("failure") is not None} == failing
    assert suite.get("tests") == root.get("tests") == str(files_checked)
    assert suite.get("failures") == root.get("failures") == str(len(failing))
    assert suite.get("errors") == "0" and suite.get("skipped") == "0"
    assert float(suite.get("time", "-1")) >= 0
    for case in cases:
        name = case.get("name")
        assert case.get("classname") == "feedlint" and case.get("file") == name
        failure = case.find("failure")
        shown = [d for d in diagnostics.get(name, []) if strict or d["severity"] == "error"]
        kept = [d for d in diagnostics.get(name, []) if d not in shown]
        if failure is None:
            assert not shown
        else:
            assert (failure.text or "").split("\n") == [line_of(d) for d in shown]
            assert failure.get("type") == shown[0]["code"]
        out = case.find("system-out")
        assert (out.text.split("\n") if out is not None else []) == [line_of(d) for d in kept]


def test_the_warning_only_file_passes_unless_strict(repository: Path) -> None:
    default = junit(["articles/warn.md"], repository)
    strict = junit(["--strict", "articles/warn.md"], repository)
    assert default.find("testsuite/testcase/failure") is None
    assert "FL011" in (default.findtext("testsuite/testcase/system-out") or "")
    assert "FL011" in (strict.findtext("testsuite/testcase/failure") or "")


def test_xml_special_and_control_characters(repository: Path) -> None:
    root = junit(["articles/bad.md"], repository)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    text = failure.text or ""
    # <, & and quotes survive escaping; CR LF and \x01 (not allowed in XML 1.0) are
    # spelled out, so each diagnostic stays on its line.
    assert 'unknown field "50%, off: now\\r\\nreally <b> & "x" \\x01"' in text
    assert len(text.split("\n")) == 3
    message = failure.get("message", "")
    assert message.startswith("3 errors, 0 warnings: articles/bad.md:5:1: error FL102 ")


def test_clean_files_are_passing_cases(repository: Path) -> None:
    root = junit(["articles/clean.md"], repository)
    (case,) = root.iter("testcase")
    assert list(case) == [] and root.get("failures") == "0"


def test_xml_text_escapes_only_what_xml_cannot_carry() -> None:
    assert xml_text("a\tb\nc\r") == "a\tb\nc\r"
    assert xml_text("\x00\x1b\ufffe\ud800é\U0001f600") == "\\x00\\x1b\\ufffe\\ud800é\U0001f600"
