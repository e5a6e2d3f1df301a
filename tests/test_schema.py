"""The article schema: what it accepts and rejects, and how its errors read."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from feedlint.parsing import parse
from feedlint.schema import ArticleSchema, builtin_schema_text, describe
from tests.conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def schema() -> ArticleSchema:
    return ArticleSchema.builtin()


@pytest.fixture
def sample() -> dict[str, Any]:
    article = parse("s", SAMPLE.read_bytes()).article
    assert article is not None
    return copy.deepcopy(article.data)


def messages(schema: ArticleSchema, data: Any) -> list[tuple[str, str, str]]:
    return [(f.code, f.pointer, f.message) for f in schema.check(data)]


def test_the_shipped_schema_is_the_repository_schema() -> None:
    assert builtin_schema_text() == (ROOT / "schemas/article.schema.json").read_text("utf-8")


def test_schema_is_documented() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(builtin_schema_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] and schema["title"] and schema["description"]

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("title") and prop.get("description"), f"{where}/{name}"
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(schema, "")


def test_accepts_the_sample(schema: ArticleSchema, sample: dict[str, Any]) -> None:
    assert schema.check(sample) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("webUrl"),
         ("FL101", "", 'the article is missing the required field "webUrl"')),
        (lambda d: d["related"][1]["provider"].pop("domain"),
         ("FL101", "/related/1/provider",
          'related[1].provider is missing the required field "domain"')),
        (lambda d: d.__setitem__("quality", "34"),
         ("FL102", "/quality", 'quality must be an integer from 0 to 100, got "34"')),
        (lambda d: d.__setitem__("published", "yes"),
         ("FL102", "/published", 'published must be true or false, got "yes"')),
        (lambda d: d.__setitem__("topics", "AI"),
         ("FL102", "/topics", 'topics must be a list of non-empty strings, got "AI"')),
        (lambda d: d["related"][0]["images"][0].__setitem__("width", "1200"),
         ("FL102", "/related/0/images/0/width",
          'related[0].images[0].width must be a positive integer, got "1200"')),
        (lambda d: d.__setitem__("pubishedDateTime", "2023-08-07T08:11:00Z"),
         ("FL103", "/pubishedDateTime",
          'unknown field "pubishedDateTime": did you mean "publishedDateTime"?')),
        (lambda d: d["images"][0].__setitem__("alt", "x"),
         ("FL103", "/images/0/alt",
          'unknown field "alt" in images[0]; allowed fields are height, isCached, url, width')),
        (lambda d: d.__setitem__("title", ""), ("FL104", "/title", "title must not be empty")),
        (lambda d: d.__setitem__("quality", 101),
         ("FL105", "/quality", "quality must be an integer from 0 to 100, got 101")),
        (lambda d: d["images"][0].__setitem__("height", 0),
         ("FL105", "/images/0/height", "images[0].height must be a positive integer, got 0")),
        (lambda d: d.__setitem__("webUrl", "techstory.in/x"),
         ("FL106", "/webUrl", 'webUrl must be an absolute http(s) URL, got "techstory.in/x"')),
        (lambda d: d.__setitem__("publishedDateTime", "August 7"),
         ("FL106", "/publishedDateTime",
          'publishedDateTime must be an RFC 3339 date and time such as 2023-08-07T08:11:00Z, '
          'got "August 7"')),
    ],
)
def test_rejects_with_one_readable_message(
    schema: ArticleSchema, sample: dict[str, Any], change: Any, expected: tuple[str, str, str]
) -> None:
    change(sample)
    assert messages(schema, sample) == [expected]


def test_no_cascade_for_a_wrong_container(schema: ArticleSchema, sample: dict[str, Any]) -> None:
    sample["related"] = "none"
    sample["provider"] = ["tech"]
    assert [c for c, _, _ in messages(schema, sample)] == ["FL102", "FL102"]


def test_float_sizes_that_are_integers_are_accepted(
    schema: ArticleSchema, sample: dict[str, Any]
) -> None:
    sample["images"][0]["width"] = 800.0
    assert schema.check(sample) == []


@pytest.mark.parametrize(
    ("subschema", "words"),
    [
        ({"type": "integer", "minimum": 1}, "a positive integer"),
        ({"type": "integer", "exclusiveMinimum": 0}, "a positive integer"),
        ({"type": "integer", "minimum": 0, "maximum": 100}, "an integer from 0 to 100"),
        ({"type": "number", "maximum": 1}, "a number of at most 1"),
        ({"type": ["string", "null"]}, "a string or null"),
        ({"type": "array", "items": {"type": "boolean"}}, "a list"),
        ({"type": "array", "items": {"type": "string"}}, "a list of strings"),
    ],
)
def test_describe(subschema: dict[str, Any], words: str) -> None:
    assert describe(subschema) == words
