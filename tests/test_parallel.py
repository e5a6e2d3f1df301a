"""Several processes give exactly what one gives, in the same order."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from feedlint import parallel
from feedlint.discovery import Candidate, discover
from feedlint.document import Article
from feedlint.engine import Linter
from feedlint.parallel import PARALLEL_THRESHOLD, lint_many
from feedlint.rules import RuleContext, RuleModule
from feedlint.settings import Settings
from tests.conftest import run_feedlint
from tests.helpers import load_corpus_module

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="the test's own rule module reaches workers by fork"
)


#: Enough files to reach the second feed folder (100 a folder), and workers.
ACROSS_FEEDS = max(PARALLEL_THRESHOLD, 120) + 40


def make_archive(folder: Path, count: int) -> Path:
    """A corpus with a broken file every seventh one, in several ways."""
    corpus = load_corpus_module()
    root = folder / "archive"
    paths = corpus.generate(str(root), count, per_feed=100)
    breakages = (
        lambda t: t.replace("title:", "titel:", 1),
        lambda t: t.replace("quality: ", "quality: -", 1),
        lambda t: t.replace("published: true", "published: yes", 1),
        lambda t: t.replace("---\n", "---\n[", 1),
        lambda t: t.replace("webUrl: \"https", "webUrl: \"ftp", 1),
        lambda t: t[:4] + t[4:].replace("\n---\n", "\n", 1),
    )
    for index, path in enumerate(paths[::7]):
        text = Path(path).read_text("utf-8")
        Path(path).write_text(breakages[index % len(breakages)](text), encoding="utf-8")
    return root


def test_jobs_give_the_same_json_as_one_process(tmp_path: Path) -> None:
    make_archive(tmp_path, PARALLEL_THRESHOLD + 60)
    outputs = []
    for jobs in ("1", "2", "3"):
        run = run_feedlint(["check", "--no-cache", "--format", "json", "--jobs", jobs, "archive"],
                           cwd=tmp_path)
        assert run.returncode == 1, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    report = __import__("json").loads(outputs[0])
    assert report["files_checked"] == PARALLEL_THRESHOLD + 60
    assert len({d["code"] for d in report["diagnostics"]}) >= 5
    # Through the cache (cold, then warm), still the same bytes.
    for _ in range(2):
        run = run_feedlint(["check", "--format", "json", "--jobs", "2", "archive"], cwd=tmp_path)
        assert run.stdout == outputs[0]


def _pid(article: Article, context: RuleContext) -> Any:
    return (os.getpid(), article.data.get("webUrl"))


#: Notes which process linted each file (the real duplicates rule, FL520, does
#: the check across files).
PID = RuleModule(name="pid", rules=(), collect=_pid)


def run_with(paths: list[str], jobs: int) -> tuple[list[Any], list[int]]:
    linter = Linter(Settings())
    linter.modules.append((PID, {}))
    results = list(lint_many(linter, discover(paths), jobs=jobs))
    linter.finish(results)
    shown = [(r.path, [d.as_json() for d in r.diagnostics], r.facts["pid"][1] if r.facts else None)
             for r in results]
    pids = [r.facts["pid"][0] for r in results if r.facts]
    return shown, pids


@linux_only
def test_results_come_in_order_with_their_facts_for_checks_across_files(tmp_path: Path) -> None:
    root = make_archive(tmp_path, ACROSS_FEEDS)
    # One article twice (the 104th, which make_archive left intact): a duplicate
    # whose two copies are linted by different workers.
    source = sorted((root / "feed-001").iterdir())[3]
    (root / "feed-000" / "9999_copy.md").write_bytes(source.read_bytes())
    serial, serial_pids = run_with([str(root)], jobs=1)
    parallel, parallel_pids = run_with([str(root)], jobs=2)
    assert parallel == serial
    assert [path for path, _, _ in serial] == [c.display for c in discover([str(root)])]
    assert set(serial_pids) == {os.getpid()}
    # The first file here (what it sets up is inherited), the others in 2 workers.
    assert parallel_pids[0] == os.getpid() and os.getpid() not in parallel_pids[1:]
    assert len(set(parallel_pids[1:])) == 2
    duplicates = [path for path, diagnostics, _ in parallel
                  if any(d["code"] == "FL520" for d in diagnostics)]
    assert sorted(Path(path).name for path in duplicates) == [source.name, "9999_copy.md"]


@linux_only
def test_a_small_run_stays_in_one_process(tmp_path: Path) -> None:
    root = make_archive(tmp_path, PARALLEL_THRESHOLD - 1)
    _, pids = run_with([str(root)], jobs=4)
    assert set(pids) == {os.getpid()}


@linux_only
def test_the_files_of_a_worker_that_dies_are_linted_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_archive(tmp_path, ACROSS_FEEDS)
    serial, _ = run_with([str(root)], jobs=1)
    parent = os.getpid()
    real_lint_one = parallel.lint_one
    victim = sorted((root / "feed-001").iterdir())[10].name

    def lint_one(linter: Linter, candidate: Any, stamp_wanted: bool = False) -> Any:
        if os.getpid() != parent and candidate.path.endswith(victim):
            os.kill(os.getpid(), signal.SIGKILL)  # the worker is killed mid-chunk
        return real_lint_one(linter, candidate, stamp_wanted)

    monkeypatch.setattr(parallel, "lint_one", lint_one)
    shown, pids = run_with([str(root)], jobs=2)
    assert shown == serial
    # The dead worker's chunk was linted here, the rest by the two workers.
    assert pids.count(parent) > 1
    assert len(set(pids) - {parent}) == 2


@linux_only
def test_workers_are_stopped_and_reaped_when_the_run_stops_early(tmp_path: Path) -> None:
    root = make_archive(tmp_path, PARALLEL_THRESHOLD * 4)
    linter = Linter(Settings())
    linter.modules.append((PID, {}))
    results = lint_many(linter, discover([str(root)]), jobs=2)
    workers = set()
    for result in results:
        pid = result.facts["pid"][0] if result.facts else os.getpid()
        if pid != os.getpid():
            workers.add(pid)
            break
    results.close()
    assert workers
    for pid in workers:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped already: no such child


def test_without_fork_a_pool_of_started_processes_gives_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_archive(tmp_path, PARALLEL_THRESHOLD + 20)
    linter = Linter(Settings())
    serial = [(r.path, r.diagnostics, r.facts) for r in lint_many(linter, discover([str(root)]))]
    monkeypatch.setattr(parallel, "_CAN_FORK", False)
    pooled = [(r.path, r.diagnostics, r.facts)
              for r in lint_many(linter, discover([str(root)]), jobs=2)]
    assert pooled == serial


def test_workers_read_the_same_files_from_the_compact_list() -> None:
    todo = [
        Candidate("a.md", "a.md", explicit=True, bare=False),
        Candidate("/abs/b.yaml", "b.yaml", explicit=False, bare=True),
        Candidate("dir/\u00e9\nnew line.md", "dir/\u00e9\\nnew line.md", explicit=False,
                  bare=False),
        Candidate("broken", "broken", explicit=False, bare=False, error="cannot list it"),
        Candidate("-", "-", explicit=True, bare=False, stdin_bytes=b"---\n"),
        Candidate("", "", explicit=True, bare=True),
    ]
    files = parallel._Files(todo)
    assert [files.candidate(at) for at in range(len(todo))] == todo
    same = [Candidate(f"f{n}.md", f"f{n}.md", explicit=False, bare=n % 2 == 0) for n in range(5)]
    assert [parallel._Files(same).candidate(at) for at in range(5)] == same


def test_a_started_worker_checks_against_the_runs_own_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where workers are started rather than forked, each gets the run's schema as
    data: a schema read from a URL, or whose references were fetched, cannot be read
    again in the worker as the run read it."""
    import json

    from feedlint.schema import ArticleSchema

    common = {"$defs": {"headline": {"type": "string", "maxLength": 3}}}
    fetched: list[str] = []

    def fetch(url: str) -> bytes:  # the run's own fetcher: the worker has none
        fetched.append(url)
        return json.dumps(common).encode("utf-8")

    schema = ArticleSchema.user(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "properties": {"title": {"$ref": "common.json#/$defs/headline"}}},
        "https://schemas.example/article.json", "digest",
        retrieval_uri="https://schemas.example/article.json", fetch=fetch,
    )
    assert fetched == ["https://schemas.example/common.json"]
    root = make_archive(tmp_path, PARALLEL_THRESHOLD + 20)
    linter = Linter(Settings(select=("FL1",)), schema)
    serial = [(r.path, r.diagnostics) for r in lint_many(linter, discover([str(root)]))]
    # Nearly every title is longer than the schema's 3 characters (a broken file or
    # two has none): the built-in schema would say nothing of it.
    too_long = sum(any(d.code == "FL105" for d in diagnostics) for _, diagnostics in serial)
    assert too_long > len(serial) * 3 // 4
    monkeypatch.setattr(parallel, "_CAN_FORK", False)
    pooled = [(r.path, r.diagnostics) for r in lint_many(linter, discover([str(root)]), jobs=2)]
    assert pooled == serial
    assert fetched == ["https://schemas.example/common.json"]  # never fetched again
