"""The result cache: the same results without linting again, and never a stale or
broken one (content, settings, schema, clock, corruption, two runs at once)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from feedlint.cache import (
    BUCKETS,
    DERIVED_SUBDIR,
    LINT_SUBDIR,
    RUN_ONLY_FIELDS,
    ResultCache,
    run_key,
)
from feedlint.diagnostics import Finding, Severity
from feedlint.discovery import Candidate, discover
from feedlint.document import Article
from feedlint.engine import FileResult, Linter, RunResult
from feedlint.rules import RuleContext, RuleModule
from feedlint.settings import Settings
from tests.conftest import ROOT, run_feedlint
from tests.helpers import load_corpus_module

BROKEN = {
    "unknown.md": '---\ntitle: "x"\npubishedDateTime: 2024-01-01T00:00:00Z\n'
    "webUrl: https://example.com/u\nprovider: {name: E, domain: example.com}\n---\n",
    "type.md": '---\ntitle: "x"\npublishedDateTime: 2024-01-01T00:00:00Z\n'
    'webUrl: https://example.com/t\nquality: "high"\n'
    "provider: {name: E, domain: example.com}\n---\n",
    "yaml.md": '---\ntitle: "unclosed\n---\n',
    "truthy.md": '---\ntitle: "x"\npublishedDateTime: 2024-01-01T00:00:00Z\n'
    "webUrl: https://example.com/y\npublished: yes\n"
    "provider: {name: E, domain: example.com}\n---\n",
}


class CountingLinter(Linter):
    """A linter that counts the files it really lints (not those served by the
    cache), and those it reads."""

    linted: list[str]
    read_files: list[str]

    def lint_raw(self, candidate: Candidate, raw: bytes) -> FileResult:
        self.linted.append(candidate.display)
        return super().lint_raw(candidate, raw)

    def read(self, candidate: Candidate) -> bytes | FileResult:
        self.read_files.append(candidate.display)
        return super().read(candidate)


def make_archive(folder: Path, count: int = 12) -> Path:
    corpus = load_corpus_module()
    root = folder / "archive"
    corpus.generate(str(root), count, per_feed=5)
    for name, text in BROKEN.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def lint(
    paths: Sequence[str],
    cache_dir: Path | None,
    settings: Settings | None = None,
    modules: Iterable[tuple[RuleModule, dict[str, Any]]] = (),
) -> tuple[RunResult, list[str]]:
    result, linter = lint_with(paths, cache_dir, settings, modules)
    return result, linter.linted


def lint_with(
    paths: Sequence[str],
    cache_dir: Path | None,
    settings: Settings | None = None,
    modules: Iterable[tuple[RuleModule, dict[str, Any]]] = (),
) -> tuple[RunResult, CountingLinter]:
    linter = CountingLinter(settings or Settings())
    linter.linted = []
    linter.read_files = []
    linter.modules.extend(modules)
    cache = None
    if cache_dir is not None:
        cache = ResultCache.for_run(str(cache_dir), linter.settings, linter.schema)
    result = linter.run(discover(paths), cache=cache)
    return result, linter


def as_json(result: RunResult) -> list[Any]:
    return [(f.path, [d.as_json() for d in f.diagnostics], f.facts) for f in result.files]


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_archive(tmp_path)


def test_a_warm_run_lints_nothing_and_gives_the_same_results(
    archive: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    cold, linted = lint(["archive"], cache_dir)
    assert len(linted) == 16
    assert {d.code for d in cold.diagnostics} >= {"FL103", "FL102", "FL003", "FL011"}
    warm, linted = lint(["archive"], cache_dir)
    assert linted == []
    assert as_json(warm) == as_json(cold)
    uncached, _ = lint(["archive"], None)
    assert as_json(uncached) == as_json(cold)


def test_the_command_line_gives_the_same_output_cold_warm_and_without_cache(
    archive: Path, tmp_path: Path
) -> None:
    args = ["check", "--format", "json", "archive"]
    cold = run_feedlint(args, cwd=tmp_path)
    warm = run_feedlint(args, cwd=tmp_path)
    bare = run_feedlint([*args, "--no-cache"], cwd=tmp_path)
    assert cold.returncode == warm.returncode == bare.returncode == 1
    assert cold.stdout == warm.stdout == bare.stdout
    assert cold.json()["files_checked"] == 16


def test_the_cache_folder_is_ignored_by_git_and_tagged(archive: Path, tmp_path: Path) -> None:
    run_feedlint(["check", "archive"], cwd=tmp_path)
    root = tmp_path / ".feedlint_cache"
    assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    tag = (root / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    (key,) = os.listdir(root / LINT_SUBDIR)
    buckets = os.listdir(root / LINT_SUBDIR / key)
    assert buckets and all(name.endswith(".bin") for name in buckets)
    assert len(buckets) <= BUCKETS
    assert sorted(os.listdir(root)) == [".gitignore", "CACHEDIR.TAG", DERIVED_SUBDIR, LINT_SUBDIR]
    derived = sorted(name.rsplit("-", 1)[0] for name in os.listdir(root / DERIVED_SUBDIR))
    assert derived == ["code-digest"]


def test_no_cache_writes_nothing_and_cache_dir_moves_it(archive: Path, tmp_path: Path) -> None:
    assert run_feedlint(["check", "--no-cache", "archive"], cwd=tmp_path).returncode == 1
    assert not (tmp_path / ".feedlint_cache").exists()
    run_feedlint(["check", "--cache-dir", "elsewhere", "archive"], cwd=tmp_path)
    assert (tmp_path / "elsewhere" / LINT_SUBDIR).is_dir()
    run_feedlint(["check", "archive"], cwd=tmp_path, env={"FEEDLINT_CACHE_DIR": "from-env"})
    assert (tmp_path / "from-env" / LINT_SUBDIR).is_dir()
    assert not (tmp_path / ".feedlint_cache").exists()


def test_an_unwritable_cache_is_a_warning_not_a_failure(archive: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    run = run_feedlint(["check", "--cache-dir", "a-file/cache", "archive"], cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith("feedlint: warning: the result cache is off: cannot write")
    assert run.stdout.endswith("in 16 files\n")


def test_a_changed_file_is_linted_again_and_only_it(archive: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    lint(["archive"], cache_dir)
    (archive / "unknown.md").write_text(BROKEN["unknown.md"].replace("pubished", "published"))
    result, linted = lint(["archive"], cache_dir)
    assert linted == ["archive/unknown.md"]
    assert not [d for d in result.diagnostics if d.file == "archive/unknown.md"]
    # And back again: the old content is linted anew (its entry was replaced).
    (archive / "unknown.md").write_text(BROKEN["unknown.md"])
    result, linted = lint(["archive"], cache_dir)
    assert linted == ["archive/unknown.md"]
    assert [d.code for d in result.diagnostics if d.file == "archive/unknown.md"] == [
        "FL101", "FL103"
    ]


def test_a_settings_change_misses_and_a_run_only_setting_does_not(
    archive: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    lint(["archive"], cache_dir)
    ignoring, linted = lint(["archive"], cache_dir, Settings(ignore=("FL103",)))
    assert len(linted) == 16
    assert "FL103" not in {d.code for d in ignoring.diagnostics}
    for name, value in (("jobs", 7), ("strict", True), ("cache_dir", "x"), ("exclude", ("z",))):
        assert name in RUN_ONLY_FIELDS
        _, linted = lint(["archive"], cache_dir, replace(Settings(), **{name: value}))
        assert linted == [], name
    schema = Linter(Settings()).schema
    assert run_key(Settings(), schema) != run_key(Settings(now=None, max_file_size=10), schema)
    stricter = Settings(severity={"FL011": Severity.ERROR})
    assert run_key(stricter, schema) != run_key(Settings(), schema)


def test_a_schema_change_misses(archive: Path, tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    text = (ROOT / "schemas" / "article.schema.json").read_text("utf-8")
    schema.write_text(text, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    settings = Settings(schema=str(schema))
    lint(["archive"], cache_dir, settings)
    _, linted = lint(["archive"], cache_dir, settings)
    assert linted == []
    schema.write_text(text.replace('"minimum": -1', '"minimum": 0'), encoding="utf-8")
    result, linted = lint(["archive"], cache_dir, settings)
    assert len(linted) == 16
    # The corpus has heat: -1 here and there, which the edited schema rejects.
    assert "FL105" in {d.code for d in result.diagnostics}


def corrupt_every_bucket(cache_dir: Path, damage: str) -> int:
    count = 0
    for bucket in (cache_dir / LINT_SUBDIR).rglob("*.bin"):
        blob = bytearray(bucket.read_bytes())
        if damage == "flip":
            blob[-3] ^= 0xFF
        elif damage == "truncate":
            del blob[len(blob) // 2 :]
        elif damage == "garbage":
            blob = bytearray(os.urandom(len(blob)))
        elif damage == "empty":
            blob = bytearray()
        bucket.write_bytes(bytes(blob))
        count += 1
    return count


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty"])
def test_a_corrupt_cache_is_ignored_and_repaired(
    archive: Path, tmp_path: Path, damage: str
) -> None:
    cache_dir = tmp_path / "cache"
    cold, _ = lint(["archive"], cache_dir)
    assert corrupt_every_bucket(cache_dir, damage) > 1
    after, linted = lint(["archive"], cache_dir)
    assert linted, "a damaged entry must be linted again"
    assert as_json(after) == as_json(cold)
    _, linted = lint(["archive"], cache_dir)
    assert linted == []  # rewritten whole by the run that found the damage


def test_an_entry_whose_payload_is_not_a_result_is_a_miss(archive: Path, tmp_path: Path) -> None:
    import struct

    from feedlint.secret import mac

    cache_dir = tmp_path / "cache"
    cold, _ = lint(["archive"], cache_dir)
    # A well-formed record, signed with this user's own key, around a payload
    # that is not a cached result.
    for bucket in (cache_dir / LINT_SUBDIR).rglob("*.bin"):
        blob = bucket.read_bytes()
        magic = blob[:4]
        name, digest, signature = blob[4:20], blob[20:36], blob[36:68]
        payload = b'["t", 5, "not", ["Unknown", 1]]'
        check = mac(name, digest, signature, payload)
        bucket.write_bytes(magic + struct.pack(">16s16s32s16sI", name, digest, signature,
                                               check, len(payload)) + payload)
    after, linted = lint(["archive"], cache_dir)
    assert linted
    assert as_json(after) == as_json(cold)


def test_two_runs_sharing_a_cache_both_succeed(tmp_path: Path) -> None:
    make_archive(tmp_path, count=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDLINT_")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "feedlint", "check", "--format", "json", "--cache-dir",
               "shared", "archive"]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], [err for _, err in outputs]
    assert outputs[0] == outputs[1]
    assert outputs[0][1] == b""
    third = run_feedlint(["check", "--format", "json", "--cache-dir", "shared", "archive"],
                         cwd=tmp_path)
    assert third.stdout.encode() == outputs[0][0]
    assert not list((tmp_path / "shared").rglob("*.tmp"))


# -- results that depend on the clock, internal errors, facts ------------------
# The dates rules (FL405: in the future) read the clock; the duplicates rule
# (FL520) keeps each file's URLs as facts for its check across files.


def _crashing_check(article: Article, context: RuleContext) -> Iterable[Finding]:
    if "crash" in str(article.data.get("title")):
        raise ValueError("boom")
    return ()


CRASHING = RuleModule(name="crashing", rules=(), check=_crashing_check)

ARTICLE = '---\ntitle: "{title}"\npublishedDateTime: {date}\nwebUrl: {url}\n' \
    "provider: {{name: E, domain: example.com}}\n---\n"


def test_a_file_the_clock_judged_is_not_cached(tmp_path: Path) -> None:
    (tmp_path / "past.md").write_text(ARTICLE.format(title="p", date="2001-01-01T00:00:00Z",
                                                     url="https://example.com/p"))
    (tmp_path / "future.md").write_text(ARTICLE.format(title="f", date="2999-01-01T00:00:00Z",
                                                       url="https://example.com/f"))
    paths = [str(tmp_path / "past.md"), str(tmp_path / "future.md")]
    cache_dir = tmp_path / "cache"
    first, linted = lint(paths, cache_dir)
    assert len(linted) == 2
    assert [f.clock_dependent for f in first.files] == [False, True]
    assert [d.code for d in first.diagnostics] == ["FL405"]  # in the future
    second, linted = lint(paths, cache_dir)
    assert linted == [paths[1]]
    assert as_json(second) == as_json(first)


def test_a_fixed_now_makes_clock_results_cacheable(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    (tmp_path / "future.md").write_text(ARTICLE.format(title="f", date="2999-01-01T00:00:00Z",
                                                       url="https://example.com/f"))
    settings = Settings(now=datetime(2024, 1, 1, tzinfo=UTC))
    paths = [str(tmp_path / "future.md")]
    lint(paths, tmp_path / "cache", settings)
    result, linted = lint(paths, tmp_path / "cache", settings)
    # With "now" in the settings (and so in the key) the result is stable.
    assert linted == []
    assert [d.code for d in result.diagnostics] == ["FL405"]


def test_internal_errors_are_not_cached(tmp_path: Path) -> None:
    (tmp_path / "crash.md").write_text(ARTICLE.format(title="crash", date="2001-01-01T00:00:00Z",
                                                      url="https://example.com/c"))
    paths = [str(tmp_path / "crash.md")]
    first, linted = lint(paths, tmp_path / "cache", modules=[(CRASHING, {})])
    assert [d.code for d in first.diagnostics] == ["FL900"]
    _, linted = lint(paths, tmp_path / "cache", modules=[(CRASHING, {})])
    assert linted == paths


def test_facts_are_cached_so_checks_across_files_still_work_warm(tmp_path: Path) -> None:
    for name in ("a.md", "b.md", "c.md"):
        url = "https://example.com/other" if name == "c.md" else "https://example.com/same"
        (tmp_path / name).write_text(ARTICLE.format(title=name, date="2001-01-01T00:00:00Z",
                                                    url=url))
    paths = [str(tmp_path)]
    cold, _ = lint(paths, tmp_path / "cache")
    warm, linted = lint(paths, tmp_path / "cache")
    assert linted == []
    duplicates = [(Path(d.file).name, d.code) for d in warm.diagnostics]
    assert duplicates == [("a.md", "FL520"), ("b.md", "FL520")]
    assert as_json(warm) == as_json(cold)


def test_standard_input_is_never_cached(tmp_path: Path) -> None:
    text = BROKEN["unknown.md"].encode()
    for _ in range(2):
        run = run_feedlint(["check", "--format", "json", "-", "--stdin-filename", "in.md"],
                           cwd=tmp_path, input=text)
        assert [d["code"] for d in run.json()["diagnostics"]] == ["FL101", "FL103"]
    assert not (tmp_path / ".feedlint_cache").exists()


def test_derived_data_is_reused_until_its_stamp_changes_and_survives_damage(
    tmp_path: Path,
) -> None:
    from feedlint import cache

    built: list[int] = []

    def build() -> dict[str, int]:
        built.append(1)
        return {"suffixes": len(built)}

    cache.use_derived(str(tmp_path))
    try:
        assert cache.derived("table", "v1", build) == {"suffixes": 1}
        assert cache.derived("table", "v1", build) == {"suffixes": 1}
        assert len(built) == 1
        assert cache.derived("table", "v2", build) == {"suffixes": 2}
        for stored in (tmp_path / DERIVED_SUBDIR).iterdir():
            stored.write_bytes(stored.read_bytes()[:-5] + b"xxxxx")
        assert cache.derived("table", "v2", build) == {"suffixes": 3}
        assert cache.derived("table", "v2", build) == {"suffixes": 3}
    finally:
        cache.use_derived(None)
    assert cache.derived("table", "v2", build) == {"suffixes": 4}  # off: built every time


def test_an_unchanged_file_is_not_even_read_again(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedlint import cache

    # Trust signatures at once (by default, not for files changed in the last seconds).
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)
    cache_dir = tmp_path / "cache"
    cold, linter = lint_with(["archive"], cache_dir)
    assert len(linter.read_files) == 16
    warm, linter = lint_with(["archive"], cache_dir)
    assert linter.read_files == [] and linter.linted == []
    assert as_json(warm) == as_json(cold)
    # The same size, other bytes: its change time moved, so it is read and linted.
    time.sleep(0.05)
    target = archive / "unknown.md"
    target.write_text(BROKEN["unknown.md"].replace("pubished", "Pubished"), encoding="utf-8")
    _, linter = lint_with(["archive"], cache_dir)
    assert set(linter.read_files) == {"archive/unknown.md"}  # to hash it, then to lint it
    assert linter.linted == ["archive/unknown.md"]


def test_a_file_changed_seconds_ago_is_read_to_be_recognized(
    archive: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    lint_with(["archive"], cache_dir)
    _, linter = lint_with(["archive"], cache_dir)
    # Just written: equal times prove nothing yet, so each file is read and hashed,
    # and (its content being the same) not linted.
    assert len(linter.read_files) == 16
    assert linter.linted == []


def test_a_touched_file_is_recognized_by_its_content(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedlint import cache

    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)
    cache_dir = tmp_path / "cache"
    lint_with(["archive"], cache_dir)
    time.sleep(0.05)
    os.utime(archive / "type.md")  # new times, same bytes (a fresh checkout, a touch)
    _, linter = lint_with(["archive"], cache_dir)
    assert linter.read_files == ["archive/type.md"] and linter.linted == []
    _, linter = lint_with(["archive"], cache_dir)
    assert linter.read_files == []  # its new signature was stored
