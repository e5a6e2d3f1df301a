"""Which files are articles, and where an article's front matter starts.

A file named on the command line is always linted, and so is a bare YAML/JSON
article (found only through ``include``). A ``.md``/``.markdown``/``.txt`` file
found by walking a folder, or named under ``--skip-non-articles``, is linted when it
*looks like an article* (:func:`looks_like_article`), that is, after an optional
UTF-8 byte order mark:

- its first line starts with ``---``; or
- its front matter is there but not on line 1 (:func:`shifted_front_matter`): 1 to
  :data:`MAX_BLANK_LINES` lines of white space only (spaces and tabs), then a line
  ``---``, then, before the next line ``---``, at least one line that starts, at
  column 1, with a top-level field of the article schema (:data:`ARTICLE_FIELDS`)
  followed by ``:`` and a space, a tab or the end of the line.

The parser reports the second case as FL001 with a fix that removes the blank
lines, and lints the front matter as usual. A README that uses ``---`` only as a
Markdown rule does not look like an article.

:func:`is_article` is the one decision: ``check`` (in the engine, once a file is
read), ``--show-files`` (:func:`would_lint`) and ``--skip-non-articles`` all go
through it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from feedlint.discovery import Candidate
    from feedlint.engine import Linter

#: The most blank lines above a front matter that is still recognised as one.
MAX_BLANK_LINES = 5
#: The top-level properties of the built-in article schema
#: (``schemas/article.schema.json``; a test holds the two to each other).
ARTICLE_FIELDS = frozenset({
    "ampWebUrl", "category", "cdnAmpWebUrl", "excerpt", "heat", "images", "originalUrl",
    "provider", "published", "publishedDateTime", "quality", "related", "secured",
    "title", "topics", "type", "webUrl",
})

_BOM = b"\xef\xbb\xbf"
_CLOSING_FENCE = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
#: Compiled on first use (a file that starts with a blank line is rare): up to
#: MAX_BLANK_LINES lines of spaces and tabs, then the opening fence; a line that
#: starts with an article field.
_shifted: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _shifted_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    global _shifted
    if _shifted is None:
        _shifted = (
            re.compile(rf"((?:[ \t]*\r?\n){{1,{MAX_BLANK_LINES}}})---[ \t]*(?:\r?\n|\Z)"),
            re.compile(
                "^(?:" + "|".join(sorted(ARTICLE_FIELDS)) + r"):(?:[ \t\r]|$)", re.MULTILINE
            ),
        )
    return _shifted


class ShiftedFrontMatter(NamedTuple):
    """A front matter below blank lines: where its parts are in the text (character
    offsets; the text has no byte order mark)."""

    #: Lines of white space above the opening fence.
    blank_lines: int
    #: The opening fence's line starts here (the blank lines are ``text[:fence]``).
    fence: int
    #: The YAML starts after the opening fence...
    yaml_start: int
    #: ...and ends where the closing fence's line starts.
    yaml_end: int
    #: The body starts after the closing fence.
    body_offset: int


def closing_fence(text: str, start: int) -> re.Match[str] | None:
    """The first line ``---`` at or after ``start`` (a line start), or None: a
    ``str.find`` for each candidate rather than a MULTILINE scan of the body."""
    pos = start
    while True:
        if text.startswith("---", pos):
            match = _CLOSING_FENCE.match(text, pos)
            if match is not None:
                return match
        pos = text.find("\n---", pos)
        if pos == -1:
            return None
        pos += 1


def shifted_front_matter(text: str) -> ShiftedFrontMatter | None:
    """The front matter of ``text`` (without its byte order mark) when it stands
    below 1 to :data:`MAX_BLANK_LINES` blank lines and holds an article field (see
    the module's doc); None otherwise (no blank line above, or not an article's)."""
    shifted_opening, field_line = _shifted_patterns()
    opening = shifted_opening.match(text)
    if opening is None:
        return None
    closing = closing_fence(text, opening.end())
    if closing is None:
        return None
    if field_line.search(text, opening.end(), closing.start()) is None:
        return None
    blank = opening.group(1)
    return ShiftedFrontMatter(
        blank_lines=blank.count("\n"),
        fence=len(blank),
        yaml_start=opening.end(),
        yaml_end=closing.start(),
        body_offset=closing.end(),
    )


def looks_like_article(raw: bytes) -> bool:
    """Whether a Markdown or text file's bytes look like an article (module doc)."""
    start = 3 if raw.startswith(_BOM) else 0
    if raw.startswith(b"---", start):
        return True
    if raw[start : start + 1] not in (b"\n", b"\r", b" ", b"\t"):
        return False  # the usual README: no need to decode it
    text = raw[start:].decode("utf-8", "replace")
    return shifted_front_matter(text) is not None


def is_article(candidate: Candidate, raw: bytes) -> bool:
    """Whether ``candidate``, whose bytes are ``raw``, is linted: always when it was
    named on the command line or is a bare YAML/JSON article, else when it looks
    like one."""
    return candidate.explicit or candidate.bare or looks_like_article(raw)


def would_lint(linter: Linter, candidate: Candidate) -> bool:
    """Whether ``check`` lints ``candidate`` (reports on it): its bytes read through
    :meth:`Linter.read`, as ``check`` reads them (never a plain open: a FIFO or a
    link out of the tree is refused, not opened), then :func:`is_article`. A file
    that cannot be read is reported (FL013, FL010), so it counts."""
    raw = linter.read(candidate)
    return not isinstance(raw, bytes) or is_article(candidate, raw)


__all__ = [
    "ARTICLE_FIELDS",
    "MAX_BLANK_LINES",
    "ShiftedFrontMatter",
    "closing_fence",
    "is_article",
    "looks_like_article",
    "shifted_front_matter",
    "would_lint",
]
