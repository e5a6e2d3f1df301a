"""An article's URLs: parsed, checked, and put in a form that compares.

:func:`parse_web_url` accepts what a browser would open from a feed: an absolute
``http``/``https`` URL with a valid host (IDN allowed), no spaces, control or
invisible characters, and no user name before the host. It returns a
:class:`WebUrl`, or a sentence fragment saying what is wrong (``"has no host"``)
for the rule to put after the field's name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from feedlint.domains import HostError, ascii_host

#: White space, C0 and C1 controls, DEL, and the invisible format characters
#: that survive copy and paste (zero-width spaces, direction marks, BOM).
_BAD_CHAR = re.compile(
    "[\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class WebUrl(NamedTuple):
    """A valid article URL's parts; ``host`` is lowercase ASCII (punycode for IDN).

    A named tuple: every URL field of every article makes one, and a tuple is
    built several times faster than a frozen dataclass.
    """

    text: str
    scheme: str
    host: str
    port: int | None
    path: str
    query: str
    #: Whether a ``?`` is written (an empty query still counts as written).
    has_query: bool

    @property
    def comparable(self) -> str:
        """The URL as duplicates are compared: scheme and host lowercased, the
        default port and the fragment dropped, an empty path read as ``/``; the
        path and query as written."""
        port = "" if self.port in (None, _DEFAULT_PORTS.get(self.scheme)) else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?{self.query}" if self.has_query else ""
        return f"{self.scheme}://{host}{port}{self.path or '/'}{query}"


def _describe_char(char: str) -> str:
    if char == " ":
        return "a space"
    if char == "\t":
        return "a tab"
    if char in "\r\n":
        return "a line break"
    import unicodedata

    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cc":
        return f"the control character {code}"
    return f"the invisible character {code}" + (f" ({name})" if name else "")


#: The usual URL, read in one match: http(s), a host with no brackets and no ``@``,
#: a decimal port or none, then the path, the query and the fragment.
_USUAL = re.compile(
    r"(https?)://([^/?#\[\]@:]*)(?::([0-9]*))?(/[^?#]*)?(?:(\?)([^#]*))?(?:#.*)?",
    re.IGNORECASE | re.ASCII | re.DOTALL,  # ASCII: no "ſ" for "s"
)

#: (scheme, netloc, port, path, query, has_query), or what is wrong with the URL.
_Parts = tuple[str, str, int | None, str, str, bool]


def _usual_parts(text: str) -> _Parts | None:
    """The parts of the usual URL (an ASCII host, a port in range if any), as
    :func:`urllib.parse.urlsplit` reads them; None for any other, which
    :func:`_other_parts` reads (about five times slower) and explains."""
    match = _USUAL.fullmatch(text)
    if match is None:
        return None
    scheme, hostname, port_text, path, question, query = match.groups()
    if not hostname.isascii():
        return None
    port = None
    if port_text:
        port = int(port_text)
        if port > 65535:
            return None
    netloc = hostname if port_text is None else f"{hostname}:{port_text}"
    return scheme.lower(), netloc, port, path or "", query or "", question is not None


def _other_parts(text: str) -> _Parts | str:
    scheme_match = _SCHEME.match(text)
    if scheme_match is None:
        if text.startswith("//"):
            return "has no scheme: write https: before the //"
        return "is not an absolute URL: it must start with https:// and a host"
    scheme = scheme_match.group(1).lower()
    if scheme not in _DEFAULT_PORTS:
        return f"uses the {scheme}: scheme; an article's URLs are http or https"
    if not text[scheme_match.end() :].startswith("//"):
        return f"has no host: write {scheme}:// before the host"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as err:
        message = str(err)
        if "Port" in message:
            return "has a port that is not a number from 0 to 65535"
        return f"cannot be parsed ({message})"
    has_query = "?" in text.split("#", 1)[0]
    return scheme, parts.netloc, port, parts.path, parts.query, has_query


@lru_cache(maxsize=4096)
def parse_web_url(text: str) -> WebUrl | str:
    """A :class:`WebUrl`, or what is wrong with ``text`` (a fragment such as ``"has no host"``)."""
    if not text:
        return "is empty"
    # Printable ASCII without a space holds nothing the pattern looks for.
    bad = None if text.isascii() and text.isprintable() and " " not in text else (
        _BAD_CHAR.search(text)
    )
    if bad is not None:
        where = bad.start() + 1
        fix = "; encode it as %20" if bad.group() == " " else "; remove it"
        return f"holds {_describe_char(bad.group())} at character {where}{fix}"
    parts = _usual_parts(text)
    if parts is None:
        other = _other_parts(text)
        if isinstance(other, str):
            return other
        parts = other
    scheme, netloc, port, path, query, has_query = parts
    if "@" in netloc:
        return (
            "holds a user name or password before the host (the part up to '@'); remove "
            "it: browsers may hide the real host behind it"
        )
    bracketed = netloc.startswith("[")
    hostname = netloc[: netloc.find("]") + 1] if bracketed else netloc.partition(":")[0]
    if not hostname:
        return "has no host"
    try:
        host = ascii_host(hostname)
    except HostError as err:
        return f'has an invalid host "{hostname}": it {err}'
    if "." not in host and ":" not in host:
        return f'has the host "{hostname}", which has no dot: it is not a public web address'
    return WebUrl(text, scheme, host, port, path, query, has_query)


__all__ = ["WebUrl", "parse_web_url"]
