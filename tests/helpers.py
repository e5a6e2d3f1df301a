"""Helpers shared by the tests of the performance features."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import ROOT


def load_corpus_module() -> ModuleType:
    """``benchmarks/corpus.py``, the benchmark's corpus generator (not a package)."""
    name = "feedlint_benchmark_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
