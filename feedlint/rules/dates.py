"""FL4xx: publication dates are real RFC 3339 timestamps, in the past, and in order.

Every ``publishedDateTime`` (the article's and each related item's) is read as
RFC 3339 with ``T``, seconds and an offset (``Z`` or ``+hh:mm``); a leap second
``:60`` is accepted, ``-00:00`` (offset unknown) is a warning. Dates must not lie
in the future beyond a clock skew, nor before a floor; related coverage must not
predate its article beyond a tolerance; and, when switched on, files numbered
``NNN_...`` in one folder must be in date order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, NamedTuple

from feedlint.diagnostics import Finding, Fix, Severity, Span
from feedlint.document import Article, human_path
from feedlint.rules._base import Option, Rule, RuleContext, RuleModule
from feedlint.rules._fields import duration, items

FEED_ORDERS = ("off", "newest-first", "oldest-first")

OPTIONS = {
    "clock-skew": Option(
        "5m",
        "how far in the future a date may be before FL405 reports it (seconds, or a "
        "duration such as 5m, 2h, 1d)",
        validate=lambda value: duration(value, "clock-skew"),
    ),
    "related-tolerance": Option(
        "1d",
        "how long before its article a related item may be published before FL406 "
        "reports it (a duration)",
        validate=lambda value: duration(value, "related-tolerance"),
    ),
    "floor": Option(
        "1995-01-01",
        "dates before this day (YYYY-MM-DD, UTC) are suspicious (FL407)",
        validate=lambda value: _floor(value),
    ),
    "feed-order": Option(
        "off",
        "order of numbered files (NNN_...) in one folder by publishedDateTime (FL408): "
        "off, newest-first or oldest-first",
        validate=lambda value: _feed_order({"feed-order": value}),
    ),
}

#: Each code by its own name, for the modules that raise it.
FL401 = "FL401"
FL402 = "FL402"
FL403 = "FL403"
FL404 = "FL404"
FL405 = "FL405"
FL406 = "FL406"
FL407 = "FL407"
FL408 = "FL408"

#: Where the rules' ground comes from (``Rule.references``).
_RFC_3339 = "RFC 3339, Date and Time on the Internet <https://www.rfc-editor.org/rfc/rfc3339>"
_RFC_3339_FORMAT = (
    "RFC 3339, section 5.6: Internet Date/Time Format "
    "<https://www.rfc-editor.org/rfc/rfc3339#section-5.6>"
)
_RFC_3339_UNKNOWN = (
    "RFC 3339, section 4.3: Unknown Local Offset Convention "
    "<https://www.rfc-editor.org/rfc/rfc3339#section-4.3>"
)

RULES = (
    Rule(
        code=FL401,
        name="date-not-rfc3339",
        summary="A date and time not written the RFC 3339 way",
        what="A `publishedDateTime` is a date and time, but not in RFC 3339 form: a space "
        "instead of `T`, no seconds, an offset without its colon (`+0530`), `UTC` instead "
        "of `Z`, or no time at all. The message gives the RFC 3339 spelling.",
        why="Feeds, sitemaps and JSON consumers parse RFC 3339 strictly; other spellings "
        "are read differently, or not at all, by each of them.",
        example="publishedDateTime: 2023-08-07 08:11+0200\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00+02:00\n",
        fix="Rewrites the value in RFC 3339 form (T, seconds, the colon in the offset, Z "
        "for UTC) when nothing else is missing.",
        references=(_RFC_3339_FORMAT,),
    ),
    Rule(
        code=FL402,
        name="date-without-offset",
        summary="A date and time with no UTC offset: which zone?",
        what="A `publishedDateTime` has a time of day but no `Z` or `+hh:mm`, so it names "
        "a different instant in every time zone.",
        why="08:11 in New York and 08:11 in Tokyo are thirteen hours apart; a consumer "
        "guesses the zone, usually its own, and the article moves in the feed.",
        example="publishedDateTime: 2023-08-07T08:11:00\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00Z\n",
        references=(_RFC_3339_FORMAT,),
    ),
    Rule(
        code=FL403,
        name="impossible-date",
        summary="A date, time or offset that does not exist",
        what="A `publishedDateTime` is well formed but not a real instant: a 13th month, "
        "February 30, hour 24, minute 60, an offset beyond 23:59. A leap second (`:60`) "
        "is accepted.",
        why="Parsers reject such dates or roll them over into another day.",
        example="publishedDateTime: 2023-02-29T08:11:00Z\n",
        fixed="publishedDateTime: 2023-02-28T08:11:00Z\n",
        references=(_RFC_3339,),
    ),
    Rule(
        code=FL404,
        name="unknown-offset",
        summary="The offset -00:00: the time is UTC but the local zone is unknown",
        what="RFC 3339 gives `-00:00` a meaning of its own: the time is in UTC and the "
        "publisher's local offset is unknown.",
        why="It is usually an exporter's default rather than a statement; write `Z` for "
        "UTC or the real offset.",
        example="publishedDateTime: 2023-08-07T08:11:00-00:00\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00Z\n",
        severity=Severity.WARNING,
        references=(_RFC_3339_UNKNOWN,),
    ),
    Rule(
        code=FL405,
        name="future-date",
        summary="A publication date in the future",
        what="A `publishedDateTime` is later than now plus the allowed clock skew "
        "(option `clock-skew`, 5 minutes by default).",
        why="An article cannot be published in the future: the date is a typo (a wrong "
        "year or month), or a time zone error, and the article sorts above every other.",
        example="publishedDateTime: 2999-08-07T08:11:00Z\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00Z\n",
    ),
    Rule(
        code=FL406,
        name="related-predates-article",
        summary="Related coverage published well before its article",
        what="A related item's `publishedDateTime` is earlier than the article's by more "
        "than the tolerance (option `related-tolerance`, one day by default). Skipped "
        "when either date is invalid, in the future or before the floor (those are "
        "reported by themselves).",
        why="Related items are coverage of the same story, normally later than the "
        "article; one much older is often from another story or has a wrong date.",
        example="publishedDateTime: 2023-08-07T08:11:00Z\nrelated:\n"
        "  - title: \"Older coverage\"\n    publishedDateTime: 2023-07-01T08:00:00Z\n"
        "    webUrl: https://www.example.org/older\n"
        "    provider: {name: Other, domain: example.org}\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00Z\nrelated:\n"
        "  - title: \"Later coverage\"\n    publishedDateTime: 2023-08-08T08:00:00Z\n"
        "    webUrl: https://www.example.org/later\n"
        "    provider: {name: Other, domain: example.org}\n",
        severity=Severity.WARNING,
    ),
    Rule(
        code=FL407,
        name="date-before-floor",
        summary="A publication date before 1995",
        what="A `publishedDateTime` is before the floor (option `floor`, 1995-01-01 by "
        "default), earlier than any article a news feed carries.",
        why="Such dates are placeholders or epoch defaults (1970-01-01, 1900-01-01) that "
        "an exporter wrote when it had no date.",
        example="publishedDateTime: 1970-01-01T00:00:00Z\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00Z\n",
        severity=Severity.WARNING,
    ),
    Rule(
        code=FL408,
        name="feed-order",
        summary="Numbered files are not in date order",
        what="Off by default. With option `feed-order` set to `newest-first` or "
        "`oldest-first`, files in one folder whose names start with a running index "
        "(`001_...`, `002_...`) must have their `publishedDateTime` in that order. Each "
        "file that breaks the order is reported, naming the file before it.",
        why="Feeds built from the index order show articles out of order when the files "
        "are numbered wrong or a date is wrong.",
        example="(001_a.txt published 2023-08-07 and 002_b.txt published 2023-08-09, "
        "with feed-order = \"newest-first\")",
        fixed="(002_b.txt renamed 000_b.txt, or the dates corrected)",
        severity=Severity.ERROR,
        illustrative=True,
    ),
)

_STRICT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z"
)
_LOOSE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:([Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?\s*\Z",
    re.IGNORECASE,
)


class Timestamp(NamedTuple):
    """A valid RFC 3339 timestamp: the instant (in UTC) and what was written."""

    text: str
    instant: datetime
    unknown_offset: bool


@dataclass(frozen=True, slots=True)
class DateProblem:
    code: str
    message: str
    suggestion: str | None = None


def _impossible(year: int, month: int, day: int, hour: int, minute: int, second: int,
                offset_hours: int, offset_minutes: int) -> str | None:
    if year == 0:
        return "there is no year 0000 (years run from 0001)"
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    days = 31 if month == 12 else (date(year, month + 1, 1) - date(year, month, 1)).days
    if not 1 <= day <= days:
        if day == 0:
            return "there is no day 00"
        import calendar

        name = calendar.month_name[month]
        return f"{name} {year} has {days} days, not {day}"
    if hour > 23:
        return f"there is no hour {hour:02d} (hours run from 00 to 23)"
    if minute > 59:
        return f"there is no minute {minute:02d} (minutes run from 00 to 59)"
    if second > 60:
        return (
            f"there is no second {second:02d} (seconds run from 00 to 59, or 60 for a "
            "leap second)"
        )
    if offset_hours > 23 or offset_minutes > 59:
        return f"an offset can be at most 23:59, not {offset_hours:02d}:{offset_minutes:02d}"
    return None


def read_timestamp(text: str) -> Timestamp | DateProblem:
    """Read ``text`` as RFC 3339, or say what is wrong with it."""
    match = _STRICT.match(text)
    if match is None:
        return _diagnose(text)
    year, month, day, hour, minute, second = map(int, match.group(1, 2, 3, 4, 5, 6))
    fraction, zone = match.group(7, 8)
    leap = second == 60
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        local = datetime(year, month, day, hour, minute, 59 if leap else second, micro,
                         tzinfo=_offset(zone))
    except ValueError:
        # Exactly what _impossible finds: it says which part does not exist.
        offset_hours, offset_minutes = (0, 0) if zone in ("Z", "z") else _zone_parts(zone)
        problem = _impossible(year, month, day, hour, minute, second, offset_hours,
                              offset_minutes)
        return DateProblem("FL403", f"does not exist: {problem}")
    try:
        instant = local.astimezone(UTC)
        if leap:
            instant += timedelta(seconds=1)
    except OverflowError:  # year 1 or 9999 pushed out of range by the offset
        return DateProblem("FL403", "does not exist: it falls outside the years 0001 to 9999")
    return Timestamp(text, instant, zone == "-00:00")


def _zone_parts(zone: str) -> tuple[int, int]:
    """Hours and minutes of an offset written ``+hh:mm``."""
    return int(zone[1:3]), int(zone[4:6])


@lru_cache(maxsize=64)
def _offset(zone: str) -> timezone:
    """The time zone of ``Z`` or ``+hh:mm``; ValueError past 23 hours or 59 minutes."""
    if zone in ("Z", "z"):
        return UTC
    hours, minutes = _zone_parts(zone)
    if hours > 23 or minutes > 59:
        raise ValueError(f"no offset {zone}")
    sign = -1 if zone[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _diagnose(text: str) -> DateProblem:
    loose = _LOOSE.match(text)
    expected = "an RFC 3339 date and time such as 2023-08-07T08:11:00Z"
    if loose is None:
        return DateProblem("FL401", f"is not {expected}")
    year, month, day = loose.group(1), loose.group(2).zfill(2), loose.group(3).zfill(2)
    separator, hour, minute, second, fraction, zone = loose.group(4, 5, 6, 7, 8, 9)
    if hour is None:
        return DateProblem(
            "FL401",
            f"has a date but no time of day; write {expected} (the time and its offset "
            "are needed)",
        )
    wrong = []
    if len(loose.group(2)) == 1 or len(loose.group(3)) == 1:
        wrong.append("two digits for the month and the day")
    if separator not in ("T", "t"):
        wrong.append("T between the date and the time")
    if len(hour) == 1:
        wrong.append("two digits for the hour")
    if second is None:
        wrong.append("the seconds")
    fixed_zone = None
    if zone is not None:
        upper = zone.upper()
        if upper in ("Z", "UTC", "GMT"):
            fixed_zone = "Z"
            if upper != "Z":
                wrong.append(f"Z instead of {zone}")
        else:
            digits = zone[1:].replace(":", "")
            fixed_zone = f"{zone[0]}{digits[:2]}:{(digits[2:] or '00')}"
            if zone != fixed_zone:
                wrong.append(f"the offset as {fixed_zone}")
    if text != text.strip():
        wrong.append("no spaces around the value")
    value = f"{year}-{month}-{day}T{hour.zfill(2)}:{minute}:{second or '00'}{fraction or ''}"
    if fixed_zone is None:
        return DateProblem(
            "FL402",
            "has no UTC offset: which zone is that? Add Z for UTC or the publisher's "
            f"offset, such as {value}Z or {value}+02:00",
        )
    suggestion = value + fixed_zone
    checked = read_timestamp(suggestion)
    if not wrong:
        return DateProblem("FL401", f"is not {expected}")
    if isinstance(checked, DateProblem):
        return DateProblem("FL401", f"is not RFC 3339: write {' and '.join(wrong)}")
    return DateProblem(
        "FL401", f"is not RFC 3339 (it needs {', '.join(wrong)}): write {suggestion}", suggestion
    )


def _human(delta: timedelta) -> str:
    seconds = abs(delta.total_seconds())
    for unit, size in (("year", 365.25 * 86400), ("day", 86400), ("hour", 3600),
                       ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = int(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def _floor(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
    raise ValueError(f"option floor must be a date such as \"1995-01-01\", got {value!r}")


def _feed_order(options: Mapping[str, Any]) -> str:
    value = options.get("feed-order", "off")
    if value is False or value is None:
        return "off"
    if value not in FEED_ORDERS:
        raise ValueError(
            f"option feed-order must be one of {', '.join(FEED_ORDERS)}, got {value!r}"
        )
    return str(value)


def _dates(article: Article, context: RuleContext) -> Iterator[tuple[str, str]]:
    for prefix, item in items(article.data):
        pointer = f"{prefix}/publishedDateTime"
        value = item.get("publishedDateTime")
        if isinstance(value, str) and context.is_valid(pointer):
            yield pointer, value


@lru_cache(maxsize=8)
def _limits(skew: Any, tolerance: Any, floor: Any) -> tuple[timedelta, timedelta, datetime]:
    """The options as values, read once per run rather than once per file."""
    return (
        duration(skew, "clock-skew"),
        duration(tolerance, "related-tolerance"),
        _floor(floor),
    )


def check(article: Article, context: RuleContext) -> Iterable[Finding]:
    options = context.options
    skew, tolerance, floor = _limits(
        options.get("clock-skew", "5m"),
        options.get("related-tolerance", "1d"),
        options.get("floor", "1995-01-01"),
    )
    _feed_order(options)
    now = context.now or datetime.now(UTC)
    article_time: datetime | None = None
    readings: list[tuple[str, Timestamp]] = []
    for pointer, text in _dates(article, context):
        reading = read_timestamp(text)
        if isinstance(reading, DateProblem):
            fix = None
            if reading.suggestion is not None:
                fix = Fix(pointer, reading.suggestion, "write the date the RFC 3339 way")
            message = f"{human_path(pointer)} {text} {reading.message}"
            yield Finding(reading.code, message, pointer, fix=fix)
            continue
        if reading.unknown_offset:
            yield Finding(
                "FL404",
                f"{human_path(pointer)} {text} has the offset -00:00, which RFC 3339 reserves for "
                "\"UTC, local offset unknown\"; write Z for UTC, or the real offset",
                pointer,
            )
        future = reading.instant - now
        if future > skew:
            yield Finding(
                "FL405",
                f"{human_path(pointer)} {text} is {_human(future)} in the future (now is "
                f"{now.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}); check the year, "
                "month and time zone",
                pointer,
            )
            continue
        if reading.instant < floor:
            yield Finding(
                "FL407",
                f"{human_path(pointer)} {text} is before {floor.date().isoformat()}, earlier "
                "than any article in a news feed: a placeholder or a wrong year?",
                pointer,
            )
            continue  # a placeholder date is not compared with others
        if pointer == "/publishedDateTime":
            article_time = reading.instant
        else:
            readings.append((pointer, reading))
    if article_time is None:
        return
    article_text = article.data.get("publishedDateTime")
    for pointer, reading in readings:
        earlier = article_time - reading.instant
        if earlier > tolerance:
            yield Finding(
                "FL406",
                f"{human_path(pointer)} {reading.text} is {_human(earlier)} before the "
                f"article's publishedDateTime ({article_text}); related coverage should "
                f"not predate the article by more than {_human(tolerance)}",
                pointer,
            )


# -- feed order across files ------------------------------------------------

_INDEX = re.compile(r"(\d+)_")


@dataclass(frozen=True, slots=True)
class OrderFact:
    """What the feed-order check keeps of one numbered file."""

    folder: str
    name: str
    index: int
    instant: float
    text: str
    span: tuple[int, int, int, int]


def collect(article: Article, context: RuleContext) -> OrderFact | None:
    if _feed_order(context.options) == "off":
        return None
    name = os.path.basename(article.path)
    match = _INDEX.match(name)
    value = article.data.get("publishedDateTime")
    if match is None or not isinstance(value, str) or not context.is_valid("/publishedDateTime"):
        return None
    reading = read_timestamp(value)
    if isinstance(reading, DateProblem):
        return None
    span = article.span_of("/publishedDateTime")
    return OrderFact(
        folder=os.path.dirname(article.path),
        name=name,
        index=int(match.group(1)),
        instant=reading.instant.timestamp(),
        text=value,
        span=(span.line, span.column, span.end_line, span.end_column),
    )


def across(
    gathered: Iterable[tuple[str, Any]], options: Mapping[str, Any]
) -> Iterable[tuple[str, Finding]]:
    order = _feed_order(options)
    if order == "off":
        return
    folders: dict[str, list[tuple[str, OrderFact]]] = {}
    for path, fact in gathered:
        if isinstance(fact, OrderFact):
            folders.setdefault(fact.folder, []).append((path, fact))
    for files in folders.values():
        files.sort(key=lambda pair: (pair[1].index, pair[1].name))
        for (before_path, before), (path, fact) in zip(files, files[1:], strict=False):
            if order == "newest-first" and fact.instant > before.instant:
                relation = "newer"
            elif order == "oldest-first" and fact.instant < before.instant:
                relation = "older"
            else:
                continue
            line = before.span[0]
            yield path, Finding(
                "FL408",
                f"publishedDateTime {fact.text} is {relation} than that of {before.name} "
                f"({before.text}, {before_path}:{line}), which comes before this file in "
                f"the folder's {order} order; renumber the file or correct the date",
                "/publishedDateTime",
                span=Span(*fact.span),
            )


def related(fact: OrderFact | None) -> tuple[str, ...]:
    """Files are compared with the others of their folder."""
    return (fact.folder,) if isinstance(fact, OrderFact) else ()


MODULE = RuleModule(
    name="dates", rules=RULES, check=check, collect=collect, across=across, options=OPTIONS,
    related=related,
)
