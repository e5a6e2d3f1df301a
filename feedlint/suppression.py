"""``# noqa`` comments in the front matter: find them, silence what they name, report stale ones.

Three forms, as in ruff:

- ``title: "..."  # noqa: FL104, FL106`` at the end of a line silences those codes on
  that line (a diagnostic whose span covers the line);
- a bare ``# noqa`` at the end of a line silences every code on that line;
- ``# feedlint: noqa: FL203`` on a line of its own silences a code in the whole file
  (a bare ``# feedlint: noqa`` silences every code in the file).

Comments are looked for only in files whose front matter holds a ``#`` followed
somewhere by ``noqa`` or ``feedlint:`` (most files have no ``#`` at all, and one
``str.find`` says so), and only where YAML sees a comment: a ``#`` at the start
of a line or after white space, outside every scalar the parser placed (so a
title containing "# noqa" is text, not a directive).

A directive that silences nothing is reported (FL801), and so is one that cannot be
read (FL802). A code is judged stale only when its check ran in this run, whether
or not the code is selected, so de-selecting a code never makes its ``noqa`` look
unused. Codes that checks across files may report are judged once those checks have
run (:meth:`Suppressor.unused` with ``final=True``). FL8xx and FL9xx diagnostics are
never silenced: a crash must not pass for a clean file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from feedlint.diagnostics import Diagnostic, Finding, Span
from feedlint.document import Article
from feedlint.rules.noqa import FL801, FL802

#: The cheap test that decides whether a file is scanned for directives at all.
_MAYBE_DIRECTIVE = re.compile(r"noqa|feedlint\s*:", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"(?P<file>feedlint\s*:\s*)?(?P<noqa>noqa\b)?(?P<colon>\s*:)?(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_CODE = re.compile(r"FL\d{3}\Z")
_SEPARATORS = re.compile(r"[,\s]+")
#: Codes no comment can silence: the suppression codes themselves and internal errors.
_UNSUPPRESSIBLE = ("FL8", "FL9")

UNUSED = FL801
INVALID = FL802


@dataclass(slots=True)
class Directive:
    """One ``noqa`` directive: where it is, what it names, what it silenced so far."""

    #: The line it applies to; 0 for a whole-file directive.
    line: int
    #: The directive's own text in the file (for reporting it).
    span: Span
    text: str
    #: The codes it names; None silences every code.
    codes: tuple[str, ...] | None
    used: set[str] = field(default_factory=set)
    used_any: bool = False
    #: Codes already reported as unused (judged once, never twice).
    reported: set[str] = field(default_factory=set)
    reported_bare: bool = False

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    def mark(self, code: str) -> None:
        self.used_any = True
        self.used.add(code)


@dataclass(slots=True)
class Suppressor:
    """The directives of one file; silences diagnostics and knows which were needed."""

    by_line: dict[int, list[Directive]] = field(default_factory=dict)
    file_wide: list[Directive] = field(default_factory=list)
    #: Directives that cannot be read (FL802), found while scanning.
    invalid: list[Finding] = field(default_factory=list)

    @classmethod
    def scan(cls, article: Article) -> Suppressor | None:
        """The file's directives, or None when it has none (the usual case, found cheaply)."""
        text = article.text
        first_hash = text.find("#", article.yaml_start, article.yaml_end)
        if first_hash == -1 or not _MAYBE_DIRECTIVE.search(text, first_hash, article.yaml_end):
            return None
        suppressor = cls()
        for start, end in _comments(article):
            suppressor._read_comment(article, start, end)
        if not (suppressor.by_line or suppressor.file_wide or suppressor.invalid):
            return None
        return suppressor

    @property
    def directives(self) -> list[Directive]:
        found = [d for ds in self.by_line.values() for d in ds]
        return found + self.file_wide

    def _read_comment(self, article: Article, start: int, end: int) -> None:
        """Read the directives in the comment ``text[start:end]`` (``start`` is its ``#``)."""
        text = article.text
        line, _ = article.lines.position(start)
        line_start = article.lines.line_start(line)
        own_line = not text[line_start:start].strip()
        position = start
        for segment in text[start + 1 : end].split("#"):
            segment_start = position
            position += 1 + len(segment)
            body = segment.strip()
            match = _DIRECTIVE.match(body)
            if not body or match is None or not (match["noqa"] or match["file"]):
                continue
            span = article.lines.span(segment_start, segment_start + 1 + len(segment.rstrip()))
            shown = "#" + segment.rstrip()
            if match["file"] and not match["noqa"]:
                self._invalid(span, f"unknown directive `{shown.strip()}`: the only "
                              "`# feedlint:` directive is `# feedlint: noqa: CODE`")
                continue
            codes: tuple[str, ...] | None = None
            if match["colon"]:
                words = [w for w in _SEPARATORS.split(match["rest"]) if w]
                bad = [w for w in words if not _CODE.match(w.upper())]
                if not words or bad:
                    what = f"{bad[0]!r} is not a code" if bad else "no code follows the colon"
                    self._invalid(
                        span,
                        f"cannot read `{shown.strip()}`: {what}; write codes such as "
                        "`# noqa: FL203, FL204` (and any explanation after another `#`)",
                    )
                    continue
                codes = tuple(dict.fromkeys(w.upper() for w in words))
            elif match["rest"].strip():
                # "# noqa because ..." is a bare noqa with words after it, as in ruff.
                pass
            if match["file"]:
                if not own_line:
                    self._invalid(
                        span,
                        f"`{shown.strip()}` must be on a line of its own to apply to the "
                        "whole file; at the end of a line write `# noqa: CODE`",
                    )
                    continue
                self.file_wide.append(Directive(0, span, shown.strip(), codes))
            else:
                if own_line:
                    self._invalid(
                        span,
                        f"`{shown.strip()}` on a line of its own silences nothing: put it "
                        "at the end of the line it is for, or write `# feedlint: noqa: CODE` "
                        "to silence a code in the whole file",
                    )
                    continue
                self.by_line.setdefault(line, []).append(
                    Directive(line, span, shown.strip(), codes)
                )

    def _invalid(self, span: Span, message: str) -> None:
        self.invalid.append(Finding(INVALID, message, span=span))

    def silence(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics no directive silences; marks the directives that did."""
        kept = []
        for diagnostic in diagnostics:
            code = diagnostic.code
            if code.startswith(_UNSUPPRESSIBLE):
                kept.append(diagnostic)
                continue
            silenced = False
            if self.by_line:
                for line in range(diagnostic.line, diagnostic.end_line + 1):
                    for directive in self.by_line.get(line, ()):
                        if directive.covers(code):
                            directive.mark(code)
                            silenced = True
            for directive in self.file_wide:
                if directive.covers(code):
                    directive.mark(code)
                    silenced = True
            if not silenced:
                kept.append(diagnostic)
        return kept

    def unused(
        self,
        known: Set[str],
        checked: Set[str],
        pending: Set[str] = frozenset(),
        *,
        every_check_ran: bool,
        final: bool,
    ) -> list[Finding]:
        """FL801 for what silenced nothing.

        ``known`` are every code feedlint has; ``checked`` the codes whose checks ran on
        this file (only those can be judged); ``pending`` the codes that checks across
        files may still report, judged only when ``final``. A bare directive is judged
        only when ``every_check_ran`` (otherwise a check that did not run might have
        had something on its line).
        """
        found = []
        for directive in self.directives:
            where = "in this file" if directive.line == 0 else "on this line"
            if directive.codes is None:
                if directive.used_any or directive.reported_bare or not every_check_ran:
                    continue
                if pending and not final:
                    continue
                directive.reported_bare = True
                found.append(
                    Finding(
                        UNUSED,
                        f"`{directive.text}` silences nothing {where}: remove it",
                        span=directive.span,
                    )
                )
                continue
            unknown, stale = [], []
            for code in directive.codes:
                if code in directive.used or code in directive.reported:
                    continue
                if code not in known:
                    unknown.append(code)
                elif code.startswith(_UNSUPPRESSIBLE) or (
                    code in checked and (final or code not in pending)
                ):
                    stale.append(code)
            if unknown or stale:
                directive.reported.update(unknown + stale)
                found.append(
                    Finding(UNUSED, _unused_message(directive, unknown, stale), span=directive.span)
                )
        return found


def _unused_message(directive: Directive, unknown: list[str], stale: list[str]) -> str:
    where = "in this file" if directive.line == 0 else "on this line"
    reasons = []
    locked = [code for code in stale if code.startswith(_UNSUPPRESSIBLE)]
    absent = [code for code in stale if code not in locked]
    if absent:
        reasons.append(f"there is no {_join(absent)} {where}")
    if locked:
        reasons.append(f"{_join(locked)} cannot be silenced by a comment")
    if unknown:
        verb = "is not a feedlint code" if len(unknown) == 1 else "are not feedlint codes"
        reasons.append(f"{_join(unknown)} {verb}")
    codes = unknown + stale
    if directive.codes is not None and len(codes) < len(directive.codes):
        advice = f"remove {_join(codes)} from it"
    else:
        advice = "remove it"
    return f"`{directive.text}` silences nothing: {'; '.join(reasons)}; {advice}"


def _join(codes: list[str]) -> str:
    return ", ".join(codes)


def _scalar_spans(article: Article) -> tuple[list[int], list[int]]:
    """Start and end offsets of every scalar key and value, sorted (they never overlap).

    The source map lists a node before its children, so a node is a collection when
    the next pointer is inside it, or (empty) when it opens with a flow bracket.
    """
    spans = []
    text = article.text
    items = list(article.source.nodes.items())
    for index, (pointer, (key_start, key_end, value_start, value_end)) in enumerate(items):
        if key_start >= 0:
            spans.append((key_start, key_end))
        following = items[index + 1][0] if index + 1 < len(items) else ""
        if not following.startswith(pointer + "/") and text[value_start : value_start + 1] not in (
            "[",
            "{",
        ):
            spans.append((value_start, value_end))
    spans.sort()
    return [s for s, _ in spans], [e for _, e in spans]


def _comments(article: Article) -> list[tuple[int, int]]:
    """(start, end) of each comment on a front matter line that mentions a directive."""
    text = article.text
    lines = article.lines
    starts: list[int] | None = None
    ends: list[int] = []
    seen_lines: set[int] = set()
    comments = []
    first_hash = text.find("#", article.yaml_start, article.yaml_end)
    for match in _MAYBE_DIRECTIVE.finditer(text, max(first_hash, 0), article.yaml_end):
        line, _ = lines.position(match.start())
        if line in seen_lines:
            continue
        seen_lines.add(line)
        if starts is None:
            starts, ends = _scalar_spans(article)
        line_start, line_end = lines.line_start(line), lines.line_end(line)
        hash_at = text.find("#", line_start, line_end)
        while hash_at != -1:
            before = text[hash_at - 1] if hash_at > line_start else " "
            if before in " \t":
                index = bisect_right(starts, hash_at) - 1
                if index < 0 or hash_at >= ends[index]:
                    comments.append((hash_at, line_end))
                    break
            hash_at = text.find("#", hash_at + 1, line_end)
    return comments
