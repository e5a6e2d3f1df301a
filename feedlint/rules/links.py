"""FL6xx: links and images checked over the network with ``feedlint check --probe``.

No check runs here: the probe (:mod:`feedlint.probe`) fetches the URLs and reports
these codes. This module documents them and, on ``--probe`` runs only, collects
each article's URLs with the place that holds them, so that a finding lands on
the field in every file that mentions the URL.
"""

from __future__ import annotations

from typing import Any

from feedlint.diagnostics import Severity
from feedlint.document import Article
from feedlint.rules._base import Rule, RuleContext, RuleModule

#: Each code by its own name, for the modules that raise it.
FL601 = "FL601"
FL602 = "FL602"
FL603 = "FL603"
FL604 = "FL604"
FL605 = "FL605"
FL606 = "FL606"
FL607 = "FL607"
FL608 = "FL608"
FL609 = "FL609"

#: Where the rules' ground comes from (``Rule.references``).
_HTTP = "RFC 9110, HTTP Semantics <https://www.rfc-editor.org/rfc/rfc9110>"
_HTTP_STATUS = "RFC 9110, section 15: Status Codes <https://www.rfc-editor.org/rfc/rfc9110#section-15>"
_SPECIAL_ADDRESSES = (
    "RFC 6890, Special-Purpose IP Address Registries <https://www.rfc-editor.org/rfc/rfc6890>"
)
_PRIVATE_ADDRESSES = (
    "RFC 1918, Address Allocation for Private Internets <https://www.rfc-editor.org/rfc/rfc1918>"
)

RULES = (
    Rule(
        code=FL601,
        name="broken-link",
        summary="A link answers with an error status",
        what="The URL answers 404 Not Found, 410 Gone, another 4xx status, a 5xx "
        "status that persisted through the retries, or a redirect with no `Location`. "
        "When redirects came first, the message says where they led.",
        why="Readers who follow the link get an error page; a feed full of dead links "
        "loses their trust.",
        example="(webUrl: https://example.com/2023/08/removed-story/, which answers 404 Not Found)",
        fixed="(webUrl: https://example.com/2023/08/the-story/, which answers 200 OK)",
        illustrative=True,
        references=(_HTTP_STATUS,),
    ),
    Rule(
        code=FL602,
        name="unreachable-link",
        summary="A link cannot be fetched at all",
        what="No HTTP answer came: the host name does not resolve, the connection is "
        "refused or reset, the answer is not HTTP, TLS fails, every attempt took "
        "longer than `--probe-timeout` (the retries included), or the whole check of "
        "the URL (every redirect, retry and `Retry-After` wait) would take longer than "
        "`--probe-url-deadline`.",
        why="A site that cannot be reached from the checker usually cannot be reached "
        "by readers either: a lapsed domain, a typo in the host, a dead server.",
        example="(webUrl: https://exmaple.com/2023/08/the-story/, a host name that does "
        "not resolve)",
        fixed="(webUrl: https://example.com/2023/08/the-story/)",
        illustrative=True,
        references=(_HTTP,),
    ),
    Rule(
        code=FL603,
        name="redirect-loop",
        summary="A link redirects in a loop or too many times",
        what="Following the redirects comes back to a URL already visited, or takes "
        "more than 10 hops (`probe-max-redirects`).",
        why="Browsers give up on such links with an error; readers never see the page.",
        example="(webUrl: https://example.com/a, which redirects to /b, which redirects to /a)",
        fixed="(webUrl: https://example.com/the-story/, which answers 200 OK)",
        illustrative=True,
        references=(_HTTP_STATUS,),
    ),
    Rule(
        code=FL604,
        name="blocked-link",
        summary="A site turns the link checker away (401, 403, 429, 451, 999)",
        what="The URL answers 401 or 403, 429 Too Many Requests after the retries (or "
        "with a `Retry-After` longer than the cap), 451 Unavailable For Legal Reasons, "
        "or LinkedIn's 999. The page may well work in a browser.",
        why="Blocked is not broken: many sites refuse automated clients. It is a "
        "warning so that CI does not fail on it; accept a status with "
        "`probe-accept-status` in the configuration when a site always does this.",
        example="(webUrl: https://www.example.com/members-only/, which answers 403 Forbidden)",
        fixed="(the same URL, with 403 in probe-accept-status)",
        illustrative=True,
        severity=Severity.WARNING,
        references=(_HTTP_STATUS,),
    ),
    Rule(
        code=FL605,
        name="moved-link",
        summary="A link redirects permanently to another URL",
        what="The URL answers 301 or 308 (permanent redirects) to another URL. A move "
        "that only changes `http:` to `https:` is not reported here (the `http:` "
        "warning already says so). The message names where the link moved.",
        why="The old URL works today through the redirect, but may not tomorrow, and "
        "every reader pays for the extra round trip. Link to the new place.",
        example="(webUrl: https://example.com/?p=1234, which answers 301 with Location: "
        "/2023/08/the-story/)",
        fixed="(webUrl: https://example.com/2023/08/the-story/)",
        illustrative=True,
        severity=Severity.WARNING,
        references=(_HTTP_STATUS,),
    ),
    Rule(
        code=FL606,
        name="image-size-mismatch",
        summary="An image's real size differs from its declared width and height",
        what="The first bytes of the image, fetched with a Range request, give its "
        "real width and height (as shown, EXIF orientation applied); they differ from "
        "the `width` and `height` the article declares. The message names both sizes.",
        why="Pages reserve the declared size for the image: a wrong size distorts it "
        "or shifts the layout while it loads.",
        example="(images[0] with url: https://example.com/photo.jpg, width: 800, "
        "height: 492, for a photo of 1024x683 pixels)",
        fixed="(the same image with width: 1024, height: 683)",
        illustrative=True,
    ),
    Rule(
        code=FL607,
        name="refused-link",
        summary="A link points at a private address, or is not a plain http(s) URL",
        what="The probe did not fetch this URL: its host resolves to a loopback, "
        "private, link-local, shared (CGNAT), multicast, reserved or cloud metadata "
        "address, or the URL (or a redirect it leads to) carries a user name or "
        "password or is not http or https. `--probe-allow-private` lifts the address "
        "check for audits of your own network.",
        why="An article's links are for the public: a private address is a mistake "
        "(a staging link) or an attempt to make the checker reach internal services "
        "from CI.",
        example="(webUrl: http://192.168.1.20/preview/the-story/, a private address)",
        fixed="(webUrl: https://example.com/2023/08/the-story/)",
        illustrative=True,
        references=(_SPECIAL_ADDRESSES, _PRIVATE_ADDRESSES),
    ),
    Rule(
        code=FL608,
        name="not-an-image",
        summary="An image URL serves something that is not an image",
        what="The URL of an image answers with content that is no image format "
        "(often an HTML page: a login wall or a 'not found' page served with 200).",
        why="Readers see a broken image icon.",
        example="(images[0].url: https://example.com/photo, which serves a text/html page)",
        fixed="(images[0].url: https://example.com/photo.jpg, which serves image/jpeg)",
        illustrative=True,
    ),
    Rule(
        code=FL609,
        name="image-size-unknown",
        summary="An image's size could not be read from its first bytes",
        what="The image looks like an image, but its width and height were not found "
        "within the bytes the probe reads (`probe-image-bytes`, 256 KiB by default: "
        "some JPEG files carry large metadata before their size), so its declared "
        "size was not checked.",
        why="The declared size is unverified; a smaller file (metadata stripped) "
        "loads faster too.",
        example="(images[0].url: https://example.com/huge-exif.jpg, whose size comes "
        "after 300 KB of metadata)",
        fixed="(the same photo with its metadata stripped)",
        illustrative=True,
        severity=Severity.WARNING,
    ),
)

