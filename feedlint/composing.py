"""Front matter composed by libyaml, for what the block YAML reader leaves.

libyaml (PyYAML's C parser) composes the YAML into a node tree that keeps each
node's character offsets; :func:`_Builder.build` walks that tree once to build
plain data (timestamps stay strings) and the source map, and to report what a
loader would silently accept: duplicate keys, ambiguous booleans, unknown tags.
Anchors and aliases are refused before anything is built, so an alias bomb is
never expanded; documents nested deeper, or holding far more values, than any
article could are refused before libyaml's recursive composer sees them. Those
checks run on libyaml's event stream, which is iterative and costs constant
memory; they run only when cheap counts over the text say they might find
something (the counts are upper bounds, so a hostile file cannot slip past
them), and the builder checks depth, sharing and size again as it walks the
composed tree.

This module (and with it PyYAML) is imported by :func:`feedlint.parsing.parse`
only for a file the block reader declines.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Literal

from feedlint.diagnostics import Finding, Span
from feedlint.document import Article, LineIndex, SourceMap, escape_pointer_token
from feedlint.parsed import MAX_DEPTH, MAX_NODES, ParseResult, whole_file
from feedlint.rules.file_syntax import (
    FL003,
    FL004,
    FL005,
    FL006,
    FL011,
    FL012,
    FL014,
    FL015,
    FL016,
)

#: PyYAML's pure-Python Reader compiles this at import (yaml/reader.py): a class
#: spanning all of Unicode, which costs Python's re about 5 ms, a tenth of a
#: one-file run, though feedlint parses with libyaml and never uses that Reader.
YAML_NON_PRINTABLE = (
    "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
)
#: The same set of characters, written as the (small) complement.
YAML_NON_PRINTABLE_SMALL = (
    "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"
)


def _prime_yaml_reader() -> None:
    """Let ``import yaml`` find its Reader's pattern already compiled.

    ``re`` keeps compiled patterns in a cache keyed by their text; the equivalent
    small pattern is compiled and stored under the original text, so the import
    gets it at the cost of a dictionary lookup. Where ``re`` keeps its cache some
    other way (another Python), nothing happens and the import compiles as usual.
    """
    import sys

    if "yaml.reader" in sys.modules:
        return
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache[(str, YAML_NON_PRINTABLE, 0)] = re.compile(YAML_NON_PRINTABLE_SMALL)


_prime_yaml_reader()

import yaml  # noqa: E402 - after priming its pattern
from yaml.constructor import SafeConstructor  # noqa: E402
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # noqa: E402

#: PyYAML's C parser (libyaml), about ten times faster than its pure-Python one.
#: Without it feedlint still works, slowly, and the command line says so once.
HAVE_LIBYAML = hasattr(yaml, "CSafeLoader")
_BaseLoader: type = yaml.CSafeLoader if HAVE_LIBYAML else yaml.SafeLoader

#: Below this bound on the nesting depth, libyaml composes directly (its composer
#: is recursive and overflows the C stack at about 50,000 levels).
_DEPTH_PREFILTER = 200

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})
_TRUTHY_CANONICAL = frozenset({"true", "false"})
#: What makes the builder refuse a document.
_REFUSALS = frozenset({FL006, FL015, FL016})
_NULL_SPELLINGS = frozenset({"", "~", "null", "Null", "NULL"})
#: A node that starts with a tag (after an anchor, if any).
_EXPLICIT_TAG = re.compile(r"(?:&\S*\s+)?!")
#: Larger integers cannot be written in decimal by Python (4,300 digits at most).
_MAX_INT_BITS = 14_000
#: libyaml's line breaks: not only ``\n`` but a lone CR, NEL, LS and PS.
_YAML_BREAKS = "\n\r\x85\u2028\u2029"
#: The indentation of a line, whichever break ended the line before it.
_INDENT = re.compile(f"(?:^|[{_YAML_BREAKS}])([ ]+)")
#: Besides a space and ``\n``, what makes ``-`` a block sequence entry when it
#: follows (so does the end of the text).
_RARE_BLANKS = "\t\r\x85\u2028\u2029"
#: Every node but the first starts at one of these (or is an empty node next to one).
_NODE_SEPARATORS = ",:?-[{" + _YAML_BREAKS
#: Scalars kept as their text (timestamps stay strings, for the schema and rules).
_TEXT_TAGS = frozenset({_STR, _TIMESTAMP})

_constructor = SafeConstructor()

#: Plain scalar -> its implicit tag, for the short values that recur in every
#: article (keys, ``true``, ``article``): PyYAML's resolver tries a list of
#: regular expressions on each one, and that is a third of the time of a compose.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 4096


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader with a memo in front of the implicit tag resolver."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR  # quoted, or plain but not resolvable: a string
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 40 and len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS[value] = tag
            return tag
        return _MAP if kind is MappingNode else _SEQ

    # libyaml's composer calls these two around every node, for path resolvers;
    # the safe loader registers none, so there is nothing to do (PyYAML's own
    # versions look that up on every call).
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


def compose(
    path: str,
    text: str,
    lines: LineIndex,
    where: tuple[int, int, int, int],
    *,
    json: bool = False,
) -> ParseResult:
    """The article in ``text`` whose YAML spans ``where`` (start, end, the body's
    offset, the line of the opening fence), composed by libyaml; ``json`` for a
    bare JSON article."""
    yaml_start, yaml_end, body_offset, root_line = where
    yaml_text = text[yaml_start:yaml_end]
    edits = _NO_EDITS
    if json:
        yaml_text, edits = _json_for_libyaml(yaml_text)
    builder = _Builder(yaml_start, lines, edits, yaml_text)
    refused = builder.refuse_unsafe(yaml_text)
    if refused:
        return ParseResult(None, refused)
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return ParseResult(None, [builder.syntax_error(err)])
    except yaml.reader.ReaderError as err:
        return ParseResult(None, [builder.reader_error(err, yaml_text)])
    except yaml.YAMLError as err:  # pragma: no cover - libyaml always marks its errors
        return whole_file(FL003, f"invalid YAML: {err}", lines.line_span(root_line))
    source = SourceMap(root_line=root_line)
    if not isinstance(root, MappingNode):
        kind = "nothing" if root is None else _describe_node(root)
        span = lines.line_span(root_line) if root is None else builder.node_span(root)
        return ParseResult(
            None,
            [
                Finding(
                    FL004,
                    f"the front matter must be a mapping of fields (`title: ...`), got {kind}",
                    span=span,
                )
            ],
        )
    data = builder.build(root, "", source.nodes, 1)
    if builder.refused:
        # An alias, runaway depth or size found only now: refused, as the event pass does.
        return ParseResult(None, [f for f in builder.findings if f.code in _REFUSALS])
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


@dataclass(frozen=True, slots=True)
class _Edits:
    """Where the text given to the parser differs from the file's: the start and end
    of each rewritten piece in both, in order, to put the parser's offsets back."""

    new_starts: tuple[int, ...] = ()
    new_ends: tuple[int, ...] = ()
    old_starts: tuple[int, ...] = ()
    old_ends: tuple[int, ...] = ()

    def original(self, index: int) -> int:
        """The offset in the original text of ``index`` in the rewritten one."""
        i = bisect_right(self.new_starts, index) - 1
        if i < 0:
            return index
        if index >= self.new_ends[i]:
            return self.old_ends[i] + index - self.new_ends[i]
        return min(self.old_starts[i] + index - self.new_starts[i], self.old_ends[i])


