"""What a user's JSON Schema means by ``format`` and ``pattern``, the way check-jsonschema reads it.

- **Formats are asserted**: every format jsonschema's ``FormatChecker`` knows for
  the schema's draft (with the ``jsonschema[format]`` packages installed), less
  those turned off (``--disable-formats``). The fast path and jsonschema call the
  same checker, so they cannot disagree.
- **Patterns are ECMA-262** (``pattern``, ``patternProperties``, the ``regex``
  format and the properties ``additionalProperties`` leaves out), through the
  ``regress`` package, as check-jsonschema does; ``--regex-variant python`` reads
  them as Python's ``re`` (jsonschema's own behaviour).
- **A failed format gets words**: "is not a date: there is no 32nd of January".

Nothing here is imported for the built-in schema: regress, jsonschema and the
format packages are loaded only when a user's schema needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

#: ``--regex-variant``: how ``pattern`` and the ``regex`` format are read.
REGEX_VARIANTS = ("ecma", "nonunicode", "python")
DEFAULT_REGEX_VARIANT = "ecma"
#: ``--disable-formats *``: no format is asserted.
ALL_FORMATS = "*"

#: Every format a FormatChecker may assert (check-jsonschema's list); what
#: ``--disable-formats`` accepts besides ``*``.
KNOWN_FORMATS = (
    "date", "date-time", "duration", "email", "hostname", "idn-email", "idn-hostname",
    "ipv4", "ipv6", "iri", "iri-reference", "json-pointer", "regex", "relative-json-pointer",
    "time", "uri", "uri-reference", "uri-template", "uuid",
)

Search = Callable[[str], bool]


def format_names_problem(names: Iterable[str]) -> str | None:
    """Why ``names`` is not a list for ``--disable-formats``, or None."""
    for name in names:
        if name != ALL_FORMATS and name not in KNOWN_FORMATS:
            return (f"unknown format {name!r}: expected * or some of "
                    f"{', '.join(KNOWN_FORMATS)}")
    return None


class RegexError(ValueError):
    """A pattern that does not compile in the chosen variant."""


@lru_cache(maxsize=4096)
def _compiled(pattern: str, variant: str) -> Search:
    if variant == "python":
        try:
            python_search = re.compile(pattern).search
        except re.error as err:
            raise RegexError(str(err)) from err
        return lambda text: python_search(text) is not None
    import regress

    try:
        compiled = regress.Regex(pattern, "u") if variant == "ecma" else regress.Regex(pattern)
    except regress.RegressError as err:
        raise RegexError(str(err)) from err
    find = compiled.find
    return lambda text: find(text) is not None


def searcher(pattern: str, variant: str = DEFAULT_REGEX_VARIANT) -> Search:
    """``pattern``'s search as a yes/no function; raises :class:`RegexError`."""
    return _compiled(pattern, variant)


def regex_problem(pattern: str, variant: str = DEFAULT_REGEX_VARIANT) -> str | None:
    """Why ``pattern`` is not a regular expression of ``variant``, or None."""
    try:
        searcher(pattern, variant)
    except RegexError as err:
        return str(err) or "it does not compile"
    return None


def format_checker(validator_class: Any, disabled: Iterable[str], variant: str) -> Any:
    """The draft's FormatChecker less the ``disabled`` formats, its ``regex`` read as
    ``variant`` (None: no format is asserted)."""
    from jsonschema import FormatChecker

    off = set(disabled)
    if ALL_FORMATS in off:
        return None
    base = validator_class.FORMAT_CHECKER
    checker = FormatChecker(())
    checker.checkers = {name: pair for name, pair in base.checkers.items() if name not in off}
    if "regex" in checker.checkers:

        def is_regex(instance: object) -> bool:
            return not isinstance(instance, str) or regex_problem(instance, variant) is None

        checker.checkers["regex"] = (is_regex, ())
    return checker


