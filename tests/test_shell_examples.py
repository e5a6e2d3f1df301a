"""Every shell example in README.md and docs/ (recursively) runs as shown.

The convention (docs/development.md states it for whoever writes a page):

- A ```console block is a session: each line ``$ COMMAND`` is followed by exactly
  what the command prints, its standard output then its standard error, without
  colour. A line holding only ``...`` stands for any number of lines (timings,
  versions). The sandbox's absolute path is shown as ``/repo``.
- A ```sh block (or ```bash, ```shell) holds commands only, one a line (a line
  ending in ``\\`` goes on). Each must exit 0, or 1 (feedlint's "problems found",
  which the examples over broken articles give); anything else fails the example.
- Each block runs in its own sandbox: a scratch folder holding copies of the
  repository's ``examples/`` and ``seeds/``, and ``articles/`` and ``archive/``
  (two more copies of ``examples/``, the names the pages use for "your articles").
  Commands run from the sandbox's top, or from the folder a comment
  ``<!-- run in: examples -->`` right above the block names.
- A comment ``<!-- not run: REASON -->`` right above a block skips it (installs,
  the network, a long benchmark, CI files); the reason is required.
- ``feedlint`` is this checkout's, run by the interpreter running the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: The fenced blocks that are shell examples, by what they hold.
SESSION = {"console"}
COMMANDS = {"sh", "bash", "shell"}
#: What a sandbox holds: its name there, and the repository folder it copies.
SANDBOX = {"examples": "examples", "seeds": "seeds", "articles": "examples",
           "archive": "examples"}
#: How the sandbox's absolute path is shown in an expected output.
SHOWN_ROOT = "/repo"
#: Exit codes a command of a ```sh block may end with: 1 is "problems found".
ACCEPTED_EXIT = {0, 1}

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.M | re.S)
_MARK = re.compile(r"<!--\s*(?P<key>not run|run in)\s*:\s*(?P<value>.*?)\s*-->")


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    language: str
    body: str
    run_in: str
    not_run: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def examples(path: Path) -> list[Example]:
    return examples_in(path.read_text("utf-8"), str(path.relative_to(ROOT)))


def examples_in(text: str, page: str) -> list[Example]:
    found = []
    for match in _FENCE.finditer(text):
        language = match["lang"]
        if language not in SESSION | COMMANDS:
            continue
        before = text[: match.start()].rstrip().splitlines()
        marks: dict[str, str] = {}
        # The comments right above the fence.
        while before and (mark := _MARK.fullmatch(before[-1].strip())):
            before.pop()
            marks[mark["key"]] = mark["value"]
        found.append(Example(
            page=page,
            line=text.count("\n", 0, match.start()) + 1,
            language=language,
            body=textwrap.dedent(match["body"]),
            run_in=marks.get("run in", "."),
            not_run=marks.get("not run"),
        ))
    return found


ALL = [example for page in pages() for example in examples(page)]


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    root = tmp_path / "sandbox"
    root.mkdir()
    for name, source in SANDBOX.items():
        shutil.copytree(ROOT / source, root / name)
    return root


def _environment(tmp_path: Path) -> dict[str, str]:
    """No colour, no CI, no FEEDLINT_* settings; `feedlint` is this checkout's."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "feedlint"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m feedlint "$@"\n', "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FEEDLINT_", "GITHUB_", "GITLAB_")) and k not in ("CI", "NO_COLOR")}
    env.update(NO_COLOR="1", PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), COLUMNS="100")
    return env


def _run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)


def _commands(body: str) -> list[str]:
    joined = re.sub(r"\\\n", " ", body)
    return [line.strip() for line in joined.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def _session(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"a console block must start with a `$ ` line, not {line!r}"
            steps[-1][1].append(line)
    return steps


def _matches(expected: list[str], actual: list[str]) -> bool:
    """``...`` in ``expected`` matches any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


def test_the_pages_hold_shell_examples() -> None:
    assert len(ALL) >= 20
    assert all(e.not_run != "" for e in ALL), "a `not run` comment needs its reason"


@pytest.mark.parametrize("example", ALL, ids=[e.id for e in ALL])
def test_the_example_runs_as_shown(example: Example, sandbox: Path, tmp_path: Path) -> None:
    if example.not_run is not None:
        pytest.skip(f"not run: {example.not_run}")
    cwd = sandbox / example.run_in
    assert cwd.is_dir(), f"{example.id}: `run in: {example.run_in}` is not a sandbox folder"
    env = _environment(tmp_path)
    if example.language in COMMANDS:
        commands = _commands(example.body)
        assert commands, f"{example.id}: an empty block"
        for command in commands:
            run = _run(command, cwd, env)
            assert run.returncode in ACCEPTED_EXIT, (
                f"{example.id}: `{command}` exited {run.returncode}\n{run.stdout}{run.stderr}")
        return
    steps = _session(example.body)
    assert steps, f"{example.id}: a console block without a `$ ` line"
    for command, expected in steps:
        run = _run(command, cwd, env)
        shown = (run.stdout + run.stderr).replace(str(sandbox), SHOWN_ROOT)
        actual = shown.splitlines()
        while expected and expected[-1] == "":
            expected = expected[:-1]
        assert _matches(expected, actual), (
            f"{example.id}: `{command}` printed (exit {run.returncode}):\n{shown}")


def test_a_broken_unmarked_block_fails(tmp_path: Path) -> None:
    """The convention catches a new example that does not work."""
    text = ("Text.\n\n```sh\nfeedlint check --no-such-flag examples/\n```\n\n"
            "<!-- not run: needs the network -->\n```sh\ncurl https://example.com\n```\n\n"
            "<!-- run in: examples -->\n```console\n$ feedlint check typo-key.md\n"
            "typo-key.md: nothing\n```\n")
    found = examples_in(text, "page.md")
    assert [(e.not_run, e.run_in) for e in found] == [
        (None, "."), ("needs the network", "."), (None, "examples")]
    sandbox = tmp_path / "sandbox"
    for name, source in SANDBOX.items():
        shutil.copytree(ROOT / source, sandbox / name)
    env = _environment(tmp_path)
    run = _run(_commands(found[0].body)[0], sandbox, env)
    assert run.returncode not in ACCEPTED_EXIT
    ((command, expected),) = _session(found[2].body)
    run = _run(command, sandbox / "examples", env)
    assert run.returncode == 1
    assert not _matches(expected, (run.stdout + run.stderr).splitlines())
