"""One file through parse -> schema -> rules -> diagnostics; many files into a run.

The engine is the only place that turns a rule's :class:`Finding` into a
:class:`Diagnostic`: it stamps the rule name and severity from the registry,
places the finding through the article's source map, lets the file's ``# noqa``
comments silence what they name (:mod:`feedlint.suppression`), and only then drops
what the run's selection leaves out, so that a comment for a de-selected code still
counts as used. Rules never see files; reporters never decide.

With ``--fix`` or ``--diff``, a file whose diagnostics carry fixes goes through
:mod:`feedlint.fixing` before the checks across files, and its result is what is
left after the fixes.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from feedlint.articles import is_article
from feedlint.diagnostics import MAX_MESSAGE, Diagnostic, Finding, Severity, Span, printable
from feedlint.discovery import Candidate
from feedlint.document import Article
from feedlint.rules import MODULES, RuleContext, RuleModule, rule_for
from feedlint.schema import ArticleSchema
from feedlint.selection import CodeSelector, FileIgnores
from feedlint.settings import Settings

if TYPE_CHECKING:
    from feedlint.cache import ResultCache
    from feedlint.fixing import FixReport
    from feedlint.parsing import ParseResult
    from feedlint.suppression import Suppressor


@dataclass(slots=True)
class FileResult:
    """What one file gave: its diagnostics, and facts kept for checks across files."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: A file found by walking a folder that turned out not to be an article.
    skipped: bool = False
    #: Rule module name -> what its ``collect`` kept of this file.
    facts: dict[str, Any] = field(default_factory=dict)
    #: The file's ``noqa`` directives, kept until the checks across files have run.
    suppressor: Suppressor | None = None
    #: What ``--fix``/``--diff`` did to this file.
    fixing: FixReport | None = None
    #: A check that reads the clock reported something: the result may change
    #: with time alone, so the result cache does not keep it.
    clock_dependent: bool = False
    #: The bytes the diagnostics were found in, as read for the lint (at most
    #: :attr:`Linter.source_limit` of them); kept only when a reporter shows a
    #: file's text (``--format html``), which must never open the file again, and
    #: only for a file that had diagnostics when its lint ended.
    source: bytes | None = None
    #: Instead of :attr:`source`, for a file without diagnostics when its lint
    #: ended: the BLAKE2b digest (16 bytes) of the bytes linted, then the device
    #: and inode numbers of the file they were read from. Should the checks across
    #: files or the link probe give it findings, the report reads it again
    #: (:meth:`Linter.read_again`) and shows it only if it is still that file,
    #: holding those bytes.
    source_check: bytes | None = None


@dataclass(slots=True)
class RunResult:
    files: list[FileResult]
    #: Reads again, for a report that shows files' text, the files given that got
    #: findings after their lint (see :meth:`Linter.sources_again`); set by
    #: :meth:`Linter.run` when the run keeps sources.
    rereader: Callable[[Iterable[FileResult]], dict[str, bytes | None]] | None = field(
        default=None, repr=False, compare=False
    )

    def sources_again(self, files: Iterable[FileResult]) -> dict[str, bytes | None]:
        """:meth:`Linter.sources_again` for ``files``, when the run can say."""
        return {} if self.rereader is None else self.rereader(files)

    @property
    def files_checked(self) -> int:
        return len(self.files)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [d for f in self.files for d in f.diagnostics]
        found.sort(key=Diagnostic.sort_key)
        return found

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.files for d in f.diagnostics if d.severity == severity)

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.files for d in f.diagnostics if d.code.startswith("FL9"))