def validator_class(base: Any, variant: str) -> Any:
    """``base`` (a jsonschema validator class) with its regex keywords read as ``variant``."""
    if variant == "python":
        return base
    from jsonschema import validators
    from jsonschema.exceptions import ValidationError

    def pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not searcher(pattern, variant)(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    def pattern_properties(
        validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
    ) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for pattern, subschema in patterns.items():
            search = searcher(pattern, variant)
            for key, value in instance.items():
                if search(key):
                    yield from validator.descend(
                        value, subschema, path=key, schema_path=pattern
                    )

    def additional_properties(
        validator: Any, extra_schema: Any, instance: Any, schema: Any
    ) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        extras = additional_keys(instance, schema, variant)
        if validator.is_type(extra_schema, "object"):
            for extra in extras:
                yield from validator.descend(instance[extra], extra_schema, path=extra)
        elif not extra_schema and extras:
            shown = ", ".join(repr(each) for each in sorted(extras))
            yield ValidationError(f"Additional properties are not allowed ({shown} unexpected)")

    keywords: dict[str, Any] = {"pattern": pattern_keyword}
    if "patternProperties" in base.VALIDATORS:
        keywords["patternProperties"] = pattern_properties
    if "additionalProperties" in base.VALIDATORS:
        keywords["additionalProperties"] = additional_properties
    return validators.extend(base, keywords)  # type: ignore[no-untyped-call]


def additional_keys(instance: dict[str, Any], schema: Any, variant: str) -> list[str]:
    """The keys of ``instance`` neither ``properties`` nor ``patternProperties`` name."""
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    patterns = schema.get("patternProperties", {}) if isinstance(schema, dict) else {}
    searches = [searcher(p, variant) for p in patterns]
    return [
        key
        for key in instance
        if key not in properties and not any(search(key) for search in searches)
    ]


# -- a failed format, in words ----------------------------------------------------------

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
_NOUNS = {
    "date": "a date",
    "date-time": "a date and time",
    "time": "a time",
    "email": "an email address",
    "idn-email": "an email address",
    "uri": "a URI",
    "uri-reference": "a URI reference",
    "iri": "an IRI",
    "iri-reference": "an IRI reference",
    "ipv4": "an IPv4 address",
    "ipv6": "an IPv6 address",
    "hostname": "a host name",
    "idn-hostname": "an internationalized host name",
    "uuid": "a UUID",
    "regex": "a regular expression",
    "duration": "a duration",
    "json-pointer": "a JSON pointer",
    "relative-json-pointer": "a relative JSON pointer",
    "uri-template": "a URI template",
}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?", re.ASCII)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _date_reason(text: str) -> str | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return "a date is written YYYY-MM-DD, such as 2024-03-09"
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    import calendar

    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        if month == 2 and day == 29:
            return f"there is no 29th of February in {year}"
        if day == 0:
            return "there is no day 0"
        return f"there is no {_ordinal(day)} of {_MONTHS[month - 1]}"
    return None


def _time_reason(text: str, *, in_date_time: bool = False) -> str | None:
    match = _TIME.fullmatch(text)
    if match is None:
        return "a time is written HH:MM:SS with a time zone, such as 14:30:00Z or 14:30:00+01:00"
    hour, minute, second = (int(g) for g in match.groups()[:3])
    if hour > 23:
        return f"there is no hour {hour}"
    if minute > 59:
        return f"there is no minute {minute}"
    if second > 60:
        return f"there is no second {second}"
    if match.group(5) is None:
        return "it has no time zone: add Z or an offset such as +01:00"
    offset = match.group(5)
    if offset not in "Zz" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
        return f"{offset} is not a time zone offset"
    return None


def format_reason(name: str, value: Any) -> str:
    """Why ``value`` is not of format ``name``, in a few words (never empty)."""
    text = value if isinstance(value, str) else ""
    reason: str | None = None
    if name == "date":
        reason = _date_reason(text)
    elif name == "date-time":
        head, sep, tail = text.partition("T") if "T" in text else text.partition("t")
        if not sep:
            reason = "a date and time is written YYYY-MM-DDTHH:MM:SSZ, such as 2024-03-09T14:30:00Z"
        else:
            reason = _date_reason(head) or _time_reason(tail, in_date_time=True)
    elif name == "time":
        reason = _time_reason(text)
    elif name in ("email", "idn-email"):
        reason = "an email address has one @, with a name before it and a domain after it"
    elif name in ("uri", "iri"):
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text):
            reason = "it has no scheme such as https: (an absolute URI is needed)"
        else:
            reason = "it is not a valid URI (RFC 3986): check for spaces and stray characters"
    elif name in ("uri-reference", "iri-reference"):
        reason = "it is not a valid URI reference (RFC 3986): check for spaces and stray characters"
    elif name == "ipv4":
        reason = "an IPv4 address is four numbers from 0 to 255 joined by dots, such as 192.0.2.1"
    elif name == "ipv6":
        reason = (
            "an IPv6 address is eight groups of hex digits joined by colons, "
            "such as 2001:db8::1"
        )
    elif name in ("hostname", "idn-hostname"):
        reason = (
            "a host name is labels of letters, digits and hyphens joined by dots, "
            "each at most 63 characters and not starting or ending with a hyphen"
        )
    elif name == "uuid":
        reason = "a UUID is 32 hex digits in groups of 8-4-4-4-12 joined by hyphens"
    elif name == "regex":
        problem = regex_problem(text)
        reason = f"it does not compile: {problem}" if problem else "it does not compile"
    elif name == "duration":
        reason = "a duration is written the ISO 8601 way, such as P3D or PT1H30M"
    elif name in ("json-pointer", "relative-json-pointer"):
        reason = "a JSON pointer is empty or starts with /, and ~ is written ~0 or ~1"
    return reason or f"it does not follow the {name} format"


def format_message(path: str, name: str, value: Any) -> str:
    """``publishedDateTime is not a date: there is no 32nd of January``."""
    noun = _NOUNS.get(name)
    if noun is None:
        return f'{path} is not valid for the format "{name}": got {value!r}'
    return f"{path} is not {noun}: {format_reason(name, value)}"
