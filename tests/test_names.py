"""Names and the small things that must agree: a rule's name works as its code, no two
codes share a name, a flag is named as its configuration key, every error line
starts the same way, --show-settings writes keys as the file it read does, and a
count of one never meets a plural noun."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from feedlint.config import CommandLine, load, resolve
from feedlint.rules import RULES
from feedlint.settings import SETTINGS
from tests.conftest import run_feedlint

ARTICLE = (
    "---\ntitle: A\npublishedDateTime: 2023-08-07T10:00:00Z\n"
    "webUrl: https://www.example.com/a\n"
    "provider: {name: Example, domain: example.com}\n---\nBody\n"
)


# -- feedlint rule NAME ------------------------------------------------------------


def test_rule_takes_a_name_as_it_takes_a_code() -> None:
    by_code = run_feedlint(["rule", "FL207"])
    by_name = run_feedlint(["rule", "amp-cache-url-mismatch"])
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_code.stdout
    assert by_name.stdout.startswith("FL207 amp-cache-url-mismatch (error)")


@pytest.mark.parametrize(
    ("given", "suggested"),
    [("amp-cache-mismatch", "FL207 amp-cache-url-mismatch"), ("FL2077", "FL207")],
)
def test_an_unknown_rule_name_is_a_usage_error_with_a_suggestion(
    given: str, suggested: str
) -> None:
    run = run_feedlint(["rule", given])
    assert run.returncode == 2
    [line] = run.stderr.splitlines()
    assert line.startswith(f"feedlint: error: unknown code or rule name {given!r}")
    assert f"did you mean {suggested}" in line
    assert "`feedlint rules` lists them" in line


def test_no_two_codes_share_a_name() -> None:
    seen: dict[str, str] = {}
    for code, rule in RULES.items():
        assert rule.name not in seen, f"{code} and {seen[rule.name]} are both {rule.name}"
        seen[rule.name] = code


def test_every_rule_is_found_by_its_name() -> None:
    for code, rule in RULES.items():
        run = run_feedlint(["rule", rule.name]) if code in ("FL302", "FL606") else None
        if run is not None:
            assert run.stdout.startswith(f"{code} {rule.name} "), run.stderr
    assert RULES["FL302"].name != RULES["FL606"].name


def test_outputs_name_the_renamed_rule(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        ARTICLE.replace(
            "---\nBody",
            "images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
            "    width: 1200\n    height: 800\n---\nBody",
        )
    )
    for fmt in ("json", "sarif"):
        run = run_feedlint(
            ["check", "--isolated", "--no-cache", "--format", fmt, "a.md"], cwd=tmp_path
        )
        assert run.returncode == 1, run.stderr
        assert "image-size-hint-mismatch" in run.stdout
        assert '"image-size-mismatch"' not in run.stdout


# -- a flag and its key -------------------------------------------------------------


def test_a_flag_is_named_as_its_configuration_key() -> None:
    """As ruff names them: ``--probe-timeout`` sets ``probe-timeout``; a switch that
    turns a key off is ``--no-`` and the key (``--no-committed-duplicates``)."""
    for setting in SETTINGS:
        flag = setting.flag
        if flag is not None and setting.key is not None:
            off = flag.metavar is None and flag.const is False
            expected = f"--no-{setting.key}" if off else f"--{setting.key}"
            assert flag.names[0] == expected, setting.name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["--allow-private"], ["--probe-allow-private"]),
        (["--allow-network", "10.1.0.0/16"], ["--probe-allow-networks", "10.1.0.0/16"]),
    ],
)
def test_the_older_flag_names_still_work(tmp_path: Path, old: list[str], new: list[str]) -> None:
    shown = [
        run_feedlint(["check", "--isolated", "--probe", *flags, "--show-settings"], cwd=tmp_path)
        for flags in (old, new)
    ]
    assert shown[0].returncode == 0, shown[0].stderr
    assert shown[0].stdout == shown[1].stdout
    assert "# command line" in shown[0].stdout


def test_no_cache_is_documented_with_the_result_cache() -> None:
    """--no-cache turns off the lint result cache too: its help is with --cache-dir,
    not among the probe's flags."""
    run = run_feedlint(["check", "--help"], env={"COLUMNS": "100"})
    main, _, probe = run.stdout.partition("link checking:")
    assert "--no-cache" in main and "--no-cache" not in probe
    entry = main[main.index("  --no-cache"):]
    assert "result cache" in " ".join(entry.split()[:20])