_NO_EDITS = _Edits()

#: What a JSON file may hold that libyaml reads otherwise: a character beyond U+FFFF
#: escaped as a UTF-16 surrogate pair (Python's json.dumps writes 😀 so; YAML
#: refuses surrogate escapes), and raw characters that JSON allows in a string but
#: YAML does not (DEL, C1 controls, U+FFFE, U+FFFF) or reads as a line break
#: (NEL, LS, PS; they would be folded into a space).
_JSON_ONLY = re.compile(
    r"(?<!\\)((?:\\\\)*)"  # an even run of backslashes: the next one starts an escape
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
    "|[\x7f-\x9f\u2028\u2029\ufffe\uffff]"
)


def _json_for_libyaml(text: str) -> tuple[str, _Edits]:
    """A JSON file's text rewritten so that libyaml reads exactly what JSON means.

    Every rewrite is a different escape for the same character (in JSON these
    can only stand inside strings, where escapes mean the same in YAML), and
    :class:`_Edits` maps the parser's offsets back to the file's.
    """
    if _JSON_ONLY.search(text) is None:
        return text, _NO_EDITS
    parts: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    old_starts: list[int] = []
    old_ends: list[int] = []
    last = 0
    length = 0
    for match in _JSON_ONLY.finditer(text):
        if match.group(2):
            high, low = int(match.group(2), 16), int(match.group(3), 16)
            start = match.start() + len(match.group(1))
            escape = f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"
        else:
            start = match.start()
            escape = f"\\u{ord(match.group()):04x}"
        parts.append(text[last:start])
        length += start - last
        old_starts.append(start)
        old_ends.append(match.end())
        new_starts.append(length)
        parts.append(escape)
        length += len(escape)
        new_ends.append(length)
        last = match.end()
    parts.append(text[last:])
    edits = _Edits(tuple(new_starts), tuple(new_ends), tuple(old_starts), tuple(old_ends))
    return "".join(parts), edits


