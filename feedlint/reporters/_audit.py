"""What the audit report shows, gathered from a finished run.

The report opens no file itself. What it shows of one comes from the bytes the
lint read (each file's :attr:`~feedlint.engine.FileResult.source`, kept, up to
:data:`READ_CAP` and one byte, only on a run whose report shows text, and only
for a file that had findings when its lint ended): a file the walk refused (a
link out of the linted folder, a FIFO, a device) or did not read (over the size
limit) has no text to show, and opening its path again here would read exactly
what the walk refused, or wait forever on a FIFO. The values shown are also those
the diagnostics were found in, whatever became of the file since.

A file that got its findings only after its lint (duplicates across files, the
link probe) kept a digest of its bytes instead; the page's builder has the linter
read it again (:meth:`~feedlint.engine.Linter.read_again`: the same file, the same
bytes, or nothing), and it is shown only when it has not changed since.

From those bytes the report takes what a person fixing the article needs: the
offending value as written (the text at the diagnostic's span), the provider
domain, and the front matter with the offending lines. The front matter shown in
the page has an overall budget: past it, a file shows only the lines around its
findings, and once those have used up the budget too, only the offending lines
themselves. A file without bytes shows its findings without values or source,
and a short note of why.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from feedlint.diagnostics import Diagnostic, Fix, Severity
from feedlint.document import human_path
from feedlint.rules.file_syntax import FL010, FL013

#: Bytes of one file shown at most.
READ_CAP = 1024 * 1024
#: Front matter lines shown in full at most; a longer one shows the lines around its findings.
MAX_SOURCE_LINES = 400
#: Characters of one line shown at most.
MAX_LINE_CHARS = 1000
#: Characters of front matter embedded in the whole page, over every file; past it,
#: files show only the lines around their findings, then only those lines.
SOURCE_BUDGET = 6_000_000
#: Lines of context shown around a finding when not the whole front matter is.
CONTEXT_LINES = 2
#: Characters of an offending or fixed value shown at most.
MAX_VALUE_CHARS = 300

NO_PROVIDER = "(no provider)"
UNREADABLE = "(not readable)"
UNKNOWN_HOST = "(unknown host)"
#: The prefix of the link codes that ``--probe`` reports.
LINK_CODE_PREFIX = "FL6"

_FENCE_LINE = re.compile(r"---[ \t]*\Z")
_PROVIDER_BLOCK = re.compile(r"^provider:[ \t]*(?:#[^\n]*)?\n((?:[ \t]+[^\n]*\n?|[ \t]*\n)*)", re.M)
_PROVIDER_FLOW = re.compile(r"^provider:[ \t]*(\{[^\n]*\})[ \t]*$", re.M)
_DOMAIN_LINE = re.compile(r"^[ \t]+domain:[ \t]*([^\n]*?)[ \t]*$", re.M)
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class Row:
    """One finding as the report shows it."""

    diagnostic: Diagnostic
    file_index: int
    #: The text at the span, as written in the file ("" when it cannot be shown).
    value: str
    #: What ``--fix`` would write there, as YAML, or None.
    fixed: str | None
    fix_note: str


@dataclass(slots=True)
class FileView:
    path: str
    provider: str
    errors: int = 0
    warnings: int = 0
    #: Runs of consecutive lines: (first line number, lines); None when unreadable.
    chunks: list[tuple[int, list[str]]] | None = None
    #: The last line of the front matter (so the page can say where it ends).
    front_matter_end: int = 0
    #: Why the source is not complete, if it is not.
    note: str = ""


@dataclass(slots=True)
class LinkStatus:
    """Distinct URLs of one host, by what the probe said about them."""

    broken: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)
    #: Every URL of the host that was probed (known only when the run says which).
    probed: set[str] = field(default_factory=set)

    @property
    def fine(self) -> int:
        return len(self.probed - self.broken - self.blocked)


@dataclass(slots=True)
class Audit:
    files_checked: int
    files: list[FileView]
    rows: list[Row]
    errors: int
    warnings: int
    files_with_errors: int
    files_with_warnings_only: int
    by_code: Counter[tuple[str, Severity]]
    #: Each code's rule name, as the run stamped it.
    rule_names: dict[str, str]
    by_provider: Counter[tuple[str, Severity]]
    links: dict[str, LinkStatus]

    @property
    def clean(self) -> int:
        return self.files_checked - self.files_with_errors - self.files_with_warnings_only


class SourceReader:
    """The text of a reported file, from the bytes the run read for it (by the name
    the file is reported under), capped; never from disk. ``changed`` names the
    files whose text is not shown because they changed since they were linted."""

    def __init__(
        self,
        in_memory: Mapping[str, bytes] | None = None,
        cap: int = READ_CAP,
        changed: Iterable[str] = (),
    ) -> None:
        self.in_memory = dict(in_memory or {})
        self.cap = cap
        self.changed = frozenset(changed)

    def read(self, path: str) -> tuple[str, bool] | None:
        """The file's text and whether it was cut at the cap, or None when the run
        kept no bytes of it (see :func:`not_shown`)."""
        raw = self.in_memory.get(path)
        if raw is None:
            return None
        cut = len(raw) > self.cap
        text = raw[: self.cap].decode("utf-8", "replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        return text, cut


#: Why a file that got findings after its lint is not shown, when reading it again
#: found another file, or other bytes, than those linted.
CHANGED = "source not shown: the file changed since it was linted"


def not_shown(diagnostics: Iterable[Diagnostic], changed: bool = False) -> str:
    """Why a file's source is not in the report, in a short phrase."""
    if changed:
        return CHANGED
    codes = {d.code for d in diagnostics}
    if FL013 in codes:
        return "source not shown: the file was not read (FL013)"
    if FL010 in codes:
        return "source not shown: the file is over the size limit (FL010)"
    return "source not shown: the run kept no text of it"


