"""What the linted tree, its configuration and its schema hold never drives the
terminal or the CI runner that shows feedlint's output.

Every test runs ``python -m feedlint`` on real files and looks at every line of
stdout and stderr.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import SAMPLE, run_feedlint
from tests.fixrules import run_with_fixrules

#: A byte below 0x20 but the line end, DEL, a C1 control, a line or paragraph
#: separator, a bidirectional override or isolate.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

#: Names that GitHub Actions' runner reads as workflow commands when a line starts
#: with them (after any white space).
COMMAND_NAMES = (
    "::error file=README.md,line=1::x.md",
    "::add-mask::x.md",
    "::stop-commands::x.md",
    " ::warning::spaced.md",
    "\u00a0::notice::nbsp.md",
)

#: An article with errors (it lacks most required fields).
BAD = "---\ntitle: A headline\n---\nBody.\n"


def assert_safe(text: str) -> None:
    """No raw control character, and no line a CI runner takes for a command."""
    assert _UNSAFE.search(text) is None, repr(text)
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), repr(line)


def command_tree(root: Path) -> Path:
    root.mkdir()
    for name in COMMAND_NAMES:
        (root / name).write_text(BAD, "utf-8")
    (root / "ok.md").write_bytes(SAMPLE.read_bytes())
    return root


# -- 1. file names that would start a workflow command -------------------------------


def test_file_names_never_start_a_workflow_command(tmp_path: Path) -> None:
    tree = command_tree(tmp_path / "tree")
    runs = {
        "walk": run_feedlint(["check", "--format", "text", "."], cwd=tree),
        "named": run_feedlint(["check", "--format", "text", *COMMAND_NAMES], cwd=tree),
        "statistics": run_feedlint(["check", "--statistics", "."], cwd=tree),
        "show-files": run_feedlint(["check", "--show-files", "."], cwd=tree),
        "stdin": run_feedlint(
            ["check", "--format", "text", "-", "--stdin-filename", "::add-mask::in.md"],
            cwd=tree, input=BAD.encode(),
        ),
    }
    for what, run in runs.items():
        assert run.returncode in (0, 1), (what, run.stderr)
        assert_safe(run.stdout)
        assert_safe(run.stderr)
    # Each name stays recognisable, and names the same file.
    walk = runs["walk"].stdout
    for name in COMMAND_NAMES:
        assert f"\n./{name}:" in "\n" + walk, name
        assert (tree / f"./{name}").is_file()
    assert "./::add-mask::x.md\n" in runs["show-files"].stdout
    assert "ok.md\n" in runs["show-files"].stdout.splitlines(keepends=True)
    assert runs["stdin"].stdout.startswith("./::add-mask::in.md:")
    # The JSON report names the same file, and GitHub's format escapes it its own way.
    report = run_feedlint(["check", "--format", "json", "."], cwd=tree).json()
    assert "./::add-mask::x.md" in {d["file"] for d in report["diagnostics"]}
    github = run_feedlint(["check", "--format", "github", "."], cwd=tree)
    assert "file=::add-mask::x.md" not in github.stdout
    assert "file=%3A%3Aadd-mask%3A%3Ax.md," in github.stdout


def test_merge_text_never_starts_a_workflow_command(tmp_path: Path) -> None:
    tree = command_tree(tmp_path / "tree")
    shards = []
    for k in (1, 2):
        target = tmp_path / f"shard{k}.json"
        run = run_feedlint(["check", "--format", "json", "--shard", f"{k}/2", "-o", str(target),
                            "."], cwd=tree)
        assert run.returncode in (0, 1), run.stderr
        shards.append(str(target))
    # A report from another job is read as data: forged names, messages and codes too.
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({
        "version": 1,
        "files_checked": 1,
        "diagnostics": [{
            "file": "::stop-commands::tok", "line": 1, "column": 1, "end_line": 1,
            "end_column": 2, "code": "FL101\n::add-mask::x", "rule": "r", "severity": "error",
            "message": "\x1b]0;title\x07\n::error::forged", "pointer": "",
        }],
    }), "utf-8")
    for reports in (shards, [*shards, str(forged)]):
        run = run_feedlint(["merge", "--format", "text", *reports], cwd=tree)
        assert run.returncode == 1, run.stderr
        assert_safe(run.stdout)
        assert_safe(run.stderr)
        assert "./::add-mask::x.md:" in run.stdout
    assert len(run.stdout.splitlines()) == len(
        run_feedlint(["merge", "--format", "json", *shards, str(forged)], cwd=tree)
        .json()["diagnostics"]
    ) + 1  # one line per diagnostic, and the summary


# -- 2. a hostile configuration or schema ----------------------------------------------


def test_hostile_configuration_keys_and_values_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(SAMPLE.read_bytes())
    hostile = '"a\\u001b]0;x\\u0007\\nb\\u0085\\u202e\\u009b" = 1\n'
    cases = {
        "unknown key": hostile,
        "unknown option": "[urls]\n" + hostile,
        "wrong type": 'exclude = "\\u001b[2J\\u0007"\n',
        "bad code": 'select = ["\\u001b]0;x\\u0007\\nFL1"]\n',
        "bad schema path": 'schema = "\\u001b]0;x\\u0007\\n.json"\n',
    }
    for what, text in cases.items():
        (tmp_path / "feedlint.toml").write_text(text, "utf-8")
        run = run_feedlint(["check", "a.md"], cwd=tmp_path)
        assert run.returncode == 2, (what, run.stdout, run.stderr)
        assert_safe(run.stdout + run.stderr)
        assert len(run.stderr.splitlines()) == 1, (what, run.stderr)  # one error, one line
        assert run.stderr.startswith("feedlint: error: "), what
    # Values that are accepted are shown by --show-settings, escaped too.
    (tmp_path / "feedlint.toml").write_text(
        'exclude = ["\\u001b]0;x\\u0007\\nb\\u0085\\u202e"]\n', "utf-8"
    )
    run = run_feedlint(["check", "--show-settings", "a.md"], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert_safe(run.stdout + run.stderr)
    assert any(line.startswith("exclude = ") for line in run.stdout.splitlines())


def test_hostile_schema_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BAD, "utf-8")
    invalid = {"type": "object", "properties": {"a\x1b]0;x\x07\nb\x9b": {"type": "nope\x1b[2J"}}}
    const = {"type": "object", "properties": {"title": {"const": "\x1b]0;x\x07\n\x85"}}}
    (tmp_path / "invalid.json").write_text(json.dumps(invalid), "utf-8")
    (tmp_path / "const.json").write_text(json.dumps(const), "utf-8")
    run = run_feedlint(["check", "--isolated", "--schema", "invalid.json", "a.md"], cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert_safe(run.stdout + run.stderr)
    assert len(run.stderr.splitlines()) == 1
    assert "\\x1b]0;x\\x07\\nb\\x9b" in run.stderr
    run = run_feedlint(["check", "--isolated", "--schema", "const.json", "a.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert_safe(run.stdout + run.stderr)
    assert len(run.stdout.splitlines()) == 2  # the diagnostic and the summary


def test_usage_errors_quote_arguments_escaped(tmp_path: Path) -> None:
    # pre-commit passes file names as arguments; one may look like an option.
    run = run_feedlint(["check", "--x\x1b]0;t\x07\u202e.md"], cwd=tmp_path)
    assert run.returncode == 2
    assert_safe(run.stdout + run.stderr)
    run = run_feedlint(["check", "no-such\x1b[2J\x07.md"], cwd=tmp_path)
    assert run.returncode == 2
    assert_safe(run.stdout + run.stderr)
    assert len(run.stderr.splitlines()) == 1


# -- 3. --diff shows the article's lines ----------------------------------------------


def test_diff_never_prints_raw_escapes(tmp_path: Path) -> None:
    article = (
        "---\ntitle: A headline\nexcerpt: 'a  b'\n---\n"
        "::stop-commands::tok\n"
        "\x1b]0;owned\x07 \x1b[2J and a lone\rCR and\u202eLRO\n"
        "last line"
    )
    (tmp_path / "a.md").write_bytes(article.encode("utf-8"))
    run = run_with_fixrules(["check", "--diff", "a.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert_safe(run.stdout + run.stderr)
    lines = run.stdout.split("\n")
    assert lines[0].startswith("# feedlint: ")  # says the diff does not apply as is
    assert "-excerpt: 'a  b'" in lines and "+excerpt: 'a b'" in lines
    assert " \\x3a:stop-commands::tok" in lines
    assert " \\x1b]0;owned\\x07 \\x1b[2J and a lone\\rCR and\\u202eLRO" in lines
    assert (tmp_path / "a.md").read_bytes() == article.encode("utf-8")  # --diff writes nothing


def test_diff_of_ordinary_text_is_not_escaped(tmp_path: Path) -> None:
    article = "---\r\ntitle: A headline\r\nexcerpt: 'a  b'\r\n---\r\n\tTabbed ::body::\r\n"
    (tmp_path / "a.md").write_bytes(article.encode("utf-8"))
    run = run_with_fixrules(["check", "--diff", "a.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("--- a.md\n")
    assert "+excerpt: 'a b'\r\n" in run.stdout
    assert " \tTabbed ::body::\r\n" in run.stdout


# -- the older form of a workflow command, read anywhere in a line -------------------


def test_the_older_command_form_appears_in_no_output(tmp_path: Path) -> None:
    """GitHub's runner also reads ``##[name]value`` anywhere in a line: a key, a value
    or a file name holding it must not reach any line of any format as is."""
    tree = tmp_path / "tree"
    tree.mkdir()
    article = SAMPLE.read_text("utf-8").replace(
        "---\n", '---\n"##[stop-commands]tok": "##[add-mask]value"\n', 1
    )
    (tree / "##[add-mask]name.md").write_text(article, "utf-8")
    for fmt in ("text", "json", "github", "sarif", "junit"):
        run = run_feedlint(["check", "--format", fmt, "."], cwd=tree)
        assert run.returncode == 1, (fmt, run.stderr)
        assert "##[" not in run.stdout + run.stderr, fmt
    statistics = run_feedlint(["check", "--statistics", "--format", "json", "."], cwd=tree)
    assert "##[" not in statistics.stdout + statistics.stderr
    # JSON keeps the exact values: the escape is JSON's own.
    report = run_feedlint(["check", "--format", "json", "."], cwd=tree).json()
    assert "/##[stop-commands]tok" in {d["pointer"] for d in report["diagnostics"]}
    (tree / "report.json").write_text(
        run_feedlint(["check", "--format", "json", "."], cwd=tree).stdout, "utf-8"
    )
    merged = run_feedlint(["merge", "report.json"], cwd=tree)
    merged_text = run_feedlint(["merge", "--format", "text", "report.json"], cwd=tree)
    for run in (merged, merged_text):
        assert "##[" not in run.stdout + run.stderr
    assert "/##[stop-commands]tok" in {d["pointer"] for d in merged.json()["diagnostics"]}
