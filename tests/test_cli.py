"""The command line end to end: output, the JSON contract, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT, SAMPLE, SEEDS, run_feedlint

VALID = """---
title: "A valid article"
publishedDateTime: 2024-01-01T00:00:00Z
webUrl: https://example.com/a
provider: {name: Example, domain: example.com}
---
"""
BROKEN = """---
title: "Broken"
pubishedDateTime: 2024-01-01T00:00:00Z
webUrl: https://example.com/b
provider: {name: Example, domain: example.com}
quality: "high"
---
"""
WARNING_ONLY = VALID.replace("---\n\n", "").replace(
    "provider:", "published: yes\nprovider:", 1
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seeds_lint_clean() -> None:
    run = run_feedlint(["check", str(SEEDS)])
    assert run.returncode == 0, run.stdout + run.stderr
    files = len(list(SEEDS.iterdir()))
    assert run.stdout.strip() == f"0 errors, 0 warnings in {files} files"


def test_text_output_and_exit_code(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.md", BROKEN)
    run = run_feedlint(["check", str(bad)], cwd=tmp_path)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("bad.md:1:1: error FL101 ")
    assert lines[1] == (
        'bad.md:3:1: error FL103 unknown field "pubishedDateTime": '
        'did you mean "publishedDateTime"?'
    )
    assert lines[2].startswith(
        "bad.md:6:10: error FL102 quality must be an integer from 0 to 100"
    )
    assert lines[-1] == "3 errors, 0 warnings in 1 file"


def test_json_contract(tmp_path: Path) -> None:
    write(tmp_path, "b.md", BROKEN)
    write(tmp_path, "a.md", BROKEN)
    write(tmp_path, "ok.md", VALID)
    run = run_feedlint(["check", "--format", "json", "."], cwd=tmp_path)
    assert run.returncode == 1
    report = run.json()
    assert list(report) == ["version", "files_checked", "diagnostics"]
    assert report["version"] == 1 and report["files_checked"] == 3
    keys = ["file", "line", "column", "end_line", "end_column", "code", "rule", "severity",
            "message", "pointer", "fix"]
    for d in report["diagnostics"]:
        assert list(d) == keys
        assert d["fix"] is None  # nothing here is fixable
        assert isinstance(d["line"], int) and isinstance(d["end_column"], int)
        assert d["severity"] in ("error", "warning")
        assert (d["end_line"], d["end_column"]) > (d["line"], d["column"])
    order = [(d["file"], d["line"], d["column"]) for d in report["diagnostics"]]
    assert order == sorted(order)
    assert {d["file"] for d in report["diagnostics"]} == {"a.md", "b.md"}
    unknown = next(d for d in report["diagnostics"] if d["code"] == "FL103")
    assert unknown["pointer"] == "/pubishedDateTime" and unknown["rule"] == "unknown-field"
    assert (unknown["line"], unknown["column"], unknown["end_column"]) == (3, 1, 17)


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = write(tmp_path, "w.md", WARNING_ONLY)
    run = run_feedlint(["check", str(path)])
    assert run.returncode == 0 and "FL011" in run.stdout
    assert "0 errors, 1 warning in 1 file" in run.stdout
    assert run_feedlint(["check", "--strict", str(path)]).returncode == 1


def test_select_and_ignore(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", BROKEN)

    def found(*args: str) -> set[str]:
        run = run_feedlint(["check", "--format", "json", *args, str(path)])
        return {d["code"] for d in run.json()["diagnostics"]}

    assert found() == {"FL101", "FL102", "FL103"}
    assert found("--select", "FL103") == {"FL103"}
    assert found("--ignore", "FL10") == set()
    assert found("--select", "FL1", "--ignore", "FL103") == {"FL101", "FL102"}
    assert found("--ignore", "FL1", "--select", "FL103") == {"FL103"}
    assert found("--ignore", "FL101,fl102") == {"FL103"}
    assert run_feedlint(["check", "--ignore", "FL1", str(path)]).returncode == 0


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    run = run_feedlint(["check", str(tmp_path / "missing.md")])
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "no such file or folder" in run.stderr
    run = run_feedlint(["check", "--select", "XY1", str(SAMPLE)])
    assert run.returncode == 2 and "unknown code" in run.stderr
    assert run_feedlint(["check", "--format", "nope", str(SAMPLE)]).returncode == 2
    run = run_feedlint(["check", str(SAMPLE)], env={"FEEDLINT_FORMAT": "nope"})
    assert run.returncode == 2 and "FEEDLINT_FORMAT" in run.stderr


def test_stdin(tmp_path: Path) -> None:
    run = run_feedlint(["check", "-", "--stdin-filename", "news/x.md"], input=BROKEN.encode())
    assert run.returncode == 1
    assert run.stdout.startswith("news/x.md:1:1: error FL101")
    run = run_feedlint(["check", "-"], input=SAMPLE.read_bytes())
    assert run.returncode == 0 and "in 1 file" in run.stdout
    # The name decides how stdin is read: a bare YAML article.
    bare = b"title: x\npublishedDateTime: '2024-01-01T00:00:00Z'\nwebUrl: https://a.com/\n"
    run = run_feedlint(["check", "-", "--stdin-filename", "a.yaml", "--format", "json"], input=bare)
    assert [d["code"] for d in run.json()["diagnostics"]] == ["FL101"]


def test_custom_schema(tmp_path: Path) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["author"],
        "properties": {
            "author": {"type": "string"},
            "quality": {"multipleOf": 5},
            "topics": {"uniqueItems": True},
        },
    }
    path = write(tmp_path, "s.json", json.dumps(schema))
    article = write(tmp_path, "a.md", "---\ntitle: x\nquality: 33\ntopics: [a, a]\n---\n")
    run = run_feedlint(["check", "--schema", str(path), "--format", "json", str(article)])
    found = [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [
        ("FL101", 1, 'the article is missing the required field "author"'),
        ("FL105", 3, "quality must be a multiple of 5, got 33"),
        ("FL100", 4, "topics: ['a', 'a'] has non-unique elements"),
    ]


def test_unusable_schema_exits_2(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.json", '{"type": "object",')
    run = run_feedlint(["check", "--schema", str(broken), str(SAMPLE)])
    assert run.returncode == 2
    assert run.stderr.startswith("feedlint: error: ") and "not valid JSON" in run.stderr
    assert "Traceback" not in run.stderr
    invalid = write(tmp_path, "invalid.json", '{"type": 12}')
    run = run_feedlint(["check", "--schema", str(invalid), str(SAMPLE)])
    assert run.returncode == 2 and "not a valid JSON Schema" in run.stderr
    run = run_feedlint(["check", "--schema", str(tmp_path / "none.json"), str(SAMPLE)])
    assert run.returncode == 2 and "cannot read the schema" in run.stderr


def test_schema_command_prints_the_shipped_schema() -> None:
    run = run_feedlint(["schema"])
    assert run.returncode == 0
    assert json.loads(run.stdout) == json.loads((ROOT / "schemas/article.schema.json").read_text())


def test_rule_and_rules_commands() -> None:
    run = run_feedlint(["rule", "fl103"])
    assert run.returncode == 0
    for heading in ("FL103 unknown-field (error)", "What it does", "Why is this bad?",
                    "Example", "Use instead"):
        assert heading in run.stdout
    listing = run_feedlint(["rules"])
    assert listing.returncode == 0
    from feedlint.rules import RULES

    for code, rule in RULES.items():
        assert f"{code}  " in listing.stdout and rule.name in listing.stdout
    assert run_feedlint(["rule", "FL777"]).returncode == 2


def test_color(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", BROKEN)
    coloured = run_feedlint(["check", "--color", "always", str(path)])
    assert "\033[" in coloured.stdout
    plain = run_feedlint(["check", str(path)])  # not a terminal
    assert "\033[" not in plain.stdout
    no_color = run_feedlint(["check", str(path)], env={"NO_COLOR": "1"})
    assert "\033[" not in no_color.stdout


def test_default_command_and_version(tmp_path: Path) -> None:
    write(tmp_path, "ok.md", VALID)
    run = run_feedlint([], cwd=tmp_path)
    assert run.returncode == 0 and "in 1 file" in run.stdout
    assert run_feedlint([str(tmp_path)]).returncode == 0
    from feedlint import __version__

    assert run_feedlint(["--version"]).stdout.strip() == f"feedlint {__version__}"


def test_text_output_escapes_control_characters(tmp_path: Path) -> None:
    # A key holding ESC and a newline must neither drive the terminal nor split a line.
    path = tmp_path / "ctl.md"
    path.write_text('---\n"a\\e[31mb\\nc": 1\n---\n')
    run = run_feedlint(["check", "--select", "FL103", str(path)])
    lines = run.stdout.splitlines()
    assert len(lines) == 2 and "\033" not in run.stdout
    assert 'unknown field "a\\x1b[31mb\\nc"' in lines[0]
