"""A parsed article: its text, its data, and where every value stands in the file."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from feedlint.diagnostics import Span

#: A node's place in the text: (key_start, key_end, value_start, value_end) as
#: character offsets into the file's text; the key offsets are -1 where the node
#: has no key (the root, a list item).
NodeSpan = tuple[int, int, int, int]

_MISSING = object()
_NEWLINE = re.compile("\n")
#: Below this offset, a position is counted directly in the text while the line
#: table is not built: a file whose only positions are near its top (a clean file
#: whose URLs are kept for the duplicates check) never scans its whole body.
_DIRECT_SCAN = 4096


def escape_pointer_token(token: str) -> str:
    """Escape one reference token of an RFC 6901 JSON pointer."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [unescape_pointer_token(t) for t in pointer[1:].split("/")]


@lru_cache(maxsize=4096)
def human_path(pointer: str) -> str:
    """``/related/2/images/0/width`` -> ``related[2].images[0].width``.

    Memoised: the same few dozen pointers recur in every article's messages.
    """
    out = ""
    for token in split_pointer(pointer):
        if token.isdigit():
            out += f"[{token}]"
        else:
            out += f".{token}" if out else token
    return out or "the front matter"


class LineIndex:
    """Maps character offsets to 1-based (line, column).

    Only ``\\n`` ends a line (so ``\\r\\n`` files count right). The YAML parser's own
    line numbers also break at U+2028, U+2029, U+0085 and a lone CR, so they are
    never used; its character offsets are.
    """

    __slots__ = ("_lazy_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # Built on first use: a clean file never needs a line number.
        self._lazy_starts: array[int] | None = None

    @property
    def _starts(self) -> array[int]:
        starts = self._lazy_starts
        if starts is None:
            # An array of machine integers: 8 bytes a line, where a list of ints
            # costs about 36 (a 5 MiB file of empty lines would need 190 MB).
            starts = array("q", [0])
            starts.extend(match.end() for match in _NEWLINE.finditer(self._text))
            self._lazy_starts = starts
        return starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        text = self._text
        offset = max(0, min(offset, len(text)))
        if self._lazy_starts is None and offset <= _DIRECT_SCAN:
            return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before ``\\r\\n`` or ``\\n``)."""
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        if end > self._starts[line - 1] and self._text[end - 1] == "\r":
            end -= 1
        return end

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]``; an empty range still covers one column."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(end, start))
        if (end_line, end_column) <= (line, column):
            end_line, end_column = line, column + 1
        return Span(line, column, end_line, end_column)

    def line_span(self, line: int) -> Span:
        """The whole of one line (at least one column)."""
        line = max(1, min(line, len(self._starts)))
        start = self._starts[line - 1]
        return self.span(start, self.line_end(line))


@dataclass(slots=True)
class SourceMap:
    """JSON pointer -> where that key and value stand in the file."""

    nodes: dict[str, NodeSpan] = field(default_factory=dict)
    #: The span used for problems about the whole front matter (its opening fence).
    root_line: int = 1


@dataclass(slots=True)
class Article:
    """One article file, parsed: what every rule receives."""

    path: str
    text: str
    data: dict[str, Any]
    source: SourceMap
    lines: LineIndex
    #: Offset of the first character of the body (len(text) for a bare YAML article).
    body_offset: int
    #: Offsets of the front matter's YAML text (between the fences).
    yaml_start: int
    yaml_end: int

    def get(self, pointer: str, default: Any = None) -> Any:
        """The value at ``pointer``, or ``default`` when there is none."""
        node: Any = self.data
        for token in split_pointer(pointer):
            if isinstance(node, dict):
                node = node.get(token, _MISSING)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return default
            if node is _MISSING:
                return default
        return node

    def span_of(self, pointer: str, target: str = "value") -> Span:
        """Where to point a person for ``pointer``.

        A scalar is pointed at by its value; a mapping or list by its key (or, for
        a list item, its first line), since the whole block is too much to mark.
        A pointer with no node falls back to its closest ancestor that has one.
        """
        nodes = self.source.nodes
        while pointer and pointer not in nodes:
            pointer = pointer.rsplit("/", 1)[0]
        if not pointer:
            return self.lines.line_span(self.source.root_line)
        key_start, key_end, value_start, value_end = nodes[pointer]
        if target == "key" and key_start >= 0:
            return self.lines.span(key_start, key_end)
        value = self.get(pointer)
        if isinstance(value, dict | list):
            if key_start >= 0:
                return self.lines.span(key_start, key_end)
            line, _ = self.lines.position(value_start)
            return self.lines.span(value_start, min(value_end, self.lines.line_end(line)))
        return self.lines.span(value_start, value_end)
