"""``--fix`` and ``--diff``: apply the certain fixes rules attach to their findings.

A rule attaches ``Fix(pointer, value, description)``: put ``value`` at ``pointer``.
Applying it rewrites only that value's characters in the text, found through the
article's source map, so comments, key order, blank lines, line endings and the body
stay exactly as they were. The value is written in the style it had: a double-quoted
string stays double-quoted (escaped as YAML escapes), a single-quoted one stays
single-quoted when it can, a plain one stays plain when that reads back as the same
string, else it is double-quoted; a block scalar (``|``, ``>``) keeps its header.

A fix that is not a value (the blank lines above a front matter) carries text edits
instead (``Fix.edits``): they are applied as given to the text after the byte order
mark, which is kept, and must leave the data and the body as they were.

Nothing is trusted: the result is parsed again and must give exactly the data the
fixes asked for (and nothing else changed), or the fix is not applied. The file is
written atomically: a temporary file in the same folder, flushed to disk, given the
original's permissions, then renamed over the original; and only when the file on
disk is still the one that was read. An interrupted run leaves the original intact.

After fixing, the file is linted again (and fixed again, up to a few passes, when a
fix uncovers another), and what is left is the file's result.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import math
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from feedlint.atomic import inside, write_atomically
from feedlint.diagnostics import Diagnostic, Fix, PlacedEdit, printable
from feedlint.document import Article, human_path, split_pointer
from feedlint.parsing import parse

if TYPE_CHECKING:
    from feedlint.discovery import Candidate
    from feedlint.engine import Linter
    from feedlint.results import FileResult

#: Passes of fix-then-lint-again on one file, at most.
MAX_PASSES = 5
_BOM = b"\xef\xbb\xbf"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_resolver = yaml.resolver.Resolver()
_BLOCK_HEADER = re.compile(r"([|>])([1-9]?)([+-]?)([1-9]?)([ \t]*)(#.*)?\Z")
_PLAIN_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


class FixRefused(Exception):
    """A fix that cannot be applied safely."""


class FixWriteError(Exception):
    """The fixed text could not be written (the original is untouched)."""


@dataclass(slots=True)
class FixReport:
    """What fixing did to one file."""

    #: Fixes applied (written, or that would be written with ``--diff``).
    applied: int = 0
    #: The unified diff of the change (``--diff`` only).
    diff: str = ""
    #: Why nothing was written, when the change could not be written.
    error: str = ""
    #: Fixes left out, and why.
    refused: list[str] = field(default_factory=list)


# -- one file, end to end ---------------------------------------------------


def fix_file(
    linter: Linter, candidate: Candidate, raw: bytes, article: Article | None, first: FileResult
) -> FileResult:
    """Fix one file as far as it can be fixed; return what is left (see the module doc)."""
    path = candidate.display
    current_raw, current, report = fixed_bytes(linter, path, raw, article, first,
                                               bare=candidate.bare)
    if current_raw == raw:
        if report.refused:
            first.fixing = report
        return first
    # What is left was found in the fixed text: a report that shows the file shows
    # that text (the engine keeps ``raw`` for a result returned unchanged).
    if linter.settings.diff:
        linter.keep_source(current, current_raw)
        report.diff = unified_diff(path, raw, current_raw)
        current.fixing = report
        return current
    try:
        write_atomic(_fix_target(candidate), raw, current_raw)
    except (FixWriteError, OSError) as err:
        reason = str(err) if isinstance(err, FixWriteError) else (err.strerror or str(err))
        report.error = f"not written: {reason}"
        report.applied = 0
        first.fixing = report
        return first
    # Once written: a file without findings left is known by the file now there.
    linter.keep_source(current, current_raw, candidate)
    current.fixing = report
    return current


def fixed_bytes(
    linter: Linter,
    path: str,
    raw: bytes,
    article: Article | None,
    first: FileResult,
    *,
    bare: bool = False,
) -> tuple[bytes, FileResult, FixReport]:
    """The file's bytes with every certain fix applied (``raw`` itself when none
    applies), the result of linting them, and what was done; nothing is written.
    ``article`` and ``first`` are what linting ``raw`` gave."""
    report = FixReport()
    current_raw, current_article, current = raw, article, first
    for _ in range(MAX_PASSES):
        fixes = [d.fix for d in current.diagnostics if d.fix is not None]
        if not fixes or current_article is None:
            break
        text, applied, refused = apply_fixes(current_article, fixes)
        report.refused.extend(r for r in refused if r not in report.refused)
        if not applied:
            break
        new_raw = (_BOM if raw.startswith(_BOM) else b"") + text.encode("utf-8")
        if new_raw == current_raw:
            break
        current_article, current = linter.lint_article(path, new_raw, bare=bare)
        current_raw = new_raw
        report.applied += applied
    return current_raw, current, report


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """The change as ``diff -u`` prints it, ready for ``patch -p0``.

    The article's lines (ended by ``\\n`` only, as feedlint counts lines) are shown
    as :func:`~feedlint.diagnostics.printable` shows text, but for their line end
    (``\\n`` or ``\\r\\n``) and tabs: a diff of ordinary text applies as is, and a
    terminal never receives a raw control character from a file. A context line that
    a CI runner would read as a workflow command (``::`` after the leading space) has
    its first colon written ``\\x3a``. A diff that had to be escaped no longer
    applies; a line before its header says so.
    """
    out = []
    escaped = False
    hunks = difflib.unified_diff(_diff_lines(before), _diff_lines(after), path, path)
    for number, line in enumerate(hunks):
        if number >= 2 and not line.startswith("@@"):
            shown = _diff_line(line)
            escaped = escaped or shown != line
            line = shown
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    if escaped:
        out.insert(0, "# feedlint: characters a terminal acts on are shown escaped (\\xNN); "
                      "this diff does not apply as is\n")
    return "".join(out)


def _diff_lines(data: bytes) -> list[str]:
    lines = data.decode("utf-8", "replace").split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _diff_line(line: str) -> str:
    """One line of a hunk (its ``' '``, ``-`` or ``+`` first), safe to show."""
    body = line[1:]
    end = "\r\n" if body.endswith("\r\n") else "\n" if body.endswith("\n") else ""
    text = "\t".join(printable(part) for part in body[: len(body) - len(end)].split("\t"))
    stripped = text.lstrip()
    if line[0] == " " and stripped.startswith("::"):
        text = text[: len(text) - len(stripped)] + "\\x3a" + stripped[1:]
    return line[0] + text + end


# -- the text ------------------------------------------------------------------


def apply_fixes(article: Article, fixes: Sequence[Fix]) -> tuple[str, int, list[str]]:
    """The article's text with ``fixes`` applied, how many were, and why others were not.

    Every fix is checked by parsing the result: the data must be the old data with
    exactly the fixed value changed, and the body must be the same. A fix that does
    not check out in its preferred style is tried in the next (a block scalar written
    inline), and left out when none does.
    """
    refused: list[str] = []
    edits: list[tuple[int, int, str, Fix]] = []
    chosen: dict[str, Fix] = {}
    for fix in fixes:
        refusal = _take(article, fix, edits, chosen)
        if refusal:
            refused.append(f"{human_path(fix.pointer)}: {refusal}")
    if not edits:
        return article.text, 0, refused
    text = _apply_edits(article, edits)
    applied = list(dict.fromkeys(e[3] for e in edits))
    if len(applied) > 1 and not _verified(article, text, applied):
        # Each fix checks out alone but not together: apply the first, and let the
        # next pass (after linting again) deal with the rest.
        return _apply_edits(article, [e for e in edits if e[3] is applied[0]]), 1, refused
    return text, len(applied), refused


def _take(
    article: Article,
    fix: Fix,
    edits: list[tuple[int, int, str, Fix]],
    chosen: dict[str, Fix],
) -> str | None:
    """Add the edits that apply ``fix`` to ``edits`` (beside those already there),
    choosing the first way that checks out; else say why it is left out."""
    if fix.edits:
        return _add_text_fix(article, fix, edits)
    if fix.pointer in chosen:
        if not _same(chosen[fix.pointer].value, fix.value):
            return "two fixes disagree on its value; kept the first"
        return None
    try:
        candidates = _edits_for(article, fix)
    except FixRefused as err:
        return str(err)
    candidates = [
        (start, end, text)
        for start, end, text in candidates
        if not any(start < e and s < end for s, e, _, _ in edits)
    ]
    if not candidates:
        return "overlaps another fix; left for later"
    for start, end, text in candidates:
        edit = (start, end, text, fix)
        if _verified(article, _apply_edits(article, [edit]), [fix]):
            chosen[fix.pointer] = fix
            edits.append(edit)
            return None
    return (
        "the fixed front matter would not read back as intended, "
        "so the fix was not applied"
    )


def placed_edits(article: Article, fix: Fix) -> tuple[PlacedEdit, ...]:
    """The edits ``--fix`` makes for ``fix`` alone in ``article`` (chosen and checked
    by the same code, :func:`apply_fixes`), placed as lines and columns; none when it
    would refuse the fix."""
    edits: list[tuple[int, int, str, Fix]] = []
    if _take(article, fix, edits, {}) is not None:
        return ()
    position = article.lines.position
    placed = []
    for start, end, text, _ in sorted(edits, key=lambda e: e[0]):
        line, column = position(start)
        end_line, end_column = position(end)
        placed.append((line, column, end_line, end_column, text))
    return tuple(placed)


def with_fix_edits(article: Article, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics``, each that has a fix given the edits ``--fix`` would make for it
    (:attr:`~feedlint.diagnostics.Diagnostic.fix_edits`)."""
    out = []
    for d in diagnostics:
        if d.fix is not None and not d.fix_edits:
            d = dataclasses.replace(d, fix_edits=placed_edits(article, d.fix))
        out.append(d)
    return out