def clean_text(text: str) -> str:
    """Text safe to encode as UTF-8 (a file name may hold lone surrogates)."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def split_lines(text: str) -> list[str]:
    """Lines as the engine counts them: only ``\\n`` ends a line; ``\\r`` before it is dropped."""
    lines = text.split("\n")
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def front_matter_end(lines: list[str], bare: bool) -> int:
    """The 1-based number of the front matter's last line (its closing fence)."""
    if bare or not lines or not _FENCE_LINE.match(lines[0]):
        return len(lines)
    for number in range(2, len(lines) + 1):
        if _FENCE_LINE.match(lines[number - 1]):
            return number
    return len(lines)


def _shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_at(lines: list[str], d: Diagnostic) -> str:
    """The text at a diagnostic's span, as written (its first line if it spans several)."""
    if not 1 <= d.line <= len(lines):
        return ""
    line = lines[d.line - 1]
    start = d.column - 1
    end = d.end_column - 1 if d.end_line == d.line else len(line)
    value = line[start:end]
    if d.end_line > d.line:
        value += " …"
    if d.pointer == "" and _FENCE_LINE.match(value):
        # A problem about the whole front matter points at its opening fence.
        return ""
    if d.code.startswith("FL0") and len(value.strip()) <= 1:
        # A syntax error marks one character; the line says more.
        value = line.strip()
    return _shorten(value)


