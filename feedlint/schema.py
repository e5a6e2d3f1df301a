"""The article schema, its validator, and jsonschema's errors rewritten for people.

jsonschema says ``'800' is not of type 'integer'`` about ``deque(['images', 0,
'width'])``; feedlint says ``images[0].width must be a positive integer, got
"800"`` on the line of that value. One real problem gives one finding: the
errors are ranked and a pointer that already has a finding gets no second one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from feedlint.diagnostics import Finding
from feedlint.document import escape_pointer_token, human_path
from feedlint.rules.schema_shape import FL100, FL101, FL102, FL103, FL104, FL105, FL106

if TYPE_CHECKING:
    from pathlib import Path

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

#: jsonschema keyword -> feedlint code.
_CODE_BY_KEYWORD = {
    "required": FL101,
    "dependentRequired": FL101,
    "type": FL102,
    "additionalProperties": FL103,
    "unevaluatedProperties": FL103,
    "minLength": FL104,
    "minItems": FL104,
    "minProperties": FL104,
    "minimum": FL105,
    "maximum": FL105,
    "exclusiveMinimum": FL105,
    "exclusiveMaximum": FL105,
    "multipleOf": FL105,
    "maxLength": FL105,
    "maxItems": FL105,
    "pattern": FL106,
    "format": FL106,
    "enum": FL106,
    "const": FL106,
}
#: Which error about one value to keep when several fire: the earlier, the better.
_RANK = {"required": 0, "dependentRequired": 0, "type": 1, "additionalProperties": 2}

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "null",
}


BUILTIN_SOURCE = "built-in article schema"


class SchemaError(Exception):
    """The schema itself cannot be used (unreadable, not JSON, not a valid schema)."""


def builtin_schema_text() -> str:
    # A plain file read: importlib.resources (and pathlib) cost more to import than
    # the whole check of one article.
    try:
        with open(_BUILTIN_PATH, encoding="utf-8") as handle:
            return handle.read()
    except OSError:  # installed as a zip: let importlib find it
        from importlib import resources

        return resources.files("feedlint").joinpath("data/article.schema.json").read_text("utf-8")


_BUILTIN_PATH = os.path.join(os.path.dirname(__file__), "data", "article.schema.json")


@dataclass(frozen=True)
class ArticleSchema:
    """A JSON Schema and the validator built from it, once per run."""

    schema: dict[str, Any]
    source: str
    digest: str

    @classmethod
    def builtin(cls) -> ArticleSchema:
        return cls._from_text(builtin_schema_text(), BUILTIN_SOURCE)

    @classmethod
    def load(cls, path: str | Path | None) -> ArticleSchema:
        """The schema at ``path``, or the built-in one; raises :class:`SchemaError`."""
        if path is None:
            return cls.builtin()
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as err:
            raise SchemaError(f"cannot read the schema {path}: {err}") from err
        return cls._from_text(text, str(path))

    @classmethod
    def _from_text(cls, text: str, source: str) -> ArticleSchema:
        try:
            schema = json.loads(text)
        except json.JSONDecodeError as err:
            raise SchemaError(
                f"{source}:{err.lineno}:{err.colno}: the schema is not valid JSON: {err.msg}"
            ) from err
        if not isinstance(schema, dict):
            raise SchemaError(f"{source}: a JSON Schema must be a JSON object")
        from feedlint._hashing import blake2b

        digest = blake2b(text.encode("utf-8"), digest_size=32).hexdigest()
        return cls(schema, source, digest)

    @property
    def builtin_source(self) -> bool:
        return self.source == BUILTIN_SOURCE

    @cached_property
    def fast(self) -> Callable[[Any], bool] | None:
        """The compiled yes/no validator, or None when the schema needs jsonschema."""
        from feedlint.fastschema import Unsupported, compile_schema

        try:
            return compile_schema(self.schema)
        except (Unsupported, re.error, RecursionError):
            return None

    def ensure_usable(self) -> None:
        """Raise :class:`SchemaError` now for a schema that cannot be used.

        A user's schema is checked against its metaschema by jsonschema; the
        built-in one is known good (a test checks it), so a run that meets only
        valid articles never imports jsonschema.
        """
        if not self.builtin_source:
            self.validator  # noqa: B018

    @cached_property
    def validator(self) -> Validator:
        from jsonschema import exceptions, validators

        cls = validators.validator_for(self.schema, default=validators.Draft202012Validator)
        try:
            cls.check_schema(self.schema)
        except exceptions.SchemaError as err:
            path = "/".join(str(p) for p in err.absolute_path) or "(root)"
            raise SchemaError(
                f"{self.source}: not a valid JSON Schema at {path}: {err.message}"
            ) from err
        return cls(self.schema)

    def check(self, data: Any) -> list[Finding]:
        """One finding per problem the schema sees in ``data``.

        The compiled fast path answers for a valid article; jsonschema explains
        an invalid one (and answers alone for a schema the fast path cannot compile).
        """
        fast = self.fast
        if fast is not None and fast(data):
            return []
        return list(_findings(self.validator.iter_errors(data), self.schema))


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer_token(str(p))}" for p in path)


def _flatten(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace an anyOf/oneOf failure by the errors of its closest branch."""
    from jsonschema.exceptions import best_match

    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            best = best_match(error.context)
            if best is not None and best.validator not in ("anyOf", "oneOf"):
                yield best
                continue
        yield error