def _add_text_fix(
    article: Article, fix: Fix, edits: list[tuple[int, int, str, Fix]]
) -> str | None:
    """Add the text edits of ``fix`` to ``edits`` when they check out (the data and the
    body read back the same); else say why not."""
    if any(e[3] == fix for e in edits):
        return None  # the same fix twice
    size = len(article.text)
    mine = sorted((start, end, text, fix) for start, end, text in fix.edits)
    if any(not 0 <= start <= end <= size for start, end, _, _ in mine) or any(
        a[1] > b[0] for a, b in zip(mine, mine[1:], strict=False)
    ):
        return "its edits do not fit the text"
    if any(start < e and s < end for start, end, _, _ in mine for s, e, _, _ in edits):
        return "overlaps another fix; left for later"
    if not _verified(article, _apply_edits(article, mine), [fix]):
        return "the fixed file would not read back as intended, so the fix was not applied"
    edits.extend(mine)
    return None


def _apply_edits(article: Article, edits: Sequence[tuple[int, int, str, Fix]]) -> str:
    text = article.text
    for start, end, replacement, _ in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _verified(article: Article, text: str, fixes: Sequence[Fix]) -> bool:
    """True when ``text`` parses to the article's data with exactly ``fixes`` applied."""
    bare = article.body_offset == len(article.text) and article.yaml_start == 0
    parsed = parse(article.path, text.encode("utf-8"), bare=bare)
    if parsed.article is None:
        return False
    expected = copy.deepcopy(article.data)
    for fix in fixes:
        if not fix.edits:  # text edits must leave the data as it was
            _set(expected, fix.pointer, fix.value)
    new = parsed.article
    body = article.text[article.body_offset :]
    return _same(new.data, expected) and new.text[new.body_offset :] == body


