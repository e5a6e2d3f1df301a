"""Style and types are checked where the tests are: ruff and mypy (strict) must pass."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _tool(module: str) -> None:
    if shutil.which(module) is None:
        pytest.skip(f"{module} is not installed (it comes with the test extras)")


def test_ruff() -> None:
    _tool("ruff")
    folders = [f for f in ("feedlint", "tests", "benchmarks", "docs") if (ROOT / f).is_dir()]
    proc = subprocess.run(["ruff", "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    _tool("mypy")
    # docs/generate.py writes pages from the code: typed as strictly as the code.
    proc = subprocess.run([sys.executable, "-m", "mypy", "feedlint", "docs/generate.py"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_public_api_is_complete() -> None:
    import feedlint

    assert feedlint.__all__ == sorted(feedlint.__all__)
    for name in feedlint.__all__:
        assert hasattr(feedlint, name), name
