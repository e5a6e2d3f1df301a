"""Property-based tests over the parser and the whole pipeline.

For arbitrary bytes, arbitrary mutations of the sample article and arbitrary
valid articles (tests/strategies.py):

- no exception escapes, and nothing is FL9xx (feedlint's own failure);
- the exit code is 0 or 1;
- every diagnostic lies inside its file (tests/contracts.py: check_positions);
- the JSON output matches its contract exactly (check_json_report);
- a generated valid article lints clean, however it is written (front matter over
  a body, bare YAML, JSON; LF or CRLF; a BOM or not).

The pipeline runs in-process (``feedlint.cli.main``) so that hundreds of
examples take seconds; the command line in a child process is covered by the
other tests. tests/test_fuzz.py runs the same properties with a larger budget.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedlint.engine import Linter
from feedlint.parsing import parse
from feedlint.schema import ArticleSchema
from tests.conftest import SAMPLE
from tests.contracts import lint_api, lint_cli
from tests.strategies import article_files, mutations

SUFFIXES = ("a.md", "a.yaml", "a.json")


_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- arbitrary bytes ------------------------------------------------------------------


@_SETTINGS
@given(raw=st.binary(max_size=2000), name=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(linter: Linter, raw: bytes, name: str) -> None:
    lint_api(linter, name, raw)


@_SETTINGS
@given(
    raw=st.binary(max_size=300).map(lambda b: b"---\n" + b + b"\n---\n"),
    name=st.sampled_from(SUFFIXES),
)
def test_arbitrary_bytes_between_fences(linter: Linter, raw: bytes, name: str) -> None:
    lint_api(linter, name, raw)


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=1000), name=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_through_the_command_line(
    workdir: Path, raw: bytes, name: str
) -> None:
    lint_cli(workdir, name, raw)


# -- mutations of the sample ---------------------------------------------------------------

_SAMPLE = SAMPLE.read_bytes()


@_SETTINGS
@given(raw=mutations(_SAMPLE), name=st.sampled_from(SUFFIXES))
def test_mutations_of_the_sample(linter: Linter, raw: bytes, name: str) -> None:
    lint_api(linter, name, raw)


@settings(max_examples=60, deadline=None)
@given(raw=mutations(_SAMPLE))
def test_mutations_of_the_sample_through_the_command_line(workdir: Path, raw: bytes) -> None:
    lint_cli(workdir, "a.md", raw)


# -- valid articles ---------------------------------------------------------------------------

_VALID = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_SCHEMA = ArticleSchema.builtin()


@_VALID
@given(article=article_files())
def test_valid_articles_lint_clean(linter: Linter, article: tuple[str, bytes]) -> None:
    """A generated article is valid, reads back as written, and lints clean."""
    name, raw = article
    parsed = parse(name, raw, bare=not name.endswith(".md"))
    assert parsed.article is not None, parsed.findings
    assert parsed.findings == []
    data = parsed.article.data
    # What the parser builds is the data that was written, whatever the escapes.
    assert _normal(data) == _normal(_written(name, raw))
    # The strategy's data is valid under the schema (checked without the engine)...
    assert _SCHEMA.check(data) == []
    # ...and the whole pipeline, every rule included, finds nothing to say.
    result = linter.lint_bytes(name, raw, bare=not name.endswith(".md"))
    assert result.diagnostics == [], [(d.code, d.line, d.message) for d in result.diagnostics]


def _written(name: str, raw: bytes) -> object:
    """The data as another reader takes it: json for JSON; PyYAML for YAML, with
    timestamps kept as text, as feedlint keeps them."""
    if name.endswith(".json"):
        return json.loads(raw)
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    text = raw.decode("utf-8-sig")
    if name.endswith(".md"):
        # Between the fences (values hold no raw line break: they are escaped).
        match = re.match(r"---\r?\n(.*?)^---\r?$", text, re.DOTALL | re.MULTILINE)
        assert match is not None
        text = match.group(1)
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def _normal(value: object) -> object:
    return json.loads(json.dumps(value))


@settings(max_examples=20, deadline=None)
@given(article=article_files())
def test_valid_articles_through_the_command_line(
    workdir: Path, article: tuple[str, bytes]
) -> None:
    name, raw = article
    report = lint_cli(workdir, name, raw)
    assert report["diagnostics"] == []


@_VALID
@given(article=article_files(), data=st.data())
def test_mutated_valid_articles(
    linter: Linter, article: tuple[str, bytes], data: st.DataObject
) -> None:
    name, raw = article
    lint_api(linter, name, data.draw(mutations(raw)))
