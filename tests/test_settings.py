"""Each setting is declared once (feedlint.settings.SETTINGS), and its flag, its
configuration key, its --show-settings line, its place in the result cache's key and
the --probe rule are what the declaration says."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from feedlint.cache import RUN_ONLY_FIELDS, run_key
from feedlint.config import ConfigError, ConfigFile, read_table
from feedlint.diagnostics import Severity
from feedlint.engine import Linter
from feedlint.settings import BY_NAME, SETTINGS, Setting, Settings
from tests.conftest import ROOT, run_feedlint

WITH_FLAG = [s for s in SETTINGS if s.flag is not None]
WITH_KEY = [s for s in SETTINGS if s.key is not None]


def ids(settings: list[Setting]) -> list[str]:
    return [s.name for s in settings]


def test_every_settings_field_has_exactly_one_declaration() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    assert set(names) == {f.name for f in dataclasses.fields(Settings)}
    assert set(BY_NAME) == set(names)


def test_declarations_are_consistent() -> None:
    keys = [s.key for s in WITH_KEY]
    assert len(keys) == len(set(keys))
    flags = [name for s in WITH_FLAG for name in s.flag.names]  # type: ignore[union-attr]
    assert len(flags) == len(set(flags))
    for setting in SETTINGS:
        setting.default  # noqa: B018 - every declaration names a field with a default
        assert setting.doc and "\n" not in setting.doc, setting.name
        if setting.key is not None or (setting.flag and setting.flag.metavar):
            assert setting.check is not None, setting.name
        if setting.key is not None:
            assert setting.example is not None, setting.name
        if setting.lifts_guard or setting.path_inside_config:
            assert setting.key is not None, setting.name
        if setting.flag is not None:
            assert not setting.flag.split or setting.flag.repeatable, setting.name
            for other in setting.flag.also:
                assert other in BY_NAME, setting.name


@pytest.fixture(scope="module")
def check_help() -> str:
    run = run_feedlint(["check", "--help"], env={"COLUMNS": "100"})
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("setting", WITH_FLAG, ids=ids(WITH_FLAG))
def test_each_flag_is_in_the_help(check_help: str, setting: Setting) -> None:
    flag = setting.flag
    assert flag is not None
    usage = " ".join(check_help.split("\n\n", 1)[0].split())
    for name in flag.names:
        shown = f"[{name} {flag.metavar}]" if flag.metavar else f"[{name}]"
        if name == flag.names[0]:
            assert shown in usage, name
        assert f"  {name}" in check_help or f", {name}" in check_help, name


def test_show_settings_shows_every_key_from_the_file_with_its_origin(tmp_path: Path) -> None:
    import tomllib

    lines = []
    for setting in WITH_KEY:
        lines.append(f"{setting.key} = {_toml(setting.example)}")
    config = tmp_path / "feedlint.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "schemas" / "article.schema.json", tmp_path)
    run = run_feedlint(["check", "--show-settings"], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    shown = run.stdout.splitlines()
    for setting in WITH_KEY:
        [line] = [line for line in shown if line.startswith(f"{setting.key} = ")]
        assert line.endswith(f"  # {config}"), line
    # What is shown is TOML, with every key (and the rule modules' tables).
    data = tomllib.loads(run.stdout)
    assert {s.key for s in WITH_KEY} <= set(data)


def _toml(value: Any) -> str:
    from feedlint.config import toml_value

    return toml_value(value)


@pytest.mark.parametrize("setting", WITH_KEY, ids=ids(WITH_KEY))
def test_each_key_is_read_and_checked(tmp_path: Path, setting: Setting) -> None:
    assert setting.key is not None
    (tmp_path / "article.schema.json").write_text("{}")
    settings, _ = read_table(ConfigFile(str(tmp_path / "feedlint.toml"),
                                        {setting.key: setting.example}))
    assert setting.key in settings
    with pytest.raises(ConfigError, match=f"{setting.key}: "):
        read_table(ConfigFile(str(tmp_path / "feedlint.toml"), {setting.key: object()}))
    # snake_case is the same key
    snake = setting.key.replace("-", "_")
    settings, _ = read_table(ConfigFile(str(tmp_path / "feedlint.toml"), {snake: setting.example}))
    assert setting.key in settings


GUARDED = [s for s in SETTINGS if s.lifts_guard]
INSIDE = [s for s in SETTINGS if s.path_inside_config]


def test_the_guarded_and_path_keys_are_the_known_ones() -> None:
    assert ids(GUARDED) == ["schema_allow_private", "probe_allow_private", "probe_allow_networks"]
    assert set(ids(INSIDE)) == {"schema", "probe_cache_dir", "probe_ca_bundle"}


@pytest.mark.parametrize("setting", GUARDED, ids=ids(GUARDED))
def test_a_file_may_keep_a_guard_but_not_lift_it(tmp_path: Path, setting: Setting) -> None:
    assert setting.key is not None and setting.flag is not None
    lifting = {"bool": True, "networks": ["10.0.0.0/8"]}[setting.check.kind]  # type: ignore[union-attr]
    read_table(ConfigFile(str(tmp_path / "feedlint.toml"), {setting.key: setting.example}))
    with pytest.raises(ConfigError) as caught:
        read_table(ConfigFile(str(tmp_path / "feedlint.toml"), {setting.key: lifting}))
    assert "a configuration file cannot" in str(caught.value)
    assert f"pass {setting.flag.usage} on the command line" in str(caught.value)


@pytest.mark.parametrize("setting", INSIDE, ids=ids(INSIDE))
def test_a_file_names_paths_only_inside_its_folder(tmp_path: Path, setting: Setting) -> None:
    assert setting.key is not None
    inner = tmp_path / "repo"
    inner.mkdir()
    (tmp_path / "outside.json").write_text("{}")
    with pytest.raises(ConfigError, match="leads outside the configuration file's folder"):
        read_table(ConfigFile(str(inner / "feedlint.toml"), {setting.key: "../outside.json"}))


PROBE_ONLY_FLAGS = [s for s in WITH_FLAG if s.probe_only]
#: A value each kind of flag accepts.
FLAG_VALUES = {"whole": "3", "number": "3", "networks": "10.0.0.0/8", "regexes": "x"}


@pytest.mark.parametrize("setting", PROBE_ONLY_FLAGS, ids=ids(PROBE_ONLY_FLAGS))
def test_a_probe_only_flag_without_probe_is_a_usage_error(
    tmp_path: Path, setting: Setting, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from feedlint.cli import main

    flag = setting.flag
    assert flag is not None
    args = [flag.names[0]]
    if flag.metavar:
        args.append(FLAG_VALUES[setting.check.kind])  # type: ignore[union-attr]
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", *args, "."]) == 2
    assert f"{flag.names[0]} only makes sense with --probe" in capsys.readouterr().err
    assert main(["check", "--isolated", "--probe", *args, "--show-settings", "."]) == 0
    if setting.key is not None:
        assert f"{setting.key} = " in capsys.readouterr().out


def test_probe_only_is_the_probe_settings() -> None:
    assert {s.name for s in SETTINGS if s.probe_only} == {
        s.name for s in SETTINGS if s.name.startswith("probe_")
    }


def _other(setting: Setting) -> Any:
    """A value of the setting's field other than its default."""
    default = setting.default
    if isinstance(default, bool):
        return not default
    if isinstance(default, int | float):
        return default + 1
    if isinstance(default, tuple):
        return (*default, 403) if setting.name == "probe_accept_status" else (*default, "x")
    if isinstance(default, dict):
        return {"FL103": Severity.WARNING} if setting.name == "severity" else {"dates": {}}
    if setting.name == "now":
        return datetime(2024, 1, 1)
    if setting.name == "jobs":
        return 3
    return "x"


