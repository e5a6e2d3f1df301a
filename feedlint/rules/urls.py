"""FL2xx: an article's URLs are valid, secure, clean and agree with each other.

Every URL field (``originalUrl``, ``webUrl``, ``ampWebUrl``, ``cdnAmpWebUrl``,
``images[].url``, and the same inside related items) must be an absolute
http(s) URL with a valid host; ``provider.domain`` must own the host of
``webUrl`` (by the Public Suffix List); ``ampWebUrl`` stays on the site of
``webUrl`` and ``cdnAmpWebUrl`` is exactly its Google AMP Cache URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from feedlint.ampcache import AmpCacheError, cache_url
from feedlint.diagnostics import Finding, Fix, Severity
from feedlint.document import Article, human_path
from feedlint.domains import (
    HostError,
    ascii_host,
    is_ip,
    is_public_suffix,
    is_within,
    registrable_domain,
    same_site,
)
from feedlint.rules._base import Option, Rule, RuleContext, RuleModule
from feedlint.rules._fields import ITEM_URL_FIELDS, images, items, text_value
from feedlint.weburl import WebUrl, parse_web_url

#: Query parameters that only say where a reader came from (``*`` ends a prefix).
DEFAULT_TRACKING_PARAMETERS = (
    "utm_*",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "mc_cid",
    "mc_eid",
    "yclid",
    "igshid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wt_mc",
)

HOST_MODES = ("registrable-domain", "exact", "any")

OPTIONS = {
    "tracking-parameters": Option(
        list(DEFAULT_TRACKING_PARAMETERS),
        "query parameters reported by FL204 in webUrl and originalUrl (a trailing * "
        "matches a prefix; case is ignored)",
    ),
    "original-url-host": Option(
        "registrable-domain",
        "how far originalUrl's host may differ from webUrl's (FL205): "
        "registrable-domain (www.example.com and example.com agree), exact, or any",
        validate=lambda value: _host_mode(value),
    ),
}

#: Each code by its own name, for the modules that raise it.
FL201 = "FL201"
FL202 = "FL202"
FL203 = "FL203"
FL204 = "FL204"
FL205 = "FL205"
FL206 = "FL206"
FL207 = "FL207"

#: Where the rules' ground comes from (``Rule.references``).
_RFC_3986 = "RFC 3986, URI Generic Syntax <https://www.rfc-editor.org/rfc/rfc3986>"
_WHATWG_URL = "WHATWG URL Standard <https://url.spec.whatwg.org/>"
_PSL = "Public Suffix List <https://publicsuffix.org/>"
_AMP_CACHE = (
    "Google AMP Cache URL format "
    "<https://developers.google.com/amp/cache/overview#amp-cache-url-format>"
)
_AMP_TOOLBOX = (
    "@ampproject/toolbox-cache-url, the reference implementation "
    "<https://www.npmjs.com/package/@ampproject/toolbox-cache-url>"
)

RULES = (
    Rule(
        code=FL201,
        name="invalid-url",
        summary="A URL that a browser cannot open as a web page address",
        what="A URL field (originalUrl, webUrl, ampWebUrl, cdnAmpWebUrl, an image's url, "
        "the same in related items) is not an absolute http(s) URL with a valid host: it "
        "holds a space, a control or invisible character, is relative or "
        "scheme-relative, uses another scheme (javascript:, data:, file:), has a user name "
        "before the host, a port that is not a number, or a host that is not a valid "
        "domain name or IP address. Internationalized hosts (bücher.ch) are valid. A "
        "scheme written with capitals (`HTTPS://`) is reported here, with the URL in lower "
        "case, and fixed.",
        why="Readers click these links and crawlers fetch them; an invalid one is a dead "
        "link at best, and a javascript: or user@host URL is a way to attack readers.",
        example='webUrl: "https://www.example.com/2023/08/07/a\\u200bheadline/"\n',
        fixed='webUrl: "https://www.example.com/2023/08/07/a-headline/"\n',
        fix="Writes a scheme in capitals in lower case (`HTTPS://` to `https://`); other "
        "problems need the right URL.",
        references=(_RFC_3986, _WHATWG_URL),
    ),
    Rule(
        code=FL202,
        name="insecure-url",
        summary="An http: URL where https: is expected",
        what="A URL field uses http: instead of https:.",
        why="Browsers warn about or block plain-http pages and mixed-content images; "
        "almost every publisher serves https today.",
        example="webUrl: http://www.example.com/2023/08/07/a-headline/\n",
        fixed="webUrl: https://www.example.com/2023/08/07/a-headline/\n",
        severity=Severity.WARNING,
    ),
    Rule(
        code=FL203,
        name="provider-domain-mismatch",
        summary="provider.domain does not own the host of webUrl",
        what="`provider.domain` must be the host of `webUrl` (and of `originalUrl`) or a "
        "parent domain of it that a publisher can own: a registrable domain by the Public "
        "Suffix List, or a subdomain of one (`wsj.com` for `www.wsj.com`, `acm.org` for "
        "`cacm.acm.org`, `bbc.co.uk` for `www.bbc.co.uk`). A public suffix such as "
        "`co.uk` is not a publisher's domain. Checked for the article and every related "
        "item. The message names the domain to use only when it is certain (a sibling "
        "subdomain, a public suffix above the site) or one edit away (a typo); when the "
        "item's other URLs are on the domain, it says to check the URL's host instead; "
        "otherwise it names the URL's site. Hosts are shown as written (Unicode or "
        "punycode).",
        why="The feed attributes the article to its provider by this domain; a wrong one "
        "credits another publisher or groups unrelated sites together.",
        example="webUrl: https://www.bbc.co.uk/news/a\nprovider:\n  name: BBC\n"
        "  domain: co.uk\n",
        fixed="webUrl: https://www.bbc.co.uk/news/a\nprovider:\n  name: BBC\n"
        "  domain: bbc.co.uk\n",
        references=(_PSL,),
    ),
    Rule(
        code=FL204,
        name="tracking-parameters",
        summary="A tracking parameter (utm_*, fbclid, ...) in an article URL",
        what="`webUrl` or `originalUrl` (of the article or a related item) carries query "
        "parameters that only record where a reader came from: `utm_*`, `fbclid`, "
        "`gclid`, `mc_cid` and others (option `tracking-parameters`).",
        why="The canonical URL must be the same for every reader; tracking parameters "
        "split one article into many URLs and defeat duplicate detection.",
        example="webUrl: https://www.example.com/a?utm_source=twitter&id=7\n",
        fixed="webUrl: https://www.example.com/a?id=7\n",
        severity=Severity.WARNING,
        fix="Drops the tracking parameters from webUrl, keeping the other parameters in "
        "order. originalUrl is left as it is: it records where the article was found.",
    ),
    Rule(
        code=FL205,
        name="url-host-mismatch",
        summary="webUrl and originalUrl are on different sites",
        what="`originalUrl` names another host than `webUrl`. By default hosts of one "
        "registrable domain agree (`techstory.in` and `www.techstory.in`); the option "
        "`original-url-host` makes it `exact` or turns it off (`any`).",
        why="Both URLs name the same article; another site usually means one of them was "
        "copied from the wrong article.",
        example="webUrl: https://www.example.com/a\noriginalUrl: https://www.example.org/a\n",
        fixed="webUrl: https://www.example.com/a\noriginalUrl: https://example.com/a\n",
        severity=Severity.WARNING,
        references=(_PSL,),
    ),
    Rule(
        code=FL206,
        name="amp-url-off-site",
        summary="ampWebUrl is on another site than webUrl",
        what="`ampWebUrl` must share the registrable domain of `webUrl` "
        "(`amp.techcrunch.com` for `techcrunch.com` is fine). That the two AMP fields come "
        "as a pair is checked by the schema (FL101).",
        why="A publisher serves its own AMP page; one on another site is the AMP page of "
        "another article.",
        example="ampWebUrl: https://www.example.org/a/amp/\n"
        "cdnAmpWebUrl: https://www-example-org.cdn.ampproject.org/c/s/www.example.org/a/amp/\n",
        fixed="ampWebUrl: https://www.example.com/a/amp/\n"
        "cdnAmpWebUrl: https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp/\n",
        references=(_PSL,),
    ),
    Rule(
        code=FL207,
        name="amp-cache-url-mismatch",
        summary="cdnAmpWebUrl is not the Google AMP Cache URL of ampWebUrl",
        what="`cdnAmpWebUrl` must be exactly the AMP Cache URL of `ampWebUrl` as the "
        "published algorithm computes it: the host turned into a cache subdomain "
        "(`-` doubled, `.` to `-`, IDN and long hosts handled as specified), then "
        "`.cdn.ampproject.org/c/`, `s/` for https, and the host, path and query of the "
        "AMP URL. The message gives the right value.",
        why="The cache URL is derived, never chosen: one that differs points at another "
        "page or at nothing, and readers of the AMP version get an error.",
        example="ampWebUrl: https://www.example.com/a/amp/\n"
        "cdnAmpWebUrl: https://www.example.com.cdn.ampproject.org/c/s/www.example.com/a/amp/\n",
        fixed="ampWebUrl: https://www.example.com/a/amp/\n"
        "cdnAmpWebUrl: https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp/\n",
        fix="Sets cdnAmpWebUrl to the AMP Cache URL computed from ampWebUrl.",
        references=(_AMP_CACHE, _AMP_TOOLBOX),
    ),
)


@lru_cache(maxsize=16)
def _tracking_matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern.endswith("*"):
            alternatives.append(re.escape(pattern[:-1]) + ".*")
        else:
            alternatives.append(re.escape(pattern))
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile("(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def tracking_parameters(url: WebUrl, matcher: re.Pattern[str]) -> list[str]:
    """Names of the tracking parameters in ``url``'s query, as written."""
    if not url.query:
        return []
    names = [pair.split("=", 1)[0] for pair in url.query.split("&")]
    return [name for name in names if name and matcher.fullmatch(name)]


