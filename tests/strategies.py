"""Hypothesis strategies: valid articles, their serialisations, and broken files.

:func:`articles` draws article data that is valid under the schema *and*
consistent the way the content rules want it: ``provider.domain`` is the
registrable domain of ``webUrl`` (or its host), ``originalUrl`` shares the
host, the AMP pair is on the article's host and ``cdnAmpWebUrl`` is computed by
the published algorithm (implemented here independently), related items are
published after the article and never in the future, are distinct from the
article and from each other, image URLs carry no size hints, and ``secured`` is
a base64 ciphertext of whole 16-byte blocks and a 16-byte IV.

Text fields (titles, excerpts, names, topics, the body) are arbitrary Unicode,
written with every escape YAML needs; that is where hostile content hides.
"""

from __future__ import annotations

import base64
import functools
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from feedlint.ampcache import cache_url

# -- text --------------------------------------------------------------------------

#: Characters YAML allows raw in a double-quoted scalar (c-printable, less the quote,
#: the backslash, the line breaks and the BOM, which are escaped).
_RAW_OK = set(range(0x20, 0x7F)) - {ord('"'), ord("\\")}


def _yaml_char(char: str) -> str:
    code = ord(char)
    if code in _RAW_OK or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD and code != 0xFEFF:
        return char
    if code >= 0x10000:
        return char
    if char == '"':
        return '\\"'
    if char == "\\":
        return "\\\\"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def yaml_quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly."""
    return '"' + "".join(map(_yaml_char, text)) + '"'


def _non_blank(text: str) -> bool:
    return any(not c.isspace() for c in text)


any_text = st.text(max_size=80)
non_blank_text = st.text(min_size=1, max_size=60).filter(_non_blank)
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ALNUM = _LOWER + "0123456789"
#: A short lowercase word (category, type): ^[a-z][a-z0-9_-]*$.
words = st.builds(
    str.__add__, st.sampled_from(_LOWER), st.text(alphabet=_ALNUM + "_", max_size=10)
)

# -- hosts and URLs ----------------------------------------------------------------

#: Public suffixes (all in the Public Suffix List), one and two labels deep.
SUFFIXES = ("com", "org", "net", "in", "de", "io", "news", "co.uk", "org.uk", "com.au")
#: A DNS label: letters and digits, single hyphens inside (never "--").
_label = st.lists(st.text(alphabet=_ALNUM, min_size=1, max_size=8), min_size=1, max_size=3).map(
    "-".join
)
_letters = st.text(alphabet=_LOWER, min_size=1, max_size=12)
_segment = st.lists(st.text(alphabet=_ALNUM, min_size=1, max_size=10), min_size=1, max_size=4).map(
    "-".join
)


@functools.cache
def _public_suffixes() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def _registrable(name: str) -> bool:
    """True when ``name`` is a registrable domain, not itself a public suffix (``tv.in``
    and ``github.io`` are in the list too)."""
    return bool(_public_suffixes().privatesuffix(name) == name)


@st.composite
def sites(draw: st.DrawFn) -> tuple[str, str]:
    """(host, provider domain): the domain is the host or its registrable domain."""
    registrable = draw(
        st.builds(lambda label, suffix: f"{label}.{suffix}", _label, st.sampled_from(SUFFIXES))
        .filter(_registrable)
    )
    subdomains = draw(st.lists(_label, max_size=2))
    host = ".".join([*subdomains, registrable])
    domain = draw(st.sampled_from([registrable, host]))
    return host, domain


@st.composite
def paths(draw: st.DrawFn, tag: str) -> str:
    """A path with no image size hint, made unique by ``tag``."""
    segments = draw(st.lists(_segment, max_size=3))
    path = "/" + "/".join([*segments, tag])
    if draw(st.booleans()):
        path += "/"
    if draw(st.booleans()):
        path += f"?id={draw(st.integers(0, 10**6))}"
    return path


# -- dates -----------------------------------------------------------------------------

_EARLIEST = datetime(1996, 1, 1, tzinfo=UTC)
_LATEST = datetime(2024, 12, 31, tzinfo=UTC)


@st.composite
def offsets(draw: st.DrawFn) -> timezone:
    minutes = draw(st.integers(-12 * 4, 14 * 4)) * 15
    return timezone(timedelta(minutes=minutes))


def rfc3339(moment: datetime, zone: timezone, fraction: int | None, zulu: bool) -> str:
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if fraction is not None:
        text += f".{fraction:03d}"
    offset = zone.utcoffset(None)
    if not offset and zulu:
        return text + "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return text + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@st.composite
def timestamps(draw: st.DrawFn, after: datetime | None = None) -> tuple[datetime, str]:
    if after is None:
        moment = draw(st.datetimes(_EARLIEST.replace(tzinfo=None), _LATEST.replace(tzinfo=None)))
        moment = moment.replace(microsecond=0, tzinfo=UTC)
    else:
        moment = after + timedelta(seconds=draw(st.integers(0, 30 * 86400)))
    fraction = draw(st.none() | st.integers(0, 999))
    exact = moment.replace(microsecond=(fraction or 0) * 1000)
    return exact, rfc3339(exact, draw(offsets()), fraction, draw(st.booleans()))


# -- the article ----------------------------------------------------------------------------


@st.composite
def images(draw: st.DrawFn, host: str, tag: str) -> dict[str, Any]:
    name = draw(_letters)
    image: dict[str, Any] = {
        "url": f"https://{host}/images/{tag}/{name}.{draw(st.sampled_from(['jpg', 'png']))}",
        "width": draw(st.integers(1, 20000)),
        "height": draw(st.integers(1, 20000)),
    }
    if draw(st.booleans()):
        image["isCached"] = draw(st.booleans())
    return image


@st.composite
def amp_pair(draw: st.DrawFn, web_url: str) -> dict[str, str]:
    """ampWebUrl on the article's own host, and its exact AMP cache URL."""
    rest = web_url.partition("://")[2]
    host = rest.split("/", 1)[0].split("?", 1)[0]
    amp = f"https://{host}{draw(paths('amp'))}"
    return {"ampWebUrl": amp, "cdnAmpWebUrl": cache_url(amp)}