@pytest.mark.parametrize("setting", SETTINGS, ids=ids(list(SETTINGS)))
def test_the_cache_key_holds_exactly_the_settings_that_change_results(
    setting: Setting,
) -> None:
    schema = Linter(Settings()).schema
    changed = dataclasses.replace(Settings(), **{setting.name: _other(setting)})
    same_key = run_key(changed, schema) == run_key(Settings(), schema)
    assert same_key == (not setting.changes_results)
    assert (setting.name in RUN_ONLY_FIELDS) == (not setting.changes_results)


@pytest.mark.parametrize("setting", [s for s in WITH_FLAG if s.flag.split],  # type: ignore[union-attr]
                         ids=ids([s for s in WITH_FLAG if s.flag.split]))  # type: ignore[union-attr]
def test_a_split_flag_takes_commas_and_repeats(setting: Setting) -> None:
    from feedlint.cli import build_parser

    flag = setting.flag
    assert flag is not None and setting.check is not None
    item = {"codes": "FL1", "globs": "a", "networks": "10.0.0.0/8",
            "formats": "date"}[setting.check.kind]
    other = {"codes": "FL4", "globs": "b", "networks": "10.1.0.0/16",
             "formats": "uri"}[setting.check.kind]
    args = build_parser().parse_args(
        ["check", flag.names[0], f"{item},{other}", flag.names[0], item]
    )
    assert getattr(args, setting.name) == [item, other, item]
