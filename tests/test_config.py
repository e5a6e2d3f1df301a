"""Configuration files: where they are found, what they may say, how the command line wins."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from feedlint.config import (
    CommandLine,
    ConfigError,
    ConfigFile,
    Finder,
    _check_option,
    find_for_paths,
    load,
    read_table,
    resolve,
)
from feedlint.diagnostics import Severity
from feedlint.rules import Option
from feedlint.selection import FileIgnores
from tests.conftest import SAMPLE, Run, run_feedlint
from tests.fixrules import run_with_fixrules

BAD = """\
---
title: "A headline"
titel: typo
publishedDateTime: 2024-02-29T10:00:00Z
webUrl: "https://example.com/a"
provider:
  name: Example
  domain: example.com
quality: 150
---
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def codes(run: Any) -> list[str]:
    return sorted(d["code"] for d in run.json()["diagnostics"])


def check(args: list[str], cwd: Path) -> Run:
    """``feedlint check --format json ARGS`` run from ``cwd``, in this process (fast; the
    command line in a child process is tested below and in test_cli)."""
    from feedlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--format", "json", *args])
    finally:
        os.chdir(here)
    return Run(code, out.getvalue(), err.getvalue())


# -- finding the file -------------------------------------------------------------


def test_closest_pyproject_above_the_path_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedlint]\nignore = ["FL103"]\n')
    write(tmp_path / "news" / "pyproject.toml", '[tool.feedlint]\nignore = ["FL105"]\n')
    write(tmp_path / "news" / "2024" / "a.md", BAD)
    write(tmp_path / "blog" / "a.md", BAD)
    assert codes(check(["news/2024/a.md"], tmp_path)) == ["FL103"]
    assert codes(check(["blog"], tmp_path)) == ["FL105"]
    # The path decides, not the current folder.
    assert codes(check([str(tmp_path / "news")], tmp_path / "blog")) == ["FL103"]


def test_pyproject_without_a_feedlint_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedlint]\nignore = ["FL103"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "sub" / "a.md", BAD)
    assert codes(check(["sub/a.md"], tmp_path)) == ["FL105"]


def test_feedlint_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedlint]\nignore = ["FL103"]\n')
    write(tmp_path / "feedlint.toml", 'ignore = ["FL105"]\n')
    write(tmp_path / "a.md", BAD)
    assert codes(check(["a.md"], tmp_path)) == ["FL103"]


def test_several_paths_use_the_first_paths_configuration(tmp_path: Path) -> None:
    write(tmp_path / "one" / "feedlint.toml", 'ignore = ["FL103"]\n')
    write(tmp_path / "two" / "feedlint.toml", 'ignore = ["FL105"]\n')
    write(tmp_path / "one" / "a.md", BAD)
    write(tmp_path / "two" / "a.md", BAD)
    run = check(["one/a.md", "two/a.md"], tmp_path)
    assert codes(run) == ["FL105", "FL105"]
    assert "note: " in run.stderr
    assert f"this run uses {tmp_path / 'one' / 'feedlint.toml'}" in run.stderr
    run = check(["two/a.md", "one/a.md"], tmp_path)
    assert codes(run) == ["FL103", "FL103"]
    # No note when every path finds the same file.
    run = check(["one/a.md", "one"], tmp_path)
    assert run.stderr == ""