@st.composite
def related_items(
    draw: st.DrawFn, index: int, article_time: datetime
) -> dict[str, Any]:
    host, domain = draw(sites())
    web_url = f"https://{host}{draw(paths(f'related{index}'))}"
    item: dict[str, Any] = {"title": draw(non_blank_text)}
    if draw(st.booleans()):
        item["excerpt"] = draw(any_text)
    if draw(st.booleans()):
        item["publishedDateTime"] = draw(timestamps(after=article_time))[1]
    item["webUrl"] = web_url
    if draw(st.booleans()):
        item.update(draw(amp_pair(web_url)))
    if draw(st.booleans()):
        item["type"] = draw(words)
    item["provider"] = {"name": draw(non_blank_text), "domain": domain}
    item["quality"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        count = draw(st.integers(0, 2))
        item["images"] = [draw(images(host, f"r{index}i{n}")) for n in range(count)]
    return item


@st.composite
def secured_tokens(draw: st.DrawFn) -> str:
    blocks = draw(st.integers(1, 20))
    ciphertext = draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    iv = draw(st.binary(min_size=16, max_size=16))
    return f"{base64.b64encode(ciphertext).decode()};{base64.b64encode(iv).decode()}"


@st.composite
def articles(draw: st.DrawFn) -> dict[str, Any]:
    """Front matter data of a valid, consistent article (see the module docstring)."""
    host, domain = draw(sites())
    web_url = f"https://{host}{draw(paths('article'))}"
    moment, published = draw(timestamps())
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        data["category"] = draw(words)
    data["title"] = draw(non_blank_text)
    if draw(st.booleans()):
        data["excerpt"] = draw(any_text)
    data["publishedDateTime"] = published
    if draw(st.booleans()):
        data["originalUrl"] = web_url
    data["webUrl"] = web_url
    if draw(st.booleans()):
        data.update(draw(amp_pair(web_url)))
    for key, value in (
        ("type", words),
        ("quality", st.integers(0, 100)),
        ("heat", st.integers(-1, 10**6)),
        ("published", st.booleans()),
    ):
        if draw(st.booleans()):
            data[key] = draw(value)
    data["provider"] = {"name": draw(non_blank_text), "domain": domain}
    if draw(st.booleans()):
        data["topics"] = draw(st.lists(non_blank_text, max_size=4))
    if draw(st.booleans()):
        data["images"] = [draw(images(host, f"i{n}")) for n in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        related = [draw(related_items(n, moment)) for n in range(draw(st.integers(0, 4)))]
        data["related"] = sorted(related, key=lambda item: -item["quality"])
    if draw(st.booleans()):
        data["secured"] = draw(secured_tokens())
    return data


# -- writing an article out ------------------------------------------------------------------

_TIMESTAMP_KEYS = frozenset({"publishedDateTime"})


def _scalar(key: str, value: Any, plain_dates: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if key in _TIMESTAMP_KEYS and plain_dates:
        return value  # as in the sample: 2023-08-07T08:11:00Z, unquoted
    return yaml_quote(value)


def _block(data: Any, indent: int, step: int, key: str, plain_dates: bool) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(data, dict):
        for name, value in data.items():
            if isinstance(value, dict | list) and value:
                lines.append(f"{pad}{name}:")
                lines += _block(value, indent + step, step, name, plain_dates)
            elif isinstance(value, dict | list):
                lines.append(f"{pad}{name}: {'{}' if isinstance(value, dict) else '[]'}")
            else:
                lines.append(f"{pad}{name}: {_scalar(name, value, plain_dates)}")
        return lines
    for item in data:
        if isinstance(item, dict | list) and item:
            inner = _block(item, indent + 2, step, key, plain_dates)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {_scalar(key, item, plain_dates)}")
    return lines


@st.composite
def article_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes) of a valid article, written as front matter over a body, as
    bare YAML, or as JSON, in any of the ways people write them."""
    data = draw(articles())
    kind = draw(st.sampled_from(["md", "yaml", "json"]))
    if kind == "json":
        text = json.dumps(
            data,
            ensure_ascii=draw(st.booleans()),
            indent=draw(st.sampled_from([None, 1, 2, 4])),
        )
        return "article.json", text.encode("utf-8")
    step = draw(st.sampled_from([2, 4]))
    lines = _block(data, 0, step, "", plain_dates=draw(st.booleans()))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    yaml_text = newline.join(lines) + newline
    if kind == "yaml":
        return "article.yaml", yaml_text.encode("utf-8")
    body = draw(st.text(max_size=200).map(lambda t: t.replace("\x00", "")))
    bom = "\ufeff" if draw(st.booleans()) else ""
    text = f"{bom}---{newline}{yaml_text}---{newline}{body}"
    return "article.md", text.encode("utf-8")


# -- breaking the sample -----------------------------------------------------------------------


def _flip_bit(raw: bytes, position: int, bit: int) -> bytes:
    if not raw:
        return raw
    index = position % len(raw)
    return raw[:index] + bytes([raw[index] ^ (1 << bit)]) + raw[index + 1 :]


def _lines_op(raw: bytes, position: int, op: str, extra: bytes) -> bytes:
    lines = raw.split(b"\n")
    index = position % len(lines)
    line = lines[index]
    if op == "cut":
        del lines[index]
    elif op == "double":
        lines.insert(index, line)
    elif op == "indent":
        lines[index] = b" " * (len(extra) % 9) + line
    elif op == "dedent":
        lines[index] = line.lstrip(b" ")
    elif op == "tab":
        lines[index] = b"\t" + line.lstrip(b" ")
    elif op == "swap":
        other = (index + len(extra) + 1) % len(lines)
        lines[index], lines[other] = lines[other], line
    return b"\n".join(lines)


_STRAY = st.sampled_from(
    [b"\x00", b"\xff", b"\xc3", b"\r", b"\n", b"\t", b":", b"[", b"{", b"&a ", b"*a", b"!!",
     b"---\n", b"- ", b"? ", b"'", b'"', b"#", b"\\", b"\xe2\x80\xa8", b"\xc2\x85", b"\x1b"]
) | st.binary(min_size=1, max_size=4)


@st.composite
def mutations(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` with one to six random mutations: bit flips, cut and doubled lines,
    truncation, stray bytes, re-indentation (spaces, none, a tab), swapped lines."""
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, max(len(raw), 1) * 2))
        op = draw(
            st.sampled_from(
                ["flip", "truncate", "stray", "cut", "double", "indent", "dedent", "tab", "swap"]
            )
        )
        if op == "flip":
            raw = _flip_bit(raw, position, draw(st.integers(0, 7)))
        elif op == "truncate":
            raw = raw[: position % (len(raw) + 1)]
        elif op == "stray":
            index = position % (len(raw) + 1)
            raw = raw[:index] + draw(_STRAY) + raw[index:]
        else:
            raw = _lines_op(raw, position, op, draw(st.binary(max_size=8)))
    return raw
