"""The Google AMP Cache URL of a page, computed by the published algorithm.

``cdnAmpWebUrl`` must be exactly what the AMP Cache serves ``ampWebUrl`` under.
The steps are the AMP project's "AMP Cache URL format" (its reference generator
is ampproject/amp-toolbox, packages/cache-url), as settled for feedlint:

Cache subdomain of an origin host:

0. lowercase the host;
1. punycode-decode its ``xn--`` labels (RFC 3492) to Unicode;
2. replace every ``-`` with ``--``;
3. replace every ``.`` with ``-``;
4. when the result has ``-`` at both positions 3 and 4 (1-based), wrap it as
   ``0-<result>-0``;
5. when the result holds non-ASCII characters, punycode-encode it (raw
   punycode with an ``xn--`` prefix; the IDNA codec rejects some hosts);
6. when that is longer than a DNS label (63), or the host has no dot, or it
   mixes right-to-left and left-to-right scripts, use instead the SHA-256 of
   the lowercase ASCII host, base32-encoded, lowercase, without padding.

The cache URL is ``https://<subdomain>.cdn.ampproject.org`` + ``/c`` (a page;
``/i`` an image, ``/r`` a font or other resource, ``/v`` the viewer) + ``/s``
when the origin is https + ``/<host>`` (lowercase ASCII, with its port if one
is written) + the path and query exactly as written. User information and the
fragment are dropped.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import urlsplit

#: The AMP Cache operated by Google.
GOOGLE_CACHE = "cdn.ampproject.org"
#: Longest DNS label.
MAX_LABEL = 63

# The script classes of the reference generator: a host whose Unicode form has
# characters of both is not given a human-readable subdomain. Compiled on first
# use (only a non-ASCII host needs them): their wide ranges cost milliseconds.
_LTR = (
    "[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02b8\u0300-\u0590\u0800-\u1fff"
    "\u200e\u2c00-\ufb1c\ufe00-\ufe6f\ufefd-\uffff]"
)
_RTL = "[\u0591-\u06ef\u06fa-\u07ff\u200f\ufb1d-\ufdff\ufe70-\ufefc]"


@cache
def _script(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _mixes_scripts(unicode_host: str) -> bool:
    # An ASCII host has no right-to-left character.
    return not unicode_host.isascii() and bool(
        _script(_LTR).search(unicode_host) and _script(_RTL).search(unicode_host)
    )

_KINDS = frozenset({"c", "i", "r", "v"})


class AmpCacheError(ValueError):
    """The URL or host has no AMP Cache URL (not http(s), no host, bad punycode)."""


def _decode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError) as err:
            raise AmpCacheError(f"{label!r} is not valid punycode") from err
    return label


def _encode_label(label: str) -> str:
    if label.isascii():
        return label
    return "xn--" + label.encode("punycode").decode("ascii")


def ascii_host(host: str) -> str:
    """The lowercase ASCII (punycode) form of ``host``, label by label."""
    return ".".join(_encode_label(label) for label in host.lower().split("."))


def _fallback(host: str) -> str:
    import base64
    import hashlib

    digest = hashlib.sha256(ascii_host(host).encode("ascii")).digest()
    return base64.b32encode(digest).decode("ascii").lower().rstrip("=")


@lru_cache(maxsize=1024)
def cache_subdomain(host: str) -> str:
    """The AMP Cache subdomain for an origin host (``example.com`` -> ``example-com``)."""
    host = host.lower()
    if not host:
        raise AmpCacheError("the URL has no host")
    unicode_host = ".".join(_decode_label(label) for label in host.split("."))
    if "." not in host or _mixes_scripts(unicode_host):
        return _fallback(host)
    subdomain = unicode_host.replace("-", "--").replace(".", "-")
    if len(subdomain) >= 4 and subdomain[2] == "-" and subdomain[3] == "-":
        subdomain = f"0-{subdomain}-0"
    if not subdomain.isascii():
        subdomain = "xn--" + subdomain.encode("punycode").decode("ascii")
    if len(subdomain) > MAX_LABEL:
        return _fallback(host)
    return subdomain


def cache_url(url: str, kind: str = "c", cache: str = GOOGLE_CACHE) -> str:
    """The AMP Cache URL of ``url``; ``kind`` is ``c`` (a page), ``i``, ``r`` or ``v``.

    Raises :class:`AmpCacheError` when ``url`` is not an absolute http(s) URL with a host.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {sorted(_KINDS)}, not {kind!r}")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as err:
        raise AmpCacheError(f"cannot parse {url!r}: {err}") from err
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise AmpCacheError(f"{url!r} is not an http(s) URL")
    if not hostname:
        raise AmpCacheError(f"{url!r} has no host")
    # The port stays as written ("example.com:8080"); user information is dropped.
    hostport = parts.netloc.rsplit("@", 1)[-1]
    written_port = hostport.rsplit("]", 1)[-1].partition(":")[2]
    host = f"[{hostname}]" if ":" in hostname else ascii_host(hostname)
    if written_port:
        host = f"{host}:{written_port}"
    path = parts.path
    if parts.query or url.split("#", 1)[0].endswith("?"):
        path += "?" + parts.query
    secure = "/s" if scheme == "https" else ""
    return f"https://{cache_subdomain(hostname)}.{cache}/{kind}{secure}/{host}{path}"


__all__ = ["GOOGLE_CACHE", "AmpCacheError", "ascii_host", "cache_subdomain", "cache_url"]