def test_no_path_and_stdin_resolve_from_the_current_folder(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", 'ignore = ["FL103"]\n')
    write(tmp_path / "a.md", BAD)
    assert codes(check([], tmp_path)) == ["FL105"]
    run = run_feedlint(["check", "--format", "json", "-"], cwd=tmp_path, input=BAD.encode())
    assert codes(run) == ["FL105"]
    write(tmp_path / "sub" / "feedlint.toml", 'ignore = ["FL105"]\n')
    run = run_feedlint(
        ["check", "--format", "json", "-", "--stdin-filename", "sub/x.md"],
        cwd=tmp_path,
        input=BAD.encode(),
    )
    assert codes(run) == ["FL103"]


def test_config_names_a_file_and_isolated_ignores_all(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", 'ignore = ["FL103"]\n')
    write(tmp_path / "other" / "pyproject.toml", '[tool.feedlint]\nignore = ["FL105"]\n')
    write(tmp_path / "custom.toml", 'ignore = ["FL1"]\n')
    write(tmp_path / "a.md", BAD)
    assert codes(check(["--config", "other/pyproject.toml", "a.md"], tmp_path)) == ["FL103"]
    assert codes(check(["--config", "custom.toml", "a.md"], tmp_path)) == []
    assert codes(check(["--isolated", "a.md"], tmp_path)) == ["FL103", "FL105"]
    run = check(["--isolated", "--config", "custom.toml", "a.md"], tmp_path)
    assert run.returncode == 2 and "contradict" in run.stderr


def test_config_errors_for_missing_files_and_tables(tmp_path: Path) -> None:
    write(tmp_path / "a.md", BAD)
    run = check(["--config", "nope.toml", "a.md"], tmp_path)
    assert run.returncode == 2
    assert f"{tmp_path / 'nope.toml'}: no such configuration file" in run.stderr
    write(tmp_path / "x" / "pyproject.toml", "[project]\n")
    run = check(["--config", "x/pyproject.toml", "a.md"], tmp_path)
    assert run.returncode == 2 and "no [tool.feedlint] table" in run.stderr


def test_finder_caches_and_stops_at_the_root(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", "")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    finder = Finder()
    found = finder.for_folder(str(deep))
    assert found is not None and found.path == str(tmp_path / "feedlint.toml")
    (tmp_path / "feedlint.toml").unlink()
    assert finder.for_folder(str(tmp_path / "a")) is found  # remembered for the run
    assert Finder().for_folder("/") is None or Finder().for_folder("/").path.startswith("/")


def test_find_for_paths_notes(tmp_path: Path) -> None:
    write(tmp_path / "a" / "feedlint.toml", "")
    write(tmp_path / "b" / "x.md", "")
    config, notes = find_for_paths([str(tmp_path / "a"), str(tmp_path / "b" / "x.md")])
    assert config is not None and config.path == str(tmp_path / "a" / "feedlint.toml")
    assert len(notes) == 1 and str(tmp_path / "b") in notes[0]


# -- what the file may say ----------------------------------------------------------------


def errors_for(tmp_path: Path, body: str, name: str = "pyproject.toml") -> str:
    header = "[tool.feedlint]\n" if name == "pyproject.toml" else ""
    path = write(tmp_path / name, header + body)
    with pytest.raises(ConfigError) as caught:
        resolve(CommandLine(), load(str(path)))
    message = str(caught.value)
    assert message.startswith(str(path) + ": "), message
    return message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("selekt = []", "[tool.feedlint] selekt: unknown key (did you mean 'select'?); allowed "
         "keys: committed-duplicates, disable-formats, exclude, extend-exclude, "
         "extend-select, ignore, include, "
         "max-file-size, output-format, per-file-ignores, regex-variant, schema, "
         "schema-allow-private, select, severity"),
        ('ignore = "FL103"', '[tool.feedlint] ignore: expected a list of codes such as '
         '["FL103", "FL2"], got a string "FL103"'),
        ('ignore = ["FL1O3"]', "[tool.feedlint] ignore: unknown code 'FL1O3' (did you mean "
         "'FL103'?); allowed: a code such as FL103 or a prefix such as FL1"),
        ('select = ["E501"]', "[tool.feedlint] select: unknown code 'E501'"),
        ("extend-select = [103]", "[tool.feedlint] extend-select: expected a code such as FL103 "
         "or a prefix such as FL1, got an integer 103"),
        ('per-file-ignores = ["FL1"]', "[tool.feedlint] per-file-ignores: expected a table of "
         "glob = [codes]"),
        ('per-file-ignores = {"drafts/*" = ["FL9O0"]}', "[tool.feedlint] per-file-ignores "
         "'drafts/*': unknown code 'FL9O0'"),
        ('severity = {FL103 = "fatal"}', '[tool.feedlint] severity FL103: expected "error" or '
         '"warning", got "fatal"'),
        ('severity = {FL777 = "error"}', "[tool.feedlint] severity: unknown code 'FL777'"),
        ('exclude = "drafts"', "[tool.feedlint] exclude: expected a list of glob patterns"),
        ("include = [1]", "[tool.feedlint] include: expected a list of glob patterns"),
        ("schema = 3", "[tool.feedlint] schema: expected the path of a JSON Schema file, got 3"),
        ('schema = "nope.json"', "[tool.feedlint] schema: no such file"),
        ("max-file-size = -1", "[tool.feedlint] max-file-size: expected a size in bytes"),
        ('max-file-size = "lots"', "[tool.feedlint] max-file-size: expected a size in bytes"),
        ("max-file-size = true", "[tool.feedlint] max-file-size: expected a size in bytes"),
        ("ignore = [", "invalid TOML"),
    ],
)
def test_bad_values_name_the_file_the_key_and_what_is_allowed(
    tmp_path: Path, body: str, expected: str
) -> None:
    assert expected in errors_for(tmp_path, body)


def test_feedlint_toml_messages_have_no_table_name(tmp_path: Path) -> None:
    message = errors_for(tmp_path, 'ignore = "x"', name="feedlint.toml")
    assert message.startswith(f"{tmp_path / 'feedlint.toml'}: ignore: expected a list")


def test_tool_feedlint_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool]\nfeedlint = "yes"\n')
    with pytest.raises(ConfigError, match="tool.feedlint must be a table"):
        load(str(path))


