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
        depth = 0
        nodes = 0
        path = _EventPath()
        try:
            for event in yaml.parse(yaml_text, Loader=_Loader):
                anchor = getattr(event, "anchor", None)
                pointer = path.place(event)
                if isinstance(event, yaml.AliasEvent):
                    name = str(anchor)
                    first, uses, where = aliases.get(name, (event, 0, pointer))
                    aliases[name] = (first, uses + 1, where)
                    continue
                if anchor is not None:
                    findings.append(
                        Finding(
                            FL006,
                            f"anchor &{anchor} is not allowed: articles are plain data, "
                            "remove the anchor",
                            pointer,
                            span=self._event_span(event),
                        )
                    )
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
            if not findings and not aliases:
                return [self.syntax_error(err)]
        except yaml.reader.ReaderError as err:
            if not findings and not aliases:
                return [self.reader_error(err, yaml_text)]
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
