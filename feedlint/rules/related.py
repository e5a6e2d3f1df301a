"""FL5xx (related): related coverage is other pages than the article, each listed once.

URLs are compared as decided for feedlint: scheme and host lowercased (IDN hosts
in punycode), the default port and the fragment dropped, an empty path read as
``/``; path and query as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from feedlint.diagnostics import Finding
from feedlint.document import Article, human_path
from feedlint.rules._base import Rule, RuleContext, RuleModule
from feedlint.rules._fields import items, text_value
from feedlint.weburl import WebUrl, parse_web_url

_RELATED = (
    "related:\n  - title: \"Coverage elsewhere\"\n"
    "    webUrl: https://www.example.org/coverage\n"
    "    provider: {name: Other, domain: example.org}\n"
)

#: Each code by its own name, for the modules that raise it.
FL510 = "FL510"
FL511 = "FL511"

RULES = (
    Rule(
        code=FL510,
        name="related-self-reference",
        summary="A related item is the article itself",
        what="A related item's `webUrl` is the article's own `webUrl` or `originalUrl` "
        "(compared without the fragment, the default port and the case of the scheme and "
        "host).",
        why="Related coverage links readers elsewhere; a link back to the same page is "
        "a wasted slot and usually a copy-and-paste mistake.",
        example="webUrl: https://www.example.com/a\nrelated:\n  - title: \"The same\"\n"
        "    webUrl: https://WWW.EXAMPLE.COM/a#top\n"
        "    provider: {name: Example, domain: example.com}\n",
        fixed="webUrl: https://www.example.com/a\n" + _RELATED,
    ),
    Rule(
        code=FL511,
        name="duplicate-related",
        summary="Two related items have the same webUrl",
        what="A related item's `webUrl` is the same page as an earlier item's; the later "
        "one is reported, naming the first.",
        why="The same coverage listed twice is shown twice to readers.",
        example=_RELATED + "  - title: \"Coverage elsewhere, again\"\n"
        "    webUrl: https://www.example.org/coverage\n"
        "    provider: {name: Other, domain: example.org}\n",
        fixed=_RELATED,
    ),
)


def _url(item: Mapping[str, Any], key: str, pointer: str, context: RuleContext) -> WebUrl | None:
    text = text_value(item, key, pointer, context)
    if text is None:
        return None
    parsed = parse_web_url(text)
    return None if isinstance(parsed, str) else parsed


def check(article: Article, context: RuleContext) -> Iterable[Finding]:
    data = article.data
    own: dict[str, str] = {}
    for key in ("webUrl", "originalUrl"):
        url = _url(data, key, f"/{key}", context)
        if url is not None:
            own.setdefault(url.comparable, key)
    seen: dict[str, str] = {}
    for prefix, item in items(data):
        if not prefix:
            continue
        pointer = f"{prefix}/webUrl"
        url = _url(item, "webUrl", pointer, context)
        if url is None:
            continue
        key = url.comparable
        if key in own:
            yield Finding(
                "FL510",
                f"{human_path(pointer)} is the article's own {own[key]}; related items "
                "are other coverage of the story",
                pointer,
            )
        elif key in seen:
            first = seen[key]
            line = article.span_of(first).line
            yield Finding(
                "FL511",
                f"{human_path(pointer)} is the same page as {human_path(first)} "
                f"(line {line}); list each related article once",
                pointer,
            )
        else:
            seen[key] = pointer


MODULE = RuleModule(name="related", rules=RULES, check=check)