#: Fields holding a page URL, on an article and on a related item.
PAGE_FIELDS = ("webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl")

#: One URL in one file: (url, pointer, is_image, span as (line, column, end_line,
#: end_column), declared (width, height) or None). Tuples: small and picklable.
Place = tuple[str, str, bool, tuple[int, int, int, int], tuple[int, int] | None]


def collect(article: Article, context: RuleContext) -> list[Place]:
    """Every URL of the article with the field that holds it."""
    places: list[Place] = []
    _collect_item(article, context, "", places)
    related = article.data.get("related")
    if isinstance(related, list):
        for index in range(len(related)):
            _collect_item(article, context, f"/related/{index}", places)
    return places


def _collect_item(article: Article, context: RuleContext, base: str, places: list[Place]) -> None:
    for name in PAGE_FIELDS:
        _add(article, context, f"{base}/{name}", False, None, places)
    images = article.get(f"{base}/images")
    if not isinstance(images, list):
        return
    for index in range(len(images)):
        pointer = f"{base}/images/{index}"
        declared = None
        width, height = article.get(f"{pointer}/width"), article.get(f"{pointer}/height")
        if (
            _is_size(width)
            and _is_size(height)
            and context.is_valid(f"{pointer}/width")
            and context.is_valid(f"{pointer}/height")
        ):
            declared = (int(width), int(height))
        _add(article, context, f"{pointer}/url", True, declared, places)


def _is_size(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _add(
    article: Article,
    context: RuleContext,
    pointer: str,
    image: bool,
    declared: tuple[int, int] | None,
    places: list[Place],
) -> None:
    url = article.get(pointer)
    if not isinstance(url, str) or not url.strip() or not context.is_valid(pointer):
        return
    span = article.span_of(pointer)
    places.append(
        (url, pointer, image, (span.line, span.column, span.end_line, span.end_column), declared)
    )


MODULE = RuleModule(name="links", rules=RULES, collect=collect, probe_only=True)
