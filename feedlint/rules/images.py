"""FL3xx: an image's declared width and height are plausible and agree with its URL.

Image CDNs write the served size into the URL, and the declared size must agree:

- ``resize=W,H`` (WordPress/Jetpack): exactly W x H;
- ``fit=W,H``: fits within W x H;
- ``w=``/``width=`` and ``h=``/``height=``: exactly that side;
- a WordPress thumbnail name ``name-WxH.jpg``: exactly W x H, unless the query
  has a size hint of its own (a query hint wins over the file name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from feedlint.diagnostics import Finding, Fix
from feedlint.document import Article, human_path
from feedlint.rules._base import Option, Rule, RuleContext, RuleModule
from feedlint.rules._fields import images, items
from feedlint.weburl import WebUrl, parse_web_url

OPTIONS = {
    "min-pixels": Option(
        1,
        "smallest plausible width or height, in pixels (FL301)",
        validate=lambda value: _int_option({"min-pixels": value}, "min-pixels"),
    ),
    "max-pixels": Option(
        20000,
        "largest plausible width or height, in pixels (FL301)",
        validate=lambda value: _int_option({"max-pixels": value}, "max-pixels"),
    ),
}

#: Each code by its own name, for the modules that raise it.
FL301 = "FL301"
FL302 = "FL302"
FL303 = "FL303"

RULES = (
    Rule(
        code=FL301,
        name="image-size-out-of-bounds",
        summary="An image width or height outside the plausible range",
        what="`width` or `height` of an image is outside `min-pixels`..`max-pixels` (1 to "
        "20000 by default). Values below 1 are already the schema's (FL105).",
        why="A 100,000-pixel side is a typo (an extra digit, a byte count); layouts that "
        "reserve space from the declared size break.",
        example="images:\n  - url: https://www.example.com/a.jpg\n    width: 120000\n"
        "    height: 800\n",
        fixed="images:\n  - url: https://www.example.com/a.jpg\n    width: 1200\n"
        "    height: 800\n",
    ),
    Rule(
        code=FL302,
        name="image-size-hint-mismatch",
        summary="The declared image size disagrees with the size in its URL",
        what="The image URL says what size is served: `resize=W,H` (exactly W x H), "
        "`fit=W,H` (within W x H), `w=`/`width=`, `h=`/`height=` (exactly that side), or "
        "a WordPress file name ending `-WxH.jpg` (exactly W x H; a query hint wins over "
        "the name). The declared `width` or `height` disagrees; the diagnostic is on the "
        "side that is wrong.",
        why="The declared size reserves the image's space on the page; a wrong one makes "
        "the layout jump or stretches the picture.",
        example="images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
        "    width: 1200\n    height: 800\n",
        fixed="images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
        "    width: 1200\n    height: 799\n",
    ),
    Rule(
        code=FL303,
        name="image-size-swapped",
        summary="An image's width and height are swapped",
        what="The declared `width` and `height` are the URL's size hint the other way "
        "round (or only fit its `fit=W,H` box when swapped). Both values are marked.",
        why="A portrait image declared as landscape is drawn squashed.",
        example="images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
        "    width: 799\n    height: 1200\n",
        fixed="images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
        "    width: 1200\n    height: 799\n",
        fix="Swaps width and height when the URL gives both sides exactly (resize=W,H, "
        "w= with h=, or a -WxH file name); a fit=W,H box is not exact, so no fix.",
    ),
)

_WORDPRESS_SIZE = re.compile(
    r"-(\d{1,6})x(\d{1,6})\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?)\Z", re.IGNORECASE
)
_NUMBER = re.compile(r"\d{1,6}\Z")
_PAIR = re.compile(r"(\d{1,6}),(\d{1,6})\Z")


@dataclass(slots=True)
class SizeHints:
    """What an image URL says about the size: exact sides and a bounding box."""

    width: int | None = None
    width_source: str = ""
    height: int | None = None
    height_source: str = ""
    fit: tuple[int, int] | None = None
    fit_source: str = ""


def query_pairs(query: str) -> list[tuple[str, str]]:
    """``parse_qsl(query, keep_blank_values=True)``, read directly when nothing in
    it is encoded (no ``%`` and no ``+``, the usual image URL)."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    return [(name, value) for name, _, value in (p.partition("=") for p in query.split("&") if p)]


