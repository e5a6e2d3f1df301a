"""What the server offers at a place in a buffer, in feedlint's own terms: the
``noqa`` comment that silences a diagnostic, the one edit that turns a buffer into
its fixed text, a rule's page as Markdown, the field under the cursor, and the
completions there. Edits are :data:`~feedlint.diagnostics.PlacedEdit`: 1-based
lines, columns in code points after any byte order mark.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedlint.diagnostics import Diagnostic, PlacedEdit
from feedlint.document import split_pointer
from feedlint.fixing import yaml_scalar
from feedlint.rules import Rule
from feedlint.server import fields

if TYPE_CHECKING:
    from feedlint.document import Article
    from feedlint.server.workspace import Linted, Workspace

#: A line's ``noqa`` comment that names codes: the next code goes after the last.
_NOQA_CODES = re.compile(r"#\s*noqa\s*:\s*[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*")
_BARE_NOQA = re.compile(r"#\s*noqa\b(?!\s*:)", re.IGNORECASE)


# -- silencing one diagnostic ---------------------------------------------------


def suppression(workspace: Workspace, linted: Linted, found: Diagnostic
                ) -> tuple[str, PlacedEdit] | None:
    """The ``noqa`` comment that silences ``found`` and nothing else, as a title and
    an edit: at the end of its line if that works, else for the whole file under
    the opening fence. Each is checked by linting the buffer with it; None when
    neither silences it (a code FL9 is never silenced)."""
    lines = linted.text.split("\n")
    for title, edit in _tries(linted, lines, found):
        changed = _apply(linted.text, edit)
        if changed is not None and _silences(workspace, linted, changed, found):
            return title, edit
    return None


def _tries(linted: Linted, lines: list[str], found: Diagnostic) -> list[tuple[str, PlacedEdit]]:
    code = found.code
    tries: list[tuple[str, PlacedEdit]] = []
    number = found.line
    if 1 <= number <= len(lines):
        text = lines[number - 1].rstrip("\r")
        column = len(text) + 1 - (1 if number == 1 and text.startswith("\ufeff") else 0)
        existing = _NOQA_CODES.search(text)
        if existing is not None:
            end = existing.end() + 1 - (1 if number == 1 and text.startswith("\ufeff") else 0)
            tries.append((f"Add {code} to this line's `# noqa`",
                          (number, end, number, end, f", {code}")))
        elif _BARE_NOQA.search(text) is None:
            tries.append((f"Suppress {code} on this line (`# noqa: {code}`)",
                          (number, column, number, column, f"  # noqa: {code}")))
    article = linted.article
    if article is not None:
        # The first line of the YAML: under the opening fence (line 1 of a bare file).
        at = article.lines.position(article.yaml_start)[0]
        tries.append((f"Suppress {code} in this file (`# feedlint: noqa: {code}`)",
                      (at, 1, at, 1, f"# feedlint: noqa: {code}\n")))
    return tries


def _apply(text: str, edit: PlacedEdit) -> str | None:
    line, column, end_line, end_column, content = edit
    start, end = _offset(text, line, column), _offset(text, end_line, end_column)
    if start is None or end is None:
        return None
    return text[:start] + content + text[end:]


def _offset(text: str, line: int, column: int) -> int | None:
    """The index in ``text`` of a 1-based line and code point column (after a BOM)."""
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at)
        if at < 0:
            return None
        at += 1
    if line == 1 and text.startswith("\ufeff"):
        at += 1
    return at + column - 1


def _silences(workspace: Workspace, linted: Linted, changed: str, found: Diagnostic) -> bool:
    """``changed`` reports the codes the buffer reports, less ``found``'s once: a
    suppression that is itself reported (unused, misplaced) does not count. Codes,
    not messages: a ``noqa`` comment already reported as stale is worded anew when a
    code joins it."""
    before = Counter(d.code for d in linted.diagnostics)
    before[found.code] -= 1
    reported = workspace.lint_only(linted, changed)
    after = Counter(d.code for d in reported)
    return +before == +after and all(
        d.message != found.message for d in reported if d.code == found.code)


# -- fixing all -------------------------------------------------------------------


def whole_change(before: str, after: str) -> PlacedEdit:
    """One edit that turns ``before`` into ``after``: the part between what they
    share at the start and at the end (the cursor and the rest stay put)."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    line, column = _place(before, start)
    end_line, end_column = _place(before, len(before) - end)
    return (line, column, end_line, end_column, after[start:len(after) - end])


