"""One file through parse -> schema -> rules -> diagnostics; many files into a run.

The engine is the only place that turns a rule's :class:`Finding` into a
:class:`Diagnostic`: it stamps the rule name and severity from the registry,
places the finding through the article's source map and drops what the run's
selection leaves out. Rules never see files; reporters never decide.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from feedlint.diagnostics import Diagnostic, Finding, Severity, Span
from feedlint.discovery import Candidate
from feedlint.document import Article
from feedlint.parsing import parse
from feedlint.rules import MODULES, RuleContext, RuleModule, rule_for
from feedlint.schema import ArticleSchema
from feedlint.selection import CodeSelector
from feedlint.settings import Settings


@dataclass(slots=True)
class FileResult:
    """What one file gave: its diagnostics, and facts kept for checks across files."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: A file found by walking a folder that turned out not to be an article.
    skipped: bool = False
    #: Rule module name -> what its ``collect`` kept of this file.
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RunResult:
    files: list[FileResult]

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
        self.schema = schema or ArticleSchema.load(settings.schema)
        self.selector = CodeSelector(
            settings.select + settings.extend_select, settings.ignore
        )
        self.modules: list[tuple[RuleModule, dict[str, Any]]] = []
        for module in MODULES:
            if module.check is None and module.collect is None:
                continue
            if not self.selector.any_enabled(rule.code for rule in module.rules):
                continue
            options = {name: option.default for name, option in module.options.items()}
            options.update(settings.rule_options.get(module.name, {}))
            self.modules.append((module, options))
        self.schema_enabled = self.selector.any_enabled(
            rule.code for module in MODULES if module.name == "schema" for rule in module.rules
        )

    # -- one file ---------------------------------------------------------

    def lint(self, candidate: Candidate) -> FileResult:
        """Read and lint one file; never raises."""
        if candidate.stdin_bytes is not None:
            raw = candidate.stdin_bytes
        else:
            try:
                size = os.stat(candidate.path).st_size
                if size > self.settings.max_file_size:
                    finding = Finding(
                        "FL010",
                        f"the file is {size:,} bytes, over the limit of "
                        f"{self.settings.max_file_size:,}; it was not parsed",
                        span=Span(1, 1, 1, 2),
                    )
                    return self._result(candidate.display, None, [finding])
                with open(candidate.path, "rb") as handle:
                    raw = handle.read(self.settings.max_file_size + 1)
            except OSError as err:
                reason = err.strerror or str(err)
                if isinstance(err, IsADirectoryError):
                    reason = "it is a folder, not a file"
                finding = Finding("FL013", f"cannot read the file: {reason}", span=Span(1, 1, 1, 2))
                return self._result(candidate.display, None, [finding])
        if not candidate.explicit and not candidate.bare and not _opens_with_fence(raw):
            return FileResult(candidate.display, skipped=True)
        return self.lint_bytes(candidate.display, raw, bare=candidate.bare)

    def lint_bytes(self, path: str, raw: bytes, *, bare: bool = False) -> FileResult:
        """Lint one article given its bytes (``path`` names it in diagnostics)."""
        parsed = parse(path, raw, bare=bare)
        findings = list(parsed.findings)
        article = parsed.article
        facts: dict[str, Any] = {}
        if article is not None:
            invalid: frozenset[str] = frozenset()
            if self.schema_enabled:
                try:
                    schema_findings = self.schema.check(article.data)
                except RecursionError:
                    schema_findings = [
                        Finding("FL900", "the schema check ran out of stack on this file")
                    ]
                findings.extend(schema_findings)
                invalid = frozenset(
                    f.pointer if f.target == "value" else f.pointer.rsplit("/", 1)[0]
                    for f in schema_findings
                    if f.code != "FL101"
                )
            now = self.settings.now or datetime.now(UTC)
            for module, options in self.modules:
                context = RuleContext(options=options, invalid=invalid, now=now)
                try:
                    if module.check is not None:
                        findings.extend(module.check(article, context))
                    if module.collect is not None:
                        facts[module.name] = module.collect(article, context)
                except Exception as err:  # noqa: BLE001 - a crashing check must not stop the run
                    findings.append(_internal_error(module.name, err))
        result = self._result(path, article, findings)
        result.facts = facts
        return result

    def _result(self, path: str, article: Article | None, findings: list[Finding]) -> FileResult:
        return FileResult(path, self.diagnose(path, article, findings))

    def diagnose(
        self, path: str, article: Article | None, findings: Iterable[Finding]
    ) -> list[Diagnostic]:
        """Place, stamp and filter findings."""
        out = []
        severity_overrides = self.settings.severity
        for finding in findings:
            if not self.selector.enabled(finding.code):
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
                    file=path,
                    line=span.line,
                    column=span.column,
                    end_line=span.end_line,
                    end_column=span.end_column,
                    code=finding.code,
                    rule=rule.name,
                    severity=severity,
                    message=finding.message,
                    pointer=finding.pointer,
                    fix=finding.fix,
                )
            )
        out.sort(key=Diagnostic.sort_key)
        return out

    # -- many files -------------------------------------------------------

    def run(self, candidates: Sequence[Candidate]) -> RunResult:
        files = [r for r in self.lint_all(candidates) if not r.skipped]
        self.finish(files)
        return RunResult(files)

    def lint_all(self, candidates: Sequence[Candidate]) -> Iterator[FileResult]:
        for candidate in candidates:
            yield self.lint(candidate)

    def finish(self, files: list[FileResult]) -> None:
        """Run the checks that need every file at once (duplicates across files)."""
        for module, options in self.modules:
            if module.across is None:
                continue
            by_path = {f.path: f for f in files}
            gathered = [(f.path, f.facts[module.name]) for f in files if module.name in f.facts]
            try:
                produced = list(module.across(gathered, options))
            except Exception as err:  # noqa: BLE001
                if files:
                    files[0].diagnostics.extend(
                        self.diagnose(files[0].path, None, [_internal_error(module.name, err)])
                    )
                continue
            for path, finding in produced:
                target = by_path.get(path)
                if target is not None:
                    target.diagnostics.extend(self.diagnose(path, None, [finding]))
                    target.diagnostics.sort(key=Diagnostic.sort_key)


def _internal_error(check: str, err: BaseException) -> Finding:
    where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
    return Finding(
        "FL900",
        f"the {check} check crashed on this file ({type(err).__name__}: {err}{place}); "
        "please report it with the file",
    )


def _opens_with_fence(raw: bytes) -> bool:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.startswith(b"---")
