"""What probing one URL found, and what that means for each field that holds it."""

from __future__ import annotations

import http
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from feedlint.rules.internal import FL900
from feedlint.rules.links import FL601, FL602, FL603, FL604, FL605, FL606, FL607, FL608, FL609

#: Permanent redirects; a link that answers one has moved.
PERMANENT = frozenset({301, 308})
#: Statuses that mean "this client is turned away", not "the page is gone".
BLOCKED = frozenset({401, 403, 429, 451, 999})

#: Failure kinds and the code that reports them.
ERROR_CODE = {
    "dns": FL602,
    "connect": FL602,
    "timeout": FL602,
    "reset": FL602,
    "protocol": FL602,
    "tls": FL602,
    "invalid": FL602,
    "loop": FL603,
    "too-many-redirects": FL603,
    "no-location": FL601,
    "bad-redirect": FL601,
    "refused": FL607,
    "internal": FL900,
}


@dataclass(slots=True)
class Outcome:
    """What one URL gave. Plain data, so that it can be cached as JSON."""

    url: str
    image: bool = False
    #: The final status (after redirects), None when no answer came.
    status: int | None = None
    #: The URL the redirects led to (the URL itself when there were none).
    final_url: str = ""
    #: Each redirect followed: (status, the URL it pointed to).
    redirects: list[tuple[int, str]] = field(default_factory=list)
    #: A failure kind (a key of ERROR_CODE), None when an answer came.
    error: str | None = None
    #: The failure in words, for the message.
    detail: str = ""
    #: A Retry-After the server asked for beyond the cap (not waited for).
    retry_after: float | None = None
    #: The per-URL deadline in seconds, when passing it ended the check (a timeout).
    deadline: float | None = None
    #: The image's real (width, height), when it was read.
    size: tuple[int, int] | None = None
    #: "not-image" or "unknown-size" when the image's size could not be read.
    image_problem: str | None = None
    content_type: str = ""
    #: Requests sent (attempts, redirects and the GET after a refused HEAD).
    requests: int = 0
    #: Body bytes read off the wire.
    bytes_read: int = 0
    #: From the probe cache, not the network.
    cached: bool = False

    def accepted(self, extra: Collection[int] = ()) -> bool:
        return self.error is None and self.status is not None and (
            200 <= self.status < 300 or self.status in extra
        )

    def moved_to(self) -> str | None:
        """Where the leading permanent redirects lead, when that is more than an
        http -> https move."""
        target = None
        for status, location in self.redirects:
            if status not in PERMANENT:
                break
            target = location
        if target is None or _without_scheme(target) == _without_scheme(self.url):
            return None
        return target

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        data = dict(data)
        data["redirects"] = [(int(s), str(u)) for s, u in data.get("redirects", [])]
        if data.get("size") is not None:
            data["size"] = (int(data["size"][0]), int(data["size"][1]))
        return cls(**data)


def _without_scheme(url: str) -> tuple[str, str, str]:
    """A URL compared as the decisions say (host lowercased, default port and
    fragment dropped, path and query as written), leaving the scheme out."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return (url, "", "")
    host = (parts.hostname or "").lower()
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    return (host, parts.path or "/", parts.query)


def status_text(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def findings_for(
    outcome: Outcome,
    field_name: str,
    declared: tuple[int, int] | None,
    *,
    image: bool = False,
    accept: Collection[int] = (),
    image_bytes: int = 0,
) -> list[tuple[str, str]]:
    """(code, message) pairs for one field holding ``outcome.url`` (an image's URL
    when ``image``, with its ``declared`` (width, height))."""
    after = ""
    if outcome.redirects and outcome.final_url and outcome.final_url != outcome.url:
        after = f" (after redirecting to {outcome.final_url})"
    if outcome.error is not None:
        code = ERROR_CODE.get(outcome.error, FL602)
        if code == FL602 and outcome.deadline is not None:
            return [
                (
                    code,
                    f"{field_name} cannot be reached: {outcome.detail}{after}; to give each "
                    "URL more time, raise --probe-url-deadline (probe-url-deadline in the "
                    "configuration)",
                )
            ]
        if code == FL602:
            return [(code, f"{field_name} cannot be reached: {outcome.detail}{after}")]
        if code == FL607:
            return [(code, f"{field_name} was not fetched: {outcome.detail}")]
        if code == FL603:
            return [(code, f"{field_name} {outcome.detail}")]
        if code == FL900:
            return [(code, f"the link probe crashed on {field_name} ({outcome.detail})")]
        return [(code, f"{field_name} is broken: {outcome.detail}{after}")]
    status = outcome.status
    assert status is not None
    if not outcome.accepted(accept):
        text = status_text(status)
        if outcome.retry_after is not None:
            text += (
                f", asking to retry after {outcome.retry_after:,.0f} s "
                "(longer than feedlint waits)"
            )
        if status in BLOCKED:
            return [
                (
                    FL604,
                    f"{field_name} turns the link checker away: {text}{after}; it may "
                    "work in a browser",
                )
            ]
        return [(FL601, f"{field_name} is broken: {text}{after}")]
    found: list[tuple[str, str]] = []
    moved = outcome.moved_to()
    if moved is not None:
        found.append((FL605, f"{field_name} has moved permanently to {moved}: link there"))
    if image and outcome.image:
        if outcome.size is not None and declared is not None and outcome.size != declared:
            w, h = outcome.size
            dw, dh = declared
            found.append(
                (
                    FL606,
                    f"{field_name}: the image is {w}x{h} pixels, but width and height "
                    f"declare {dw}x{dh}",
                )
            )
        elif outcome.image_problem == "not-image":
            served = outcome.content_type or "content of no known image format"
            found.append((FL608, f"{field_name} does not serve an image: it serves {served}"))
        elif outcome.image_problem == "unknown-size" and declared is not None:
            found.append(
                (
                    FL609,
                    f"{field_name}: the image's size was not found in its first "
                    f"{image_bytes:,} bytes, so width and height were not checked",
                )
            )
    return found
