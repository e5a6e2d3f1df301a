"""``--format github``: workflow commands parsed back as the Actions runner reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feedlint.diagnostics import Diagnostic, Severity
from feedlint.reporters.github import escape_data, escape_property, workflow_command
from tests.conftest import run_feedlint
from tests.output_cases import ODD_NAME, make_repository

_COMMAND = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")
_UNESCAPE = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(text: str) -> str:
    # One pass, as the runner does: "%252C" is "%2C", not ",".
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: _UNESCAPE[m.group()], text)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    properties = {}
    for pair in match.group(2).split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value)
    return match.group(1), properties, unescape(match.group(3))


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("github") / "repo")


def test_commands_round_trip_to_the_json_diagnostics(repository: Path) -> None:
    github = run_feedlint(["check", "--format", "github", "articles"], cwd=repository)
    report = run_feedlint(["check", "--format", "json", "articles"], cwd=repository).json()
    assert github.returncode == 1, github.stderr
    lines = github.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    diagnostics = report["diagnostics"]
    errors = sum(1 for d in diagnostics if d["severity"] == "error")
    warnings = len(diagnostics) - errors
    assert errors and warnings
    assert lines[len(commands):] == [
        f"feedlint: {errors} errors, {warnings} warnings in {report['files_checked']} files"
    ]
    assert len(commands) == len(diagnostics)
    for line, d in zip(commands, diagnostics, strict=True):
        level, properties, message = parse_command(line)
        assert level == d["severity"]
        assert message == d["message"]
        assert properties["file"] == "articles/" + Path(d["file"]).name
        assert properties["title"] == d["code"]
        assert properties["line"] == str(d["line"])
        assert properties["endLine"] == str(d["end_line"])
        if d["line"] == d["end_line"]:
            assert properties["col"] == str(d["column"])
            assert properties["endColumn"] == str(d["end_column"])
        else:
            assert "col" not in properties and "endColumn" not in properties
        assert list(properties) == [k for k in ("file", "line", "col", "endLine", "endColumn",
                                                "title") if k in properties]


def test_special_characters_are_escaped_not_lost(repository: Path) -> None:
    run = run_feedlint(["check", "--format", "github", f"articles/{ODD_NAME}"], cwd=repository)
    raw = [line for line in run.stdout.splitlines() if "title=FL103" in line]
    assert len(raw) == 1
    # Raw CR/LF would end the command early; ':' and ',' in a property would split it.
    # (Messages never hold a raw control character: the engine spells them out.)
    assert "\r" not in raw[0]
    assert "file=articles/we%2Cird%3A100%25 é.md," in raw[0]
    assert "50%25, off: now\\r\\nreally" in raw[0]
    _, properties, message = parse_command(raw[0])
    assert properties["file"] == f"articles/{ODD_NAME}"
    assert message.startswith('unknown field "50%, off: now\\r\\nreally <b> & "x" \\x01"')


def test_multi_line_span_has_no_columns(repository: Path) -> None:
    run = run_feedlint(["check", "--format", "github", "articles/list-root.md"], cwd=repository)
    _, properties, _ = parse_command(run.stdout.splitlines()[0])
    assert properties == {"file": "articles/list-root.md", "line": "2", "endLine": "4",
                          "title": "FL004"}


def test_paths_are_relative_to_the_repository_root_from_a_subfolder(repository: Path) -> None:
    run = run_feedlint(["check", "--format", "github", "bad.md"], cwd=repository / "articles")
    files = {parse_command(line)[1]["file"] for line in run.stdout.splitlines()
             if line.startswith("::")}
    assert files == {"articles/bad.md"}


def test_github_workspace_is_the_root(repository: Path, tmp_path: Path) -> None:
    run = run_feedlint(["check", "--format", "github", str(repository / "articles/bad.md")],
                       cwd=tmp_path, env={"GITHUB_WORKSPACE": str(repository / "articles")})
    files = {parse_command(line)[1]["file"] for line in run.stdout.splitlines()
             if line.startswith("::")}
    assert files == {"bad.md"}


def test_a_file_outside_the_repository_keeps_its_absolute_path(
    repository: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("no front matter\n", "utf-8")
    run = run_feedlint(["check", "--format", "github", str(outside)], cwd=repository)
    assert parse_command(run.stdout.splitlines()[0])[1]["file"] == outside.as_posix()


def test_chosen_under_github_actions(repository: Path) -> None:
    auto = run_feedlint(["check", "articles/bad.md"], cwd=repository,
                        env={"GITHUB_ACTIONS": "true"})
    asked = run_feedlint(["check", "--format", "github", "articles/bad.md"], cwd=repository)
    assert auto.stdout == asked.stdout and auto.stdout.startswith("::error ")
    assert auto.returncode == asked.returncode == 1
    other = run_feedlint(["check", "articles/bad.md"], cwd=repository,
                         env={"GITHUB_ACTIONS": "false"})
    assert other.stdout.startswith("articles/bad.md:")


def test_an_explicit_format_wins_under_github_actions(repository: Path) -> None:
    for args, env in (
        (["--format", "json"], {}),
        ([], {"FEEDLINT_FORMAT": "json"}),
    ):
        run = run_feedlint(["check", *args, "articles/bad.md"], cwd=repository,
                           env={"GITHUB_ACTIONS": "true", **env})
        assert run.json()["diagnostics"], run.stdout


def test_quiet_leaves_only_the_commands(repository: Path) -> None:
    run = run_feedlint(["check", "--format", "github", "--quiet", "articles"], cwd=repository)
    lines = run.stdout.splitlines()
    assert lines and all(line.startswith("::") for line in lines)


def test_escaping_matches_the_actions_toolkit() -> None:
    # command.ts: escapeData replaces %, \r, \n; escapeProperty also : and ,.
    assert escape_data("100% a:b,c\r\n") == "100%25 a:b,c%0D%0A"
    assert escape_property("100% a:b,c\r\n") == "100%25 a%3Ab%2Cc%0D%0A"
    assert escape_data("%0A") == "%250A"  # an escape-looking message stays itself
    assert unescape(escape_property("%2C:%,")) == "%2C:%,"


def test_warning_command_and_spans_from_a_diagnostic() -> None:
    d = Diagnostic("a.md", 3, 5, 3, 9, "FL011", "ambiguous-boolean", Severity.WARNING, "m")
    assert workflow_command(d, "a.md") == (
        "::warning file=a.md,line=3,col=5,endLine=3,endColumn=9,title=FL011::m"
    )
    d = Diagnostic("a.md", 3, 5, 6, 1, "FL004", "x", Severity.ERROR, "m")
    assert workflow_command(d, "a.md") == "::error file=a.md,line=3,endLine=6,title=FL004::m"
