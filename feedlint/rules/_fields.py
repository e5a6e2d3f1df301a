"""Where the content rules find their values, and how they read their options."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from feedlint.rules._base import RuleContext

#: URL fields of an article and of a related item.
ITEM_URL_FIELDS = ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl")


def items(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The article itself (pointer ``""``) and each related item that is a mapping."""
    yield "", data
    related = data.get("related")
    if isinstance(related, list):
        for index, item in enumerate(related):
            if isinstance(item, dict):
                yield f"/related/{index}", item


def images(item: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The image mappings of one article or related item, with their pointers."""
    found = item.get("images")
    if isinstance(found, list):
        for index, image in enumerate(found):
            if isinstance(image, dict):
                yield f"{prefix}/images/{index}", image


def text_value(
    item: Mapping[str, Any], key: str, pointer: str, context: RuleContext
) -> str | None:
    """``item[key]`` when it is a string the schema did not reject, else None."""
    value = item.get(key)
    if isinstance(value, str) and context.is_valid(pointer):
        return value
    return None


def url_fields(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every URL field of the article and its related items: (pointer, value)."""
    for prefix, item in items(data):
        for key in ITEM_URL_FIELDS:
            if key in item:
                yield f"{prefix}/{key}", item[key]
        for image_pointer, image in images(item, prefix):
            if "url" in image:
                yield f"{image_pointer}/url", image["url"]


_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)?\s*", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def duration(value: Any, name: str) -> timedelta:
    """An option's duration: a number of seconds, or text such as ``5m``, ``36h``, ``1d``."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return timedelta(seconds=value)
    if isinstance(value, str):
        match = _DURATION.fullmatch(value)
        if match:
            unit = (match.group(2) or "s").lower()
            return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[unit])
    raise ValueError(
        f"option {name} must be a duration such as 300, \"5m\", \"36h\" or \"1d\", got {value!r}"
    )

