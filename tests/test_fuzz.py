"""A fuzzing run of fixed budget: the properties of tests/test_properties.py with many
more examples. Marked slow; ``.ci/run`` runs it (pytest runs every test unless told
``-m "not slow"``). The budget keeps this file near a minute on 2 cores.

Hypothesis is the fuzzer (atheris needs a clang-built CPython extension, which
this project does not assume); its coverage-free generation is steered by the
mutation strategy, which starts from the real sample and breaks it the ways
files really break, and by the generated valid articles, mutated in turn.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedlint.engine import Linter
from tests.conftest import SAMPLE
from tests.contracts import lint_api, lint_cli
from tests.strategies import article_files, mutations

pytestmark = pytest.mark.slow

SUFFIXES = ("a.md", "a.yaml", "a.json")
_SAMPLE = SAMPLE.read_bytes()


def budget(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,  # a fixed budget of fresh examples every run
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@budget(4000)
@given(raw=st.binary(max_size=4000), name=st.sampled_from(SUFFIXES))
def test_fuzz_arbitrary_bytes(linter: Linter, raw: bytes, name: str) -> None:
    lint_api(linter, name, raw)


@budget(3000)
@given(
    raw=st.binary(max_size=600).map(lambda b: b"---\n" + b + b"\n---\n"),
    name=st.sampled_from(SUFFIXES),
)
def test_fuzz_bytes_between_fences(linter: Linter, raw: bytes, name: str) -> None:
    lint_api(linter, name, raw)


@budget(3000)
@given(raw=mutations(_SAMPLE), name=st.sampled_from(SUFFIXES))
def test_fuzz_mutations_of_the_sample(linter: Linter, raw: bytes, name: str) -> None:
    lint_api(linter, name, raw)


@budget(400)
@given(article=article_files(), data=st.data())
def test_fuzz_mutations_of_valid_articles(
    linter: Linter, article: tuple[str, bytes], data: st.DataObject
) -> None:
    name, raw = article
    lint_api(linter, name, data.draw(mutations(raw)))


@budget(300)
@given(article=article_files())
def test_fuzz_valid_articles_lint_clean(linter: Linter, article: tuple[str, bytes]) -> None:
    name, raw = article
    result = linter.lint_bytes(name, raw, bare=not name.endswith(".md"))
    assert result.diagnostics == [], [(d.code, d.line, d.message) for d in result.diagnostics]


@budget(300)
@given(raw=mutations(_SAMPLE) | st.binary(max_size=2000), name=st.sampled_from(SUFFIXES))
def test_fuzz_through_the_command_line(workdir: Path, raw: bytes, name: str) -> None:
    lint_cli(workdir, name, raw)
