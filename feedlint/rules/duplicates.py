"""FL5xx (duplicates): one article, one file, across every file of a run.

Each file keeps its ``webUrl`` and ``originalUrl`` in comparable form (see
:attr:`feedlint.weburl.WebUrl.comparable`); two files that share one are
reported once each, naming the first other file (by path) and how many more
there are, so forty copies make forty lines, not 1,560.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from feedlint._hashing import blake2b
from feedlint.diagnostics import Finding, Span
from feedlint.document import Article
from feedlint.rules._base import Rule, RuleContext, RuleModule
from feedlint.rules._fields import text_value
from feedlint.weburl import parse_web_url

#: Each code by its own name, for the modules that raise it.
FL520 = "FL520"

RULES = (
    Rule(
        code=FL520,
        name="duplicate-article",
        summary="Two files in one run are the same article (same webUrl or originalUrl)",
        what="The `webUrl` or `originalUrl` of this file is also the `webUrl` or "
        "`originalUrl` of another file linted in the same run (compared without the "
        "fragment, the default port and the case of the scheme and host). Each file is "
        "reported once, naming the first other file and its line and how many more "
        "share the URL.",
        why="The same article imported twice appears twice in the feed, and edits made to "
        "one copy never reach the other.",
        example="(a.md and b.md, both with webUrl: https://www.example.com/a, linted "
        "together)",
        fixed="(one of the two files removed)",
        illustrative=True,
    ),
)


class UrlFact(NamedTuple):
    """One article URL of one file: the field, the comparable URL, where it stands.

    A flat tuple, and the URL as a 16-byte digest of its comparable form: a run
    over 100,000 files keeps one or two of these per file until the end, and a
    tuple is also the cheapest thing to send back from a worker process.
    """

    field: str
    key: bytes
    line: int
    column: int
    end_line: int
    end_column: int


def collect(article: Article, context: RuleContext) -> tuple[UrlFact, ...]:
    facts: list[UrlFact] = []
    keys: set[str] = set()
    for field in ("webUrl", "originalUrl"):
        pointer = f"/{field}"
        text = text_value(article.data, field, pointer, context)
        if text is None:
            continue
        url = parse_web_url(text)
        if isinstance(url, str) or url.comparable in keys:
            continue
        keys.add(url.comparable)
        span = article.span_of(pointer)
        key = blake2b(url.comparable.encode("utf-8", "surrogateescape"), digest_size=16)
        facts.append(UrlFact(field, key.digest(), span.line, span.column, span.end_line,
                             span.end_column))
    return tuple(facts)


def across(
    gathered: Iterable[tuple[str, Any]], options: Mapping[str, Any]
) -> Iterable[tuple[str, Finding]]:
    # How many files hold each URL (a count per URL: in an archive nearly every URL
    # is in one file only, and only the shared ones need their files listed).
    counts: dict[bytes, int] = {}
    for _, facts in gathered:
        for fact in facts or ():
            counts[fact.key] = counts.get(fact.key, 0) + 1
    shared_keys = {key for key, count in counts.items() if count > 1}
    del counts
    if not shared_keys:
        return
    # Shared URL -> (path, fact) in path order, each path once.
    shared: dict[bytes, list[tuple[str, UrlFact]]] = {}
    for path, facts in gathered:
        for fact in facts or ():
            if fact.key in shared_keys:
                shared.setdefault(fact.key, []).append((path, fact))
    for files in shared.values():
        files.sort(key=lambda pair: pair[0])
    for path, facts in gathered:
        for fact in facts or ():
            group = shared.get(fact.key)
            if group is None:
                continue
            other_path, other = group[1] if group[0][0] == path else group[0]
            more = len(group) - 2
            also = f" and {more} more file{'s' if more != 1 else ''}" if more else ""
            where = "" if other.field == fact.field else f" (as its {other.field})"
            yield path, Finding(
                "FL520",
                f"{fact.field} is also in {other_path}:{other.line}{where}{also}: the same "
                "article in more than one file; keep one",
                f"/{fact.field}",
                span=Span(fact.line, fact.column, fact.end_line, fact.end_column),
            )
            break


def related(facts: tuple[UrlFact, ...] | None) -> Iterator[bytes]:
    """Files are compared by their URLs' digests."""
    return (fact.key for fact in facts or ())


MODULE = RuleModule(name="duplicates", rules=RULES, collect=collect, across=across,
                    related=related)
