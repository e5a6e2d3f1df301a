"""A reader for the plain block YAML that articles are written in, or None.

Nearly every article's front matter uses a small part of YAML: block mappings
of plain keys, block lists, and scalars written on one line (plain, single- or
double-quoted without escapes, ``[]``, ``{}``). :func:`read_block_yaml` reads
exactly that part, in one regular-expression pass over the lines, into the same
data and the same source map (JSON pointer -> key/value offsets, as libyaml's
marks place them) that :mod:`feedlint.composing` builds from libyaml's node
tree, at a fraction of the cost.

It declines (returns None) on anything else — a flow collection, a block or
multi-line scalar, an escape, an anchor, a tag, a tab, a duplicate key, a value
that is not text, a decimal integer, ``true`` or ``false``, an irregular indent,
a character libyaml would refuse — and the caller then parses with libyaml,
which also reports what is wrong. So this module never reports: a document it
reads is one libyaml reads the same way with nothing to say about it, and a test
holds it to that on every fixture, the YAML test suite and generated articles.
"""

from __future__ import annotations

import re
from typing import Any

from feedlint.document import NodeSpan

#: Characters that are never part of a line read here: C0 and C1 controls (tab,
#: CR and NEL included: they are for libyaml to read; a CR is read only where it
#: ends a line).
_NOT = "\x00-\x1f\x7f-\x9f"
#: A printable character other than the space.
_NB = f"[^ {_NOT}]"
#: The other characters never in a text read here, looked for with ``in`` (a class
#: spanning Unicode would cost milliseconds to compile, each time it is written
#: in the pattern): YAML's other line breaks (LS, PS), the byte order mark and
#: the non-characters U+FFFE and U+FFFF. (Lone surrogates cannot be in a text
#: decoded from UTF-8.)
_REFUSED = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")
#: A plain scalar on one line: it starts with no indicator (``-``, ``?`` and ``:``
#: may start one when a non-blank follows), holds no ``": "`` and no ``" #"``,
#: and ends with neither a space nor a ``:``.
_PLAIN = (
    rf"(?:[^ \-?:,\[\]{{}}#&*!|>'\"%@`{_NOT}]|[\-?:](?={_NB}))"
    rf"(?:[^ :{_NOT}]++|:(?={_NB})| ++(?=[^ #:{_NOT}])| ++:(?={_NB}))*+"
)
_VALUE = (
    rf"\"[^\"\\{_NOT}]*+\""  # double-quoted, no escapes
    rf"|'(?:[^'{_NOT}]++|'')*+'"  # single-quoted
    r"|\[\]|\{\}"  # empty flow collections
    rf"|{_PLAIN}"
)
#: One line (only where a line starts): the whole line, its indent, then an optional
#: list entry ``- ``, then ``key:`` with an optional value after its spaces, or a
#: value alone; a trailing comment; or a blank or comment line. Possessive: a line
#: is read one way or not at all, never backtracked into.
_LINE = re.compile(
    rf"^(( *)(?:(- +)?(?:([A-Za-z_][A-Za-z0-9_-]{{0,127}}):(?:( +)({_VALUE}))?|({_VALUE}))"
    rf"(?: +#[^{_NOT}]*+)? *|#[^{_NOT}]*+)?\r?\n)",
    re.MULTILINE,
)
#: The deepest nesting read here (an article is about six levels deep).
_MAX_DEPTH = 32
#: The most lines with a key or list entry read here (the sample article holds
#: about 90). Each line adds at most two nodes, so what is read here stays far
#: below the parser's own limit (``parsed.MAX_NODES``), which libyaml's path reports.
_MAX_LINES = 5000
#: The most lines of any kind (blank and comment lines too) read here.
_MAX_TEXT_LINES = 20_000

#: YAML 1.1's words for true and false (``yes``, ``On``...) and for null: a plain
#: scalar or key spelled so is not text (PyYAML's implicit resolver).
_BOOL_WORDS = frozenset({
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
})
_NULL_WORDS = frozenset({"~", "null", "Null", "NULL"})
#: The first characters of the plain scalars YAML 1.1 may read as a number, a
#: timestamp or a special value (``<<``, ``=``, ``~``, ``.inf``). Such a value is read
#: here only when it is a decimal integer or a date or timestamp; any other value
#: starting with one of these is left to libyaml. A value starting with none of
#: these nor of ``_WORD_FIRST`` is text.
_NUMERIC_FIRST = frozenset("-+.0123456789<=~")
_WORD_FIRST = frozenset("yYnNtTfFoO")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
#: A date, or a date and time with an offset (no integer or float has a ``-``
#: after four digits, nor a letter T): text, as timestamps are kept.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2}))?"
)


class _Decline(Exception):
    """The text is not in the part of YAML read here."""


def read_block_yaml(
    text: str, offset: int = 0
) -> tuple[dict[str, Any], dict[str, NodeSpan]] | None:
    """The data and source map of ``text`` (a whole YAML document, decoded from
    UTF-8), or None.

    Offsets in the source map are ``offset`` plus offsets in ``text``. The data
    and map are those :mod:`feedlint.composing` builds through libyaml: a block
    collection ends where the next token starts, as libyaml's marks say.
    """
    if not text.endswith("\n") or text.startswith(("---", "...")):
        return None
    if "\n---" in text or "\n..." in text:
        return None  # a document marker, perhaps
    if text.count("\n") > _MAX_TEXT_LINES:
        return None  # every line is read at once: a bound on the memory that takes
    if not text.isascii() and any(char in text for char in _REFUSED):
        return None
    try:
        return _read(text, offset)
    except _Decline:
        return None


