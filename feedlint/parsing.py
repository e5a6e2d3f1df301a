"""Bytes -> :class:`~feedlint.document.Article`, with every key and value placed.

The front matter is composed by libyaml (PyYAML's C parser) into a node tree
that keeps each node's character offsets; :func:`_Builder.build` walks that tree
once to build plain data (timestamps stay strings) and the source map, and to
report what a loader would silently accept: duplicate keys, ambiguous booleans,
unknown tags. Anchors and aliases are refused before anything is built, so an
alias bomb is never expanded; documents nested deeper than any article could be
are refused before libyaml's recursive composer sees them.

Nothing here raises on bad input: every problem is a :class:`Finding` with a span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from feedlint.diagnostics import Finding, Span
from feedlint.document import Article, LineIndex, SourceMap, escape_pointer_token

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

#: Deepest nesting accepted (an article is about six levels deep).
MAX_DEPTH = 64
#: Below this cheap bound on the nesting depth, libyaml composes directly.
_DEPTH_PREFILTER = 200
#: Bytes looked at to tell a binary file from a text file.
_BINARY_SNIFF = 8192

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})
_TRUTHY_CANONICAL = frozenset({"true", "false"})
#: An anchor or alias can only start a node: after white space or a flow indicator.
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*]", re.MULTILINE)
_FENCE = re.compile(r"---[ \t]*(?:\r?\n|\Z)")
_CLOSING_FENCE = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)

_constructor = SafeConstructor()


@dataclass(slots=True)
class ParseResult:
    """An article, or the reasons there is none; ``findings`` may hold warnings either way."""

    article: Article | None
    findings: list[Finding] = field(default_factory=list)


def _whole_file(code: str, message: str, span: Span | None = None) -> ParseResult:
    return ParseResult(None, [Finding(code, message, span=span or Span(1, 1, 1, 2))])


def _decode(raw: bytes) -> str | ParseResult:
    if b"\0" in raw[:_BINARY_SNIFF]:
        return _whole_file(
            "FL008", "this is a binary file (it holds NUL bytes), not a text article"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        column = len(raw[line_start : err.start].decode("utf-8", "replace")) + 1
        return _whole_file(
            "FL007",
            f"invalid UTF-8: byte 0x{raw[err.start]:02x} cannot start or continue a character; "
            "save the file as UTF-8",
            Span(line, column, line, column + 1),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return _whole_file("FL009", "the file is empty: an article needs front matter")
    return text


def parse(path: str, raw: bytes, *, bare: bool = False) -> ParseResult:
    """Parse one article file's bytes.

    ``bare`` says the whole file is the YAML of the article (``.yaml``, ``.yml``,
    ``.json``); otherwise it is front matter between ``---`` fences over a body.
    """
    text = _decode(raw)
    if isinstance(text, ParseResult):
        return text
    lines = LineIndex(text)
    if bare:
        yaml_start, yaml_end, body_offset, root_line = 0, len(text), len(text), 1
    else:
        opening = _FENCE.match(text)
        if opening is None:
            return _whole_file(
                "FL001",
                "no front matter: an article starts with a line `---`, then its YAML fields, "
                "then another `---`",
                lines.line_span(1),
            )
        closing = _CLOSING_FENCE.search(text, opening.end())
        if closing is None:
            return _whole_file(
                "FL002",
                "the front matter is never closed: add a line `---` after the last field",
                lines.line_span(1),
            )
        yaml_start, yaml_end, body_offset, root_line = (
            opening.end(),
            closing.start(),
            closing.end(),
            1,
        )
    yaml_text = text[yaml_start:yaml_end]
    builder = _Builder(yaml_start, lines)
    refused = builder.refuse_unsafe(yaml_text)
    if refused:
        return ParseResult(None, refused)
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return ParseResult(None, [builder.syntax_error(err)])
    except yaml.reader.ReaderError as err:
        return ParseResult(None, [builder.reader_error(err)])
    except yaml.YAMLError as err:  # pragma: no cover - libyaml always marks its errors
        return _whole_file("FL003", f"invalid YAML: {err}", lines.line_span(root_line))
    source = SourceMap(root_line=root_line)
    if not isinstance(root, MappingNode):
        kind = "nothing" if root is None else _describe_node(root)
        span = lines.line_span(root_line) if root is None else builder.node_span(root)
        return ParseResult(
            None,
            [
                Finding(
                    "FL004",
                    f"the front matter must be a mapping of fields (`title: ...`), got {kind}",
                    span=span,
                )
            ],
        )
    data = builder.build(root, "", source.nodes)
    article = Article(
        path=path,
        text=text,
        data=data,
        source=source,
        lines=lines,
        body_offset=body_offset,
        yaml_start=yaml_start,
        yaml_end=yaml_end,
    )
    return ParseResult(article, builder.findings)


def _describe_node(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        return f"the single value {node.value[:40]!r}"
    return "something else"


class _Builder:
    """Walks a composed node tree into data plus a source map, noting what it meets."""

    def __init__(self, offset: int, lines: LineIndex) -> None:
        self.offset = offset
        self.lines = lines
        self.findings: list[Finding] = []

    def node_span(self, node: Node) -> Span:
        return self.lines.span(
            self.offset + node.start_mark.index, self.offset + node.end_mark.index
        )

    def _mark_span(self, mark: Any) -> Span:
        line, column = self.lines.position(self.offset + mark.index)
        return Span(line, column, line, column + 1)

    def syntax_error(self, err: yaml.MarkedYAMLError) -> Finding:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "the YAML cannot be read"
        message = f"invalid YAML: {problem}"
        if err.context:
            context = err.context
            if err.context_mark is not None and err.context_mark is not mark:
                line, _ = self.lines.position(self.offset + err.context_mark.index)
                context += f" at line {line}"
            message += f" ({context})"
        span = self._mark_span(mark) if mark is not None else self.lines.line_span(1)
        return Finding("FL003", message, span=span)

    def reader_error(self, err: yaml.reader.ReaderError) -> Finding:
        line, column = self.lines.position(self.offset + err.position)
        char = err.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return Finding(
            "FL003",
            f"invalid YAML: the character {shown} is not allowed in YAML text; remove it",
            span=Span(line, column, line, column + 1),
        )

    def refuse_unsafe(self, yaml_text: str) -> list[Finding]:
        """Anchors, aliases and runaway nesting, found from the event stream.

        libyaml's event parser is iterative, so this is safe on any input; it only
        runs when a cheap look at the text says it might find something.
        """
        depth_bound = (
            yaml_text.count("[")
            + yaml_text.count("{")
            + yaml_text.count("- ")
            + yaml_text.count("-\n")
            + yaml_text.count("?")
            + _max_indent(yaml_text)
        )
        if depth_bound < _DEPTH_PREFILTER and not _ANCHOR_OR_ALIAS.search(yaml_text):
            return []
        findings: list[Finding] = []
        aliases: dict[str, tuple[Any, int]] = {}
        depth = 0
        try:
            for event in yaml.parse(yaml_text, Loader=_Loader):
                anchor = getattr(event, "anchor", None)
                if isinstance(event, yaml.AliasEvent) and anchor is not None:
                    first, uses = aliases.get(anchor, (event, 0))
                    aliases[anchor] = (first, uses + 1)
                elif anchor is not None:
                    findings.append(
                        Finding(
                            "FL006",
                            f"anchor &{anchor} is not allowed: articles are plain data, "
                            "remove the anchor",
                            span=self._event_span(event),
                        )
                    )
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH:
                        findings.append(
                            Finding(
                                "FL015",
                                f"the front matter nests deeper than {MAX_DEPTH} levels; "
                                "an article needs about six",
                                span=self._event_span(event),
                            )
                        )
                        break
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.MarkedYAMLError as err:
            if not findings and not aliases:
                return [self.syntax_error(err)]
        except yaml.reader.ReaderError as err:
            if not findings and not aliases:
                return [self.reader_error(err)]
        for name, (first, uses) in aliases.items():
            more = f" (used {uses} times)" if uses > 1 else ""
            findings.append(
                Finding(
                    "FL006",
                    f"alias *{name} is not allowed{more}: write the value out in full",
                    span=self._event_span(first),
                )
            )
        return findings

    def _event_span(self, event: Any) -> Span:
        start = self.offset + event.start_mark.index
        end = self.offset + event.end_mark.index
        line, _ = self.lines.position(start)
        return self.lines.span(start, min(end, self.lines.line_end(line)))

    def build(self, node: Node, pointer: str, nodes: dict[str, tuple[int, int, int, int]]) -> Any:
        """Data for ``node``; records every child's span under its pointer."""
        if isinstance(node, MappingNode):
            self._check_tag(node, _MAP)
            mapping: dict[str, Any] = {}
            key_lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.findings.append(
                        Finding(
                            "FL014",
                            "a key must be a plain name, not a list or mapping",
                            span=self.node_span(key_node),
                        )
                    )
                    continue
                key = key_node.value
                key_start = self.offset + key_node.start_mark.index
                if key_node.tag == _BOOL and not key_node.style:
                    self._truthy(key_node)
                if key in key_lines:
                    self.findings.append(
                        Finding(
                            "FL005",
                            f"duplicate key {key!r}: it is already set on line {key_lines[key]}, "
                            "and a YAML loader keeps only the last one; remove one of them",
                            span=self.node_span(key_node),
                        )
                    )
                key_lines[key] = self.lines.position(key_start)[0]
                child = f"{pointer}/{escape_pointer_token(key)}"
                nodes[child] = (
                    key_start,
                    self.offset + key_node.end_mark.index,
                    self.offset + value_node.start_mark.index,
                    self.offset + value_node.end_mark.index,
                )
                mapping[key] = self.build(value_node, child, nodes)
            return mapping
        if isinstance(node, SequenceNode):
            self._check_tag(node, _SEQ)
            items = []
            for index, item_node in enumerate(node.value):
                child = f"{pointer}/{index}"
                nodes[child] = (
                    -1,
                    -1,
                    self.offset + item_node.start_mark.index,
                    self.offset + item_node.end_mark.index,
                )
                items.append(self.build(item_node, child, nodes))
            return items
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            return node.value
        if tag == _INT:
            return _constructor.construct_yaml_int(node)
        if tag == _FLOAT:
            return _constructor.construct_yaml_float(node)
        if tag == _BOOL:
            if not node.style:
                self._truthy(node)
            return _constructor.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        self._check_tag(node, _STR)
        return node.value

    def _truthy(self, node: ScalarNode) -> None:
        if node.value.lower() in _TRUTHY_CANONICAL:
            return
        self.findings.append(
            Finding(
                "FL011",
                f"{node.value!r} is read as a boolean by YAML 1.1 and as a string by YAML 1.2: "
                f"write true or false, or quote it if it is text",
                span=self.node_span(node),
            )
        )

    def _check_tag(self, node: Node, expected: str) -> None:
        if node.tag in _SCALAR_TAGS or node.tag == expected or node.tag in (_MAP, _SEQ):
            return
        self.findings.append(
            Finding(
                "FL012",
                f"the tag {_short_tag(node.tag)} is not allowed in an article; remove it "
                "(the value is read as plain data)",
                span=self.node_span(node),
            )
        )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _max_indent(text: str) -> int:
    """The deepest indentation of any line, in spaces (a bound on block nesting)."""
    deepest = 0
    for match in re.finditer(r"^[ ]+", text, re.MULTILINE):
        deepest = max(deepest, match.end() - match.start())
    return deepest