def _edits_for(article: Article, fix: Fix) -> list[tuple[int, int, str]]:
    """Ways to apply ``fix`` as (start, end, replacement), the preferred first."""
    node = article.source.nodes.get(fix.pointer)
    if node is None or not fix.pointer:
        raise FixRefused("there is no value there to replace")
    if isinstance(article.get(fix.pointer), dict | list):
        raise FixRefused("it is a list or mapping; only single values are fixed")
    if not isinstance(fix.value, str | int | float | bool) and fix.value is not None:
        raise FixRefused(f"cannot write a {type(fix.value).__name__} value")
    _, _, start, end = node
    if start < article.yaml_start or end > article.yaml_end:
        raise FixRefused("the value is not in the front matter")
    text = article.text
    written = text[start:end]
    value = fix.value
    in_flow = _in_flow(article, fix.pointer)
    style = written[:1]
    if style == "!":
        raise FixRefused("the value carries a YAML tag; remove the tag first")
    if style in ("|", ">"):
        return _block_edits(article, start, end, value, in_flow)
    if not isinstance(value, str):
        replacement = _non_string(value)
    elif style == '"':
        replacement = double_quoted(value)
    elif style == "'":
        replacement = single_quoted(value) or double_quoted(value)
    else:
        replacement = value if plain_safe(value, in_flow) else double_quoted(value)
    if start == end and text[start - 1 : start] not in (" ", "\t"):
        # An empty value (``key:`` alone): the new one needs a space after the colon.
        replacement = " " + replacement
    return [(start, end, replacement)]