def _describe_node(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        return f"the single value {node.value[:40]!r}"
    return "something else"


class _Builder:
    """Walks a composed node tree into data plus a source map, noting what it meets."""

    def __init__(
        self, offset: int, lines: LineIndex, edits: _Edits = _NO_EDITS, parser_text: str = ""
    ) -> None:
        self.offset = offset
        #: The text the YAML parser was given (marks index into it).
        self.parser_text = parser_text
        self.lines = lines
        #: Where :func:`_json_for_libyaml` rewrote the text the parser saw.
        self.edits = edits
        self.findings: list[Finding] = []
        #: ids of the lists and mappings built so far (one met twice came through an
        #: alias; a scalar met twice costs nothing more, so scalars are not tracked).
        self._visited: set[int] = set()
        #: Nodes built so far.
        self._nodes = 1
        #: Set once a limit is hit: nothing more is built.
        self._stopped = False
        #: Set when the document is refused (an alias, too deep, too large).
        self.refused = False
        #: The parser's text cut into lines, when a finding needs to read them.
        self._lines: _SourceLines | None = None

    def _at(self, mark: Any) -> int:
        """The offset in the file of a parser mark."""
        return self.offset + self._unshift(mark.index)

    def _unshift(self, index: int) -> int:
        if self.edits is _NO_EDITS:
            return index
        return self.edits.original(index)

    def node_span(self, node: Node) -> Span:
        return self.lines.span(
            self._at(node.start_mark), self._at(node.end_mark)
        )

    def _line_of(self, index: int) -> int:
        """The line of the file of ``index`` in the parser's text."""
        return self.lines.position(self.offset + self._unshift(index))[0]

    def _mark_span(self, mark: Any) -> Span:
        line, column = self.lines.position(self._at(mark))
        return Span(line, column, line, column + 1)

    def syntax_error(self, err: yaml.MarkedYAMLError) -> Finding:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "the YAML cannot be read"
        if "maximum nesting depth" in problem and mark is not None:
            # libyaml 0.2.6 and newer stop at 1,000 levels while scanning ahead, before
            # the event stream shows feedlint's own, lower limit: the same problem.
            return Finding(
                FL015,
                f"the front matter nests deeper than {MAX_DEPTH} levels; an article needs "
                "about six",
                span=self._mark_span(mark),
            )
        words = plain_words(err, self.parser_text, self._line_of)
        if words is not None:
            message, index = words
            line, column = self.lines.position(self.offset + self._unshift(index))
            return Finding(FL003, message, span=Span(line, column, line, column + 1))
        message = f"invalid YAML: {problem}"
        if err.context:
            context = err.context
            if err.context_mark is not None and err.context_mark is not mark:
                line, _ = self.lines.position(self._at(err.context_mark))
                context += f" at line {line}"
            message += f" ({context})"
        span = self._mark_span(mark) if mark is not None else self.lines.line_span(1)
        return Finding(FL003, message, span=span)

    def reader_error(self, err: yaml.reader.ReaderError, yaml_text: str) -> Finding:
        # libyaml reports the offset in bytes of the UTF-8 text it was given.
        position = len(yaml_text.encode("utf-8")[: err.position].decode("utf-8", "ignore"))
        line, column = self.lines.position(self.offset + self._unshift(position))
        char = err.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return Finding(
            FL003,
            f"invalid YAML: the character {shown} is not allowed in YAML text; remove it",
            span=Span(line, column, line, column + 1),
        )

    def refuse_unsafe(self, yaml_text: str) -> list[Finding]:
        """Anchors, aliases, runaway nesting and runaway size, found from the event stream.

        libyaml's event parser is iterative and each event is dropped once seen, so
        this is safe on any input; it only runs when :func:`_worth_an_event_pass`
        says it might find something.
        """
        if not _worth_an_event_pass(yaml_text):
            return []
        findings: list[Finding] = []
        aliases: dict[str, tuple[Any, int, str]] = {}
        #: Anchors in the order met: (name, event, pointer).
        anchors: list[tuple[str, Any, str]] = []
        defined: set[str] = set()
        #: Aliases of no anchor defined before them: text starting with ``*``.
        undefined: list[tuple[Any, str]] = []
        depth = 0
        nodes = 0
        path = _EventPath()
        try:
            for event in yaml.parse(yaml_text, Loader=_Loader):
                anchor = getattr(event, "anchor", None)
                pointer = path.place(event)
                if isinstance(event, yaml.AliasEvent):
                    name = str(anchor)
                    if name not in defined:
                        undefined.append((event, pointer))
                        continue
                    first, uses, where = aliases.get(name, (event, 0, pointer))
                    aliases[name] = (first, uses + 1, where)
                    continue
                if anchor is not None:
                    anchors.append((str(anchor), event, pointer))
                    defined.add(str(anchor))
                if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                    nodes += 1
                    if nodes > MAX_NODES:
                        findings.append(self.too_many_nodes(self._event_span(event), pointer))
                        break
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH:
                        findings.append(self.too_deep(self._event_span(event), pointer))
                        break
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.MarkedYAMLError as err:
            if not findings and not aliases and not anchors and not undefined:
                return [self.syntax_error(err)]
        except yaml.reader.ReaderError as err:
            if not findings and not aliases and not anchors and not undefined:
                return [self.reader_error(err, yaml_text)]
        findings[:0] = [
            self._anchor_finding(name, event, pointer, name in aliases, yaml_text)
            for name, event, pointer in anchors
        ]
        for event, pointer in undefined:
            findings.append(self._undefined_alias(event, pointer, yaml_text))
        for name, (first, uses, where) in aliases.items():
            more = f" (used {uses} times)" if uses > 1 else ""
            findings.append(
                Finding(
                    FL006,
                    f"alias *{name} is not allowed{more}: write the value out in full",
                    where,
                    span=self._event_span(first),
                )
            )
        return findings

    def _anchor_finding(
        self, name: str, event: Any, pointer: str, used: bool, yaml_text: str
    ) -> Finding:
        """FL006 for an anchor; one no alias uses, starting a plain value, may be text
        (``&Co news``): the message says how to keep it as text."""
        message = f"anchor &{name} is not allowed: articles are plain data, remove the anchor"
        mark = event.start_mark
        if not used and isinstance(event, yaml.ScalarEvent) and not event.style and mark:
            words = _quote_the_value(mark.index, self._source_lines(yaml_text), "")
            if words is not None:
                quoted = words[0].removeprefix("; quote the value: ")
                message = (
                    f"anchor &{name} is not allowed: articles are plain data; if the value "
                    f"is text, quote it: {quoted}"
                )
        return Finding(FL006, message, pointer, span=self._event_span(event))

    def _source_lines(self, yaml_text: str) -> _SourceLines:
        """The lines of the parser's text, cut once for all the findings that read them."""
        if self._lines is None or self._lines.text is not yaml_text:
            self._lines = _SourceLines(yaml_text)
        return self._lines

    def _undefined_alias(self, event: Any, pointer: str, yaml_text: str) -> Finding:
        """FL003 for an alias of no anchor (libyaml's composer refuses it): text that
        starts with ``*``, such as ``*Updated*``, unless it is quoted."""
        index = event.start_mark.index
        words = _quote_the_value(
            index, self._source_lines(yaml_text), undefined_alias_reason("*")
        )
        message = (
            words[0] if words is not None
            else f"invalid YAML: found undefined alias *{event.anchor}"
        )
        return Finding(FL003, message, pointer, span=self._mark_span(event.start_mark))

    @staticmethod
    def too_deep(span: Span, pointer: str = "") -> Finding:
        return Finding(
            FL015,
            f"the front matter nests deeper than {MAX_DEPTH} levels; an article needs about six",
            pointer,
            span=span,
        )

    @staticmethod
    def too_many_nodes(span: Span, pointer: str = "") -> Finding:
        return Finding(
            FL016,
            f"the front matter holds more than {MAX_NODES:,} values (an article has a few "
            "hundred); it was not checked further",
            pointer,
            span=span,
        )

    def _event_span(self, event: Any) -> Span:
        start = self._at(event.start_mark)
        end = self._at(event.end_mark)
        line, _ = self.lines.position(start)
        return self.lines.span(start, min(end, self.lines.line_end(line)))

    def build(
        self, node: Node, pointer: str, nodes: dict[str, tuple[int, int, int, int]], depth: int
    ) -> Any:
        """Data for ``node``; records every child's span under its pointer.

        The event pass has refused aliases, deep nesting and huge documents when the
        text could hold them; this walk checks all three again on the tree itself
        (a list or mapping met twice is an alias, and would make the walk
        exponential or endless), so that nothing composed is ever expanded.
        """
        if isinstance(node, MappingNode):
            if not self._enter(node, depth, 2 * len(node.value), pointer):
                return None
            if node.tag != _MAP:
                self._check_tag(node, _MAP, pointer)
            # Offsets in the file: the text's own, shifted, unless it was edited for
            # libyaml (bare JSON), which _at() maps back; most files are not.
            offset = self.offset if self.edits is _NO_EDITS else None
            at = self._at
            mapping: dict[str, Any] = {}
            key_starts: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.findings.append(
                        Finding(
                            FL014,
                            "a key must be a plain name, not a list or mapping",
                            pointer,
                            span=self.node_span(key_node),
                        )
                    )
                    continue
                key = key_node.value
                key_start = (
                    offset + key_node.start_mark.index
                    if offset is not None
                    else at(key_node.start_mark)
                )
                if "~" in key or "/" in key:
                    child = f"{pointer}/{escape_pointer_token(key)}"
                else:
                    child = f"{pointer}/{key}"
                if key_node.tag == _BOOL and not key_node.style:
                    self._truthy(key_node, child, "key")
                if key in key_starts:
                    line = self.lines.position(key_starts[key])[0]
                    self.findings.append(
                        Finding(
                            FL005,
                            f"duplicate key {key!r}: it is already set on line {line}, "
                            "and a YAML loader keeps only the last one; remove one of them",
                            child,
                            "key",
                            span=self.node_span(key_node),
                        )
                    )
                key_starts[key] = key_start
                if offset is not None:
                    nodes[child] = (
                        key_start,
                        offset + key_node.end_mark.index,
                        offset + value_node.start_mark.index,
                        offset + value_node.end_mark.index,
                    )
                else:
                    nodes[child] = (
                        key_start,
                        at(key_node.end_mark),
                        at(value_node.start_mark),
                        at(value_node.end_mark),
                    )
                # Most values are strings: no call for them.
                if type(value_node) is ScalarNode and value_node.tag in _TEXT_TAGS:
                    mapping[key] = value_node.value
                else:
                    mapping[key] = self.build(value_node, child, nodes, depth + 1)
            return mapping
        if isinstance(node, SequenceNode):
            if not self._enter(node, depth, len(node.value), pointer):
                return None
            if node.tag != _SEQ:
                self._check_tag(node, _SEQ, pointer)
            offset = self.offset if self.edits is _NO_EDITS else None
            items = []
            for index, item_node in enumerate(node.value):
                child = f"{pointer}/{index}"
                if offset is not None:
                    nodes[child] = (
                        -1,
                        -1,
                        offset + item_node.start_mark.index,
                        offset + item_node.end_mark.index,
                    )
                else:
                    nodes[child] = (-1, -1, self._at(item_node.start_mark),
                                    self._at(item_node.end_mark))
                if type(item_node) is ScalarNode and item_node.tag in _TEXT_TAGS:
                    items.append(item_node.value)
                else:
                    items.append(self.build(item_node, child, nodes, depth + 1))
            return items
        assert isinstance(node, ScalarNode)
        return self._scalar(node, pointer)

    def _enter(self, node: Node, depth: int, children: int, pointer: str) -> bool:
        """Whether to build this list or mapping: not if it was built already (it came
        through an alias), nor past the depth or size limits; each refusal is a
        finding, and stops the build."""
        if self._stopped:
            return False
        ident = id(node)
        if ident in self._visited:
            self.findings.append(
                Finding(
                    FL006,
                    "an alias repeats the value written here; articles are plain data, "
                    "write the value out in full",
                    pointer,
                    span=self._first_line(node),
                )
            )
        elif depth > MAX_DEPTH:
            self.findings.append(self.too_deep(self._first_line(node), pointer))
        elif self._nodes + children > MAX_NODES:
            self.findings.append(self.too_many_nodes(self._first_line(node), pointer))
        else:
            self._visited.add(ident)
            self._nodes += children
            return True
        self._stopped = self.refused = True
        return False

    def _first_line(self, node: Node) -> Span:
        start = self._at(node.start_mark)
        line, _ = self.lines.position(start)
        end = min(self._at(node.end_mark), self.lines.line_end(line))
        return self.lines.span(start, end)

    def _scalar(self, node: ScalarNode, pointer: str) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            return node.value
        try:
            if tag == _INT:
                value = node.value
                # Plain decimal needs no YAML 1.1 rules (0o, 0x, 0b, 1_000, 1:30, 012).
                digits = value[1:] if value[:1] == "-" else value
                if (
                    len(digits) < 19
                    and digits.isascii()
                    and digits.isdigit()
                    and (digits[0] != "0" or digits == "0")
                ):
                    return int(value)
                number = _constructor.construct_yaml_int(node)
                if number.bit_length() > _MAX_INT_BITS:
                    # Python would refuse to write it out in a message again.
                    return math.inf if number > 0 else -math.inf
                return number
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(node)
            if tag == _BOOL:
                value = _constructor.construct_yaml_bool(node)
                if not node.style:
                    self._truthy(node, pointer)
                return value
        except ValueError as err:
            if tag == _INT and "limit" in str(err):
                # Over 4,300 digits: kept as the (infinite) float it rounds to.
                return -math.inf if node.value.lstrip().startswith("-") else math.inf
            return self._not_that_type(node, pointer)
        except (KeyError, TypeError, OverflowError):
            return self._not_that_type(node, pointer)
        if tag == _NULL:
            if node.value not in _NULL_SPELLINGS:
                return self._not_that_type(node, pointer)
            return None
        self._check_tag(node, _STR, pointer)
        return node.value

    def _not_that_type(self, node: ScalarNode, pointer: str) -> str:
        """A value that names a type (``!!int abc``) or looks like one (``0x_``) and is not.

        A loader would raise; feedlint reads the value as text, and reports the
        explicit tag (a plain ``0x_`` is simply text).
        """
        if _EXPLICIT_TAG.match(self.parser_text, node.start_mark.index):
            self.findings.append(
                Finding(
                    FL012,
                    f"the tag {_short_tag(node.tag)} does not fit the value "
                    f"{node.value[:40]!r}; remove the tag (the value is read as text)",
                    pointer,
                    span=self.node_span(node),
                )
            )
        return str(node.value)

    def _truthy(
        self, node: ScalarNode, pointer: str, target: Literal["value", "key"] = "value"
    ) -> None:
        if node.value.lower() in _TRUTHY_CANONICAL:
            return
        self.findings.append(
            Finding(
                FL011,
                f"{node.value!r} is read as a boolean by YAML 1.1 and as a string by YAML 1.2: "
                f"write true or false, or quote it if it is text",
                pointer,
                target,
                span=self.node_span(node),
            )
        )

    def _check_tag(self, node: Node, expected: str, pointer: str) -> None:
        if node.tag in _SCALAR_TAGS or node.tag == expected or node.tag in (_MAP, _SEQ):
            return
        self.findings.append(
            Finding(
                FL012,
                f"the tag {_short_tag(node.tag)} is not allowed in an article; remove it "
                "(the value is read as plain data)",
                pointer,
                span=self.node_span(node),
            )
        )


class _EventPath:
    """The JSON pointer of each node of libyaml's event stream, as the tree walk would
    name it: a mapping's value by its key, a list's item by its index. A key itself
    is named by the pointer of the value it introduces; a key that is not a plain
    scalar makes its mapping's pointer stand for what follows."""

    def __init__(self) -> None:
        #: One frame per open collection: [its pointer, is a mapping, expecting a key,
        #: the current key's pointer or the current index].
        self._frames: list[list[Any]] = []

    def place(self, event: Any) -> str:
        frames = self._frames
        if isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            return frames[-1][0] if frames else ""
        if not isinstance(event, yaml.NodeEvent):
            return ""
        pointer = ""
        if frames:
            frame = frames[-1]
            if frame[1]:  # a mapping: keys and values alternate
                if frame[2]:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else None
                    frame[3] = (
                        frame[0] if key is None
                        else f"{frame[0]}/{escape_pointer_token(str(key))}"
                    )
                frame[2] = not frame[2]
                pointer = frame[3]
            else:
                frame[3] += 1
                pointer = f"{frame[0]}/{frame[3]}"
        if isinstance(event, yaml.MappingStartEvent):
            frames.append([pointer, True, True, pointer])
        elif isinstance(event, yaml.SequenceStartEvent):
            frames.append([pointer, False, False, -1])
        return pointer


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _worth_an_event_pass(yaml_text: str) -> bool:
    """Whether the text might hold an anchor or alias, nest deeper than the composer
    can safely recurse, or hold more than :data:`MAX_NODES` values.

    Each count is an upper bound, so a False here is a proof; the tests check the
    bounds against the YAML test suite and generated documents. Only ``str``
    methods run here (no regular expression scans): this is paid on every file.
    """
    if _may_hold_anchor_or_alias(yaml_text):
        return True
    flat = _flat_depth_bound(yaml_text)
    if flat >= _DEPTH_PREFILTER or _indented_at_least(yaml_text, _DEPTH_PREFILTER - flat):
        return True
    return 3 * (len(yaml_text) + 1) > MAX_NODES and node_bound(yaml_text) > MAX_NODES


def _may_hold_anchor_or_alias(text: str) -> bool:
    """Whether a ``&`` or ``*`` stands where an anchor or alias could start: at the
    start of the text, or after white space (any line break included), a flow
    indicator, a flow ``?`` or ``:`` (``{"a":&x 1}`` needs no space), or a byte
    order mark. ``&`` is common inside URLs (``?fit=2560%2C1707&ssl=1``), where it
    cannot start one."""
    for char in "&*":
        pos = text.find(char)
        while pos != -1:
            if pos == 0:
                return True
            before = text[pos - 1]
            if before.isspace() or before in "[{,:?\ufeff":
                return True
            pos = text.find(char, pos + 1)
    return False


def _flat_depth_bound(text: str) -> int:
    """The part of :func:`depth_bound` that does not come from indentation."""
    count = text.count
    return (
        2 * count("[")
        + count("{")
        + count("?")
        + count("- ")
        + count("-\n")
        # Rare in articles: counted only when present (a count of "-x" costs ~7 µs).
        + sum(count("-" + blank) for blank in _RARE_BLANKS if blank in text)
        + text.endswith("-")
        # libyaml skips a byte order mark that starts a line, as one column: it
        # indents that line by one more (at most one per line).
        + ("\ufeff" in text)
        + 1
    )


def depth_bound(yaml_text: str) -> int:
    """At least the nesting depth of any document in ``yaml_text``.

    A collection opens only at ``[`` (which may open a single-pair mapping too,
    ``[a: b]``), ``{``, ``?``, a block entry (``-`` and a blank) or a deeper
    indentation, after any of YAML's line breaks.
    """
    return _flat_depth_bound(yaml_text) + _max_indent(yaml_text)


def _indented_at_least(text: str, spaces: int) -> bool:
    """Whether some line, ended by any YAML line break, starts with ``spaces`` spaces."""
    if spaces <= 0:
        return True
    indent = " " * spaces
    return text.startswith(indent) or any(brk + indent in text for brk in _YAML_BREAKS)


def node_bound(yaml_text: str) -> int:
    """At least the number of nodes in ``yaml_text``: every node but the first starts
    at a separator or line break, and each of those starts at most three (a
    collection, its first key and an empty value)."""
    return 3 * (sum(yaml_text.count(char) for char in _NODE_SEPARATORS) + 1)


def _max_indent(text: str) -> int:
    """The deepest indentation of any line, in spaces (a bound on block nesting).

    Lines end at every YAML line break, not only ``\\n``: a file whose lines end
    in a lone CR is indented all the same.
    """
    deepest = 0
    for match in _INDENT.finditer(text):
        deepest = max(deepest, match.end(1) - match.start(1))
    return deepest


# --- libyaml's syntax errors in the words of someone editing an article ---------
#
# Each reading below holds only when libyaml's problem, its marks and the source
# line agree exactly with one way an editor breaks YAML; anything else keeps
# libyaml's own words (``invalid YAML: ...``). A reading gives the message and
# the index, in the parser's text, of the character that caused the error.

#: A key as articles write them (the block reader's own pattern).
_KEY = r"[A-Za-z_][A-Za-z0-9_-]{0,127}"
#: A line that sets a key: indent, an optional list entry, the key, its ``:``, the
#: spaces after it and the rest of the line.
_KEY_LINE = re.compile(rf"( *)(- +)?({_KEY}):(?:( +)(.*))?\Z")
#: A line that starts with a word and a space but has no ``: `` nor a final ``:``.
_WORD_LINE = re.compile(rf"( *)(- +)?({_KEY})(?:( +)(.*))?\Z")
#: The characters YAML reserves, and a value may not start with unquoted.
_RESERVED_FIRST = {
    "@": "`@` unless it is quoted (YAML reserves it)",
    "`": "a backquote unless it is quoted (YAML reserves it)",
    "%": "`%` unless it is quoted (YAML reads it as a directive)",
}
#: The longest line a finding per anchor or alias reads to quote its value.
_LONGEST_LINE = 4096
#: The longest value shown whole in a message; longer ones end in " …".
_SHOWN_VALUE = 48


class _SourceLines:
    """The parser's text cut at ``\\n`` (a CR before it dropped), for the readings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def number(self, index: int) -> int:
        """The 0-based line holding ``index``."""
        return bisect_right(self.starts, index) - 1

    def length(self, number: int) -> int:
        """An upper bound on the length of line ``number`` (its break counted)."""
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return end - self.starts[number]

    def line(self, number: int) -> str:
        start = self.starts[number]
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].removesuffix("\r")

    def previous(self, number: int) -> int | None:
        """The nearest line above ``number`` holding more than white space or a comment."""
        for above in range(number - 1, -1, -1):
            content = self.line(above).strip()
            if content and not content.startswith("#"):
                return above
        return None


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else "1 space" if count == 1 else f"{count} spaces"


def _quoted(value: str) -> str:
    """``value`` as a quoted YAML scalar: double quotes, or single ones when it holds
    a ``"`` or a backslash and no ``'``."""
    if ("\"" in value or "\\" in value) and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(key_part: str, value: str) -> str:
    """``key: "value"`` for a message, a long value cut at a word with " …"."""
    if len(value) > _SHOWN_VALUE:
        cut = value[:_SHOWN_VALUE].rsplit(" ", 1)[0] or value[:_SHOWN_VALUE]
        quoted = _quoted(cut + " …")
    else:
        quoted = _quoted(value)
    return f"{key_part}{quoted}"


def _plain_value(rest: str) -> str:
    """The value a person meant on a line, from where it starts: the rest of the line
    but a trailing comment (`` # `` and a space: ``#1`` or ``#tag`` is kept as text)."""
    value = rest.rstrip()
    cut = re.search(r"\s#(?:\s|\Z)", value)
    if cut is not None:
        value = value[: cut.start()].rstrip()
    return value


def _key_part(match: re.Match[str]) -> str:
    """``key: `` as written, without the indent (``- key: `` for a list entry)."""
    return f"{match.group(2) or ''}{match.group(3)}: "


def plain_words(
    err: yaml.MarkedYAMLError, text: str, line_of: Any
) -> tuple[str, int] | None:
    """What is wrong, in the words of someone editing an article, and the index in
    ``text`` of the character that caused it; None when no reading holds exactly.

    ``line_of(index)`` is the line of the file that holds ``text[index]``.
    """
    if re.search("\r(?!\n)|[\x85\u2028\u2029]", text):
        return None  # lines broken otherwise than by \n: the readings do not apply
    problem = err.problem or ""
    context = err.context or ""
    problem_at = err.problem_mark.index if err.problem_mark is not None else None
    context_at = err.context_mark.index if err.context_mark is not None else None
    lines = _SourceLines(text)
    readings = (
        _tab_in_indent,
        _reserved_first,
        _alias_or_anchor_text,
        _inner_quote,
        _unclosed_quote,
        _dash_without_space,
        _missing_colon,
        _colon_in_value,
        _hash_in_flow,
        _misindented,
    )
    for reading in readings:
        found = reading(problem, context, problem_at, context_at, lines, line_of)
        if found is not None:
            return found
    return None


def _tab_in_indent(
    problem: str, context: str, at: int | None, _c: int | None, lines: _SourceLines,
    _l: Any,
) -> tuple[str, int] | None:
    if at is None or at >= len(lines.text) or lines.text[at] != "\t":
        return None
    if problem not in (
        "found a tab character that violates indentation",
        "found character that cannot start any token",
    ):
        return None
    number = lines.number(at)
    before = lines.text[lines.starts[number] : at]
    if before.strip(" \t"):
        return None  # the tab is not in the indentation
    return (
        "a tab in the indentation: YAML indents with spaces only; replace the tab "
        "with spaces",
        at,
    )


def _reserved_first(
    problem: str, context: str, at: int | None, _c: int | None, lines: _SourceLines,
    _l: Any,
) -> tuple[str, int] | None:
    if problem != "found character that cannot start any token" or at is None:
        return None
    char = lines.text[at] if at < len(lines.text) else ""
    if char not in _RESERVED_FIRST:
        return None
    return _quote_the_value(
        at, lines, f"a value cannot start with {_RESERVED_FIRST[char]}"
    )


def _quote_the_value(at: int, lines: _SourceLines, why: str) -> tuple[str, int] | None:
    """``why``, and the line's value quoted, when ``at`` is where that value starts."""
    number = lines.number(at)
    if lines.length(number) > _LONGEST_LINE:
        return None  # no one edits such a line by hand (and each finding would copy it)
    line = lines.line(number)
    column = at - lines.starts[number]
    match = _KEY_LINE.match(line)
    if match is not None and match.group(5) and match.start(5) == column:
        value = _plain_value(match.group(5))
        shown = _shown(_key_part(match), value)
    else:
        item = re.match(r"( *)(- +)(.*)\Z", line)
        if item is None or item.start(3) != column:
            return None
        value = _plain_value(item.group(3))
        shown = _shown(item.group(2), value)
    if not value:
        return None
    return f"{why}; quote the value: {shown}", at


def _alias_or_anchor_text(
    problem: str, context: str, at: int | None, context_at: int | None,
    lines: _SourceLines, _l: Any,
) -> tuple[str, int] | None:
    if problem == "found undefined alias" and at is not None:
        start = at
    elif (
        problem == "did not find expected alphabetic or numeric character"
        and context in ("while scanning an alias", "while scanning an anchor")
        and context_at is not None
    ):
        start = context_at
    else:
        return None
    if start >= len(lines.text) or lines.text[start] not in "*&":
        return None
    return _quote_the_value(start, lines, undefined_alias_reason(lines.text[start]))


def undefined_alias_reason(char: str) -> str:
    """Why a value starting with ``*`` or ``&`` as text is not read as text."""
    if char == "*":
        return (
            "an unquoted value starting with `*` is a YAML alias (a reference to an "
            "anchor `&name`), and there is no such anchor"
        )
    return "an unquoted value starting with `&` is a YAML anchor, not text"


def _inner_quote(
    problem: str, context: str, at: int | None, _c: int | None, lines: _SourceLines,
    _l: Any,
) -> tuple[str, int] | None:
    """A quote inside a quoted value closed it early: the rest of the line is junk."""
    if at is None or problem not in (
        "did not find expected key",
        "did not find expected '-' indicator",
    ):
        return None
    number = lines.number(at)
    line = lines.line(number)
    column = at - lines.starts[number]
    match = _KEY_LINE.match(line)
    if match is not None and match.group(5):
        value_column, rest, key_part = match.start(5), match.group(5), _key_part(match)
    else:
        item = re.match(r"( *)(- +)(.*)\Z", line)
        if item is None:
            return None
        value_column, rest, key_part = item.start(3), item.group(3), item.group(2)
    quote = rest[:1]
    if quote not in ("'", '"'):
        return None
    written = rest.rstrip()
    if len(written) < 2 or not written.endswith(quote):
        return None
    inner = written[1:-1]
    if quote == '"' and "\\" in inner:
        return None  # escapes: where a quote ends is not a plain count
    closing = inner.find(quote)
    if quote == "'":
        while closing != -1 and inner[closing + 1 : closing + 2] == "'":
            closing = inner.find("'", closing + 2)  # '' is a quote written twice
    if closing == -1:
        return None
    closing_column = value_column + 1 + closing
    # libyaml stops at the first character after the early end (past any spaces).
    after = len(line[closing_column + 1 :]) - len(line[closing_column + 1 :].lstrip(" "))
    if column != closing_column + 1 + after:
        return None
    if quote == '"':
        fixed = _quoted(inner)
        how = "write it as `\\\"`, or quote the value with single quotes"
        what = "a `\"` inside a double-quoted value ends it early"
    else:
        fixed = "'" + inner.replace("'", "''") + "'"
        if '"' not in inner and "\\" not in inner:
            fixed = '"' + inner + '"'
        how = "write it twice (`''`), or quote the value with double quotes"
        what = "a `'` inside a single-quoted value ends it early"
    shown = key_part + (fixed if len(fixed) <= _SHOWN_VALUE + 2 else fixed[:_SHOWN_VALUE] + " …")
    return f"{what}; {how}: {shown}", lines.starts[number] + closing_column


def _unclosed_quote(
    problem: str, context: str, at: int | None, context_at: int | None,
    lines: _SourceLines, _l: Any,
) -> tuple[str, int] | None:
    """A quote opened and not closed on its line: the value runs on to the end of the
    front matter, or to the next quote, on a later line, after which nothing fits."""
    if problem == "found unexpected end of stream" and context == "while scanning a quoted scalar":
        if context_at is None:
            return None
        opening = context_at
    elif problem in ("did not find expected key", "did not find expected '-' indicator"):
        if at is None:
            return None
        # The quote that ended the value: the last one before ``at``, past spaces.
        before = lines.text[:at].rstrip(" ")
        if not before or before[-1] not in "'\"":
            return None
        found = _opening_quote(lines, len(before) - 1)
        if found is None:
            return None
        opening = found
    else:
        return None
    quote = lines.text[opening] if opening < len(lines.text) else ""
    if quote not in ("'", '"'):
        return None
    number = lines.number(opening)
    line = lines.line(number)
    column = opening - lines.starts[number]
    match = _KEY_LINE.match(line)
    if match is not None and match.group(5) and match.start(5) == column:
        key_part = _key_part(match)
    else:
        item = re.match(r"( *)(- +)", line)
        if item is None or item.end() != column:
            return None
        key_part = item.group(2)
    content = line[column + 1 :].rstrip()
    if quote in content or "\\" in content or not content:
        return None  # not simply a value left open at the end of its line
    fixed = quote + content + quote
    if len(fixed) > _SHOWN_VALUE + 2:
        fixed = quote + content[:_SHOWN_VALUE] + " …" + quote
    name = "`\"`" if quote == '"' else "`'`"
    return (
        f"the {name} that opens this value is never closed, so the value runs on past "
        f"the end of the line; close it: {key_part}{fixed}",
        opening,
    )


def _opening_quote(lines: _SourceLines, closing: int) -> int | None:
    """Where the quoted value that ``closing`` ends was opened, when that was on an
    earlier line at the start of a value and nothing between holds that quote."""
    quote = lines.text[closing]
    opening = lines.text.rfind(quote, 0, closing)
    if opening == -1 or lines.number(opening) == lines.number(closing):
        return None
    if "\\" in lines.text[opening:closing]:
        return None
    return opening


def _dash_without_space(
    problem: str, context: str, at: int | None, context_at: int | None,
    lines: _SourceLines, _l: Any,
) -> tuple[str, int] | None:
    if problem != "could not find expected ':'" or context != "while scanning a simple key":
        return None
    if context_at is None:
        return None
    number = lines.number(context_at)
    line = lines.line(number)
    column = context_at - lines.starts[number]
    if line[:column].strip(" ") or line[column : column + 1] != "-":
        return None
    follows = line[column + 1 : column + 2]
    if not follows or follows in " -" or ": " in line or line.endswith(":"):
        return None
    above = lines.previous(number)
    if above is None:
        return None
    sibling = lines.line(above)
    if not sibling.startswith(" " * column + "- ") or sibling[:column].strip(" "):
        return None
    value = _plain_value(line[column + 1 :])
    return (
        f"a list item needs a space after the `-`; write: - {value}",
        context_at,
    )


def _missing_colon(
    problem: str, context: str, at: int | None, context_at: int | None,
    lines: _SourceLines, line_of: Any,
) -> tuple[str, int] | None:
    """A key written without its ``:``: libyaml stops at the end of its line, or at
    the next key, which it reads as more of the same text."""
    if problem == "could not find expected ':'" and context == "while scanning a simple key":
        if context_at is None:
            return None
        number = lines.number(context_at)
        column = context_at - lines.starts[number]
    elif problem == "mapping values are not allowed in this context" and at is not None:
        below = lines.number(at)
        match = _KEY_LINE.match(lines.line(below))
        if match is None or lines.starts[below] + match.end(3) != at:
            return None
        found = lines.previous(below)
        if found is None:
            return None
        number = found
        column = len(lines.line(number)) - len(lines.line(number).lstrip(" "))
        if column != len(match.group(1)) or match.group(2):
            return None  # not the same mapping
        above = lines.previous(number)
        sibling = _KEY_LINE.match(lines.line(above)) if above is not None else None
        if above is not None and (sibling is None or sibling.start(3) != column):
            # The first line of a block may be the text of the key above it, and
            # the key below it the one misplaced: no guess.
            return None
    else:
        return None
    line = lines.line(number)
    word = _WORD_LINE.match(line)
    if word is None or word.start(2 if word.group(2) else 3) != column:
        return None
    if ": " in line or line.endswith(":") or " #" in line:
        return None
    if (word.group(5) or "")[:1] in ("'", '"', "[", "{"):
        return None
    if not _starts_entry(lines, number, word.start(3)) or not _has_sibling_key(
        lines, number, word.start(3)
    ):
        return None
    key = word.group(3)
    value = (word.group(5) or "").rstrip()
    where = lines.starts[number] + word.end(3)
    written = f"{word.group(2) or ''}{key}: {value}" if value else f"{key}: <its value>"
    return f"`{key}` has no `:` after it; write: {written}", where


def _starts_entry(lines: _SourceLines, number: int, column: int) -> bool:
    """Whether line ``number``, at ``column``, can only start an entry of a block, not
    go on with the value above it: the line above is a key at the same column, a key
    with no value that opens the block, or there is none."""
    above = lines.previous(number)
    if above is None:
        return True
    match = _KEY_LINE.match(lines.line(above))
    if match is None or match.group(2):
        return False
    if match.start(3) == column:
        return True
    return match.start(3) < column and not match.group(5)


def _has_sibling_key(lines: _SourceLines, number: int, column: int) -> bool:
    """Whether a key line at ``column`` stands next to line ``number`` (above or below)
    in the same block: the missing ``:`` is read against the keys around it."""
    for step in (-1, 1):
        other = number + step
        while 0 <= other < len(lines.starts):
            text = lines.line(other)
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                indent = len(text) - len(text.lstrip(" "))
                if indent < column:
                    break
                match = _KEY_LINE.match(text)
                if indent == column and match is not None and not match.group(2):
                    return True
                if indent == column:
                    break
            other += step
    return False


def _colon_in_value(
    problem: str, context: str, at: int | None, _c: int | None, lines: _SourceLines,
    _l: Any,
) -> tuple[str, int] | None:
    if problem != "mapping values are not allowed in this context" or at is None:
        return None
    number = lines.number(at)
    line = lines.line(number)
    column = at - lines.starts[number]
    match = _KEY_LINE.match(line)
    if match is None or not match.group(5) or column < match.start(5):
        return None
    if match.group(5)[:1] in "\"'[{|>!&*@`%":
        return None
    if line[column] != ":":
        return None
    value = _plain_value(match.group(5))
    if column - match.start(5) >= len(value):
        return None  # the colon is in what is a comment
    return (
        "an unquoted `: ` inside a value makes YAML read a key; quote the value: "
        + _shown(_key_part(match), value),
        at,
    )


def _hash_in_flow(
    problem: str, context: str, at: int | None, context_at: int | None,
    lines: _SourceLines, _l: Any,
) -> tuple[str, int] | None:
    """`` #`` inside a one-line ``{...}`` or ``[...]``: the comment it starts hides the
    rest of the line, the closing bracket with it."""
    if context_at is None or context not in (
        "while parsing a flow mapping", "while parsing a flow sequence"
    ):
        return None
    closing = "}" if context == "while parsing a flow mapping" else "]"
    if problem != f"did not find expected ',' or '{closing}'":
        return None
    number = lines.number(context_at)
    line = lines.line(number)
    column = context_at - lines.starts[number]
    match = _KEY_LINE.match(line)
    if match is None or match.group(2) or not match.group(5) or match.start(5) != column:
        return None
    flow = line[column:].rstrip()
    if not flow.endswith(closing) or "'" in flow or '"' in flow:
        return None
    hash_at = flow.find(" #")
    if hash_at == -1 or flow.count(" #") != 1 or flow.count(closing) != 1:
        return None
    if at is None or lines.number(at) == number:
        return None  # libyaml stopped on this line: not the comment swallowing its end
    # The item holding the " #": from the separator before it to the one after it.
    begin = max(flow.rfind(sep, 0, hash_at) + len(sep) for sep in ("{", "[", ", ", ": "))
    end = min(i for i in (flow.find(",", hash_at), len(flow) - 1) if i != -1)
    item = flow[begin:end].strip()
    if not item or any(char in item for char in ",{}[]"):
        return None
    lead = flow[begin:end][: len(flow[begin:end]) - len(flow[begin:end].lstrip())]
    fixed = flow[:begin] + lead + _quoted(item) + flow[begin + len(lead) + len(item):]
    return (
        "an unquoted ` #` starts a comment, which hides the rest of the line and the "
        f"closing `{closing}`; quote the value: {match.group(3)}: {fixed}",
        lines.starts[number] + column + hash_at + 1,
    )


def _misindented(
    problem: str, context: str, at: int | None, _c: int | None, lines: _SourceLines,
    line_of: Any,
) -> tuple[str, int] | None:
    """A key indented unlike the keys around it: more than the key above it (read as
    more of that key's value), or between two levels."""
    if at is None:
        return None
    if problem == "mapping values are not allowed in this context":
        number = lines.number(at)
        match = _KEY_LINE.match(lines.line(number))
        if match is None or match.group(2) or lines.starts[number] + match.end(3) != at:
            return None
    elif problem in ("did not find expected key", "did not find expected '-' indicator"):
        number = lines.number(at)
        match = _KEY_LINE.match(lines.line(number))
        if match is None or match.group(2) or lines.starts[number] + match.start(3) != at:
            return None
    else:
        return None
    indent = len(match.group(1))
    key = match.group(3)
    start = lines.starts[number] + indent
    above = lines.previous(number)
    if above is None:
        return None
    previous = _KEY_LINE.match(lines.line(above))
    if previous is None:
        return None
    previous_column = previous.start(3)
    previous_key = previous.group(3)
    previous_line = line_of(lines.starts[above] + previous_column)
    if indent > previous_column:
        if not previous.group(5) or previous.group(5).startswith("#"):
            return None  # a key alone on its line opens a block: deeper is right
        more = indent - previous_column
        spaces = "1 space" if more == 1 else f"{more} spaces"
        return (
            f"`{key}:` is indented {spaces} more than `{previous_key}:` on line "
            f"{previous_line}, so YAML reads it as more of {previous_key}'s value; indent "
            f"it like {previous_key} ({_spaces(previous_column)})",
            start,
        )
    # Less than the key above: the levels open above, from the innermost out.
    levels: list[tuple[int, str, int]] = []
    row: int | None = above
    while row is not None:
        found = _KEY_LINE.match(lines.line(row))
        if found is None:
            break
        column = found.start(3)
        if not levels or column < levels[-1][0]:
            levels.append((column, found.group(3), line_of(lines.starts[row] + column)))
            if column == 0:
                break
        row = lines.previous(row)
    inner = [level for level in levels if level[0] > indent]
    outer = [level for level in levels if level[0] < indent]
    if not inner or not outer or any(level[0] == indent for level in levels):
        return None
    (in_column, in_key, in_line), (out_column, out_key, out_line) = inner[-1], outer[0]
    if in_column - indent == 1:
        return (
            f"`{key}:` is indented 1 space less than `{in_key}:` on line {in_line}; "
            f"indent it like {in_key} ({_spaces(in_column)})",
            start,
        )
    return (
        f"`{key}:` is indented {indent} spaces, between `{out_key}:` on line {out_line} "
        f"({_spaces(out_column)}) and `{in_key}:` on line {in_line} ({_spaces(in_column)}); "
        f"indent it like {in_key} to go on in its block, or like {out_key}",
        start,
    )
