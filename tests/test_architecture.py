"""The shape of the code, held by tests: imports point one way, no module reaches
into another's private names, and each code is raised from the module that
documents it (or through a constant imported from there).

The layers themselves are import-linter contracts in ``pyproject.toml``; this
runs them, so an import cycle or an upward import fails the suite.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from feedlint.rules import MODULES
from tests.conftest import ROOT

PACKAGE = ROOT / "feedlint"
SOURCES = sorted(PACKAGE.rglob("*.py"))
_CODE = re.compile(r"FL\d{3}\Z")


def _lint_imports() -> Path:
    found = Path(sys.executable).with_name("lint-imports")
    if not found.exists():
        pytest.skip("import-linter is not installed (pip install '.[test]')")
    return found


def test_the_import_contracts_hold() -> None:
    run = subprocess.run(
        [str(_lint_imports()), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout
    assert run.stdout.count(" KEPT") >= 3


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module: str) -> str:
    return module.rsplit(".", 1)[0]


def test_no_module_imports_another_modules_private_name() -> None:
    """``from feedlint.x import _name`` ties two modules by what one keeps to itself
    (a package may use its own private modules, as ``feedlint.probe._run`` does)."""
    found = []
    for path in SOURCES:
        module = _module_name(path)
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "feedlint"
            ):
                continue
            target = node.module or ""
            private_module = any(
                part.startswith("_") and not part.startswith("__") for part in target.split(".")
            )
            if private_module and not (
                target.startswith(_package_of(module) + ".") or target == "feedlint._hashing"
            ):
                found.append(f"{module} imports the private module {target}")
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{module} imports {target}.{alias.name}")
    assert not found, found


#: Where a code may appear as a literal outside the module that documents it:
#: settings.py shows examples of configuration values.
_EXAMPLES = {"feedlint.settings"}


def test_each_code_is_raised_where_it_is_documented() -> None:
    documented = {rule.code: f"feedlint.rules.{_short(module.name)}" for module in MODULES
                  for rule in module.rules}
    misplaced = []
    for path in SOURCES:
        module = _module_name(path)
        if module in _EXAMPLES:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                code = node.value
                if _CODE.match(code) and documented.get(code, module) != module:
                    misplaced.append(f"{module}:{node.lineno} writes {code} (documented in "
                                     f"{documented[code]})")
    assert not misplaced, misplaced


def _short(name: str) -> str:
    """A rule module's file, from the name it registers under."""
    return {"file": "file_syntax", "schema": "schema_shape"}.get(name, name)


def test_each_documented_code_has_its_constant() -> None:
    import importlib

    for module in MODULES:
        source = importlib.import_module(f"feedlint.rules.{_short(module.name)}")
        for rule in module.rules:
            assert getattr(source, rule.code) == rule.code, (module.name, rule.code)