def fixed_text(d: Diagnostic) -> tuple[str | None, str]:
    """What a fix would write, as YAML (JSON flow style is YAML), and its description."""
    fix: Fix | None = d.fix
    if fix is None:
        return None, ""
    try:
        text = json.dumps(fix.value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(fix.value)
    if fix.pointer != d.pointer:
        text = f"{human_path(fix.pointer)}: {text}"
    return _shorten(text), fix.description


def unquote(scalar: str) -> str:
    """A YAML scalar as written -> its string (quotes and a trailing comment removed)."""
    scalar = scalar.strip()
    if scalar.startswith('"'):
        end = scalar.rfind('"')
        if end > 0:
            try:
                loaded = json.loads(scalar[: end + 1])
                return loaded if isinstance(loaded, str) else scalar
            except ValueError:
                return scalar[1:end]
    if scalar.startswith("'"):
        end = scalar.rfind("'")
        if end > 0:
            return scalar[1:end].replace("''", "'")
    if " #" in scalar:
        scalar = scalar.split(" #", 1)[0].rstrip()
    return scalar


def provider_domain(front_matter: str, bare: bool) -> str:
    """The article's ``provider.domain``, found without parsing the whole file.

    A block mapping under a top-level ``provider:`` key is scanned for its
    ``domain:`` line; anything else (flow style, bare JSON) is loaded with the C
    YAML loader, which is slower but rare.
    """
    if not bare:
        block = _PROVIDER_BLOCK.search(front_matter)
        if block is not None:
            domain = _DOMAIN_LINE.search(block.group(1))
            if domain is not None:
                return unquote(domain.group(1)).lower() or NO_PROVIDER
            return NO_PROVIDER
        if _PROVIDER_FLOW.search(front_matter) is None and "provider" not in front_matter:
            return NO_PROVIDER
    return _provider_by_loading(front_matter)


def _provider_by_loading(front_matter: str) -> str:
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = front_matter
    if _FENCE_LINE.match(text.split("\n", 1)[0]):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = re.split(r"^---[ \t]*$", text, maxsplit=1, flags=re.M)[0]
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except Exception:  # noqa: BLE001 - a file feedlint already reported as broken
        return NO_PROVIDER
    if isinstance(data, dict):
        provider = data.get("provider")
        if isinstance(provider, dict):
            domain = provider.get("domain")
            if isinstance(domain, str) and domain.strip():
                return domain.strip().lower()
    return NO_PROVIDER


def host_of(value: str) -> str:
    url = unquote(value)
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return host or UNKNOWN_HOST


def _cut(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 1] + "…"


def source_chunks(
    lines: list[str], end: int, finding_lines: Iterable[int], whole: bool, context: int
) -> list[tuple[int, list[str]]]:
    """The lines to show: the whole front matter, or the lines around the findings.

    Finding lines past the front matter (or past the lines shown) always get a
    window, so every highlighted line can be seen.
    """
    total = len(lines)
    outside = {line for line in finding_lines if 1 <= line <= total and not (whole and line <= end)}
    if whole and not outside:
        return [(1, [_cut(line) for line in lines[:end]])]
    wanted: set[int] = set(range(1, end + 1)) if whole else set()
    for line in outside:
        wanted.update(range(max(1, line - context), min(total, line + context) + 1))
    chunks: list[tuple[int, list[str]]] = []
    for number in sorted(wanted):
        if chunks and chunks[-1][0] + len(chunks[-1][1]) == number:
            chunks[-1][1].append(_cut(lines[number - 1]))
        else:
            chunks.append((number, [_cut(lines[number - 1])]))
    return chunks


def _is_bare(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in (".yaml", ".yml", ".json")


def build_audit(
    files: Iterable[tuple[str, list[Diagnostic]]],
    files_checked: int,
    reader: SourceReader,
    source_budget: int = SOURCE_BUDGET,
    probed: Mapping[str, Mapping[str, str]] | None = None,
) -> Audit:
    """Gather everything the page shows, reading back only the files with findings.

    ``probed`` maps each file to the URLs a ``--probe`` run fetched for it (JSON
    pointer -> URL), when the run says; link status per host then counts the
    URLs that answered well too. Without it, the link findings (FL6xx) alone give
    the hosts, from the URL written at each finding's span.
    """
    probed = probed or {}
    views: list[FileView] = []
    rows: list[Row] = []
    by_code: Counter[tuple[str, Severity]] = Counter()
    rule_names: dict[str, str] = {}
    by_provider: Counter[tuple[str, Severity]] = Counter()
    links: dict[str, LinkStatus] = {}
    errors = warnings = with_errors = warnings_only = 0
    budget = source_budget
    for path, diagnostics in sorted(files, key=lambda item: item[0]):
        if not diagnostics:
            continue
        index = len(views)
        view = FileView(path=path, provider=UNREADABLE)
        views.append(view)
        read = reader.read(path)
        lines: list[str] = []
        if read is not None:
            text, cut = read
            lines = split_lines(text)
            bare = _is_bare(path)
            end = front_matter_end(lines, bare)
            view.front_matter_end = end
            view.provider = provider_domain("\n".join(lines[:end]), bare)
            cost = sum(len(line) for line in lines[:end])
            whole = end <= MAX_SOURCE_LINES and cost <= budget
            # Past the budget a file shows only its offending lines, without context.
            context = CONTEXT_LINES if budget > 0 else 0
            view.chunks = source_chunks(lines, end, (d.line for d in diagnostics), whole, context)
            budget -= sum(len(line) for _, chunk in view.chunks for line in chunk)
            if not whole:
                view.note = (
                    f"only the lines {'around' if context else 'of'} the findings are shown: "
                    + (
                        "the front matter is long"
                        if end > MAX_SOURCE_LINES
                        else "the report holds whole front matter up to a size budget"
                    )
                )
            elif cut:
                view.note = f"the file was read up to {READ_CAP // 1024} KiB"
        else:
            view.note = not_shown(diagnostics, path in reader.changed)
        for d in diagnostics:
            fixed, note = fixed_text(d)
            value = value_at(lines, d) if lines else ""
            rows.append(Row(d, index, value, fixed, note))
            by_code[(d.code, d.severity)] += 1
            rule_names.setdefault(d.code, d.rule)
            by_provider[(view.provider, d.severity)] += 1
            if d.severity == Severity.ERROR:
                view.errors += 1
            else:
                view.warnings += 1
            if d.code.startswith(LINK_CODE_PREFIX):
                url = probed.get(path, {}).get(d.pointer) or unquote(value)
                status = links.setdefault(host_of(url) if url else UNKNOWN_HOST, LinkStatus())
                url = url or f"{path}:{d.line}"
                (status.broken if d.severity == Severity.ERROR else status.blocked).add(url)
        errors += view.errors
        warnings += view.warnings
        if view.errors:
            with_errors += 1
        else:
            warnings_only += 1
    for urls in probed.values():
        for url in urls.values():
            links.setdefault(host_of(url), LinkStatus()).probed.add(url)
    return Audit(
        files_checked=files_checked,
        files=views,
        rows=rows,
        errors=errors,
        warnings=warnings,
        files_with_errors=with_errors,
        files_with_warnings_only=warnings_only,
        by_code=by_code,
        rule_names=rule_names,
        by_provider=by_provider,
        links=links,
    )