class Linter:
    """Lints files under one set of settings; build once per run (and per worker)."""

    def __init__(self, settings: Settings, schema: ArticleSchema | None = None) -> None:
        self.settings = settings
        #: Keep this many bytes of each file linted as its result's ``source``
        #: (None: keep none). Set when the report shows files' text.
        self.source_limit: int | None = None
        self.schema = schema or ArticleSchema.load(settings.schema)
        self.selector = CodeSelector(
            settings.select + settings.extend_select, settings.ignore
        )
        self.modules: list[tuple[RuleModule, dict[str, Any]]] = []
        for module in MODULES:
            if module.check is None and module.collect is None:
                continue
            if module.probe_only and not settings.probe:
                continue
            if not self.selector.any_enabled(rule.code for rule in module.rules):
                continue
            options = {name: option.default for name, option in module.options.items()}
            options.update(settings.rule_options.get(module.name, {}))
            self.modules.append((module, options))
        self.schema_enabled = self.selector.any_enabled(
            rule.code for module in MODULES if module.name == "schema" for rule in module.rules
        )
        self.file_ignores = FileIgnores(settings.per_file_ignores, settings.config_root)
        # What a noqa comment can be judged against: the codes whose checks run here.
        # A module that only collects facts (no check, no check across files) has its
        # codes reported by something after the run (the link probe): they cannot be
        # judged, and the file's directives are kept for whatever reports them.
        self.reported_later = any(
            module.check is None and module.across is None for module, _ in self.modules
        )
        active = {"file", "noqa"} | {
            module.name
            for module, _ in self.modules
            if module.check is not None or module.across is not None
        }
        if self.schema_enabled:
            active.add("schema")
        self.known_codes = frozenset(rule.code for module in MODULES for rule in module.rules)
        self.checked_codes = frozenset(
            rule.code for module in MODULES if module.name in active for rule in module.rules
        )
        self.pending_codes = frozenset(
            rule.code
            for module, _ in self.modules
            if module.across is not None
            for rule in module.rules
        )
        self.every_check_runs = (
            self.schema_enabled
            and not self.reported_later
            and all(
                module.name in active
                for module in MODULES
                if module.check is not None or module.across is not None
            )
        )

    # -- one file ---------------------------------------------------------

    def lint(self, candidate: Candidate) -> FileResult:
        """Read and lint one file; never raises.

        Whatever goes wrong inside (a crash in the parser, the schema check, a rule
        or a fix) becomes an FL900 diagnostic on this file, and the run goes on.
        """
        raw = self.read(candidate)
        if isinstance(raw, FileResult):
            return raw
        return self.lint_raw(candidate, raw)

    def read(self, candidate: Candidate, *, same_file: bytes | None = None) -> bytes | FileResult:
        """The file's bytes, or the result that says why they cannot be linted
        (FL013 unreadable, FL010 too large); never raises. With ``same_file`` (see
        :meth:`read_again`), only the file of that identity is opened and read."""
        try:
            if candidate.error is not None:
                finding = Finding("FL013", candidate.error, span=Span(1, 1, 1, 2))
                return self._result(candidate.display, None, [finding])
            if candidate.stdin_bytes is not None:
                raw = candidate.stdin_bytes
            else:
                read = self._read(candidate, same_file)
                if isinstance(read, Finding):
                    return self._result(candidate.display, None, [read])
                raw = read
            if len(raw) > self.settings.max_file_size:
                return self._result(candidate.display, None, [self._too_large(len(raw))])
            return raw
        except Exception as err:  # noqa: BLE001 - one file must not stop the run
            return FileResult(
                candidate.display,
                [_crash_diagnostic(candidate.display, "feedlint", err)],
            )

    def lint_raw(self, candidate: Candidate, raw: bytes) -> FileResult:
        """Lint one file given the bytes :meth:`read` returned; never raises."""
        try:
            if not is_article(candidate, raw):
                return FileResult(candidate.display, skipped=True)
            article, result = self.lint_article(candidate.display, raw, bare=candidate.bare)
            if (
                (self.settings.fix or self.settings.diff)
                and (candidate.stdin_bytes is None or self.settings.diff)
                and any(d.fix is not None for d in result.diagnostics)
            ):
                from feedlint.fixing import fix_file

                result = fix_file(self, candidate, raw, article, result)
            self.keep_source(result, raw, candidate)
            return result
        except Exception as err:  # noqa: BLE001 - one file must not stop the run
            return FileResult(
                candidate.display,
                [_crash_diagnostic(candidate.display, "feedlint", err)],
            )

    def keep_source(
        self, result: FileResult, raw: bytes, candidate: Candidate | None = None
    ) -> None:
        """Keep what a report that shows files' text needs of ``raw`` (the bytes
        ``result`` was found in), when the run keeps sources and nothing is kept yet;
        a file the walk or :meth:`read` refused keeps nothing, and its report shows
        no text.

        A result with diagnostics keeps the bytes (its ``source``): the report shows
        them. Any other keeps only its ``source_check`` (a digest, and which file
        ``candidate`` named): an archive of 100,000 clean files must not sit in
        memory for the few that the checks across files or the probe find something
        in later; those are read again for the report (:meth:`read_again`). A file
        that cannot be read again (standard input, a pipe named on the command line,
        or no ``candidate`` given) keeps its bytes.
        """
        limit = self.source_limit
        if (
            limit is None
            or result.skipped
            or result.source is not None
            or result.source_check is not None
        ):
            return
        if not result.diagnostics and candidate is not None:
            check = _source_check(candidate, raw)
            if check is not None:
                result.source_check = check
                return
        # A copy of just those bytes: a file read from disk came in a buffer
        # allocated for the size limit, which, kept, holds whole pages per file.
        result.source = bytes(memoryview(raw)[:limit])

    def read_again(self, candidate: Candidate, check: bytes) -> bytes | None:
        """For the report, the bytes of a file that got findings after its lint, read
        again through :meth:`read` (the same refusals: not a regular file, over the
        size limit), at most :attr:`source_limit` of them; None when the file changed
        since it was linted.

        ``check`` is the result's ``source_check``. The path must still lead to the
        very file linted (same device and inode, checked before it is opened and
        again on what was opened): a link, or another file, put in its place since
        is never read. And its bytes must be those linted (same digest).
        """
        from feedlint.cache import content_digest

        digest, identity = check[:_DIGEST_SIZE], check[_DIGEST_SIZE:]
        if len(digest) != _DIGEST_SIZE or not identity:
            return None
        raw = self.read(candidate, same_file=identity)
        if isinstance(raw, FileResult) or content_digest(raw) != digest:
            return None
        limit = self.source_limit
        return bytes(raw if limit is None else memoryview(raw)[:limit])

    def sources_again(
        self, candidates: Sequence[Candidate], files: Iterable[FileResult]
    ) -> dict[str, bytes | None]:
        """By path, for each of ``files`` that has diagnostics but kept no bytes, only
        a ``source_check`` (its findings came after its lint: across files, from the
        probe): its bytes read again (:meth:`read_again`), or None when it changed
        since it was linted. ``candidates`` are the run's."""
        wanted = {
            f.path: f.source_check
            for f in files
            if f.diagnostics and f.source is None and f.source_check is not None
        }
        found: dict[str, bytes | None] = {}
        if not wanted:
            return found
        for candidate in candidates:
            check = wanted.pop(candidate.display, None)
            if check is not None:
                found[candidate.display] = self.read_again(candidate, check)
        return found

    def _too_large(self, size: int) -> Finding:
        return Finding(
            "FL010",
            f"the file is {size:,} bytes, over the limit of "
            f"{self.settings.max_file_size:,}; it was not parsed",
            span=Span(1, 1, 1, 2),
        )

    def _read(self, candidate: Candidate, same_file: bytes | None = None) -> bytes | Finding:
        """The file's bytes (at most the size limit plus one), or why they cannot be had.

        Only regular files are read, except that a pipe or a character device named
        on the command line is (``feedlint check <(git show HEAD:a.md)``). The file
        is opened non-blocking, so a FIFO with no writer cannot hang the run.
        """
        path = candidate.path
        limit = self.settings.max_file_size
        try:
            info = os.stat(path)
            if same_file is not None and _identity(info) != same_file:
                return Finding("FL013", _NOT_THE_SAME, span=Span(1, 1, 1, 2))
            kind = _file_kind(info.st_mode)
            refusal = _refuse_kind(kind, candidate.explicit)
            if refusal:
                return Finding("FL013", refusal, span=Span(1, 1, 1, 2))
            fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(fd)
                # Checked again on what was opened: the path may have been swapped.
                if same_file is not None and _identity(info) != same_file:
                    return Finding("FL013", _NOT_THE_SAME, span=Span(1, 1, 1, 2))
                refusal = _refuse_kind(_file_kind(info.st_mode), candidate.explicit)
                if refusal:
                    return Finding("FL013", refusal, span=Span(1, 1, 1, 2))
                if stat.S_ISREG(info.st_mode):
                    if info.st_size > limit:
                        return self._too_large(info.st_size)
                else:
                    _set_blocking(fd)
                return handle.read(limit + 1)
        except OSError as err:
            return Finding("FL013", _unreadable(path, err), span=Span(1, 1, 1, 2))

    def lint_bytes(self, path: str, raw: bytes, *, bare: bool = False) -> FileResult:
        """Lint one article given its bytes (``path`` names it in diagnostics)."""
        return self.lint_article(path, raw, bare=bare)[1]

    def lint_article(
        self, path: str, raw: bytes, *, bare: bool = False
    ) -> tuple[Article | None, FileResult]:
        """Lint one article given its bytes; also return the parsed article (for fixing)."""
        try:
            parsed = parse(path, raw, bare=bare)
        except Exception as err:  # noqa: BLE001 - a parser crash is this file's problem
            return None, FileResult(path, [_crash_diagnostic(path, "the parser", err)])
        findings = list(parsed.findings)
        article = parsed.article
        facts: dict[str, Any] = {}
        clock_dependent = False
        if article is not None:
            invalid: frozenset[str] = frozenset()
            if self.schema_enabled:
                try:
                    schema_findings = self.schema.check(article.data)
                except Exception as err:  # noqa: BLE001
                    schema_findings = [_internal_error("the schema check", err)]
                findings.extend(schema_findings)
                invalid = frozenset(
                    f.pointer if f.target == "value" else f.pointer.rsplit("/", 1)[0]
                    for f in schema_findings
                    if f.code != "FL101"
                )
            now = self.settings.now or datetime.now(UTC)
            for module, options in self.modules:
                context = _ClockWatch(options=options, invalid=invalid, now=now)
                before = len(findings)
                try:
                    if module.check is not None:
                        findings.extend(module.check(article, context))
                    if context.read_clock and len(findings) > before:
                        clock_dependent = True
                    if module.collect is not None:
                        context = _ClockWatch(options=options, invalid=invalid, now=now)
                        facts[module.name] = module.collect(article, context)
                        clock_dependent = clock_dependent or context.read_clock
                except Exception as err:  # noqa: BLE001 - a crashing check must not stop the run
                    findings.append(_internal_error(f"the {module.name} check", err))
        # A "now" fixed in the settings is part of the cache key: nothing then moves.
        clock_dependent = clock_dependent and self.settings.now is None
        suppressor = _suppressions(article) if article is not None else None
        if suppressor is None:
            result = FileResult(path, self.diagnose(path, article, findings), facts=facts)
            result.clock_dependent = clock_dependent
            return article, result
        placed = suppressor.silence(self.place(path, article, findings, only_selected=False))
        placed += self.place(path, article, suppressor.invalid)
        if not any(d.code == "FL900" for d in placed):
            unused = suppressor.unused(
                self.known_codes,
                self.checked_codes,
                self.pending_codes,
                every_check_ran=self.every_check_runs,
                final=False,
            )
            placed += self.place(path, article, unused)
        result = FileResult(path, self.select(path, placed), facts=facts)
        result.clock_dependent = clock_dependent
        if self.pending_codes or self.reported_later:
            result.suppressor = suppressor
        return article, result

    def _result(self, path: str, article: Article | None, findings: list[Finding]) -> FileResult:
        return FileResult(path, self.diagnose(path, article, findings))

    def diagnose(
        self, path: str, article: Article | None, findings: Iterable[Finding]
    ) -> list[Diagnostic]:
        """Place, stamp and filter findings (for a file without ``noqa`` comments)."""
        return self.select(path, self.place(path, article, findings))

    def select(self, path: str, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """What the selection and the per-file ignores let through, sorted."""
        ignored = self.file_ignores.ignored(path) if self.file_ignores else ()
        # feedlint's own failures are never filtered out: a crash must not pass.
        out = [
            d
            for d in diagnostics
            if d.code.startswith("FL9")
            or self.selector.enabled(d.code) and not (ignored and d.code.startswith(ignored))
        ]
        out.sort(key=Diagnostic.sort_key)
        return out

    def place(
        self,
        path: str,
        article: Article | None,
        findings: Iterable[Finding],
        *,
        only_selected: bool = True,
    ) -> list[Diagnostic]:
        """Stamp and place findings; ``only_selected`` skips de-selected codes early."""
        out = []
        severity_overrides = self.settings.severity
        for finding in findings:
            if (
                only_selected
                and not self.selector.enabled(finding.code)
                and not finding.code.startswith("FL9")
            ):
                continue
            rule = rule_for(finding.code)
            if finding.span is not None:
                span = finding.span
            elif article is not None:
                span = article.span_of(finding.pointer, finding.target)
            else:
                span = Span(1, 1, 1, 2)
            severity = (
                severity_overrides.get(finding.code) or finding.severity or rule.severity
            )
            out.append(
                Diagnostic(
                    file=printable(path),
                    line=span.line,
                    column=span.column,
                    end_line=span.end_line,
                    end_column=span.end_column,
                    code=finding.code,
                    rule=rule.name,
                    severity=severity,
                    message=printable(finding.message, MAX_MESSAGE),
                    pointer=finding.pointer,
                    fix=finding.fix,
                )
            )
        return out

    # -- many files -------------------------------------------------------

    def run(
        self,
        candidates: Sequence[Candidate],
        *,
        jobs: int = 1,
        cache: ResultCache | None = None,
    ) -> RunResult:
        """Lint every candidate (in ``jobs`` processes, through ``cache``), then the
        checks across files. Results come in the candidates' order whatever ``jobs``."""
        from feedlint.parallel import lint_many

        files = [r for r in lint_many(self, candidates, jobs=jobs, cache=cache) if not r.skipped]
        self.finish(files)
        if self.source_limit is None:
            return RunResult(files)
        return RunResult(files, rereader=functools.partial(self.sources_again, candidates))

    def lint_all(self, candidates: Sequence[Candidate]) -> Iterator[FileResult]:
        for candidate in candidates:
            yield self.lint(candidate)

    def finish(self, files: list[FileResult]) -> None:
        """Run the checks that need every file at once (duplicates across files)."""
        for module, options in self.modules:
            if module.across is None:
                continue
            try:
                produced = list(module.across(_Gathered(files, module.name), options))
            except Exception as err:  # noqa: BLE001
                if files:
                    files[0].diagnostics.extend(
                        self.diagnose(
                            files[0].path, None, [_internal_error(f"the {module.name} check", err)]
                        )
                    )
                continue
            if produced:
                wanted = {path for path, _ in produced}
                self._add_late({f.path: f for f in files if f.path in wanted}, produced)
        for result in files:
            suppressor = result.suppressor
            if not self.reported_later:
                result.suppressor = None
            if suppressor is None or any(d.code == "FL900" for d in result.diagnostics):
                continue
            unused = suppressor.unused(
                self.known_codes,
                self.checked_codes,
                self.pending_codes,
                every_check_ran=self.every_check_runs,
                final=True,
            )
            if unused:
                result.diagnostics.extend(self.diagnose(result.path, None, unused))
                result.diagnostics.sort(key=Diagnostic.sort_key)

    def attach(self, files: list[FileResult], produced: Iterable[tuple[str, Finding]]) -> None:
        """Add findings made after the run (by the link probe) to their files, through
        the files' ``noqa`` directives; each finding's span is already set."""
        self._add_late({f.path: f for f in files}, produced)
        for file in files:
            file.suppressor = None

    def _add_late(
        self, by_path: dict[str, FileResult], produced: Iterable[tuple[str, Finding]]
    ) -> None:
        """Place findings made after a file was linted (their spans are set), through
        the file's ``noqa`` directives and the selection, keeping each file sorted."""
        touched = set()
        for path, finding in produced:
            target = by_path.get(path)
            if target is None:
                continue
            suppressor = target.suppressor
            if suppressor is None:
                target.diagnostics.extend(self.diagnose(path, None, [finding]))
            else:
                placed = self.place(path, None, [finding], only_selected=False)
                target.diagnostics.extend(self.select(path, suppressor.silence(placed)))
            touched.add(path)
        for path in touched:
            by_path[path].diagnostics.sort(key=Diagnostic.sort_key)


def parse(path: str, raw: bytes, *, bare: bool = False) -> ParseResult:
    """:func:`feedlint.parsing.parse`, imported on first use: a run served by the
    result cache never loads a YAML parser."""
    from feedlint.parsing import parse as parse_article

    return parse_article(path, raw, bare=bare)


class _Gathered:
    """(path, facts) of every file that has facts for one rule module, read from the
    results each time it is iterated: no list of them all is built (an archive of
    100,000 files would hold one more entry per file while the check runs)."""

    def __init__(self, files: list[FileResult], name: str) -> None:
        self._files = files
        self._name = name

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        name = self._name
        for result in self._files:
            facts = result.facts
            if name in facts:
                yield result.path, facts[name]


def _suppressions(article: Article) -> Suppressor | None:
    """The article's ``noqa`` directives, or None; the module that reads them is
    imported only for front matter holding a ``#`` at all."""
    if article.text.find("#", article.yaml_start, article.yaml_end) == -1:
        return None
    from feedlint.suppression import Suppressor

    return Suppressor.scan(article)


class _ClockWatch(RuleContext):
    """A rule context that notes whether the check looked at ``now``.

    A check that reads the clock and reports something (a date in the future)
    gives a result that time alone can change; the result cache skips such files.
    A check that reads it and finds nothing is stable: time only moves on.
    """

    read_clock = False
    _now: datetime | None = None

    @property
    def now(self) -> datetime | None:
        object.__setattr__(self, "read_clock", True)
        return self._now

    @now.setter
    def now(self, value: datetime | None) -> None:
        object.__setattr__(self, "_now", value)


def _internal_error(what: str, err: BaseException) -> Finding:
    """FL900 naming what crashed, the exception and where it was raised."""
    import traceback

    where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
    detail = str(err)
    if len(detail) > 200:
        detail = detail[:200] + "..."
    return Finding(
        "FL900",
        f"{what} crashed on this file ({type(err).__name__}: {detail}{place}); "
        "please report it with the file",
    )


def _crash_diagnostic(path: str, what: str, err: BaseException) -> Diagnostic:
    """FL900 built without the registry or the selection, which may be what failed."""
    finding = _internal_error(what, err)
    return Diagnostic(
        file=printable(path),
        line=1,
        column=1,
        end_line=1,
        end_column=2,
        code="FL900",
        rule="internal-error",
        severity=Severity.ERROR,
        message=printable(finding.message, MAX_MESSAGE),
    )


def _file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _refuse_kind(kind: str | None, explicit: bool) -> str | None:
    if kind is None or explicit and kind in ("FIFO", "character device"):
        return None
    if kind == "folder":
        return "cannot read the file: it is a folder, not a file"
    return f"cannot read the file: it is a {kind}, not a regular file"


def _unreadable(path: str, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "cannot read the file: it is a symbolic link that leads back to itself"
    if isinstance(err, FileNotFoundError):
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"cannot read the file: it is a broken symbolic link (to {target})"
        return "cannot read the file: it no longer exists (removed during the run?)"
    if isinstance(err, IsADirectoryError):
        return "cannot read the file: it is a folder, not a file"
    return f"cannot read the file: {err.strerror or err}"


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

#: Bytes of the content digest that opens a ``source_check`` (that of
#: :func:`feedlint.cache.content_digest`).
_DIGEST_SIZE = 16
_NOT_THE_SAME = "cannot read the file again: it is no longer the file that was linted"


def _identity(info: os.stat_result) -> bytes:
    """The file's device and inode numbers, packed."""
    return struct.pack("<QQ", info.st_dev % 2**64, info.st_ino % 2**64)


def _source_check(candidate: Candidate, raw: bytes) -> bytes | None:
    """A ``source_check`` for ``raw`` read from ``candidate``, or None when the file
    cannot be read again (standard input, not a regular file, gone)."""
    if candidate.stdin_bytes is not None or candidate.error is not None:
        return None
    try:
        info = os.stat(candidate.path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    from feedlint.cache import content_digest

    return content_digest(raw) + _identity(info)


def _set_blocking(fd: int) -> None:
    """Wait for a pipe's writer from here on (the open itself did not wait)."""
    with contextlib.suppress(AttributeError, OSError):  # not POSIX: nothing to do
        os.set_blocking(fd, True)


def _opens_with_fence(raw: bytes) -> bool:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.startswith(b"---")
