"""The compiled fast path and jsonschema must agree on what is valid.

The fast path decides alone for the articles it accepts, so a disagreement in
that direction would hide a problem. Compared here on every fixture, every seed,
the benchmark corpus, and thousands of mutations of valid articles (every field
removed, retyped, emptied, put out of range, duplicated into an unknown key).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from feedlint.discovery import is_bare
from feedlint.fastschema import ASSERTING_KEYWORDS, Unsupported, compile_schema, equal
from feedlint.parsing import parse
from feedlint.schema import ArticleSchema, builtin_schema_text
from tests.conftest import FIXTURES, ROOT, SEEDS
from tests.helpers import load_corpus_module

SCHEMA = json.loads(builtin_schema_text())
JSONSCHEMA = Draft202012Validator(SCHEMA)
FAST = compile_schema(SCHEMA)


def agree(data: Any, fast: Any = FAST, slow: Any = JSONSCHEMA) -> None:
    expected = not any(True for _ in slow.iter_errors(data))
    assert fast(data) == expected, json.dumps(data, default=str)[:500]


def parsed_data(path: Path) -> Any:
    result = parse(path.name, path.read_bytes(), bare=is_bare(path.name))
    return None if result.article is None else result.article.data


def article_files() -> list[Path]:
    """Every fixture and seed that parses to front matter (the others never reach
    the schema)."""
    files = [p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".expect"]
    return [p for p in sorted(files) + sorted(SEEDS.iterdir()) if parsed_data(p) is not None]


def test_the_keyword_list_is_jsonschemas() -> None:
    assert set(Draft202012Validator.VALIDATORS) == ASSERTING_KEYWORDS


def test_the_builtin_schema_is_a_valid_schema() -> None:
    # ArticleSchema.ensure_usable() skips this check for the built-in schema.
    Draft202012Validator.check_schema(SCHEMA)
    assert ArticleSchema.builtin().fast is not None


def test_the_shipped_and_the_repository_schema_are_the_same() -> None:
    assert (ROOT / "schemas" / "article.schema.json").read_text("utf-8") == builtin_schema_text()


@pytest.mark.parametrize("path", article_files(), ids=lambda p: p.name)
def test_agree_on_every_fixture_and_seed(path: Path) -> None:
    agree(parsed_data(path))


def test_valid_seeds_take_the_fast_path() -> None:
    for path in sorted(SEEDS.iterdir()):
        assert FAST(parsed_data(path)), path.name


def _replacements(value: Any) -> Iterator[Any]:
    yield from (None, True, False, 0, -1, 1, 0.5, 800.0, 10**20, float("nan"), "", " ", "x",
                "800", [], [value], {}, {"x": value})
    if isinstance(value, str):
        yield value + "\n"
        yield value.upper()
        yield "https://" + value
        yield value.replace("https://", "http://")
        yield value[: len(value) // 2]
    if isinstance(value, int) and not isinstance(value, bool):
        yield value + 1
        yield -value
        yield float(value)
        yield 101


def _mutations(data: Any) -> Iterator[Any]:
    """Every single-place change to ``data``: each value replaced, each key removed,
    an unknown key added to each mapping."""
    def walk(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        yield path, node
        if isinstance(node, dict):
            for key, child in node.items():
                yield from walk(child, (*path, key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from walk(child, (*path, index))

    def at(root: Any, path: tuple[Any, ...]) -> Any:
        for step in path:
            root = root[step]
        return root

    for path, node in list(walk(data, ())):
        if path:
            for replacement in _replacements(node):
                changed = copy.deepcopy(data)
                at(changed, path[:-1])[path[-1]] = replacement
                yield changed
            changed = copy.deepcopy(data)
            parent = at(changed, path[:-1])
            if isinstance(parent, dict):
                del parent[path[-1]]
                yield changed
        if isinstance(node, dict):
            changed = copy.deepcopy(data)
            at(changed, path)["unknownField"] = 1
            yield changed


@pytest.mark.parametrize("path", sorted(SEEDS.iterdir()), ids=lambda p: p.name)
def test_agree_on_every_mutation_of_the_seeds(path: Path) -> None:
    count = 0
    for mutated in _mutations(parsed_data(path)):
        agree(mutated)
        count += 1
    assert count > 300


def test_agree_on_the_benchmark_corpus(tmp_path: Path) -> None:
    corpus = load_corpus_module()
    for file in corpus.generate(str(tmp_path), 150):
        data = parsed_data(Path(file))
        assert FAST(data), file
        agree(data)


@pytest.mark.parametrize(
    "schema, instances",
    [
        ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
        ({"type": "number", "multipleOf": 0.5}, [1, 1.5, 1.2, True, 10**30]),
        ({"type": "integer", "multipleOf": 3}, [9, 10, 9.0]),
        ({"enum": [1, "a", None, [1, True]]}, [1, True, 1.0, "a", None, [1, True], [1, 1]]),
        ({"const": False}, [False, 0, None, []]),
        ({"type": ["string", "null"], "maxLength": 2}, ["ab", "abc", None, 1]),
        ({"anyOf": [{"type": "string"}, {"minimum": 3}]}, ["x", 2, 4, None]),
        ({"oneOf": [{"type": "integer"}, {"minimum": 3}]}, [1, 4, 2.5, 5.5]),
        ({"not": {"type": "string"}}, ["x", 1]),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"minimum": 0}},
         ["a", "ab", -1, 1]),
        ({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
         [["a", 1], [1], ["a", "b"], []]),
        ({"contains": {"type": "string"}, "minContains": 2, "maxContains": 3},
         [["a"], ["a", "b"], ["a", "b", "c", "d"], []]),
        ({"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": False},
         [{"x-a": 1}, {"x-a": "1"}, {"y": 1}, {}]),
        ({"propertyNames": {"maxLength": 2}, "minProperties": 1}, [{"ab": 1}, {"abc": 1}, {}]),
        ({"dependentSchemas": {"a": {"required": ["b"]}}}, [{"a": 1}, {"a": 1, "b": 2}, {}]),
        ({"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}},
          "$ref": "#/$defs/n"}, [[], [[]], [[1]], 1]),
        ({"exclusiveMinimum": 0, "exclusiveMaximum": 1}, [0, 0.5, 1, float("nan")]),
        ({"allOf": [{"minItems": 1}, {"maxItems": 2}]}, [[], [1], [1, 2, 3]]),
    ],
)
def test_agree_on_other_keywords(schema: dict[str, Any], instances: list[Any]) -> None:
    fast = compile_schema(schema)
    slow = Draft202012Validator(schema)
    for instance in instances:
        agree(instance, fast, slow)


@pytest.mark.parametrize(
    "schema",
    [
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
        {"uniqueItems": True},
        {"unevaluatedProperties": False},
        {"$ref": "https://example.com/other.json"},
        {"$dynamicRef": "#meta"},
        {"items": [{"type": "string"}]},
        {"properties": {"a": {"$id": "https://example.com/a", "type": "string"}}},
    ],
)
def test_unsupported_schemas_fall_back_to_jsonschema(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_schema(schema)


def test_a_user_schema_the_fast_path_cannot_compile_still_works(tmp_path: Path) -> None:
    custom = dict(SCHEMA, properties=dict(SCHEMA["properties"]))
    custom["properties"]["topics"] = {"type": "array", "uniqueItems": True}
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(custom), encoding="utf-8")
    schema = ArticleSchema.load(path)
    assert schema.fast is None
    data = parsed_data(SEEDS / "000_3548fed546ecb794.txt")
    assert schema.check(data) == []
    data["topics"] = ["AI", "AI"]
    assert [f.code for f in schema.check(data)] == ["FL100"]


def test_equal_tells_booleans_from_numbers() -> None:
    assert equal(1, 1.0) and equal([1, {"a": "b"}], [1, {"a": "b"}])
    assert not equal(1, True) and not equal(0, False) and not equal([1], [True])
    assert not equal({"a": 1}, {"a": 1, "b": 2}) and not equal("1", 1)


def test_the_hostname_pattern_means_letters_digits_and_idn_characters() -> None:
    import random
    import re

    label = r"[A-Za-z0-9\u00a1-\uffff]"
    inner = r"[A-Za-z0-9\u00a1-\uffff-]"
    plain = (rf"^(?=.{{1,253}}$)({label}({inner}{{0,61}}{label})?\.)*"
             rf"{label}({inner}{{0,61}}{label})?$")
    written = re.compile(SCHEMA["$defs"]["hostname"]["pattern"])
    rng = random.Random(7)
    alphabet = list("az09AZ-._/:@[`{~ \t") + ["\u00a0", "\u00a1", "é", "ü", "\uffff", "\u2028"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert bool(written.search(text)) == bool(re.search(plain, text)), repr(text)
    for host in ("example.com", "news.example-press.co.uk", "bücher.ch", "xn--bcher-kva.ch"):
        assert written.search(host)
    for host in ("-a.com", "a-.com", "a..com", "a_b.com", "a b.com", ".com", "a" * 64 + ".com"):
        assert not written.search(host)
