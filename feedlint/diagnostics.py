"""What a check says about an article, before and after it is placed in the file.

A rule yields :class:`Finding` objects: a code, a message and a JSON pointer into
the front matter. The engine turns each into a :class:`Diagnostic` by stamping the
rule's name and severity and resolving the pointer to a span through the
article's :class:`~feedlint.document.SourceMap`. Reporters only ever see
diagnostics.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any, Literal


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a file: 1-based lines and columns, ``end_column`` exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


#: A change to a file's text: replace the characters ``[start, end)`` by the string.
#: Offsets count code points of the decoded text, after any byte order mark.
TextEdit = tuple[int, int, str]

#: A text edit placed in the file as the diagnostics' spans are: ``(line, column,
#: end_line, end_column, content)``, 1-based, columns in code points after any byte
#: order mark, the end exclusive: replace that range by ``content``.
PlacedEdit = tuple[int, int, int, int, str]


@dataclass(frozen=True, slots=True)
class Fix:
    """A certain repair: put ``value`` at ``pointer`` (a key's value in the front matter).

    A repair that is not a value (blank lines above the front matter) gives ``edits``
    instead: changes to the file's text (see :data:`TextEdit`), which must leave the
    data and the body as they were; ``pointer`` then says what the fix is about and
    ``value`` is None.
    """

    pointer: str
    value: Any
    description: str
    edits: tuple[TextEdit, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: which code, about which field, and why.

    ``target`` says whether the span is the value at ``pointer`` (the usual case)
    or its key (an unknown or duplicated key). ``span`` is set only by checks that
    know the exact place themselves (YAML syntax errors, duplicate keys); every
    other finding is placed through the source map. ``severity`` overrides the
    rule's default for one finding (rare: most rules have one severity).
    """

    code: str
    message: str
    pointer: str = ""
    target: Literal["value", "key"] = "value"
    span: Span | None = None
    fix: Fix | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding placed in a file, ready for a reporter."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: Severity
    message: str
    pointer: str = ""
    fix: Fix | None = field(default=None, compare=False)
    #: The edits ``--fix`` would make for :attr:`fix` alone, in the file as read
    #: (computed by :mod:`feedlint.fixing`); empty when there is no fix, or when
    #: ``--fix`` would refuse it.
    fix_edits: tuple[PlacedEdit, ...] = field(default=(), compare=False)

    @property
    def fixable(self) -> bool:
        """``--fix`` would apply this diagnostic's fix."""
        return self.fix is not None and bool(self.fix_edits)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def as_json(self) -> dict[str, Any]:
        """The diagnostic as the JSON output contract spells it."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "pointer": self.pointer,
            "fix": self.fix_json(),
        }

    def fix_json(self) -> dict[str, Any] | None:
        """The fix as the JSON output spells it: its message and the edits that
        ``--fix`` would make, or None when it would make none."""
        if self.fix is None or not self.fix_edits:
            return None
        return {
            "message": self.fix.description,
            "edits": [
                {
                    "line": line,
                    "column": column,
                    "end_line": end_line,
                    "end_column": end_column,
                    "content": content,
                }
                for line, column, end_line, end_column, content in self.fix_edits
            ],
        }


#: Characters never written raw into a message or a file name: C0 and C1 controls
#: (a terminal acts on ESC), line and paragraph separators (one diagnostic, one
#: line), bidirectional overrides and isolates (they reorder what is shown), and
#: lone surrogates (they cannot be encoded; file names that are not UTF-8 hold
#: them).
_UNPRINTABLE_CHARS = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_unprintable: re.Pattern[str] | None = None
#: The longest message written; longer ones are cut (a message is for a person).
MAX_MESSAGE = 1000


_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, limit: int | None = None) -> str:
    """``text`` safe to write anywhere: unprintable characters as ``\\t``, ``\\n``,
    ``\\r``, ``\\xNN`` or ``\\uNNNN``, as Python writes them, and the ``#`` that
    would make ``##[`` a CI runner's command as ``\\x23``.

    A byte of a non-UTF-8 file name (``\\udcff`` after surrogateescape) shows as
    the byte, ``\\xff``.
    """
    global _unprintable
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    if _LEGACY_COMMAND in text:
        text = text.replace(_LEGACY_COMMAND, _LEGACY_COMMAND_ESCAPED)
    # Every character of the class is unprintable to str.isprintable() too: the
    # usual text is answered without the pattern, compiled only when needed (its
    # surrogate range costs a millisecond, every run).
    if text.isprintable():
        return text
    if _unprintable is None:
        _unprintable = re.compile(_UNPRINTABLE_CHARS)
    if _unprintable.search(text) is None:
        return text
    return _unprintable.sub(_escape_char, text)


#: GitHub Actions' runner still reads the older form of a workflow command,
#: ``##[name]value``, anywhere in a line (``##[stop-commands]token`` would silence
#: every annotation after it). Written with its second ``#`` escaped, as ``\x23``.
_LEGACY_COMMAND = "##["
_LEGACY_COMMAND_ESCAPED = "#\\x23["


def command_safe_json(text: str) -> str:
    """JSON text in which a CI runner finds no ``##[`` command: each is written
    ``#\\u0023[``, which JSON reads back as the same characters (a pointer or a
    value stays exact)."""
    if _LEGACY_COMMAND in text:
        return text.replace(_LEGACY_COMMAND, "#\\u0023[")
    return text


#: What starts a GitHub Actions workflow command: ``::`` at the start of a line,
#: after any leading white space (the runner trims it before looking).
_COMMAND_START = "::"


def printable_path(path: str) -> str:
    """A file name as shown to a person: :func:`printable`, and never the start of a
    workflow command.

    The text formats begin each line with the file name, and a CI runner reads a
    line that begins with ``::`` (after white space) as a command: a file named
    ``::add-mask::x.md`` would drive it. Such a name, relative whenever it can start
    a line, is shown as ``./::add-mask::x.md``: the same file, still a path a
    person or an editor can open.
    """
    shown = printable(path)
    if shown.lstrip().startswith(_COMMAND_START):
        return "./" + shown
    return shown
