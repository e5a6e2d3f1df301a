"""A user's schema read as check-jsonschema reads it: formats, ECMA-262 patterns,
references resolved (or refused) before any file is linted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedlint.cli import main
from feedlint.schema import ArticleSchema
from tests.conftest import run_feedlint


def _schema(tmp_path: Path, schema: object, name: str = "schema.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(schema))
    return path


def _article(tmp_path: Path, front: str) -> Path:
    path = tmp_path / "article.md"
    path.write_text(f"---\n{front}\n---\nBody.\n")
    return path


def test_formats_are_asserted_with_their_own_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = _schema(tmp_path, {"properties": {"publishedDateTime": {"format": "date"}}})
    article = _article(tmp_path, 'publishedDateTime: "2020-01-32"')
    assert main(["check", "--no-cache", "--schema", str(schema), str(article)]) == 1
    out = capsys.readouterr().out
    assert "article.md:2:" in out
    assert "publishedDateTime is not a date: there is no 32nd of January" in out
    for off in ("date", "*"):
        assert main(["check", "--no-cache", "--select", "FL1", "--disable-formats", off,
                     "--schema", str(schema), str(article)]) == 0


@pytest.mark.parametrize(("fmt", "value", "words"), [
    ("date-time", "2020-02-30T10:00:00Z", "is not a date and time: there is no 30th of February"),
    ("time", "25:00:00Z", "is not a time: there is no hour 25"),
    ("email", "nobody", "is not an email address"),
    ("uri", "example.com/x", "is not a URI: it has no scheme"),
    ("ipv4", "300.1.1.1", "is not an IPv4 address"),
    ("ipv6", "1::2::3", "is not an IPv6 address"),
    ("hostname", "-bad-.example", "is not a host name"),
    ("uuid", "1234", "is not a UUID"),
    ("regex", "(", "is not a regular expression: it does not compile"),
    ("json-pointer", "a/b", "is not a JSON pointer"),
])
def test_each_format_has_its_wording(fmt: str, value: str, words: str) -> None:
    schema = ArticleSchema.user({"properties": {"f": {"format": fmt}}}, "s.json", "x")
    schema.ensure_usable()
    messages = [f.message for f in schema.check({"f": value})]
    assert messages and messages[0].startswith(f"f {words}"), messages
    assert schema.fast is not None and schema.fast({"f": value}) is False


def test_patterns_are_ecma_262_unless_python_is_asked_for() -> None:
    digits = {"properties": {"n": {"pattern": "^\\d+$"}}}
    ecma = ArticleSchema.user(digits, "s.json", "x")
    assert [f.code for f in ecma.check({"n": "৪২"})] == ["FL106"]
    python = ArticleSchema.user(digits, "s.json", "x", regex_variant="python")
    assert python.check({"n": "৪২"}) == []
    letters = ArticleSchema.user(
        {"properties": {"l": {"pattern": "^\\p{Letter}+$"}}}, "s", "x"
    )
    letters.ensure_usable()
    assert letters.check({"l": "héllo"}) == []


def test_a_relative_file_reference_is_read(tmp_path: Path) -> None:
    _schema(tmp_path, {"$defs": {"url": {"type": "string", "format": "uri"}}}, "common.json")
    schema = _schema(tmp_path, {"properties": {"u": {"$ref": "common.json#/$defs/url"}}})
    loaded = ArticleSchema.load(schema)
    loaded.ensure_usable()
    assert [f.code for f in loaded.check({"u": "no scheme"})] == ["FL106"]
    assert loaded.check({"u": "https://example.com/"}) == []


@pytest.mark.parametrize(
    "ref", ["missing.json", "#/$defs/nothing", "http://example.invalid/x.json"]
)
def test_an_unresolvable_reference_is_one_line_before_any_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    schema = _schema(tmp_path, {"properties": {"u": {"$ref": ref}}})
    article = _article(tmp_path, "u: x")
    assert main(["check", "--no-cache", "--schema", str(schema), str(article)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ref.split("#")[0] in err[0], err


def test_a_configuration_schema_cannot_reference_a_file_outside_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text('{"type": "string"}')
    tree = tmp_path / "tree"
    tree.mkdir()
    _schema(tree, {"properties": {"u": {"$ref": outside.as_uri()}}})
    (tree / "feedlint.toml").write_text('schema = "schema.json"\n')
    article = _article(tree, "u: x")
    assert main(["check", "--no-cache", "--config", str(tree / "feedlint.toml"),
                 str(article)]) == 2
    assert "outside the configuration file's folder" in capsys.readouterr().err


def test_a_schema_url_on_loopback_is_refused_by_the_guard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _article(tmp_path, "u: x")
    assert main(["check", "--no-cache", "--schema", "http://127.0.0.1:9/s.json",
                 str(article)]) == 2
    err = capsys.readouterr().err
    assert "loopback" in err and "--schema-allow-private" in err


def test_every_draft_is_read_by_its_own_rules() -> None:
    # draft 4: exclusiveMaximum is a boolean; draft 2020-12: a number.
    four = ArticleSchema.user({"$schema": "http://json-schema.org/draft-04/schema#",
                               "properties": {"n": {"maximum": 3, "exclusiveMaximum": True}}},
                              "s", "x")
    four.ensure_usable()
    assert [f.code for f in four.check({"n": 3})] == ["FL105"]
    for dialect in ("http://json-schema.org/draft-06/schema#",
                    "http://json-schema.org/draft-07/schema#",
                    "https://json-schema.org/draft/2019-09/schema"):
        other = ArticleSchema.user({"$schema": dialect, "properties": {"n": {"const": 1}}},
                                   "s", "x")
        other.ensure_usable()
        assert other.check({"n": 1}) == [] and other.check({"n": 2})


def test_a_cached_schema_another_user_wrote_is_not_believed(tmp_path: Path) -> None:
    from feedlint.probe import SchemaFetcher

    folder = tmp_path / "schemas"
    fetcher = SchemaFetcher(cache_folder=str(folder))
    fetcher._store("https://example.com/s.json", b'{"type": "string"}')
    entry = next(folder.iterdir())
    data = json.loads(entry.read_text())
    data["body"] = '{"type": "integer"}'
    entry.write_text(json.dumps(data))
    again = SchemaFetcher(cache_folder=str(folder))
    assert again._cached("https://example.com/s.json") is None
    assert again.notes and "did not write it" in again.notes[0]


def test_without_a_user_schema_nothing_heavy_is_imported() -> None:
    import subprocess
    import sys

    code = ("import sys; from feedlint.schema import ArticleSchema; "
            "s = ArticleSchema.builtin(); s.fast({}); "
            "print([m for m in ('regress', 'rfc3339_validator', 'httpx', 'jsonschema') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ({"type": "string", "maxLength": 3}, '"A long headline"',
         'title must be a string of at most 3 characters, got "A long headline"'),
        ({"type": "string", "minLength": 20}, '"Short"',
         'title must be a string of at least 20 characters, got "Short"'),
        ({"type": "array", "items": {"type": "string"}, "maxItems": 1}, "[a, b]",
         "title must be a list of strings of at most 1 item"),
        ({"type": "integer", "multipleOf": 5}, "7", "title must be a multiple of 5, got 7"),
    ],
)
def test_length_bounds_and_multiples_are_named(
    tmp_path: Path, rule: dict[str, object], value: str, expected: str
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"title": rule}}))
    (tmp_path / "a.md").write_text(f"---\ntitle: {value}\n---\n")
    run = run_feedlint(["check", "--no-cache", "--schema", str(schema), "--format", "json",
                        "a.md"], cwd=tmp_path)
    messages = [d["message"] for d in run.json()["diagnostics"]]
    assert any(m.startswith(expected) for m in messages), messages
