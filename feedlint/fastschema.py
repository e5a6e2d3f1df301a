"""A yes/no validator compiled once from a JSON Schema: the fast path for valid files.

jsonschema takes about 160 ms to import and a few milliseconds to validate one
article, most of it spent building error objects and resolving ``$ref`` through
its registry. Most articles are valid, and for a valid one there is nothing to
explain. :func:`compile_schema` turns the schema into a tree of small Python
closures that answer only "valid or not"; jsonschema is imported and run only for
an article the fast path rejects, to produce the messages.

Both read the same schema, and both must agree on every article: each keyword
here copies jsonschema's own semantics (its ``_keywords.py``): ``integer``
accepts ``800.0``, booleans are not numbers, ``pattern`` is ``re.search``,
``enum`` and ``const`` tell ``1`` from ``true``. Anything this module does not
implement exactly — a remote ``$ref``, ``$dynamicRef``, ``unevaluated*``,
``uniqueItems``, a draft other than 2020-12 — raises
:class:`Unsupported`, and the caller uses jsonschema alone. A disagreement
could only cost speed in one direction (the fast path rejects, jsonschema then
finds nothing) and would hide a problem in the other, so the tests compare both
on every fixture, every seed and many mutations of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Predicate = Callable[[Any], bool]

#: The draft whose keywords below mean what jsonschema's Draft202012Validator says
#: (a schema without ``$schema`` is read as this draft too).
_DRAFTS = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema#",
    }
)

#: Keywords jsonschema's 2020-12 validator asserts. A keyword that is
#: not here is an annotation to jsonschema (``title``, ``x-expected``, ...) and is
#: ignored by both. A test checks this list against jsonschema's own.
ASSERTING_KEYWORDS = frozenset(
    {
        "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const",
        "contains", "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum",
        "exclusiveMinimum", "format", "if", "items", "maxItems", "maxLength",
        "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum",
        "multipleOf", "not", "oneOf", "pattern", "patternProperties", "prefixItems",
        "properties", "propertyNames", "required", "type", "unevaluatedItems",
        "unevaluatedProperties", "uniqueItems",
    }
)

#: Checked together, in one pass over a mapping.
_OBJECT_KEYWORDS = ("properties", "patternProperties", "additionalProperties", "required")
#: Asserting keywords this module leaves to jsonschema.
_UNSUPPORTED = frozenset(
    {"$dynamicRef", "unevaluatedItems", "unevaluatedProperties", "uniqueItems"}
)


class Unsupported(Exception):
    """The schema uses something the fast path does not implement exactly."""


def _always(instance: Any) -> bool:
    return True


def _never(instance: Any) -> bool:
    return False


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


_TYPE_CHECKS: dict[str, Predicate] = {
    "string": lambda x: isinstance(x, str),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": _is_number,
    "integer": lambda x: (isinstance(x, int) and not isinstance(x, bool))
    or (isinstance(x, float) and x.is_integer()),
}


def equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: ``1`` is not ``true``, lists and mappings compared deeply."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and equal(value, two[key]) for key, value in one.items()
        )
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    return bool(one == two)


def compile_schema(
    schema: Any,
    *,
    regex_variant: str = "python",
    conforms: Callable[[Any, str], bool] | None = None,
) -> Predicate:
    """A predicate that says whether an instance is valid; raises :class:`Unsupported`.

    ``regex_variant``: how patterns read (feedlint.jsonformats: ``python`` is
    jsonschema's own ``re.search``). ``conforms``: the FormatChecker's own
    ``conforms`` when formats are asserted (the same function jsonschema calls, so
    both agree), None when ``format`` is an annotation.
    """
    if isinstance(schema, dict):
        declared = schema.get("$schema")
        if declared is not None and declared not in _DRAFTS:
            raise Unsupported(f"draft {declared!r}")
    return _Compiler(schema, regex_variant, conforms).compile(schema, "#")


def _python_search(pattern: str) -> Callable[[str], Any]:
    return re.compile(pattern).search


class _Compiler:
    def __init__(
        self,
        root: Any,
        regex_variant: str = "python",
        conforms: Callable[[Any, str], bool] | None = None,
    ) -> None:
        self.root = root
        self.conforms = conforms
        if regex_variant == "python":
            self.search: Callable[[str], Callable[[str], Any]] = _python_search
        else:
            from feedlint.jsonformats import searcher

            self.search = lambda pattern: searcher(pattern, regex_variant)
        #: "#/$defs/url" -> its predicate, filled once compiled (refs may recurse).
        self.refs: dict[str, Predicate | None] = {}

    def compile(self, schema: Any, where: str) -> Predicate:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise Unsupported(f"{where}: a schema must be an object or a boolean")
        if "$id" in schema and where != "#":
            raise Unsupported(f"{where}: nested $id")
        fused = self._fused_scalar(schema, where)
        if fused is not None:
            return fused
        checks: list[Predicate] = []
        if any(k in schema for k in _OBJECT_KEYWORDS):
            checks.append(self._object(schema, where))
        for keyword, value in schema.items():
            if keyword not in ASSERTING_KEYWORDS or keyword in _OBJECT_KEYWORDS:
                continue
            if keyword in _UNSUPPORTED:
                raise Unsupported(f"{where}: keyword {keyword}")
            check = self._keyword(keyword, value, schema, f"{where}/{keyword}")
            if check is not None:
                checks.append(check)
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks

            def both(x: Any) -> bool:
                return first(x) and second(x)

            return both
        frozen = tuple(checks)

        def every(x: Any) -> bool:
            for check in frozen:  # noqa: SIM110 - a loop is faster than all()
                if not check(x):
                    return False
            return True

        return every

    def _fused_scalar(self, schema: dict[str, Any], where: str) -> Predicate | None:
        """One closure for the common ``{"type": "string", "minLength": 1, "pattern":
        ...}`` and ``{"type": "integer", "minimum": 1}``: most of an article's values."""
        asserted = {
            k for k in schema
            if k in ASSERTING_KEYWORDS and (k != "format" or self.conforms is not None)
        }
        kind = schema.get("type")
        if kind == "string" and asserted <= {"type", "minLength", "maxLength", "pattern"}:
            low = schema.get("minLength", 0)
            high = schema.get("maxLength")
            pattern = schema.get("pattern")
            if not _is_number(low) or (high is not None and not _is_number(high)):
                raise Unsupported(f"{where}: minLength/maxLength must be numbers")
            if pattern is not None and not isinstance(pattern, str):
                raise Unsupported(f"{where}: pattern must be a string")
            search = self.search(pattern) if pattern is not None else None

            def string(x: Any) -> bool:
                if not isinstance(x, str):
                    return False
                if low and len(x) < low:
                    return False
                if high is not None and len(x) > high:
                    return False
                return search is None or bool(search(x))

            return string
        bounds = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
        if kind in ("integer", "number") and asserted <= {"type"} | bounds:
            is_kind = _TYPE_CHECKS[kind]
            limits = [schema.get(k) for k in ("minimum", "maximum", "exclusiveMinimum",
                                              "exclusiveMaximum")]
            if not all(v is None or _is_number(v) for v in limits):
                raise Unsupported(f"{where}: bounds must be numbers")
            minimum, maximum, above, below = limits

            def number(x: Any) -> bool:
                # Written as jsonschema writes them, so that NaN compares the same way.
                if not is_kind(x):
                    return False
                if minimum is not None and x < minimum:
                    return False
                if maximum is not None and x > maximum:
                    return False
                if above is not None and x <= above:
                    return False
                return below is None or not x >= below

            return number
        return None

    # -- keywords ---------------------------------------------------------

    def _keyword(
        self, keyword: str, value: Any, schema: dict[str, Any], where: str
    ) -> Predicate | None:
        if keyword == "type":
            return self._type(value, where)
        if keyword == "$ref":
            return self._ref(value, where)
        if keyword == "items":
            return self._items(value, schema, where)
        if keyword == "prefixItems":
            return self._prefix_items(value, where)
        if keyword == "format":
            conforms = self.conforms
            if conforms is None:
                return None  # an annotation unless a FormatChecker is passed
            if not isinstance(value, str):
                raise Unsupported(f"{where}: format must be a string")

            def format_(x: Any) -> bool:
                return conforms(x, value)

            return format_
        if keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties",
                       "maxProperties"):
            return self._size(keyword, value, where)
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            return self._bound(keyword, value, where)
        if keyword == "multipleOf":
            return self._multiple_of(value, where)
        if keyword == "pattern":
            if not isinstance(value, str):
                raise Unsupported(f"{where}: pattern must be a string")
            search = self.search(value)

            def pattern(x: Any) -> bool:
                return not isinstance(x, str) or bool(search(x))

            return pattern
        if keyword == "enum":
            if not isinstance(value, list):
                raise Unsupported(f"{where}: enum must be a list")
            options = tuple(value)

            def enum(x: Any) -> bool:
                return any(equal(option, x) for option in options)

            return enum
        if keyword == "const":

            def const(x: Any) -> bool:
                return equal(x, value)

            return const
        if keyword == "dependentRequired":
            if not isinstance(value, dict):
                raise Unsupported(f"{where}: dependentRequired must be an object")
            pairs = tuple((name, tuple(needed)) for name, needed in value.items())

            def dependent_required(x: Any) -> bool:
                if not isinstance(x, dict):
                    return True
                for name, needed in pairs:
                    if name in x:
                        for other in needed:
                            if other not in x:
                                return False
                return True

            return dependent_required
        if keyword == "dependentSchemas":
            if not isinstance(value, dict):
                raise Unsupported(f"{where}: dependentSchemas must be an object")
            subs = tuple(
                (name, self.compile(sub, f"{where}/{name}")) for name, sub in value.items()
            )

            def dependent_schemas(x: Any) -> bool:
                return not isinstance(x, dict) or all(
                    check(x) for name, check in subs if name in x
                )

            return dependent_schemas
        if keyword == "propertyNames":
            names = self.compile(value, where)

            def property_names(x: Any) -> bool:
                return not isinstance(x, dict) or all(names(key) for key in x)

            return property_names
        if keyword in ("allOf", "anyOf", "oneOf"):
            if not isinstance(value, list) or not value:
                raise Unsupported(f"{where}: {keyword} must be a non-empty list")
            subs_list = tuple(self.compile(s, f"{where}/{i}") for i, s in enumerate(value))
            if keyword == "allOf":
                return lambda x: all(check(x) for check in subs_list)
            if keyword == "anyOf":
                return lambda x: any(check(x) for check in subs_list)
            return lambda x: sum(1 for check in subs_list if check(x)) == 1
        if keyword == "not":
            inner = self.compile(value, where)
            return lambda x: not inner(x)
        if keyword == "if":
            condition = self.compile(value, where)
            then = self.compile(schema.get("then", True), where.replace("/if", "/then"))
            otherwise = self.compile(schema.get("else", True), where.replace("/if", "/else"))
            return lambda x: then(x) if condition(x) else otherwise(x)
        if keyword == "contains":
            return self._contains(value, schema, where)
        raise Unsupported(f"{where}: keyword {keyword}")  # pragma: no cover - listed above

    def _type(self, value: Any, where: str) -> Predicate:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(n in _TYPE_CHECKS for n in names):
            raise Unsupported(f"{where}: type {value!r}")
        if len(names) == 1:
            return _TYPE_CHECKS[names[0]]
        checks = tuple(_TYPE_CHECKS[n] for n in names)
        return lambda x: any(check(x) for check in checks)

    def _ref(self, ref: Any, where: str) -> Predicate:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"{where}: $ref {ref!r} is not local")
        if ref not in self.refs:
            self.refs[ref] = None  # being compiled: a recursive ref resolves at call time
            self.refs[ref] = self.compile(self._resolve(ref, where), ref)
        compiled = self.refs[ref]
        if compiled is not None:
            return compiled
        refs = self.refs

        def recursive(x: Any) -> bool:
            target = refs[ref]
            assert target is not None
            return target(x)

        return recursive

    def _resolve(self, ref: str, where: str) -> Any:
        if ref == "#":
            return self.root
        if not ref.startswith("#/"):
            raise Unsupported(f"{where}: $ref {ref!r} is an anchor, not a JSON pointer")
        target: Any = self.root
        for raw in ref[2:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if "%" in token:
                raise Unsupported(f"{where}: percent-encoded $ref {ref!r}")
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                raise Unsupported(f"{where}: $ref {ref!r} points at nothing")
        return target

    def _object(self, schema: dict[str, Any], where: str) -> Predicate:
        properties = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        additional = schema.get("additionalProperties", True)
        required = schema.get("required", [])
        if not isinstance(properties, dict) or not isinstance(patterns, dict):
            raise Unsupported(f"{where}: properties must be objects")
        if not isinstance(required, list):
            raise Unsupported(f"{where}: required must be a list")
        by_name = {
            name: self.compile(sub, f"{where}/properties/{name}")
            for name, sub in properties.items()
        }
        by_pattern = tuple(
            (self.search(p), self.compile(sub, f"{where}/patternProperties/{p}"))
            for p, sub in patterns.items()
        )
        extra = self.compile(additional, f"{where}/additionalProperties")
        needed = tuple(required)
        get = by_name.get

        if not by_pattern:

            def plain_object(x: Any) -> bool:
                if not isinstance(x, dict):
                    return True
                for name in needed:
                    if name not in x:
                        return False
                for key, value in x.items():
                    check = get(key)
                    if check is None:
                        check = extra
                    if not check(value):
                        return False
                return True

            return plain_object

        def patterned_object(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for name in needed:
                if name not in x:
                    return False
            for key, value in x.items():
                check = get(key)
                if check is not None and not check(value):
                    return False
                matched = False
                for search, sub in by_pattern:
                    if search(key):
                        matched = True
                        if not sub(value):
                            return False
                if check is None and not matched and not extra(value):
                    return False
            return True

        return patterned_object

    def _items(self, value: Any, schema: dict[str, Any], where: str) -> Predicate:
        if isinstance(value, list):
            raise Unsupported(f"{where}: items as a list (tuple validation)")
        each = self.compile(value, where)
        prefix = schema.get("prefixItems", [])
        skip = len(prefix) if isinstance(prefix, list) else 0

        def items(x: Any) -> bool:
            if not isinstance(x, list):
                return True
            for index in range(skip, len(x)):  # noqa: SIM110 - a loop is faster than all()
                if not each(x[index]):
                    return False
            return True

        return items

    def _prefix_items(self, value: Any, where: str) -> Predicate:
        if not isinstance(value, list):
            raise Unsupported(f"{where}: prefixItems must be a list")
        subs = tuple(self.compile(s, f"{where}/{i}") for i, s in enumerate(value))

        def prefix_items(x: Any) -> bool:
            return not isinstance(x, list) or all(
                check(item) for item, check in zip(x, subs, strict=False)
            )

        return prefix_items

    def _contains(self, value: Any, schema: dict[str, Any], where: str) -> Predicate:
        matches = self.compile(value, where)
        low = schema.get("minContains", 1)
        high = schema.get("maxContains")
        if not _is_number(low) or (high is not None and not _is_number(high)):
            raise Unsupported(f"{where}: minContains/maxContains must be numbers")

        def contains(x: Any) -> bool:
            if not isinstance(x, list):
                return True
            count = sum(1 for item in x if matches(item))
            if high is not None and count > high:
                return False
            return bool(count >= low)

        return contains

    def _size(self, keyword: str, value: Any, where: str) -> Predicate:
        if not _is_number(value):
            raise Unsupported(f"{where}: {keyword} must be a number")
        kind: type = {"Length": str, "Items": list, "Properties": dict}[keyword[3:]]
        at_least = keyword.startswith("min")

        def size(x: Any) -> bool:
            if not isinstance(x, kind):
                return True
            length: int = len(x)  # type: ignore[arg-type]
            return bool(length >= value if at_least else length <= value)

        return size

    def _bound(self, keyword: str, bound: Any, where: str) -> Predicate:
        if not _is_number(bound):
            raise Unsupported(f"{where}: {keyword} must be a number")
        # Written as jsonschema writes them ("fails when instance < minimum"), so that
        # NaN compares the same way in both.
        if keyword == "minimum":
            return lambda x: not _is_number(x) or not x < bound
        if keyword == "maximum":
            return lambda x: not _is_number(x) or not x > bound
        if keyword == "exclusiveMinimum":
            return lambda x: not _is_number(x) or not x <= bound
        return lambda x: not _is_number(x) or not x >= bound

    def _multiple_of(self, divisor: Any, where: str) -> Predicate:
        if not _is_number(divisor):
            raise Unsupported(f"{where}: multipleOf must be a number")

        def multiple_of(x: Any) -> bool:
            if not _is_number(x):
                return True
            if isinstance(divisor, float):
                quotient = x / divisor
                try:
                    return bool(int(quotient) == quotient)
                except (OverflowError, ValueError):
                    from fractions import Fraction

                    try:
                        return (Fraction(x) / Fraction(divisor)).denominator == 1
                    except (OverflowError, ValueError):
                        return False
            try:
                return not x % divisor
            except (ZeroDivisionError, OverflowError, ValueError):
                return False

        return multiple_of