# -- one prefix for error lines -------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--jobs", "0", "a.md"],  # argparse's type check, in a subcommand
        ["check", "--format", "nope", "a.md"],  # argparse's choices
        ["check", "--bogus", "a.md"],  # unknown argument
        ["merge"],  # a missing argument
        ["rule"],
        ["rule", "FL000000"],  # feedlint's own usage error
        ["check", "--config", "missing.toml", "a.md"],
        ["check", "--probe-timeout", "3", "a.md"],
    ],
)
def test_every_error_line_starts_the_same_way(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "a.md").write_text(ARTICLE)
    run = run_feedlint(args, cwd=tmp_path)
    assert run.returncode == 2
    errors = [line for line in run.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, run.stderr
    assert errors[0].startswith("feedlint: error: "), run.stderr


# -- --show-settings writes keys as the file it read ------------------------------------


def test_show_settings_writes_a_pyprojects_tables_under_tool_feedlint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.feedlint]\nignore = ["FL103"]\n[tool.feedlint.urls]\noriginal-url-host = "exact"\n'
    )
    run = run_feedlint(["check", "--show-settings"], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    tables = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert tables[0] == "[tool.feedlint]"
    assert "[tool.feedlint.urls]" in tables and "[urls]" not in tables
    assert all(t.startswith("[tool.feedlint") for t in tables)
    # It reads back, as a pyproject.toml, to the same settings.
    assert tomllib.loads(run.stdout)["tool"]["feedlint"]["urls"]["original-url-host"] == "exact"
    again = tmp_path / "again" / "pyproject.toml"
    again.parent.mkdir()
    again.write_text(run.stdout)
    first = resolve(CommandLine(), load(str(tmp_path / "pyproject.toml"))).settings
    second = resolve(CommandLine(), load(str(again))).settings
    assert second.ignore == first.ignore
    assert second.rule_options["urls"]["original-url-host"] == "exact"


def test_show_settings_writes_a_feedlint_tomls_tables_at_the_top(tmp_path: Path) -> None:
    (tmp_path / "feedlint.toml").write_text('[urls]\noriginal-url-host = "exact"\n')
    run = run_feedlint(["check", "--show-settings"], cwd=tmp_path)
    tables = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert "[urls]" in tables and not any("tool.feedlint" in t for t in tables)
    assert tomllib.loads(run.stdout)["urls"]["original-url-host"] == "exact"


# -- a count meets a noun -------------------------------------------------------------

#: "1 errors", "1 files", "in 1 of 1 files": a count of one before a plural noun.
_ONE_PLURAL = re.compile(r"(?<![\d.,])1 (?:of 1 )?(errors|warnings|files|findings|problems|"
                         r"diagnostics|codes|entries|URLs|links)\b")


def _text_of_page(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_summary_says_one_of_a_plural(tmp_path: Path) -> None:
    """Every summary feedlint prints, on a run with one file, one error and one warning
    (and on one clean file): a count of one takes the singular."""
    bad = ARTICLE.replace("title: A\n", "").replace("/a\n", "/a?utm_source=x\n")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.md").write_text(bad)
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.md").write_text(ARTICLE)
    texts = []
    for folder in ("bad", "clean"):
        base = ["check", "--isolated", "--no-cache", folder]
        for extra in ([], ["--statistics"], ["--format", "junit"], ["--format", "json"]):
            run = run_feedlint([*base, *extra], cwd=tmp_path)
            texts.append(run.stdout + run.stderr)
        run = run_feedlint([*base, "--format", "html", "-o", f"{folder}.html"], cwd=tmp_path)
        texts.append(run.stderr)
        texts.append(_text_of_page((tmp_path / f"{folder}.html").read_text("utf-8")))
        run = run_feedlint([*base, "--format", "json", "-o", f"{folder}.json"], cwd=tmp_path)
        texts.append(run.stderr)
        merged = run_feedlint(["merge", "--format", "text", f"{folder}.json"], cwd=tmp_path)
        texts.append(merged.stdout)
    diff = run_feedlint(["check", "--isolated", "--no-cache", "--diff", "bad"], cwd=tmp_path)
    texts.append(diff.stderr)
    found = [m.group(0) for text in texts for m in _ONE_PLURAL.finditer(text)]
    assert found == [], found
    assert any("1 error" in text for text in texts)
