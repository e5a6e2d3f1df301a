"""Bytes -> :class:`~feedlint.document.Article`, with every key and value placed.

The file is decoded (UTF-8 only, with a diagnostic for anything else) and its
front matter found between the ``---`` fences. Front matter in plain block
YAML, as nearly every article is written, is read by :mod:`feedlint.blockyaml`;
anything else is composed by libyaml (:mod:`feedlint.composing`), which is
imported only then. Both give the same data and source map, and a test holds
them to it.

Nothing here raises on bad input: every problem is a :class:`Finding` with a span.
"""

from __future__ import annotations

import re

from feedlint.articles import ShiftedFrontMatter, closing_fence, shifted_front_matter
from feedlint.blockyaml import read_block_yaml
from feedlint.diagnostics import Finding, Fix, Span
from feedlint.document import Article, LineIndex, SourceMap
from feedlint.parsed import ParseResult, whole_file
from feedlint.rules.file_syntax import FL001, FL002, FL007, FL008, FL009

#: Byte order marks of the encodings an article is wrongly saved in most often.
_FOREIGN_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_FENCE = re.compile(r"---[ \t]*(?:\r?\n|\Z)")


def _position(raw: bytes, index: int) -> Span:
    """The one-column span of the byte at ``index`` (lines end at ``\\n``; columns
    count the code points before it, as :class:`LineIndex` does)."""
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    line = raw.count(b"\n", start, index) + 1
    line_start = max(raw.rfind(b"\n", start, index) + 1, start)
    column = len(raw[line_start:index].decode("utf-8", "replace")) + 1
    return Span(line, column, line, column + 1)


def _decode(raw: bytes) -> str | ParseResult:
    for bom, encoding in _FOREIGN_BOMS:
        if raw.startswith(bom):
            return whole_file(
                FL007,
                f"the file is {encoding} (it starts with a {encoding} byte order mark), "
                "not UTF-8; save it as UTF-8",
            )
    nul = raw.find(b"\0")
    if nul != -1:
        head = raw[: min(len(raw), 64) // 2 * 2]
        if head and any(
            all(high) and not any(low) for high, low in ((head[0::2], head[1::2]),
                                                         (head[1::2], head[0::2]))
        ):
            return whole_file(
                FL007,
                "the file looks like UTF-16 (every other byte is 0), not UTF-8; "
                "save it as UTF-8",
            )
        span = _position(raw, nul)
        return whole_file(
            FL008,
            f"this is a binary file, not a text article: it holds a NUL byte "
            f"(line {span.line}, column {span.column})",
            span,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return whole_file(
            FL007,
            f"invalid UTF-8: byte 0x{raw[err.start]:02x} cannot start or continue a character; "
            "save the file as UTF-8",
            _position(raw, err.start),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return whole_file(FL009, "the file is empty: an article needs front matter")
    return text


def parse(path: str, raw: bytes, *, bare: bool = False, block_reader: bool = True) -> ParseResult:
    """Parse one article file's bytes.

    ``bare`` says the whole file is the YAML of the article (``.yaml``, ``.yml``,
    ``.json``); otherwise it is front matter between ``---`` fences over a body.
    Plain block YAML is read by :mod:`feedlint.blockyaml`, the rest by libyaml;
    ``block_reader=False`` sends everything to libyaml (the two must agree).
    """
    text = _decode(raw)
    if isinstance(text, ParseResult):
        return text
    lines = LineIndex(text)
    # Problems with where the front matter stands, reported along with its own.
    placement: list[Finding] = []
    if bare:
        yaml_start, yaml_end, body_offset, root_line = 0, len(text), len(text), 1
    else:
        opening = _FENCE.match(text)
        shifted = shifted_front_matter(text) if opening is None else None
        if shifted is not None:
            # Blank lines above the front matter: site generators do not read it.
            # Reported, with the fix, and the front matter linted where it stands.
            root_line = shifted.blank_lines + 1
            placement.append(_shifted_finding(shifted, lines.line_span(root_line)))
            yaml_start, yaml_end, body_offset = (
                shifted.yaml_start,
                shifted.yaml_end,
                shifted.body_offset,
            )
        elif opening is None:
            return whole_file(
                FL001,
                "no front matter: an article starts with a line `---`, then its YAML fields, "
                "then another `---`",
                lines.line_span(1),
            )
        else:
            closing = closing_fence(text, opening.end())
            if closing is None:
                return whole_file(
                    FL002,
                    "the front matter is never closed: add a line `---` after the last field",
                    lines.line_span(1),
                )
            yaml_start, yaml_end, body_offset, root_line = (
                opening.end(),
                closing.start(),
                closing.end(),
                1,
            )
    json = bare and path.lower().endswith(".json")
    if block_reader and not json:
        # Most articles are plain block YAML: read directly, libyaml for the rest.
        block = read_block_yaml(text[yaml_start:yaml_end], yaml_start)
        if block is not None:
            data, nodes = block
            article = Article(
                path=path,
                text=text,
                data=data,
                source=SourceMap(nodes=nodes, root_line=root_line),
                lines=lines,
                body_offset=body_offset,
                yaml_start=yaml_start,
                yaml_end=yaml_end,
            )
            return ParseResult(article, placement)
    from feedlint.composing import compose

    result = compose(
        path, text, lines, (yaml_start, yaml_end, body_offset, root_line), json=json
    )
    if placement:
        result.findings[:0] = placement
    return result


def _shifted_finding(shifted: ShiftedFrontMatter, span: Span) -> Finding:
    """FL001 for a front matter below blank lines, with the fix that removes them."""
    count = shifted.blank_lines
    lines = "1 blank line" if count == 1 else f"{count} blank lines"
    return Finding(
        FL001,
        f"the front matter must start on line 1; remove the {lines} above it",
        span=span,
        fix=Fix(
            "",
            None,
            f"remove the {lines} above the front matter",
            edits=((0, shifted.fence, ""),),
        ),
    )
