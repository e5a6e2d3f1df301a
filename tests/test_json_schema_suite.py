"""The official JSON Schema Test Suite through feedlint's validation path.

Every group of ``draft2020-12`` and ``draft7`` is loaded as a user's schema
(``ArticleSchema.user``: references resolved, formats asserted, ECMA-262
patterns) and every instance is checked three ways: the compiled fast path
(when the schema compiles), jsonschema with feedlint's keywords, and the
findings feedlint reports. Each must give the suite's verdict: valid <-> no
FL1xx. ``remotes/`` is served by a loopback HTTP server this module starts on
127.0.0.1; the suite's ``http://localhost:1234/`` is mapped to it, and the
fetcher's guard is lifted for 127.0.0.1 only, as the command line would.

The required ``format.json`` files expect ``format`` to be an annotation: they
run with ``--disable-formats '*'``; everywhere else formats are asserted, as by
default. ``optional/`` must keep at least the pass rate docs/own-schema.md states.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feedlint.probe import SchemaFetcher
from feedlint.schema import ArticleSchema, SchemaError
from tests.conftest import ROOT, SHARED

SUITE = SHARED / "corpora" / "json-schema-test-suite"
DRAFTS = ("draft2020-12", "draft7")
#: A row of the pass-rate table of docs/own-schema.md: ``| draft7 | 726 of 794 (91.4%) |``.
_STATED = re.compile(r"^\| (draft[\w-]+) \| (\d+) of (\d+) \((\d+\.\d)%\) \|$", re.M)


def _stated() -> list[tuple[str, str, str, str]]:
    return _STATED.findall((ROOT / "docs" / "own-schema.md").read_text("utf-8"))


def _stated_floor() -> dict[str, float]:
    """The optional tests each draft passes at least, as docs/own-schema.md states."""
    return {draft: int(passed) / int(total) for draft, passed, total, _ in _stated()}


#: The optional tests each draft passes at least (the table docs/own-schema.md shows).
OPTIONAL_FLOOR = _stated_floor()

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason="the shared corpora are not here")


def test_the_page_states_a_pass_rate_for_each_draft() -> None:
    assert sorted(OPTIONAL_FLOOR) == sorted(DRAFTS)
    for draft, passed, total, percent in _stated():
        assert f"{int(passed) / int(total):.1%}" == f"{percent}%", draft


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def fetcher() -> Iterator[SchemaFetcher]:
    handler = functools.partial(_Quiet, directory=str(SUITE / "remotes"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SchemaFetcher(
            allow_networks=("127.0.0.1/32",),
            mirrors={"http://localhost:1234/": f"http://127.0.0.1:{server.server_port}/"},
        )
    finally:
        server.shutdown()
        server.server_close()


def _files(draft: str, optional: bool) -> list[Path]:
    folder = SUITE / "tests" / draft
    found = sorted((folder / "optional").rglob("*.json")) if optional else sorted(
        folder.glob("*.json")
    )
    return found


def _dialect(draft: str) -> str:
    return {
        "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
        "draft7": "http://json-schema.org/draft-07/schema#",
    }[draft]


def _run_file(path: Path, draft: str, fetch: SchemaFetcher) -> tuple[int, list[str]]:
    """(tests run, the failures in words) of one suite file."""
    groups = json.loads(path.read_text("utf-8"))
    disabled = ("*",) if path.name == "format.json" and "optional" not in path.parts else ()
    run, failures = 0, []
    for group in groups:
        schema = group["schema"]
        if isinstance(schema, dict) and "$schema" not in schema:
            # As the suite's own runners do: a schema is read as its folder's draft.
            schema = {"$schema": _dialect(draft), **schema}
        try:
            loaded = ArticleSchema.user(
                schema, f"{path.name}: {group['description']}", "test",
                disabled_formats=disabled, fetch=fetch,
            )
            loaded.ensure_usable()
        except SchemaError as err:
            run += len(group["tests"])
            failures += [f"{path.name}: {group['description']}: {err}"] * len(group["tests"])
            continue
        for test in group["tests"]:
            run += 1
            what = f"{path.name}: {group['description']}: {test['description']}"
            wanted = test["valid"]
            try:
                fast = loaded.fast
                if fast is not None and fast(test["data"]) != wanted:
                    failures.append(f"{what}: the fast path says {not wanted}")
                    continue
                explained = not any(loaded.validator.iter_errors(test["data"]))
                if explained != wanted:
                    failures.append(f"{what}: jsonschema says {explained}")
                    continue
                findings = [f for f in loaded.check(test["data"]) if f.code.startswith("FL1")]
            except Exception as err:  # noqa: BLE001 - a crash is a failure of the test
                failures.append(f"{what}: {type(err).__name__}: {err}")
                continue
            if (not findings) != wanted:
                failures.append(f"{what}: findings {[f.message for f in findings]}")
    return run, failures


@pytest.mark.parametrize(
    "path",
    [p for d in DRAFTS for p in _files(d, optional=False)],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_every_required_test_agrees(path: Path, fetcher: SchemaFetcher) -> None:
    run, failures = _run_file(path, path.parent.name, fetcher)
    assert run > 0
    assert not failures, "\n".join(failures)


def optional_rate(draft: str, fetch: SchemaFetcher) -> tuple[int, int, list[str]]:
    total, failed = 0, []
    for path in _files(draft, optional=True):
        run, failures = _run_file(path, draft, fetch)
        total += run
        failed += failures
    return total - len(failed), total, failed


@pytest.mark.parametrize("draft", DRAFTS)
def test_the_optional_tests_do_not_regress(draft: str, fetcher: SchemaFetcher) -> None:
    passed, total, failed = optional_rate(draft, fetcher)
    assert passed / total >= OPTIONAL_FLOOR[draft], "\n".join(failed)


#: A sample for the command line: groups without remote references, each instance
#: a bare JSON article. feedlint lints a mapping; any other instance (a number, a
#: list, a string) is not an article and is reported as such, so only the objects
#: are compared.
CLI_SAMPLE = ["pattern.json", "patternProperties.json", "required.json", "enum.json",
              "additionalProperties.json", "ref.json"]


@pytest.mark.parametrize("name", CLI_SAMPLE)
def test_a_sample_through_the_command_line(name: str, tmp_path: Path) -> None:
    from feedlint.cli import main

    groups = json.loads((SUITE / "tests" / "draft2020-12" / name).read_text("utf-8"))
    checked = 0
    for index, group in enumerate(groups):
        if "localhost:1234" in json.dumps(group["schema"]):
            continue
        folder = tmp_path / str(index)
        folder.mkdir()
        (folder / "schema.json").write_text(json.dumps(group["schema"]))
        for number, test in enumerate(group["tests"]):
            if not isinstance(test["data"], dict):
                continue
            article = folder / f"article{number}.json"
            article.write_text(json.dumps(test["data"]))
            code = main(["check", "--no-cache", "--schema", str(folder / "schema.json"),
                         "--select", "FL1", str(article)])
            assert code == (0 if test["valid"] else 1), (group["description"], test)
            checked += 1
    assert checked