def without_tracking(text: str, matcher: re.Pattern[str]) -> str:
    """``text`` with its tracking parameters dropped (the rest kept as written)."""
    head, hash_sign, fragment = text.partition("#")
    base, question, query = head.partition("?")
    if not question:
        return text
    kept = [p for p in query.split("&") if not (p and matcher.fullmatch(p.split("=", 1)[0]))]
    kept = [p for p in kept if p]
    rebuilt = base + ("?" + "&".join(kept) if kept else "")
    return rebuilt + hash_sign + fragment


def _domain_problem(domain: str, host: str, name: str) -> str | None:
    """Why ``domain`` (ASCII) cannot be the provider domain of ``host``, or None."""
    if domain == host:
        return None
    if is_ip(host):
        return f"is not the host of {name} ({host}), which is an IP address"
    if is_within(host, domain):
        if is_public_suffix(domain):
            return (
                "is a public suffix, shared by unrelated sites, not a publisher's domain "
                f"(the host of {name} is {host})"
            )
        return None
    return f"is neither the host of {name} ({host}) nor a parent domain of it"


def _check_provider(
    prefix: str,
    item: Mapping[str, Any],
    web: WebUrl | None,
    original: WebUrl | None,
    context: RuleContext,
    others: Mapping[str, WebUrl] | None = None,
) -> Iterator[Finding]:
    provider = item.get("provider")
    if not isinstance(provider, dict) or web is None:
        return
    pointer = f"{prefix}/provider/domain"
    domain_text = text_value(provider, "domain", pointer, context)
    if domain_text is None:
        return
    try:
        domain = ascii_host(domain_text)
    except HostError as err:
        yield Finding(
            "FL203",
            f'{human_path(pointer)} "{domain_text}" is not a valid domain name: it {err}',
            pointer,
        )
        return
    checked = [("webUrl", web)]
    # originalUrl on another site is FL205's to report; the provider is checked
    # against it only when both URLs are on one site.
    if original is not None and original.host != web.host and same_site(original.host, web.host):
        checked.append(("originalUrl", original))
    for name, url in checked:
        problem = _domain_problem(domain, url.host, name)
        if problem is None:
            continue
        unicode = not domain_text.isascii() or not url.text.isascii()
        if unicode:
            problem = problem.replace(url.host, _unicode_host(url.host))
        advice = _provider_advice(domain, url.host, name, others or {}, unicode)
        yield Finding("FL203", f'{human_path(pointer)} "{domain_text}" {problem}{advice}', pointer)
        return


