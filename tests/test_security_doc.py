"""SECURITY.md names the tests behind each promise: each named test must exist.

A reference is ``tests/<file>.py::<test function>`` in backticks. A named file
that is not in this checkout is reported as a skip naming it (the network and
``--fix`` sections refer to the prober's and the fixer's tests); a named test
missing from a file that is here fails.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict

import pytest

from tests.conftest import ROOT

SECURITY = ROOT / "SECURITY.md"
_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def references() -> dict[str, set[str]]:
    named: dict[str, set[str]] = defaultdict(set)
    for path, test in _REFERENCE.findall(SECURITY.read_text("utf-8")):
        named[path].add(test)
    return named


def test_security_doc_names_tests_and_is_linked_from_the_readme() -> None:
    named = references()
    assert sum(len(tests) for tests in named.values()) >= 60
    assert "[SECURITY.md](SECURITY.md)" in (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize("path", sorted(references()))
def test_every_named_test_exists(path: str) -> None:
    source = ROOT / path
    if not source.exists():
        pytest.skip(f"{path} is not in this checkout (SECURITY.md names its tests)")
    tree = ast.parse(source.read_text("utf-8"))
    defined = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    missing = sorted(references()[path] - defined)
    assert not missing, f"SECURITY.md names tests that {path} does not define: {missing}"