def _place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    column = offset - start + 1
    if line == 1 and text.startswith("\ufeff"):
        column -= 1
    return line, column


# -- hover ------------------------------------------------------------------------


def rule_markdown(rule: Rule) -> str:
    """A rule's documentation (what ``feedlint rule CODE`` prints), as Markdown."""
    parts = [f"**{rule.code}** `{rule.name}` ({rule.severity}): {rule.summary}",
             f"**What it does.** {rule.what}", f"**Why.** {rule.why}"]
    if rule.illustrative:
        parts += [f"**Example.** {rule.example}", f"**Use instead.** {rule.fixed}"]
    else:
        parts += [f"**Example**\n\n```yaml\n{rule.example.rstrip()}\n```",
                  f"**Use instead**\n\n```yaml\n{rule.fixed.rstrip()}\n```"]
    if rule.fix:
        parts.append(f"**Fix.** {rule.fix}")
    references = getattr(rule, "references", ())
    if references:
        parts.append("**References.** " + "; ".join(str(r) for r in references))
    return "\n\n".join(parts)


def code_at(line: str, column: int) -> str | None:
    """The code (``FL105``) written at ``column`` of ``line``, as in a ``noqa``
    comment; None when there is none."""
    for match in re.finditer(r"\b[A-Z]{2}[0-9]{3}\b", line):
        if match.start() <= column <= match.end():
            return match.group()
    return None


def field_at(article: Article, offset: int) -> tuple[str | int, ...] | None:
    """The path of the field whose key or value holds ``offset`` (the innermost)."""
    best: str | None = None
    for pointer, (key_start, key_end, value_start, value_end) in article.source.nodes.items():
        if not pointer:
            continue
        inside = (key_start <= offset < key_end) or (value_start <= offset < max(value_end,
                                                                               value_start + 1))
        if inside and (best is None or len(pointer) > len(best)):
            best = pointer
    if best is None:
        return None
    path: list[str | int] = []
    node: Any = article.data
    for token in split_pointer(best):
        if isinstance(node, list) and token.isdigit():
            path.append(int(token))
            node = node[int(token)] if int(token) < len(node) else None
        else:
            path.append(token)
            node = node.get(token) if isinstance(node, dict) else None
    return tuple(path)


def field_in_text(text: str, line: int, column: int, *, bare: bool
                  ) -> tuple[str | int, ...] | None:
    """:func:`field_at` for front matter that does not parse (yet): from the lines."""
    lines = text.split("\n")
    first, last = _front_matter(lines, bare)
    return fields.field_under(lines, first, last, line, column)


# -- completion -------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    label: str
    insert: str
    detail: str
    documentation: str
    is_key: bool


def completions(text: str, schema: Any, line: int, column: int, *, bare: bool
                ) -> list[Completion]:
    """The field names the schema allows at the cursor (less those the mapping has),
    or the values it lists for the field whose value the cursor is in."""
    lines = text.split("\n")
    first, last = _front_matter(lines, bare)
    if not first <= line < last:
        return []
    place = fields.place_at(lines, first, last, line, column)
    if place is None:
        return []
    if place.key is not None:
        path = (*place.path, place.key)
        doc = fields.field_doc(schema, path) or ""
        return [Completion(yaml_scalar(v), yaml_scalar(v), "", doc, False)
                for v in fields.enum_values(schema, path)]
    offered = []
    for name, sub in fields.keys_allowed(schema, place.path).items():
        if name in place.present:
            continue
        path = (*place.path, name)
        title = sub.get("title") if isinstance(sub.get("title"), str) else ""
        offered.append(Completion(name, f"{name}: ", str(title or ""),
                                  fields.field_doc(schema, path) or "", True))
    return offered


def _front_matter(lines: list[str], bare: bool) -> tuple[int, int]:
    """The lines between the fences (0-based, the end exclusive); every line of a
    bare YAML file."""
    if bare:
        return 0, len(lines)
    for number, text in enumerate(lines):
        if text.strip():
            if text.lstrip("\ufeff").rstrip() != "---":
                return 0, 0
            for end in range(number + 1, len(lines)):
                if lines[end].rstrip() in ("---", "..."):
                    return number + 1, end
            return number + 1, len(lines)
    return 0, 0
