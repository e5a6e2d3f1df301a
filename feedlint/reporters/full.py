"""``--format full``: each diagnostic with the source around it, as ruff shows it.

::

    a.md:4:1: error FL103 unknown field "pubishedDateTime": did you mean ...?
      |
    2 | title: "A headline"
    3 | webUrl: https://example.com/a
    4 | pubishedDateTime: 2023-08-07T08:11:00Z
      | ^^^^^^^^^^^^^^^^ FL103
    5 | ---
      |

The first line is the ``--format text`` line (an editor still jumps to it); then
the lines around the span with their numbers in a gutter, the span underlined
with ``^``, and, when ``--fix`` would fix it, ``= help:`` with what it would
write. The summary is the text format's.

The source shown is the bytes the lint read (each result's kept ``source``, up to
:attr:`FullReporter.source_limit`; a file that got findings after its lint is read
again by the linter and shown only if unchanged): the report never opens a file
by its path. A file with no bytes kept shows its diagnostics without source.

Each character is shown so that the carets stay under it: a tab as spaces to the
next multiple of four, a wide (East Asian) character as two columns, a combining
mark as none; a control character, a bidirectional control and any other
invisible formatting character (a zero-width space) as an escape (``\\t``,
``\\u200b``), which is as wide as it is written. A line wider than
:data:`MAX_WIDTH` columns is cut around the span (``...`` at the cut), never
wrapped. No shown line can start a CI workflow command: every line after the
first begins with the gutter, and ``##[`` is written ``#\\x23[`` as everywhere.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, ClassVar, TextIO

from feedlint.diagnostics import Diagnostic, PlacedEdit, Severity, printable
from feedlint.reporters._base import kept_sources
from feedlint.reporters.text import BOLD, CYAN, RED, YELLOW, TextReporter

if TYPE_CHECKING:
    from feedlint.results import RunResult

#: Columns of a source line shown at most; a wider one is cut around the span.
MAX_WIDTH = 100
#: Columns kept left of the span when a line is cut.
LEFT_CONTEXT = 24
#: Lines shown above and below a span (as ruff).
CONTEXT_LINES = 2
#: A span over more lines than this shows its first and last two, with ``...`` between.
MAX_SPAN_LINES = 6
TAB_STOP = 4
CUT = "..."
BLUE = "\033[34m"
#: Characters of a fix's new text shown in its ``help:`` line at most.
MAX_FIX_CHARS = 120


def cells(line: str) -> list[tuple[str, int]]:
    """Each character of ``line`` as it is shown, and how many columns it takes."""
    out: list[tuple[str, int]] = []
    column = 0
    for index, char in enumerate(line):
        if char == "\t":
            width = TAB_STOP - column % TAB_STOP
            shown = " " * width
        elif char == "#" and line[index - 1 : index] == "#" and line[index + 1 : index + 2] == "[":
            shown = "\\x23"  # ``##[`` is never written whole (a CI runner's command)
            width = len(shown)
        else:
            category = unicodedata.category(char)
            if category in ("Mn", "Me"):
                shown, width = char, 0
            elif category in ("Cc", "Cf", "Cs", "Zl", "Zp"):
                shown = printable(char)
                if shown == char:  # invisible, though safe: shown escaped, to be seen
                    code = ord(char)
                    shown = f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
                width = len(shown)
            else:
                shown = char
                width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        out.append((shown, width))
        column += width
    return out


def source_lines(raw: bytes, limit: int | None) -> list[str]:
    """The lines of a file's kept bytes as the engine counts them (only ``\\n`` ends a
    line; a ``\\r`` before it and a byte order mark are dropped). A file cut at the
    limit loses its last, partial, line."""
    text = raw.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if limit is not None and len(raw) >= limit:
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _window(line_cells: list[tuple[str, int]], start: int) -> tuple[int, int]:
    """The columns ``[left, right)`` of a line shown, to keep column ``start`` (0-based,
    in shown columns) in view."""
    total = sum(width for _, width in line_cells)
    if total <= MAX_WIDTH:
        return 0, total
    left = max(0, start - LEFT_CONTEXT)
    left = min(left, max(0, total - MAX_WIDTH))
    return left, left + MAX_WIDTH


def _offsets(line_cells: list[tuple[str, int]]) -> list[int]:
    """The shown column where each character starts, and one past the last."""
    out = [0]
    for _, width in line_cells:
        out.append(out[-1] + width)
    return out


class FullReporter(TextReporter):
    # Only the lines around a finding are shown, so a quarter of a MiB is plenty
    # (the front matter is at the top); one byte more says the file was cut.
    source_limit: ClassVar[int | None] = 256 * 1024 + 1

    def write(self, result: RunResult, out: TextIO) -> None:
        sources, _ = kept_sources(result, self.options)
        lines_of: dict[str, list[str] | None] = {}
        for d in result.diagnostics:
            out.write(self.line(d) + "\n")
            if d.file not in lines_of:
                raw = sources.get(d.file)
                lines_of[d.file] = (
                    None if raw is None else source_lines(raw, self.source_limit)
                )
            lines = lines_of[d.file]
            for shown in self.snippet(d, lines):
                out.write(shown + "\n")
            out.write("\n")
        self.write_summary(result, out)

    def snippet(self, d: Diagnostic, lines: list[str] | None) -> list[str]:
        """The lines shown under a diagnostic's first line."""
        out: list[str] = []
        if lines is None or not 1 <= d.line <= len(lines):
            help_line = self.help(d)
            if help_line:
                out.append(help_line)
            return out
        last = min(max(d.end_line, d.line), len(lines))
        if d.end_line > d.line and d.end_column == 1 and d.end_line - 1 >= d.line:
            last = min(last, d.end_line - 1)  # ends at the very start of a line
        first_shown = max(1, d.line - CONTEXT_LINES)
        # The empty "line" after a file's last line end is no context worth showing.
        available = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
        last_shown = max(last, min(available, last + CONTEXT_LINES))
        span_lines = list(range(d.line, last + 1))
        skipped: set[int] = set()
        if len(span_lines) > MAX_SPAN_LINES:
            skipped = set(span_lines[2:-2])
        gutter = len(str(last_shown))
        help_line = self.help(d, gutter)
        bar = self._paint(" " * gutter + " |", BOLD, BLUE)
        colour = RED if d.severity == Severity.ERROR else YELLOW
        first_cells = cells(lines[d.line - 1])
        start = _offsets(first_cells)[min(d.column - 1, len(first_cells))]
        left, _ = _window(first_cells, start)
        out.append(bar)
        elided = False
        for number in range(first_shown, last_shown + 1):
            if number in skipped:
                if not elided:
                    out.append(self._paint(" " * gutter + " ...", BOLD, BLUE))
                    elided = True
                continue
            line_cells = cells(lines[number - 1])
            text, carets = self._cut(line_cells, left, d, number)
            prefix = self._paint(f"{number:>{gutter}} |", BOLD, BLUE)
            out.append(f"{prefix} {text}" if text else prefix)
            if carets is not None:
                indent, count = carets
                label = f" {d.code}" if number == last else ""
                out.append(f"{bar} {' ' * indent}{self._paint('^' * count + label, BOLD, colour)}")
        out.append(bar)
        if help_line:
            out.append(help_line)
        return out

    def _cut(
        self, line_cells: list[tuple[str, int]], left: int, d: Diagnostic, number: int
    ) -> tuple[str, tuple[int, int] | None]:
        """A line as shown from column ``left`` (with ``...`` where it is cut), and where
        its carets go (columns before them, how many), if the span covers it."""
        offsets = _offsets(line_cells)
        total = offsets[-1]
        if total <= MAX_WIDTH:
            left = 0
        right = left + MAX_WIDTH
        cut_left = left > 0
        cut_right = total > right
        shown = "".join(
            text
            for (text, _), begin, end in zip(line_cells, offsets, offsets[1:], strict=False)
            if begin >= left and end <= right
        )
        shown = (CUT if cut_left else "") + shown + (CUT if cut_right else "")
        carets = None
        if d.line <= number <= d.end_line:
            size = len(line_cells)
            begin = d.column - 1 if number == d.line else 0
            end = d.end_column - 1 if number == d.end_line else size
            if number != d.line and number == d.end_line and end <= 0:
                return shown, None
            if number != d.line:
                # A line inside the span is underlined from its first non-blank.
                while begin < size and line_cells[begin][0].isspace():
                    begin += 1
            begin = max(0, min(begin, size))
            end = max(begin, min(end, size))
            lo, hi = offsets[begin], offsets[end]
            lo, hi = max(lo, left), min(hi, right)
            indent = lo - left + (len(CUT) if cut_left else 0)
            carets = (max(0, indent), max(1, hi - lo))
        return shown, carets

    def help(self, d: Diagnostic, gutter: int = 1) -> str:
        """``= help: ...`` for a diagnostic ``--fix`` would fix, else ""."""
        if d.fix is None or not d.fix_edits:
            return ""
        return self._paint(" " * gutter + " = help: ", BOLD, CYAN) + describe_fix(
            printable(d.fix.description), d.fix_edits
        )


def describe_fix(description: str, edits: tuple[PlacedEdit, ...]) -> str:
    """What a fix does, in one line: its description, and the text it writes."""
    written = [edit for edit in edits if edit[4]]
    if not written:
        return description
    if len(written) == 1:
        return f"{description}: replace with `{_shorten(written[0][4])}`"
    parts = [f"line {edit[0]}: `{_shorten(edit[4])}`" for edit in written]
    return f"{description}: replace with " + "; ".join(parts)


def _shorten(text: str) -> str:
    shown = printable(text)
    return shown if len(shown) <= MAX_FIX_CHARS else shown[: MAX_FIX_CHARS - 3] + CUT
