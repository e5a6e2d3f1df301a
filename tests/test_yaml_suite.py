"""Every document of the YAML test suite, linted as front matter and as a bare YAML
article: each answered with diagnostics or a clean pass, none crashing the run.

The suite (github.com/yaml/yaml-test-suite, the corners of YAML nobody here
wrote) is read from ../shared/corpora/yaml-test-suite/, never copied into the
project. One command line run per mode lints all of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from feedlint.engine import Linter
from feedlint.settings import Settings
from tests.conftest import SHARED, run_feedlint
from tests.contracts import check_json_report, check_positions

SUITE = SHARED / "corpora" / "yaml-test-suite"

pytestmark = pytest.mark.skipif(
    not SUITE.is_dir(), reason=f"the YAML test suite is not at {SUITE} (../shared/corpora)"
)


def documents() -> list[Path]:
    return sorted(SUITE.glob("*.yaml"))


def as_front_matter(raw: bytes) -> bytes:
    return b"---\n" + raw + (b"" if raw.endswith(b"\n") or not raw else b"\n") + b"---\n"


@pytest.mark.parametrize("mode", ["front-matter", "bare"])
def test_every_suite_document_is_answered(tmp_path: Path, mode: str) -> None:
    docs = documents()
    assert len(docs) >= 400, f"expected the whole suite, found {len(docs)} documents"
    folder = tmp_path / "suite"
    folder.mkdir()
    written: dict[str, bytes] = {}
    for doc in docs:
        raw = doc.read_bytes()
        if mode == "front-matter":
            name, raw = f"{doc.stem}.md", as_front_matter(raw)
        else:
            name = doc.name
        (folder / name).write_bytes(raw)
        written[f"suite/{name}"] = raw

    # Front matter files are found by walking the folder; bare YAML is linted when named.
    args = ["suite"] if mode == "front-matter" else sorted(written)
    run = run_feedlint(["check", "--format", "json", *args], cwd=tmp_path, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    assert run.stderr == ""
    report = run.json()
    check_json_report(report, files_checked=len(written))

    by_file: dict[str, list[dict]] = {}
    for d in report["diagnostics"]:
        by_file.setdefault(d["file"], []).append(d)
    assert set(by_file) <= set(written)
    crashed = [d for d in report["diagnostics"] if d["code"].startswith("FL9")]
    assert crashed == [], crashed[:3]
    for name, diagnostics in by_file.items():
        check_positions(diagnostics, written[name])

    # The command line and the API agree, file by file.
    linter = Linter(Settings())
    for name, raw in written.items():
        api = linter.lint_bytes(name, raw, bare=mode == "bare")
        assert [d.as_json() for d in api.diagnostics] == by_file.get(name, []), name
