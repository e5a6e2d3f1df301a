"""One article's bytes -> its diagnostics (placed, nothing filtered) and facts. No I/O.

The per-file pipeline: parse (:mod:`feedlint.parsing`), check against the schema
(:mod:`feedlint.schema`), run every rule module's check and collect the facts the
checks across files need, read the file's ``noqa`` comments, and place every
finding in the file (:mod:`feedlint.placing`). It opens no file, writes nothing
and decides nothing: what is reported is the gate's to say
(:mod:`feedlint.decide`), and reading files, the cache, worker processes, fixes
and the checks across files are the runner's (:mod:`feedlint.engine`).

**Every check runs, whatever the selection.** Checks depend on each other (a
rule leaves alone a value the schema rejected), so running only the selected
ones would give a problem another code: a prose date is the schema's FL106 in a
full run, and was the dates rule's FL401 under ``--select FL4``. Running them all
and letting the gate filter keeps one owner for each problem. Only the link
probe's module runs just with ``--probe``, and only when one of its codes (or
FL801, which judges the comments that name them) is selected: its findings come
from the network.

A crash anywhere in here becomes an FL900 diagnostic on the file, and the run
goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from feedlint.diagnostics import Diagnostic
from feedlint.document import Article
from feedlint.placing import crash_diagnostic, internal_error, place
from feedlint.rules import MODULES, RuleContext, RuleModule
from feedlint.rules.noqa import FL801
from feedlint.rules.schema_shape import FL101
from feedlint.schema import ArticleSchema
from feedlint.settings import Settings

#: The code of a ``noqa`` comment that silences nothing.
_UNUSED_NOQA = FL801

if TYPE_CHECKING:
    from feedlint.parsed import ParseResult
    from feedlint.suppression import Suppressor


class Checked(NamedTuple):
    """What the pipeline found in one article, before the gate."""

    article: Article | None
    #: Every finding, placed; nothing silenced or filtered yet.
    diagnostics: list[Diagnostic]
    #: Rule module name -> what its ``collect`` kept of this file.
    facts: dict[str, Any] | None = None
    #: The file's ``noqa`` directives (None when it has none).
    suppressor: Suppressor | None = None
    #: A check that read the clock reported something: time alone may change it.
    clock_dependent: bool = False


class Pipeline:
    """The checks of one run, set up once (and once per worker)."""

    def __init__(
        self,
        settings: Settings,
        schema: ArticleSchema | None = None,
        selected: Callable[[str], bool] | None = None,
    ) -> None:
        self.settings = settings
        self.schema = schema or ArticleSchema.load(
            settings.schema,
            base_uri=settings.base_uri,
            disabled_formats=settings.disable_formats,
            regex_variant=settings.regex_variant,
        )
        self.modules: list[tuple[RuleModule, dict[str, Any]]] = []
        for module in MODULES:
            if module.check is None and module.collect is None and module.across is None:
                continue
            if module.probe_only and not (
                settings.probe and _wanted(module, selected or (lambda code: True))
            ):
                continue
            options = {name: option.default for name, option in module.options.items()}
            options.update(settings.rule_options.get(module.name, {}))
            self.modules.append((module, options))
        # What a noqa comment can be judged against. A module that only collects facts
        # (no check, no check across files: the link probe) has its codes reported
        # after the run; until then they cannot be judged, and the file's directives
        # are kept for whatever reports them.
        self.reported_later = any(
            module.check is None and module.across is None for module, _ in self.modules
        )
        active = {"file", "noqa", "schema"} | {
            module.name
            for module, _ in self.modules
            if module.check is not None or module.across is not None
        }
        self.known_codes = frozenset(rule.code for module in MODULES for rule in module.rules)
        self.checked_codes = frozenset(
            rule.code for module in MODULES if module.name in active for rule in module.rules
        )
        #: Codes the checks across files may still add after a file's own checks.
        self.pending_codes = frozenset(
            rule.code
            for module, _ in self.modules
            if module.across is not None
            for rule in module.rules
        )
        self.every_check_runs = not self.reported_later and all(
            module.name in active
            for module in MODULES
            if module.check is not None or module.across is not None
        )

    def check(self, path: str, raw: bytes, *, bare: bool = False) -> Checked:
        """Every diagnostic of one article given its bytes (``path`` names it)."""
        try:
            parsed = parse(path, raw, bare=bare)
        except Exception as err:  # noqa: BLE001 - a parser crash is this file's problem
            return Checked(None, [crash_diagnostic(path, "the parser", err)])
        findings = list(parsed.findings)
        article = parsed.article
        if article is None:
            return Checked(None, place(path, None, findings))
        facts: dict[str, Any] = {}
        clock_dependent = False
        try:
            schema_findings = self.schema.check(article.data)
        except Exception as err:  # noqa: BLE001
            schema_findings = [internal_error("the schema check", err)]
        findings.extend(schema_findings)
        invalid = frozenset(
            f.pointer if f.target == "value" else f.pointer.rsplit("/", 1)[0]
            for f in schema_findings
            if f.code != FL101
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
                findings.append(internal_error(f"the {module.name} check", err))
        # A "now" fixed in the settings is part of the cache key: nothing then moves.
        clock_dependent = clock_dependent and self.settings.now is None
        suppressor = _suppressions(article)
        placed = place(path, article, findings)
        if suppressor is not None and suppressor.invalid:
            placed += place(path, article, suppressor.invalid)
        return Checked(article, placed, facts, suppressor, clock_dependent)


def _wanted(module: RuleModule, selected: Callable[[str], bool]) -> bool:
    """Whether a run needs the network module's findings: one of its codes is
    selected, or FL801, which judges the ``noqa`` comments that name them. Fetching
    every URL of an archive for findings the gate would drop is not polite."""
    return selected(_UNUSED_NOQA) or any(selected(rule.code) for rule in module.rules)


def parse(path: str, raw: bytes, *, bare: bool = False) -> ParseResult:
    """:func:`feedlint.parsing.parse`, imported on first use: a run served by the
    result cache never loads a YAML parser."""
    from feedlint.parsing import parse as parse_article

    return parse_article(path, raw, bare=bare)


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