def test_bad_configuration_exits_2_before_linting(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedlint]\nignore = ["FL1O3"]\n')
    write(tmp_path / "a.md", BAD)
    run = run_feedlint(["check", "a.md"], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"feedlint: error: {tmp_path / 'pyproject.toml'}: ")
    assert run.stderr.count("\n") == 1


def test_snake_case_keys_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "feedlint.toml", 'extend_select = ["FL1"]\nmax_file_size = 10\n')
    settings = resolve(CommandLine(), load(str(path))).settings
    assert settings.extend_select == ("FL1",) and settings.max_file_size == 10


# -- what each key does ---------------------------------------------------------------------


def test_select_ignore_and_extend_select(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", 'select = ["FL0"]\nextend-select = ["FL105"]\n')
    write(tmp_path / "a.md", BAD)
    assert codes(check(["a.md"], tmp_path)) == ["FL105"]
    write(tmp_path / "feedlint.toml", 'ignore = ["fl1"]\nextend-select = ["FL103"]\n')
    assert codes(check(["a.md"], tmp_path)) == ["FL103"]


@pytest.mark.parametrize(
    ("file", "cli", "expected"),
    [
        # --ignore adds to the file's ignore.
        ('ignore = ["FL103"]', ["--ignore", "FL105"], []),
        # --select replaces select (and extend-select); the file's more specific
        # ignores still hold...
        ('select = ["FL0"]\nignore = ["FL103"]', ["--select", "FL1"], ["FL105"]),
        ('ignore = ["FL103"]', ["--select", "FL1"], ["FL105"]),
        # ... and on a tie the command line wins.
        ('ignore = ["FL103"]', ["--select", "FL103"], ["FL103"]),
        ('ignore = ["FL103"]', ["--extend-select", "FL103"], ["FL103", "FL105"]),
        ('select = ["FL103", "FL105"]', ["--ignore", "FL103"], ["FL105"]),
        ('extend-select = ["FL103"]\nignore = ["FL1"]', ["--ignore", "FL103"], []),
        # Otherwise the most specific entry decides, wherever it comes from.
        ('ignore = ["FL1"]', ["--extend-select", "FL103"], ["FL103"]),
        ('extend-select = ["FL103"]\nignore = ["FL1"]', ["--ignore", "FL10"], ["FL103"]),
        ('select = ["FL0"]', ["--extend-select", "FL1", "--ignore", "FL105"], ["FL103"]),
    ],
)
def test_the_command_line_overrides_the_file(
    tmp_path: Path, file: str, cli: list[str], expected: list[str]
) -> None:
    write(tmp_path / "feedlint.toml", file + "\n")
    write(tmp_path / "a.md", BAD)
    assert codes(check([*cli, "a.md"], tmp_path)) == expected


def test_per_file_ignores(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.feedlint.per-file-ignores]\n"drafts/**" = ["FL103"]\n"*.txt" = ["FL105"]\n'
        '"archive" = ["FL1"]\n',
    )
    for name in ["drafts/2024/a.md", "b.txt", "news/archive/old/c.md", "d.md"]:
        write(tmp_path / name, BAD)
    run = check(["."], tmp_path)
    by_file: dict[str, list[str]] = {}
    for d in run.json()["diagnostics"]:
        by_file.setdefault(d["file"], []).append(d["code"])
    assert by_file == {
        "drafts/2024/a.md": ["FL105"],
        "b.txt": ["FL103"],
        "d.md": ["FL103", "FL105"],
    }
    # Globs are anchored at the configuration's folder, wherever feedlint runs from.
    run = check(["2024"], tmp_path / "drafts")
    assert codes(run) == ["FL105"]


