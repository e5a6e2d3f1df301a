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


#: Fetch an http(s) URL's bytes; raises OSError with a reason (see feedlint.probe).
Fetch = Callable[[str], bytes]


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


@dataclass(frozen=True)
class ArticleSchema:
    """A JSON Schema and the validator built from it, once per run.

    A user's schema is read the way check-jsonschema reads it: formats asserted
    (less ``disabled_formats``), patterns in ECMA-262 (``regex_variant``), every
    ``$ref`` resolved before any file is linted: relative to ``base_uri`` (the
    schema file's, its ``$id`` or ``--base-uri``), other documents read or fetched
    once and kept in ``documents``.
    """

    schema: dict[str, Any]
    source: str
    digest: str
    base_uri: str = ""
    #: Every other document its references reach, as (URI, contents).
    documents: tuple[tuple[str, Any], ...] = ()
    disabled_formats: tuple[str, ...] = ()
    regex_variant: str = "ecma"

    @classmethod
    def builtin(cls) -> ArticleSchema:
        return cls._from_text(builtin_schema_text(), BUILTIN_SOURCE)

    @classmethod
    def load(
        cls,
        path: str | Path | None,
        *,
        base_uri: str | None = None,
        disabled_formats: tuple[str, ...] = (),
        regex_variant: str = "ecma",
        fetch: Fetch | None = None,
        inside: str | None = None,
    ) -> ArticleSchema:
        """The schema at ``path`` (a file or an http(s) URL), or the built-in one, its
        references resolved; raises :class:`SchemaError`.

        ``fetch`` gets http(s) documents (None: a reference to one is an error);
        ``inside``: the folder local documents must stay in (a configuration file's
        schema), None for anywhere (a schema named on the command line).
        """
        if path is None:
            return cls.builtin()
        where = str(path)
        if is_url(where):
            if fetch is None:
                raise SchemaError(f"cannot fetch the schema {where}: no network access here")
            try:
                text = fetch(where).decode("utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise SchemaError(f"cannot fetch the schema {where}: {err}") from err
            retrieval = where
        else:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as err:
                raise SchemaError(f"cannot read the schema {path}: {err}") from err
            from pathlib import Path as _Path

            retrieval = _Path(os.path.abspath(path)).as_uri()
        loaded = cls._from_text(text, where)
        return cls.user(
            loaded.schema, where, loaded.digest, retrieval_uri=retrieval, base_uri=base_uri,
            disabled_formats=disabled_formats, regex_variant=regex_variant, fetch=fetch,
            inside=inside,
        )

    @classmethod
    def user(
        cls,
        schema: dict[str, Any],
        source: str,
        digest: str,
        *,
        retrieval_uri: str = "",
        base_uri: str | None = None,
        disabled_formats: tuple[str, ...] = (),
        regex_variant: str = "ecma",
        fetch: Fetch | None = None,
        inside: str | None = None,
    ) -> ArticleSchema:
        """A user's schema read from ``retrieval_uri``, its references resolved."""
        from feedlint.schemarefs import UnresolvedReference, resolve_documents

        try:
            base, documents = resolve_documents(
                schema, source, retrieval_uri=retrieval_uri, base_uri=base_uri,
                fetch=fetch, inside=inside, local=not is_url(retrieval_uri),
            )
        except UnresolvedReference as err:
            raise SchemaError(str(err)) from err
        except RecursionError as err:
            raise SchemaError(f"{source}: the schema nests too deeply") from err
        from feedlint._hashing import blake2b

        parts = [digest, base, repr(disabled_formats), regex_variant]
        parts += [uri + "\0" + json.dumps(doc, sort_keys=True) for uri, doc in documents]
        combined = blake2b("\0".join(parts).encode("utf-8"), digest_size=32).hexdigest()
        return cls(schema, source, combined, base, documents, tuple(disabled_formats),
                   regex_variant)

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
        # The built-in schema is read with Python's re and without formats: its
        # patterns mean the same in both, and a plain run imports nothing more.
        return cls(schema, source, digest, regex_variant="python")

    @property
    def builtin_source(self) -> bool:
        return self.source == BUILTIN_SOURCE

    @property
    def asserts_formats(self) -> bool:
        return not self.builtin_source and "*" not in self.disabled_formats

    @cached_property
    def format_checker(self) -> Any:
        """The FormatChecker of the schema's draft (None: formats are annotations)."""
        if not self.asserts_formats:
            return None
        from jsonschema import validators

        from feedlint.jsonformats import format_checker

        draft = validators.validator_for(self.schema, default=validators.Draft202012Validator)
        return format_checker(draft, self.disabled_formats, self.regex_variant)

    @cached_property
    def fast(self) -> Callable[[Any], bool] | None:
        """The compiled yes/no validator, or None when the schema needs jsonschema."""
        from feedlint.fastschema import Unsupported, compile_schema
        from feedlint.jsonformats import RegexError

        if self.documents:
            return None  # references to other documents: jsonschema alone
        checker = self.format_checker
        try:
            return compile_schema(
                self.schema,
                regex_variant=self.regex_variant,
                conforms=checker.conforms if checker is not None else None,
            )
        except (Unsupported, re.error, RegexError, RecursionError):
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
        if self.builtin_source:
            cls.check_schema(self.schema)
            return cls(self.schema)
        from feedlint.jsonformats import format_checker, validator_class

        # The schema is checked against its metaschema with formats asserted, so a
        # pattern that is not an ECMA-262 regex is found here, before any file.
        meta_class = validator_class(
            validators.validator_for(cls.META_SCHEMA, default=cls), self.regex_variant
        )
        meta = meta_class(
            cls.META_SCHEMA, format_checker=format_checker(cls, (), self.regex_variant)
        )
        try:
            error = exceptions.best_match(meta.iter_errors(self.schema))
            if error is not None:
                raise error
        except exceptions.ValidationError as err:
            path = "/".join(str(p) for p in err.absolute_path) or "(root)"
            raise SchemaError(
                f"{self.source}: not a valid JSON Schema at {path}: {err.message}"
            ) from err
        from feedlint.schemarefs import keywords_turned_off, resolver_for

        off = keywords_turned_off(self.schema, self.documents)
        if off:
            cls = validators.extend(  # type: ignore[no-untyped-call]
                cls, {keyword: _asserts_nothing for keyword in off}
            )
        return validator_class(cls, self.regex_variant)(  # type: ignore[no-any-return]
            self.schema,
            format_checker=self.format_checker,
            _resolver=resolver_for(self.schema, self.base_uri, self.documents),
        )

    def check(self, data: Any) -> list[Finding]:
        """One finding per problem the schema sees in ``data``.

        The compiled fast path answers for a valid article; jsonschema explains
        an invalid one (and answers alone for a schema the fast path cannot compile).
        """
        fast = self.fast
        if fast is not None and fast(data):
            return []
        return list(_findings(self.validator.iter_errors(data), self.schema, self.regex_variant))


def _asserts_nothing(*args: Any) -> Iterator[ValidationError]:
    """A keyword of a vocabulary the schema's metaschema leaves out."""
    return iter(())


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


def _findings(
    errors: Iterable[ValidationError], root: dict[str, Any], variant: str = "python"
) -> Iterator[Finding]:
    ordered = sorted(
        _flatten(errors),
        key=lambda e: (_pointer(e.absolute_path), _RANK.get(str(e.validator), 9)),
    )
    seen: set[str] = set()
    for error in ordered:
        for finding in _explain(error, root, variant):
            key = finding.pointer + "\0" + finding.target
            if finding.code == FL101:
                key += finding.message
            if key in seen:
                continue
            seen.add(key)
            yield finding


def _explain(
    error: ValidationError, root: dict[str, Any], variant: str = "python"
) -> Iterator[Finding]:
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
        for extra in _extra_keys(error, variant):
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
    if (keyword in ("minLength", "minItems", "minProperties") and value == 1) or (
        keyword == "pattern" and value == "\\S"
    ):
        yield Finding(FL104, f"{path} must not be empty", pointer)
        return
    if keyword == "pattern" and not describe(error.schema, root):
        yield Finding(
            code, f"{path} must match the pattern {value}, got {show_value(instance)}", pointer
        )
        return
    if keyword == "format":
        from feedlint.jsonformats import format_message

        yield Finding(code, format_message(path or "the article", str(value), instance), pointer)
        return
    if keyword == "multipleOf":
        yield Finding(
            code, f"{path} must be a multiple of {value}, got {show_value(instance)}", pointer
        )
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


def _extra_keys(error: ValidationError, variant: str) -> list[str]:
    from feedlint.jsonformats import additional_keys

    instance = error.instance
    if not isinstance(instance, dict):
        return []
    return additional_keys(instance, error.schema, variant)


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
        listed = (
            f"a list of {_plural(items.split(' ', 1)[1])}"
            if items.startswith(("a ", "an "))
            else "a list"
        )
        return listed + _bounds(schema, "minItems", "maxItems", "item")
    if kind == "string":
        return "a string" + _bounds(schema, "minLength", "maxLength", "character")
    if isinstance(kind, str):
        return _TYPE_NAMES.get(kind, kind)
    return ""


def _bounds(schema: dict[str, Any], low_key: str, high_key: str, unit: str) -> str:
    """`` of at most 3 characters``: a length's bounds, in words (empty when none)."""
    low, high = schema.get(low_key), schema.get(high_key)
    if not isinstance(low, int) or low <= 0:
        low = None
    if not isinstance(high, int):
        high = None
    if low is not None and high is not None:
        return f" of {low} to {high} {unit}s"
    if high is not None:
        return f" of at most {high} {unit}{'' if high == 1 else 's'}"
    if low is not None:
        return f" of at least {low} {unit}{'' if low == 1 else 's'}"
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
