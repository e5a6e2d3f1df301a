"""Shared test helpers: run feedlint as a user does, lint fixture files."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from feedlint.engine import Linter
from feedlint.settings import Settings

# Every run of feedlint in the tests (in this process and in the ones it starts)
# keeps its per-user cache key (feedlint.secret) in a scratch folder, never in the
# home folder of whoever runs the tests.
_USER_CACHE = tempfile.mkdtemp(prefix="feedlint-tests-user-cache-")
atexit.register(shutil.rmtree, _USER_CACHE, ignore_errors=True)
os.environ["XDG_CACHE_HOME"] = _USER_CACHE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SAMPLE = SEEDS / "000_3548fed546ecb794.txt"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_feedlint(
    args: Sequence[str],
    *,
    cwd: Path | str | None = None,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Run:
    """Run ``python -m feedlint`` from this checkout, as a user would run it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDLINT_", "GITHUB_"))}
    full_env.pop("NO_COLOR", None)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "feedlint", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        env=full_env,
        timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


@pytest.fixture(scope="module")
def linter() -> Linter:
    """A linter with the default settings, built once per test module."""
    return Linter(Settings())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch folder shared by the tests of one module."""
    return tmp_path_factory.mktemp("work")


@pytest.fixture
def feedlint_cli():
    return run_feedlint


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text("utf-8")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of pre-commit's hook environments for the whole test session."""
    return tmp_path_factory.mktemp("pre-commit-home")