def test_file_ignores_matching() -> None:
    ignores = FileIgnores(
        [("drafts/*.md", ["FL1"]), ("**/old/**", ["FL2"]), ("*.txt", ["FL3"]),
         ("/abs/x.md", ["FL4"]), ("a[0-9].md", ["FL5"])],
        "/repo",
    )
    assert ignores.ignored("/repo/drafts/a.md") == ("FL1",)
    assert ignores.ignored("/repo/drafts/sub/a.md") == ()
    assert ignores.ignored("/repo/x/old/y/z.md") == ("FL2",)
    assert ignores.ignored("/repo/old/z.md") == ("FL2",)
    assert ignores.ignored("/repo/deep/a.txt") == ("FL3",)
    # A leading "/" anchors at the configuration's folder, as in .gitignore.
    assert ignores.ignored("/repo/abs/x.md") == ("FL4",)
    assert ignores.ignored("/abs/x.md") == ()
    assert ignores.ignored("/repo/sub/abs/x.md") == ()
    assert ignores.ignored("/repo/a7.md") == ("FL5",)
    assert ignores.ignored("/repo/ab.md") == ()


def test_severity_overrides(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", '[severity]\nFL1 = "warning"\nFL105 = "error"\n')
    write(tmp_path / "a.md", BAD)
    run = check(["a.md"], tmp_path)
    levels = {d["code"]: d["severity"] for d in run.json()["diagnostics"]}
    assert levels == {"FL103": "warning", "FL105": "error"}
    assert run.returncode == 1
    write(tmp_path / "feedlint.toml", '[severity]\nFL1 = "warning"\n')
    assert check(["a.md"], tmp_path).returncode == 0
    assert check(["--strict", "a.md"], tmp_path).returncode == 1


def test_exclude_extend_exclude_and_include(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", 'exclude = ["drafts"]\ninclude = ["articles/*.yaml"]\n')
    write(tmp_path / "drafts" / "a.md", BAD)
    write(tmp_path / "news" / "b.md", BAD)
    write(tmp_path / "old" / "c.md", BAD)
    write(tmp_path / "articles" / "d.yaml", "title: x\n")
    write(tmp_path / "schemas" / "e.yaml", "title: x\n")

    def shown(*args: str) -> list[str]:
        run = run_feedlint(["check", "--show-files", *args], cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        return sorted(run.stdout.split())

    assert shown() == ["articles/d.yaml", "news/b.md", "old/c.md"]
    assert shown("--extend-exclude", "old") == ["articles/d.yaml", "news/b.md"]
    assert shown("--exclude", "news") == ["articles/d.yaml", "drafts/a.md", "old/c.md"]
    assert "drafts/a.md" in shown("--isolated")


def test_schema_is_relative_to_the_configuration_file(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
    write(tmp_path / "conf" / "schemas" / "mine.json", json.dumps(schema))
    write(tmp_path / "conf" / "feedlint.toml", 'schema = "schemas/mine.json"\n')
    write(tmp_path / "a.md", "---\ntitle: 3\nanything: goes\n---\n")
    run = check(["--config", "conf/feedlint.toml", "a.md"], tmp_path)
    assert codes(run) == ["FL102"]
    # --schema on the command line wins (and is relative to the current folder).
    write(tmp_path / "loose.json", json.dumps({"type": "object"}))
    run = check(["--config", "conf/feedlint.toml", "--schema", "loose.json", "a.md"], tmp_path)
    assert codes(run) == []


def test_max_file_size(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", 'max-file-size = "1 KiB"\n')
    path = write(tmp_path / "a.md", BAD + "x" * 1100)
    assert codes(check(["a.md"], tmp_path)) == ["FL010"]
    write(tmp_path / "feedlint.toml", "max-file-size = 100000\n")
    assert codes(check([path.name], tmp_path)) == ["FL103", "FL105"]


# -- rule options -----------------------------------------------------------------------------


def test_rule_options_are_read_and_checked(tmp_path: Path) -> None:
    write(tmp_path / "a.md", BAD.replace("typo", "'two  spaces'"))
    run = run_with_fixrules(["check", "--format", "json", "a.md"], cwd=tmp_path)
    assert "FL791" in codes(run)
    write(tmp_path / "pyproject.toml", "[tool.feedlint.fixtest]\ncollapse = false\n")
    run = run_with_fixrules(["check", "--format", "json", "a.md"], cwd=tmp_path)
    assert "FL791" not in codes(run)
    write(tmp_path / "pyproject.toml", '[tool.feedlint.fixtest]\ncollapse = "no"\n')
    run = run_with_fixrules(["check", "a.md"], cwd=tmp_path)
    assert run.returncode == 2
    assert (
        f"{tmp_path / 'pyproject.toml'}: [tool.feedlint.fixtest] collapse: expected true or "
        'false (default true), got "no"'
    ) in run.stderr
    write(tmp_path / "pyproject.toml", "[tool.feedlint.fixtest]\ncolapse = true\n")
    run = run_with_fixrules(["check", "a.md"], cwd=tmp_path)
    assert run.returncode == 2
    assert (
        "[tool.feedlint.fixtest] colapse: unknown option (did you mean 'collapse'?); "
        "the fixtest rules' options are: collapse"
    ) in run.stderr
    write(tmp_path / "pyproject.toml", "[tool.feedlint]\nfixtest = 1\n")
    run = run_with_fixrules(["check", "a.md"], cwd=tmp_path)
    assert "[tool.feedlint] fixtest: expected a table of the fixtest rules' options" in run.stderr
    # The unknown-key message lists the option tables.
    write(tmp_path / "pyproject.toml", "[tool.feedlint.fixtst]\n")
    run = run_with_fixrules(["check", "a.md"], cwd=tmp_path)
    assert "did you mean 'fixtest'?" in run.stderr
    assert "and the option tables [tool.feedlint." in run.stderr
    assert "[tool.feedlint.fixtest]" in run.stderr


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('[dates]\nclock-skew = "soon"', "[dates] clock-skew: must be a duration such as 300"),
        ('[dates]\nfeed-order = "sideways"', "[dates] feed-order: must be one of off, "
         "newest-first, oldest-first, got 'sideways' (default \"off\")"),
        ('[dates]\nfloor = "last year"', "[dates] floor: must be a date such as"),
        ("[images]\nmin-pixels = 0", "[images] min-pixels: must be a positive whole number"),
        ("[images]\nmax-pixels = 1.5", "[images] max-pixels: must be a positive whole number"),
        ('[urls]\noriginal-url-host = "same"', "[urls] original-url-host: must be one of"),
        ('[urls]\ntracking-parameters = "utm_*"', "[urls] tracking-parameters: expected a list "
         "of strings"),
        ("[urls]\ntracking-parameters = [1]", "[urls] tracking-parameters: expected a list"),
    ],
)
def test_the_content_rules_options_are_checked(
    tmp_path: Path, table: str, expected: str
) -> None:
    path = write(tmp_path / "feedlint.toml", table + "\n")
    with pytest.raises(ConfigError) as caught:
        resolve(CommandLine(), load(str(path)))
    assert str(caught.value).startswith(f"{path}: {expected}"), str(caught.value)


def test_the_content_rules_options_take_effect(tmp_path: Path) -> None:
    future = BAD.replace("2024-02-29T10:00:00Z", "2999-01-01T00:00:00Z").replace(
        "titel: typo\n", ""
    ).replace("quality: 150\n", "")
    write(tmp_path / "a.md", future)
    assert "FL405" in codes(check(["a.md"], tmp_path))
    # A TOML date and a number of seconds are both accepted.
    write(tmp_path / "feedlint.toml", "[dates]\nclock-skew = 40000000000\nfloor = 1990-01-01\n")
    assert "FL405" not in codes(check(["a.md"], tmp_path))
    write(tmp_path / "feedlint.toml", '[dates]\nclock-skew = "400000d"\n')
    assert "FL405" not in codes(check(["a.md"], tmp_path))


@pytest.mark.parametrize(
    ("default", "good", "bad"),
    [
        (3, [0, 10**6], [1.5, True, "3", None]),
        (1.5, [2, 2.5], [True, "x"]),
        (True, [False], [0, "true"]),
        ("a", ["b"], [1, ["a"]]),
        (("a",), [["x", "y"], []], ["x", [1]]),
        ([1, 2], [[3]], [["3"], [True]]),
        ({"a": 1}, [{"b": 2}], [[1]]),
    ],
)
def test_option_types_follow_the_default(default: Any, good: list[Any], bad: list[Any]) -> None:
    option = Option(default, "help")
    for value in good:
        checked = _check_option(value, option, "where")
        assert type(checked) is type(default) or (
            isinstance(default, float) and isinstance(checked, float)
        )
    for value in bad:
        with pytest.raises(ConfigError, match="where: expected"):
            _check_option(value, option, "where")


def test_every_real_option_default_passes_its_own_check() -> None:
    """The generic check accepts each declared default, whatever modules are registered."""
    import tomllib

    from feedlint.config import option_modules, toml_value

    for module in option_modules().values():
        for name, option in module.options.items():
            if option.default is None:
                continue
            table = tomllib.loads(f"{name} = {toml_value(option.default)}\n")
            assert _check_option(table[name], option, name) == option.default


# -- showing the settings -------------------------------------------------------------------------


def test_show_settings_says_where_each_part_came_from(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.feedlint]\nignore = ["FL103"]\nmax-file-size = 2048\n'
        '[tool.feedlint.severity]\nFL105 = "warning"\n',
    )
    write(tmp_path / "a.md", BAD)
    run = run_feedlint(
        ["check", "--show-settings", "--ignore", "FL104", "--extend-exclude", "old", "a.md"],
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    config = tmp_path / "pyproject.toml"
    lines = run.stdout.splitlines()
    assert f"# configuration file: {config} [tool.feedlint]" in lines
    assert 'select = ["FL"]  # default' in lines
    assert f'ignore = ["FL103", "FL104"]  # {config} + command line' in lines
    assert f"max-file-size = 2048  # {config}" in lines
    assert f'severity = {{"FL105" = "warning"}}  # {config}' in lines
    assert 'extend-exclude = ["old"]  # command line' in lines
    assert "# schema: the built-in schema  # default" in lines
    # Nothing was linted.
    assert "FL1" not in run.stdout.replace("FL103", "").replace("FL104", "").replace("FL105", "")


def test_show_settings_lists_rule_options(tmp_path: Path) -> None:
    write(tmp_path / "feedlint.toml", "[fixtest]\ncollapse = false\n")
    run = run_with_fixrules(["check", "--show-settings"], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    config = tmp_path / "feedlint.toml"
    assert f"collapse = false  # {config}: collapse runs of spaces" in run.stdout
    run = run_with_fixrules(["check", "--show-settings", "--isolated"], cwd=tmp_path)
    assert "# configuration file: none" in run.stdout
    assert "collapse = true  # default: collapse runs of spaces" in run.stdout


def test_show_settings_is_valid_toml_that_reads_back(tmp_path: Path) -> None:
    import tomllib

    write(tmp_path / "feedlint.toml", 'ignore = ["FL103"]\n[per-file-ignores]\n"a b/*" = ["FL1"]\n')
    run = run_feedlint(["check", "--show-settings"], cwd=tmp_path)
    data = tomllib.loads(run.stdout)
    path = write(tmp_path / "again" / "feedlint.toml", run.stdout)
    again = resolve(CommandLine(), load(str(path))).settings
    first = resolve(CommandLine(), load(str(tmp_path / "feedlint.toml"))).settings
    assert data["ignore"] == ["FL103"]
    assert (again.ignore, again.per_file_ignores) == (first.ignore, first.per_file_ignores)


def test_settings_read_from_the_table_directly() -> None:
    settings, options = read_table(ConfigFile("/x/feedlint.toml", {"severity": {"FL1": "warning"}}))
    assert settings["severity"]["FL103"] is Severity.WARNING
    assert options == {}


def test_the_sample_passes_with_no_configuration(tmp_path: Path) -> None:
    run = run_feedlint(["check", "--isolated", str(SAMPLE)], cwd=tmp_path)
    assert run.returncode == 0, run.stdout
    assert os.path.exists(SAMPLE)
