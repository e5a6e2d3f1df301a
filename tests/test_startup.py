"""Start-up: a run imports what it needs and nothing more; libyaml is never lost silently."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE

PROBE = """
import json, sys
from feedlint.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def modules_of(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDLINT_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["exit"], set(report["modules"])


def test_a_valid_file_is_checked_without_jsonschema(tmp_path: Path) -> None:
    code, modules = modules_of(["check", str(SAMPLE)], tmp_path)
    assert code == 0
    assert "jsonschema" not in modules
    assert "multiprocessing" not in modules  # one file: no worker processes
    assert "difflib" not in modules  # only for "did you mean" on an unknown field
    # Plain block YAML is read without PyYAML: it is imported for other front matter.
    assert "yaml" not in modules
    assert "feedlint.suppression" not in modules  # no "#" in the front matter
    # The language server's libraries are for `feedlint server` alone.
    assert not {"pygls", "lsprotocol", "feedlint.server"} & modules
    flow = tmp_path / "flow.md"
    flow.write_text(SAMPLE.read_text("utf-8").replace(
        "provider:\n  name: tech\n  domain: techstory.in",
        "provider: {name: tech, domain: techstory.in}",
    ))
    code, modules = modules_of(["check", "--no-cache", str(flow)], tmp_path)
    assert code == 0
    assert "yaml" in modules


def test_an_invalid_file_brings_jsonschema_for_the_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(SAMPLE.read_text("utf-8").replace("quality: 34", 'quality: "34"'))
    code, modules = modules_of(["check", "--no-cache", str(bad)], tmp_path)
    assert code == 1
    assert "jsonschema" in modules


def test_a_user_schema_is_checked_against_its_metaschema(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"title": {"type": 5}}}))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "feedlint", "check", "--schema", str(schema),
                           str(SAMPLE)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "not a valid JSON Schema" in proc.stderr


def test_without_libyaml_feedlint_warns_once_and_still_works(tmp_path: Path) -> None:
    script = (
        "import sys, yaml\n"
        "del yaml.CSafeLoader\n"  # as if PyYAML had been built without libyaml
        "from feedlint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Front matter that is not plain block YAML, twice: libyaml's to read.
    flows = []
    for name in ("every", "each"):
        flow = tmp_path / f"{name}.md"
        flow.write_text(
            SAMPLE.read_text("utf-8")
            .replace("topics:\n  - Computer Vision\n  - AI", "topics: [Computer Vision, AI]")
            .replace("/all-cases-of-", f"/{name}-case-of-")  # not a duplicate (FL520)
        )
        flows.append(str(flow))
    proc = subprocess.run([sys.executable, "-c", script, "check", "--no-cache", str(SAMPLE),
                           *flows], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "libyaml" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("feedlint: warning: PyYAML has no libyaml")
    assert proc.stdout.startswith("0 errors, 0 warnings")


def test_the_yaml_reader_pattern_substitute_matches_the_same_characters() -> None:
    import re
    from re import _compiler  # type: ignore[attr-defined]

    from feedlint.composing import YAML_NON_PRINTABLE, YAML_NON_PRINTABLE_SMALL

    # Compiled without re's cache, which feedlint.composing primed.
    original = _compiler.compile(YAML_NON_PRINTABLE, 0)
    small = re.compile(YAML_NON_PRINTABLE_SMALL)
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in original.finditer(every)] == [
        m.start() for m in small.finditer(every)
    ]


def test_importing_the_parser_spares_yaml_its_big_pattern() -> None:
    script = (
        "import re, sys\n"
        "import feedlint.composing as p, yaml.reader\n"
        "print(yaml.reader.Reader.NON_PRINTABLE.pattern == p.YAML_NON_PRINTABLE_SMALL,"
        " isinstance(getattr(re, '_cache', None), dict))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=True)
    primed, cache_is_a_dict = proc.stdout.split()
    assert primed == cache_is_a_dict  # primed wherever re keeps a plain cache


def test_printable_answers_printable_text_without_its_pattern() -> None:
    import re

    from feedlint import diagnostics

    pattern = re.compile(diagnostics._UNPRINTABLE_CHARS)
    # The shortcut holds: no character the pattern escapes is printable to Python.
    assert not [c for c in range(0x110000) if pattern.match(chr(c)) and chr(c).isprintable()]
    assert diagnostics.printable("a\tb\udcff\u202e") == "a\\tb\\xff\\u202e"
    assert diagnostics.printable("plain – text ✓") == "plain – text ✓"