def _read(text: str, offset: int) -> tuple[dict[str, Any], dict[str, NodeSpan]]:
    """One pass over the lines with a stack of open collections."""
    root: dict[str, Any] = {}
    nodes: dict[str, NodeSpan] = {}
    # Open collections, outermost first: (is a list, column, the container, its
    # pointer, its own entry in ``nodes`` to complete when it closes, or None).
    stack: list[tuple[bool, int, Any, str, tuple[str, int, int, int] | None]] = []
    # The innermost one, unpacked (most lines add to it).
    container: Any = root
    is_list, open_column, pointer = False, -1, ""
    #: A key alone on its line, waiting for the block that is its value: (the
    #: mapping, key, pointer, key start, key end).
    pending: tuple[dict[str, Any], str, str, int, int] | None = None
    count = 0
    position = 0
    # Every line read in one call (``^`` tries each line once, where it starts). A
    # line that is not in this part of YAML is skipped by findall, which the
    # lengths of the lines read then show: the reading is declined.
    for whole, indent, dash, key, space, value, alone in _LINE.findall(text):
        start = position
        position += len(whole)
        if not key:
            if not alone:
                continue  # blank, or a comment
            if not dash:
                raise _Decline  # a value alone on its line: a continuation, perhaps
        column = len(indent)
        first = offset + start + column
        if pending is not None:
            # The block that is the value of the key on the line before.
            parent, parent_key, pointer, key_start, key_end = pending
            pending = None
            if not dash:
                if column <= open_column:
                    raise _Decline  # an empty value
                container = parent[parent_key] = {}
            else:
                if column < open_column:
                    raise _Decline  # an empty value
                container = parent[parent_key] = []
            is_list, open_column = bool(dash), column
            stack.append((is_list, column, container, pointer,
                          (pointer, key_start, key_end, first)))
        elif column != open_column or is_list is (not dash):
            if not stack:
                if dash:
                    raise _Decline  # the document is a list: libyaml's path says so
                open_column = column
                stack.append((False, column, root, "", None))
            else:
                # Close what this line ends: collections indented deeper, and a
                # list whose entries stand at this column when this line is a key.
                while column != open_column or is_list is (not dash):
                    if column > open_column or (column == open_column and not is_list):
                        raise _Decline  # a continuation, an irregular indent, a stray entry
                    entry = stack.pop()[4]
                    if entry is None or not stack:
                        raise _Decline  # less indented than the first key
                    entry_pointer, key_start, key_end, value_start = entry
                    nodes[entry_pointer] = (key_start, key_end, value_start, first)
                    is_list, open_column, container, pointer, _ = stack[-1]
        count += 1
        if len(stack) > _MAX_DEPTH or count > _MAX_LINES:
            raise _Decline  # libyaml's path reports a document too deep or too large
        if is_list:
            child = f"{pointer}/{len(container)}"
            content = first + len(dash)
            if not key:
                nodes[child] = (-1, -1, content, content + len(alone))
                container.append(_scalar(alone))
                continue
            # A list entry that opens a mapping, with its first key on this line.
            item: dict[str, Any] = {}
            container.append(item)
            nodes[child] = (-1, -1, content, -1)  # completed when the mapping closes
            is_list, open_column, container, pointer = False, column + len(dash), item, child
            stack.append((False, open_column, item, child, (child, -1, -1, content)))
            key_start = content
        else:
            key_start = first
        if key in container or key in _BOOL_WORDS or key in _NULL_WORDS:
            raise _Decline  # a duplicate key, or one YAML reads as a boolean or null
        child = f"{pointer}/{key}"
        key_end = key_start + len(key)
        if not value:
            nodes[child] = (key_start, key_end, -1, -1)  # completed by the block below
            pending = (container, key, child, key_start, key_end)
            continue
        value_start = key_end + 1 + len(space)
        nodes[child] = (key_start, key_end, value_start, value_start + len(value))
        container[key] = value[1:-1] if value[0] == '"' else _scalar(value)
    if position != len(text) or pending is not None or not stack:
        raise _Decline  # a line was not read, or the last key has no value
    end = offset + len(text)
    for _, _, _, _, entry in stack:
        if entry is not None:
            entry_pointer, key_start, key_end, value_start = entry
            nodes[entry_pointer] = (key_start, key_end, value_start, end)
    return root, nodes


def _scalar(value: str) -> Any:
    first = value[0]
    if first == '"':
        return value[1:-1]
    if first == "'":
        return value[1:-1].replace("''", "'")
    if value == "[]":
        return []
    if value == "{}":
        return {}
    if first in _WORD_FIRST:
        if value == "true" or value == "false":
            return value == "true"
        if value in _BOOL_WORDS or value in _NULL_WORDS:
            raise _Decline  # yes, no, on, off, True, null...: libyaml's path says what
        return value
    if first not in _NUMERIC_FIRST:
        return value  # no implicit type starts so: text
    if _DECIMAL.fullmatch(value):
        return int(value)
    if _DATE_TIME.fullmatch(value):
        return value
    raise _Decline  # another number, or a special value


__all__ = ["read_block_yaml"]
