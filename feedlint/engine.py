"""The runner: files in, a :class:`~feedlint.results.RunResult` out.

For one file, :class:`Linter` reads its bytes through the one reader
(:mod:`feedlint.reading`), tells an article from a file that is not one
(:mod:`feedlint.articles`), has the per-file pipeline find every diagnostic
(:mod:`feedlint.pipeline`: no I/O, nothing filtered) and the gate decide what is
reported (:mod:`feedlint.decide`), then applies fixes when asked
(:mod:`feedlint.fixing`). For many, it hands files to worker processes and the
result cache (:mod:`feedlint.parallel`, :mod:`feedlint.cache`), then runs the
checks across files; the link probe adds its findings with :meth:`Linter.attach`.
Every finding made after a file's own lint passes through the same gate.

Whatever goes wrong inside becomes an FL900 diagnostic on the file, and the run
goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from feedlint.articles import is_article
from feedlint.decide import Gate
from feedlint.diagnostics import Diagnostic, Finding, Span
from feedlint.discovery import Candidate
from feedlint.document import Article
from feedlint.pipeline import Pipeline
from feedlint.placing import crash_diagnostic, internal_error, place
from feedlint.reading import DIGEST_SIZE, content_digest, read_file, source_check, too_large
from feedlint.results import FileResult, RunResult
from feedlint.rules import RuleModule
from feedlint.rules.file_syntax import FL013
from feedlint.rules.internal import FL900
from feedlint.schema import ArticleSchema
from feedlint.settings import Settings

if TYPE_CHECKING:
    from feedlint.cache import ResultCache

__all__ = ["FileResult", "Linter", "RunResult"]


class Linter:
    """Lints files under one set of settings; build once per run (and per worker)."""

    def __init__(self, settings: Settings, schema: ArticleSchema | None = None) -> None:
        self.settings = settings
        #: Keep this many bytes of each file linted as its result's ``source``
        #: (None: keep none). Set when the report shows files' text.
        self.source_limit: int | None = None
        self.gate = Gate(settings)
        self.pipeline = Pipeline(settings, schema, selected=self.gate.selected)
        self.schema = self.pipeline.schema
        self.gate.judge_against(
            known=self.pipeline.known_codes,
            checked=self.pipeline.checked_codes,
            pending=self.pipeline.pending_codes,
            every_check_runs=self.pipeline.every_check_runs,
        )

    @property
    def modules(self) -> list[tuple[RuleModule, dict[str, Any]]]:
        """The rule modules that run, with their options (the pipeline's own list)."""
        return self.pipeline.modules

    # -- one file ---------------------------------------------------------

    def lint(self, candidate: Candidate) -> FileResult:
        """Read and lint one file; never raises."""
        raw = self.read(candidate)
        if isinstance(raw, FileResult):
            return raw
        return self.lint_raw(candidate, raw)

    def read(self, candidate: Candidate, *, same_file: bytes | None = None) -> bytes | FileResult:
        """The file's bytes, or the result that says why they cannot be linted
        (FL013 unreadable, FL010 too large); never raises. With ``same_file`` (see
        :meth:`read_again`), only the file of that identity is opened and read."""
        try:
            limit = self.settings.max_file_size
            if candidate.error is not None:
                finding = Finding(FL013, candidate.error, span=Span(1, 1, 1, 2))
                return self._refused(candidate.display, finding)
            if candidate.stdin_bytes is not None:
                raw = candidate.stdin_bytes
            else:
                read = read_file(candidate, limit, same_file)
                if isinstance(read, Finding):
                    return self._refused(candidate.display, read)
                raw = read
            if len(raw) > limit:
                return self._refused(candidate.display, too_large(len(raw), limit))
            return raw
        except Exception as err:  # noqa: BLE001 - one file must not stop the run
            return FileResult(
                candidate.display, [crash_diagnostic(candidate.display, "feedlint", err)]
            )

    def _refused(self, path: str, finding: Finding) -> FileResult:
        return FileResult(path, self.gate.decide(path, place(path, None, [finding])))

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
                candidate.display, [crash_diagnostic(candidate.display, "feedlint", err)]
            )

    def lint_bytes(self, path: str, raw: bytes, *, bare: bool = False) -> FileResult:
        """Lint one article given its bytes (``path`` names it in diagnostics)."""
        return self.lint_article(path, raw, bare=bare)[1]

    def lint_article(
        self, path: str, raw: bytes, *, bare: bool = False
    ) -> tuple[Article | None, FileResult]:
        """Lint one article given its bytes: the pipeline, then the gate. Also return
        the parsed article (for fixing)."""
        checked = self.pipeline.check(path, raw, bare=bare)
        suppressor = checked.suppressor
        diagnostics = self.gate.decide(path, checked.diagnostics, suppressor)
        if suppressor is not None and not any(d.code == FL900 for d in checked.diagnostics):
            unused = self.gate.unused(suppressor, final=False)
            if unused:
                diagnostics += self.gate.decide(path, place(path, checked.article, unused))
                diagnostics.sort(key=Diagnostic.sort_key)
        if checked.article is not None and any(d.fix is not None for d in diagnostics):
            # What --fix would write for each fix, worked out by the fixer itself:
            # the reports show it (json, sarif, html, full) and mark what is fixable.
            from feedlint.fixing import with_fix_edits

            diagnostics = with_fix_edits(checked.article, diagnostics)
        result = FileResult(path, diagnostics, facts=checked.facts or {})
        result.clock_dependent = checked.clock_dependent
        if suppressor is not None and (
            self.pipeline.pending_codes or self.pipeline.reported_later
        ):
            result.suppressor = suppressor
        return checked.article, result

    # -- what a report that shows files' text keeps -------------------------

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
            check = source_check(candidate, raw)
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
        digest, identity = check[:DIGEST_SIZE], check[DIGEST_SIZE:]
        if len(digest) != DIGEST_SIZE or not identity:
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
                if not wanted:
                    break
        return found

    # -- many files -------------------------------------------------------

    def run(
        self,
        candidates: Sequence[Candidate],
        *,
        jobs: int = 1,
        cache: ResultCache | None = None,
        context: Sequence[Candidate] = (),
    ) -> RunResult:
        """Lint every candidate (in ``jobs`` processes, through ``cache``), then the
        checks across files. Results come in the candidates' order whatever ``jobs``.

        ``context`` are other files the checks across files compare the candidates
        with (the pre-commit hook's: the repository's other articles), linted
        through the cache like the candidates; their own results are not in the
        run's result, and nothing is reported on them."""
        from feedlint.parallel import lint_many

        results = list(lint_many(self, [*candidates, *context], jobs=jobs, cache=cache))
        files = [r for r in results[: len(candidates)] if not r.skipped]
        others = [r for r in results[len(candidates) :] if not r.skipped]
        del results
        self.finish(files, others)
        if self.source_limit is None:
            return RunResult(files)
        return RunResult(files, rereader=functools.partial(self.sources_again, candidates))

    def lint_all(self, candidates: Sequence[Candidate]) -> Iterator[FileResult]:
        for candidate in candidates:
            yield self.lint(candidate)

    def finish(self, files: list[FileResult], others: Sequence[FileResult] = ()) -> None:
        """Run the checks that need every file at once (duplicates across files), then
        judge the ``noqa`` comments whose codes only those checks report. ``others``
        are compared with ``files`` but get no findings of their own."""
        for module, options in self.modules:
            if module.across is None:
                continue
            try:
                gathered = _Gathered([*files, *others] if others else files, module.name)
                produced = list(module.across(gathered, options))
            except Exception as err:  # noqa: BLE001
                if files:
                    crash = internal_error(f"the {module.name} check", err)
                    self._add_late({files[0].path: files[0]}, [(files[0].path, crash)])
                continue
            if produced:
                wanted = {path for path, _ in produced}
                self._add_late({f.path: f for f in files if f.path in wanted}, produced)
        for result in files:
            suppressor = result.suppressor
            if not self.pipeline.reported_later:
                result.suppressor = None
            if suppressor is None or any(d.code == FL900 for d in result.diagnostics):
                continue
            unused = self.gate.unused(suppressor, final=True)
            if unused:
                result.diagnostics.extend(
                    self.gate.decide(result.path, place(result.path, None, unused))
                )
                result.diagnostics.sort(key=Diagnostic.sort_key)

    def attach(self, files: list[FileResult], produced: Iterable[tuple[str, Finding]]) -> None:
        """Add findings made after the run (by the link probe) to their files, through
        the gate and the files' ``noqa`` directives; each finding's span is set."""
        self._add_late({f.path: f for f in files}, produced)
        for file in files:
            file.suppressor = None

    def _add_late(
        self, by_path: dict[str, FileResult], produced: Iterable[tuple[str, Finding]]
    ) -> None:
        """Findings made after a file was linted (their spans are set), through the
        gate with the file's ``noqa`` directives, keeping each file sorted."""
        touched = set()
        for path, finding in produced:
            target = by_path.get(path)
            if target is None:
                continue
            target.diagnostics.extend(
                self.gate.decide(path, place(path, None, [finding]), target.suppressor)
            )
            touched.add(path)
        for path in touched:
            by_path[path].diagnostics.sort(key=Diagnostic.sort_key)


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