def _unicode_host(host: str) -> str:
    """An ASCII host with its punycode labels in Unicode, as a person writes it."""
    if "xn--" not in host:
        return host
    import encodings.idna

    labels = []
    for label in host.split("."):
        try:
            labels.append(encodings.idna.ToUnicode(label) if label.startswith("xn--") else label)
        except UnicodeError:
            return host
    return ".".join(labels)


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        row = [i]
        for j, char_b in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def _provider_advice(
    domain: str, host: str, name: str, others: Mapping[str, WebUrl], unicode: bool
) -> str:
    """What to write instead, only when it is certain or the domain is a near miss:
    the site of ``host`` when ``domain`` is on that site or a public suffix above it,
    or a near miss of it (one edit: a typo); when the item's other URLs are on ``domain``, the
    host of ``name`` is the one to check."""
    site = registrable_domain(host) or host
    shown = _unicode_host(site) if unicode else site
    if registrable_domain(domain) == site or (is_within(host, domain) and is_public_suffix(domain)):
        return f': use "{shown}"'
    agreeing = [
        field for field, url in others.items()
        if field != name and is_within(url.host, domain)
    ]
    if agreeing:
        return (
            f"; {', '.join(agreeing)} {'is' if len(agreeing) == 1 else 'are'} on it: check "
            f"the host of {name}"
        )
    if not is_ip(domain):
        written = registrable_domain(domain) or domain
        if _distance(written, site) <= 1:
            return f': did you mean "{shown}"?'
    return f" (the site of {name} is {shown})"