def size_hints(url: WebUrl) -> SizeHints:
    hints = SizeHints()
    found_query_hint = False
    if url.query:
        for key, value in query_pairs(url.query):
            key = key.lower()
            if key in ("resize", "fit"):
                pair = _PAIR.match(value)
                if pair is None:
                    continue  # fit=crop and the like: not a size
                w, h = int(pair.group(1)), int(pair.group(2))
                if not (w and h):
                    continue
                found_query_hint = True
                source = f"{key}={w},{h} in the URL"
                if key == "resize":
                    hints.width, hints.height = w, h
                    hints.width_source = hints.height_source = source
                elif hints.fit is None:
                    hints.fit, hints.fit_source = (w, h), source
            elif key in ("w", "width", "h", "height") and _NUMBER.match(value) and int(value):
                found_query_hint = True
                side = int(value)
                if key[0] == "w" and not hints.width_source.startswith("resize="):
                    hints.width, hints.width_source = side, f"{key}={side} in the URL"
                elif key[0] == "h" and not hints.height_source.startswith("resize="):
                    hints.height, hints.height_source = side, f"{key}={side} in the URL"
    if not found_query_hint:
        name = url.path.rsplit("/", 1)[-1]
        match = _WORDPRESS_SIZE.search(name)
        if match:
            w, h = int(match.group(1)), int(match.group(2))
            if w and h:
                source = f"the file name ending -{w}x{h}"
                hints.width, hints.height = w, h
                hints.width_source = hints.height_source = source
    return hints


def _pixels(image: Mapping[str, Any], key: str, pointer: str, context: RuleContext) -> int | None:
    value = image.get(key)
    if isinstance(value, bool) or not context.is_valid(pointer):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _check_image(pointer: str, image: Mapping[str, Any], context: RuleContext,
                 low: int, high: int) -> Iterator[Finding]:
    width_pointer, height_pointer = f"{pointer}/width", f"{pointer}/height"
    width = _pixels(image, "width", width_pointer, context)
    height = _pixels(image, "height", height_pointer, context)
    out_of_bounds = False
    for value, side_pointer in ((width, width_pointer), (height, height_pointer)):
        if value is not None and not low <= value <= high:
            out_of_bounds = True
            yield Finding(
                "FL301",
                f"{human_path(side_pointer)} is {value:,} pixels, outside the plausible "
                f"range {low:,} to {high:,}",
                side_pointer,
            )
    url_text = image.get("url")
    if out_of_bounds or width is None or height is None or not isinstance(url_text, str):
        return
    if not context.is_valid(f"{pointer}/url"):
        return
    url = parse_web_url(url_text)
    if isinstance(url, str):
        return
    hints = size_hints(url)
    if hints.width is None and hints.height is None and hints.fit is None:
        return
    where = human_path(pointer)

    # Both sides exact and the declared size is that the other way round.
    if (
        hints.width is not None
        and hints.height is not None
        and hints.width != hints.height
        and (width, height) == (hints.height, hints.width)
    ):
        source, verb = hints.width_source, "means"
        if hints.height_source != source:
            verb = "mean"
            # "w=640 in the URL" and "h=480 in the URL": name the URL once.
            source = (
                f"{hints.width_source.removesuffix(' in the URL')} and "
                f"{hints.height_source.removesuffix(' in the URL')} in the URL"
            )
        message = (
            f"{where}.width and height are swapped: {source} {verb} "
            f"{hints.width} x {hints.height} (width x height), declared {width} x {height}"
        )
        yield Finding("FL303", message, width_pointer,
                      fix=Fix(width_pointer, hints.width, "swap width and height"))
        yield Finding("FL303", message, height_pointer,
                      fix=Fix(height_pointer, hints.height, "swap width and height"))
        return
    if hints.fit is not None and hints.width is None and hints.height is None:
        fit_w, fit_h = hints.fit
        if (width > fit_w or height > fit_h) and width <= fit_h and height <= fit_w:
            message = (
                f"{where}.width and height look swapped: {hints.fit_source} "
                f"fits the image within {fit_w} x {fit_h} (width x height), declared "
                f"{width} x {height}"
            )
            yield Finding("FL303", message, width_pointer)
            yield Finding("FL303", message, height_pointer)
            return

    box_w: int | None = None
    box_h: int | None = None
    if hints.fit is not None:
        box_w, box_h = hints.fit
    for side, value, exact, source, box_side, side_pointer in (
        ("width", width, hints.width, hints.width_source, box_w, width_pointer),
        ("height", height, hints.height, hints.height_source, box_h, height_pointer),
    ):
        if exact is not None:
            if value != exact:
                yield Finding(
                    "FL302",
                    f"{human_path(side_pointer)} is {value}, but {source} serves the image "
                    f"{exact} pixels {'wide' if side == 'width' else 'high'}",
                    side_pointer,
                )
        elif box_side is not None and value > box_side:
            yield Finding(
                "FL302",
                f"{human_path(side_pointer)} is {value}, but {hints.fit_source} fits the "
                f"image within {box_w} x {box_h}: its {side} is at most {box_side}",
                side_pointer,
            )


def _int_option(options: Mapping[str, Any], name: str) -> int:
    value = options.get(name, OPTIONS[name].default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"option {name} must be a positive whole number, got {value!r}")
    return value


def check(article: Article, context: RuleContext) -> Iterable[Finding]:
    low = _int_option(context.options, "min-pixels")
    high = _int_option(context.options, "max-pixels")
    for prefix, item in items(article.data):
        for pointer, image in images(item, prefix):
            yield from _check_image(pointer, image, context, low, high)


MODULE = RuleModule(name="images", rules=RULES, check=check, options=OPTIONS)