def _findings(errors: Iterable[ValidationError], root: dict[str, Any]) -> Iterator[Finding]:
    ordered = sorted(
        _flatten(errors),
        key=lambda e: (_pointer(e.absolute_path), _RANK.get(str(e.validator), 9)),
    )
    seen: set[str] = set()
    for error in ordered:
        for finding in _explain(error, root):
            key = finding.pointer + "\0" + finding.target
            if finding.code == FL101:
                key += finding.message
            if key in seen:
                continue
            seen.add(key)
            yield finding


def _explain(error: ValidationError, root: dict[str, Any]) -> Iterator[Finding]:
    keyword = str(error.validator)
    pointer = _pointer(error.absolute_path)
    path = human_path(pointer)
    code = _CODE_BY_KEYWORD.get(keyword, FL100)
    instance = error.instance
    value: Any = error.validator_value
    if keyword == "required":
        present = instance if isinstance(instance, dict) else {}
        for name in value:
            if name not in present:
                where = "the article" if not pointer else path
                yield Finding(code, f'{where} is missing the required field "{name}"', pointer)
        return
    if keyword == "dependentRequired":
        present = instance if isinstance(instance, dict) else {}
        for name, needed in value.items():
            if name in present:
                for other in needed:
                    if other not in present:
                        where = "" if not pointer else f" in {path}"
                        yield Finding(
                            code,
                            f'"{other}" is required{where} when "{name}" is present: '
                            "they come as a pair",
                            pointer,
                        )
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = set(schema.get("properties", {}))
        for extra in _extra_keys(error):
            child = f"{pointer}/{escape_pointer_token(extra)}"
            where = "" if not pointer else f" in {path}"
            message = f'unknown field "{extra}"{where}'
            import difflib

            close = difflib.get_close_matches(extra, sorted(allowed), n=1, cutoff=0.75)
            if close:
                message += f': did you mean "{close[0]}"?'
            elif allowed:
                message += f"; allowed fields are {', '.join(sorted(allowed))}"
            yield Finding(code, message, child, target="key")
        return
    if keyword in ("minLength", "minItems", "minProperties") or (
        keyword == "pattern" and value == "\\S"
    ):
        yield Finding(FL104, f"{path} must not be empty", pointer)
        return
    expected = describe(error.schema, root)
    if keyword == "enum":
        options = ", ".join(json.dumps(v) for v in value)
        expected = f"one of {options}"
    elif keyword == "const":
        expected = json.dumps(value)
    if expected:
        yield Finding(code, f"{path} must be {expected}, got {show_value(instance)}", pointer)
    else:
        yield Finding(code, f"{path}: {error.message}", pointer)


def _extra_keys(error: ValidationError) -> list[str]:
    import re

    instance = error.instance
    if not isinstance(instance, dict):
        return []
    schema = error.schema if isinstance(error.schema, dict) else {}
    properties = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [
        key
        for key in instance
        if key not in properties and not any(p.search(key) for p in patterns)
    ]


def _resolve(schema: Any, root: dict[str, Any]) -> Any:
    """Follow a local ``$ref`` (``#/$defs/name``) for wording; others are left alone."""
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 10:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            break
        target: Any = root
        for token in ref[2:].split("/"):
            target = target.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(
                target, dict
            ) else {}
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        seen += 1
    return schema


def describe(schema: Any, root: dict[str, Any] | None = None) -> str:
    """What a value must be, in words: ``a positive integer``, ``an integer from 0 to 100``."""
    schema = _resolve(schema, root or {})
    if not isinstance(schema, dict):
        return ""
    if "x-expected" in schema:
        return str(schema["x-expected"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_NAMES.get(str(k), str(k)) for k in kind)
    if kind in ("integer", "number"):
        noun = "an integer" if kind == "integer" else "a number"
        low = schema.get("minimum")
        if low is None and "exclusiveMinimum" in schema:
            low = schema["exclusiveMinimum"] + (1 if kind == "integer" else 0)
        high = schema.get("maximum")
        if low is not None and high is not None:
            return f"{noun} from {low} to {high}"
        if low == 1 and kind == "integer":
            return "a positive integer"
        if low == 0:
            return f"{noun} of 0 or more"
        if low is not None:
            return f"{noun} of at least {low}"
        if high is not None:
            return f"{noun} of at most {high}"
        return noun
    if kind == "array":
        items = describe(schema.get("items", {}), root)
        if items.startswith(("a ", "an ")):
            return f"a list of {_plural(items.split(' ', 1)[1])}"
        return "a list"
    if isinstance(kind, str):
        return _TYPE_NAMES.get(kind, kind)
    return ""


def _plural(phrase: str) -> str:
    """``non-empty string`` -> ``non-empty strings``; ``mapping of x`` -> ``mappings of x``."""
    head, sep, tail = phrase.partition(" of ")
    words = head.split(" ")
    words[-1] += "s"
    return " ".join(words) + sep + tail


def show_value(value: Any) -> str:
    """A value as a person would type it in the front matter, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(shown, ensure_ascii=False)
    return repr(value)