def _host_mode(value: Any) -> str:
    if value not in HOST_MODES:
        raise ValueError(
            f"option original-url-host must be one of {', '.join(HOST_MODES)}, got {value!r}"
        )
    return str(value)


def _url_values(prefix: str, item: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(field, pointer, value) of each URL field of one item, its images' last
    (field ``url``), in the order of :func:`feedlint.rules._fields.url_fields`."""
    for key in ITEM_URL_FIELDS:
        if key in item:
            yield key, f"{prefix}/{key}", item[key]
    for pointer, image in images(item, prefix):
        if "url" in image:
            yield "url", f"{pointer}/url", image["url"]


def check(article: Article, context: RuleContext) -> Iterable[Finding]:
    options = context.options
    # Each item's valid URLs by field, and its cdnAmpWebUrl's FL201 if it has one:
    # an invalid cdnAmpWebUrl is reported as FL207, with the right value, when its
    # ampWebUrl is valid: what is wrong with it is that it was not derived.
    read: list[tuple[str, Mapping[str, Any], dict[str, WebUrl], Finding | None]] = []
    for prefix, item in items(article.data):
        urls: dict[str, WebUrl] = {}
        invalid_cdn = None
        for key, pointer, value in _url_values(prefix, item):
            if not isinstance(value, str) or not context.is_valid(pointer):
                continue
            parsed = parse_web_url(value)
            if isinstance(parsed, str):
                finding = Finding("FL201", f"{human_path(pointer)} {parsed}", pointer)
                if key == "cdnAmpWebUrl":
                    invalid_cdn = finding
                else:
                    yield finding
                continue
            urls[key] = parsed
            scheme = value[: len(parsed.scheme)]
            if scheme != parsed.scheme:
                lower = parsed.scheme + value[len(scheme) :]
                yield Finding(
                    "FL201",
                    f"{human_path(pointer)} writes its scheme {scheme}: with capitals; a URL's "
                    f"scheme is written in lower case: {lower}",
                    pointer,
                    fix=Fix(pointer, lower, f"write the scheme of {human_path(pointer)} in "
                            "lower case"),
                )
            if parsed.scheme == "http":
                yield Finding(
                    "FL202",
                    f"{human_path(pointer)} uses http:, not https:; use https{value[4:]} if "
                    "the site serves it",
                    pointer,
                )
        read.append((prefix, item, urls, invalid_cdn))

    matcher = _tracking_matcher(tuple(options.get("tracking-parameters", ())))
    host_mode = _host_mode(options.get("original-url-host", "registrable-domain"))
    for prefix, item, urls, invalid_cdn in read:
        web = urls.get("webUrl")
        original = urls.get("originalUrl")
        yield from _check_provider(prefix, item, web, original, context, urls)
        for key, url in (("webUrl", web), ("originalUrl", original)):
            if url is None:
                continue
            found = tracking_parameters(url, matcher)
            if not found:
                continue
            pointer = f"{prefix}/{key}"
            names = ", ".join(found)
            plural = "s" if len(found) > 1 else ""
            fix = None
            if key == "webUrl":
                clean = without_tracking(url.text, matcher)
                fix = Fix(pointer, clean, f"drop the tracking parameter{plural} {names}")
            yield Finding(
                "FL204",
                f"{human_path(pointer)} carries the tracking parameter{plural} {names}; "
                f"the canonical URL is {without_tracking(url.text, matcher)}",
                pointer,
                fix=fix,
            )

        if web is not None and original is not None and host_mode != "any":
            differs = (
                original.host != web.host
                if host_mode == "exact"
                else not same_site(original.host, web.host)
            )
            if differs:
                what = "host" if host_mode == "exact" else "site"
                yield Finding(
                    "FL205",
                    f"{human_path(prefix + '/originalUrl')} is on {original.host}, another "
                    f"{what} than webUrl ({web.host}); both name the same article",
                    f"{prefix}/originalUrl",
                )

        amp = urls.get("ampWebUrl")
        off_site = amp is not None and web is not None and not same_site(amp.host, web.host)
        if (amp is None or off_site) and invalid_cdn is not None:
            yield invalid_cdn
        if amp is None:
            continue
        amp_pointer = f"{prefix}/ampWebUrl"
        if web is not None and off_site:
            site = registrable_domain(web.host) or web.host
            yield Finding(
                "FL206",
                f"{human_path(amp_pointer)} is on {amp.host}, not on the site of webUrl "
                f"({site}); the AMP page is the same article on the same site",
                amp_pointer,
            )
            continue
        cdn_pointer = f"{prefix}/cdnAmpWebUrl"
        cdn_text = text_value(item, "cdnAmpWebUrl", cdn_pointer, context)
        if cdn_text is None:
            continue
        try:
            expected = cache_url(amp.text)
        except AmpCacheError:  # pragma: no cover - a parsed URL always has a cache URL
            continue
        if cdn_text != expected:
            yield Finding(
                "FL207",
                f"{human_path(cdn_pointer)} is not the AMP Cache URL of ampWebUrl; "
                f"it should be {expected}",
                cdn_pointer,
                fix=Fix(cdn_pointer, expected, "set cdnAmpWebUrl to the cache URL of ampWebUrl"),
            )


MODULE = RuleModule(name="urls", rules=RULES, check=check, options=OPTIONS)