def _block_edits(
    article: Article, start: int, end: int, value: Any, in_flow: bool
) -> list[tuple[int, int, str]]:
    """A block scalar keeps its header (and any comment on it) and gets new content
    lines; failing that, the value is written inline in its place."""
    text = article.text
    header_line, _ = article.lines.position(start)
    header_end = article.lines.line_end(header_line)
    header = _BLOCK_HEADER.match(text[start:header_end])
    if header is None:
        raise FixRefused("its block scalar header cannot be read")
    newline = "\r\n" if text.startswith("\r\n", header_end) else "\n"
    content_start = header_end + len(newline)
    content_end = end
    while content_end > content_start and text[content_end - 1] in " \t\r\n":
        content_end -= 1
    first_line = text[content_start:content_end].split("\n", 1)[0]
    indent = first_line[: len(first_line) - len(first_line.lstrip(" "))]
    style, explicit, chomp = header.group(1), header.group(2) or header.group(4), header.group(3)
    edits = []
    if isinstance(value, str) and indent and not explicit and content_end > content_start:
        body = value
        fits = chomp != "+" and not value.startswith((" ", "\n"))
        if chomp == "":
            fits = fits and value.endswith("\n") and not value.endswith("\n\n")
            body = value[:-1]
        else:
            fits = fits and not value.endswith("\n")
        if style == ">":
            fits = fits and "\n" not in body
        if fits and body and "\r" not in body:
            lines = [indent + line if line else "" for line in body.split("\n")]
            edits.append((content_start, content_end, newline.join(lines)))
    if not header.group(6):
        if isinstance(value, str):
            inline = value if plain_safe(value, in_flow) else double_quoted(value)
        else:
            inline = _non_string(value)
        edits.append((start, content_end, inline))
    if not edits:
        raise FixRefused(
            "its block scalar has a comment on its header line, and the new value "
            "cannot be written as a block"
        )
    return edits


def _in_flow(article: Article, pointer: str) -> bool:
    """True when the value sits inside a flow collection (``[a, b]``, ``{a: b}``)."""
    text = article.text
    while "/" in pointer:
        pointer = pointer.rsplit("/", 1)[0]
        node = article.source.nodes.get(pointer)
        if node is not None and text[node[2] : node[2] + 1] in ("[", "{"):
            return True
    return False


# -- writing scalars -------------------------------------------------------------


def _printable(char: str) -> bool:
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def double_quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar on one line."""
    out = ['"']
    for char in value:
        escape = _ESCAPES.get(char)
        if escape is not None:
            out.append(escape)
        elif _printable(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def single_quoted(value: str) -> str | None:
    """``value`` as a YAML single-quoted scalar, or None when it needs escapes."""
    if not all(_printable(char) or char == "\t" for char in value):
        return None
    return "'" + value.replace("'", "''") + "'"


def plain_safe(value: str, in_flow: bool = False) -> bool:
    """True when ``value`` written plain reads back as the same string."""
    if not value or value != value.strip() or value[0] in _PLAIN_FIRST:
        return False
    if not all(_printable(char) for char in value):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if in_flow and any(char in _FLOW_INDICATORS for char in value):
        return False
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag in (_STR, _TIMESTAMP)


def yaml_scalar(value: Any) -> str:
    """``value`` as it is written in the front matter: a string plain when that reads
    back the same, else double-quoted; a list or a mapping in flow style."""
    if isinstance(value, str):
        return value if plain_safe(value) else double_quoted(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_scalar(str(k))}: {yaml_scalar(v)}"
                               for k, v in value.items()) + "}"
    return _non_string(value)


def _non_string(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, float)
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent if exponent[0] in '+-' else '+' + exponent}"
    return text


# -- data ------------------------------------------------------------------------


def _set(data: Any, pointer: str, value: Any) -> None:
    tokens = split_pointer(pointer)
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``True`` is not ``1``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


# -- the file ----------------------------------------------------------------------


def _fix_target(candidate: Candidate) -> str:
    """The file a fix of ``candidate`` is written to: the file itself, or the target
    of a link (a link stays a link).

    A file found by walking a folder was reached only through links that stay inside
    that folder. A file named on the command line is read wherever it leads, but is
    written only where the current folder lets it: a link to a file outside the
    current folder, or a path inside it that leads out through a linked folder, is
    not written through (a pull request can commit ``a.md -> ~/.profile``).
    """
    target = os.path.realpath(candidate.path)
    if not candidate.explicit:
        return target
    here = os.path.realpath(os.getcwd())
    if inside(target, here):
        return target
    if os.path.islink(candidate.path):
        raise FixWriteError(
            f"it is a symbolic link to {target}, outside the current folder; "
            "feedlint does not write through it (name the target itself to fix it)"
        )
    if inside(os.path.abspath(candidate.path), os.getcwd()):
        raise FixWriteError(
            f"it leads through a linked folder to {target}, outside the current "
            "folder; feedlint does not write through it (name the target itself to fix it)"
        )
    return target


def write_atomic(path: str, expected: bytes, data: bytes) -> None:
    """Replace the file at ``path`` (holding ``expected``) by ``data``, atomically.

    Refuses when the file no longer holds ``expected`` (it changed since it was
    read) or is read-only: its owner may not write it (``chmod a-w``, whoever
    runs feedlint, root too: the owner's write bit is what git and editors go by),
    or this user may not. Writes it with :func:`feedlint.atomic.write_atomically`
    (a temporary file in the same folder, flushed to disk, given the original's
    permissions and owner), checks the original once more, and renames it over the
    original. On any failure the temporary file is removed and the original is
    left as it was. A link at ``path`` is written through to its target.
    """
    target = os.path.realpath(path)
    before = os.stat(target)
    if not before.st_mode & stat.S_IWUSR:
        raise FixWriteError(
            "the file is read-only (its owner has no write permission); "
            "`chmod u+w` it to let feedlint fix it"
        )
    if not os.access(target, os.W_OK):
        raise FixWriteError("the file is read-only for this user")
    _check_unchanged(target, expected, before)
    write_atomically(
        target,
        data,
        mode=stat.S_IMODE(before.st_mode),
        owner=(before.st_uid, before.st_gid),
        before_replace=lambda: _check_unchanged(target, expected, before),
    )


def _check_unchanged(target: str, expected: bytes, before: os.stat_result) -> None:
    """Raise unless ``target`` is still the regular file ``before`` describes, holding
    ``expected``.

    The one place a file is read again after its lint, to compare, never to lint or
    show: the file opened must be the very one about to be replaced (same device and
    inode, not a link, not a FIFO swapped in: opened without waiting), and no more
    than ``expected`` and one byte is read.
    """
    now = os.stat(target)
    if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
        raise FixWriteError("the file changed on disk while it was being fixed")
    try:
        fd = os.open(target, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as err:
        raise FixWriteError("the file changed on disk since it was read") from err
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        if (
            not stat.S_ISREG(opened.st_mode)
            or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino)
            or handle.read(len(expected) + 1) != expected
        ):
            raise FixWriteError("the file changed on disk since it was read")


_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
