"""What a rule module is made of: its documented codes, its options, its context."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from feedlint.diagnostics import Finding, Severity
from feedlint.document import Article


@dataclass(frozen=True)
class Rule:
    """One code, documented the way ``feedlint rule CODE`` prints it.

    ``example`` and ``fixed`` are front matter: a whole file when they start with
    ``---``, otherwise fields laid over a valid article (the tests lint both, so
    the documentation cannot drift from what the rule does). A rule whose example
    can only be described, not written (a 6 MiB file, two files linted together,
    an option switched on), sets ``illustrative`` and writes it in parentheses.
    """

    code: str
    name: str
    summary: str
    what: str
    why: str
    example: str
    fixed: str
    severity: Severity = Severity.ERROR
    #: What ``--fix`` does for this code, if anything.
    fix: str = ""
    #: ``example``/``fixed`` describe files rather than being them: not linted by tests.
    illustrative: bool = False
    #: Where the rule's ground comes from: a citation ("RFC 3339"), a URL, or a
    #: citation followed by its URL in angle brackets ("RFC 3339 <https://...>").
    references: tuple[str, ...] = ()


def is_whole_file(snippet: str) -> bool:
    """Whether a rule's ``example`` or ``fixed`` is a whole file (it starts with
    ``---``, or is not a mapping of fields) rather than fields laid over a valid
    article. The tests that lint the docs and the docs site both read it so."""
    if snippet.startswith("---"):
        return True
    import yaml  # only for the documentation's readers, never for a lint

    try:
        node = yaml.compose(snippet, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return True
    return not (isinstance(node, yaml.MappingNode) and node.value)


@dataclass(frozen=True)
class Option:
    """A rule module's setting, configurable as ``[tool.feedlint.<module>] <name>``.

    The configuration checks a value before any file is linted: with ``validate``
    (which raises ValueError saying what is allowed), or else against the type of
    ``default``.
    """

    default: Any
    help: str
    validate: Callable[[Any], object] | None = None


@dataclass(frozen=True)
class RuleContext:
    """What a check may know besides the article."""

    options: Mapping[str, Any] = field(default_factory=dict)
    #: Pointers whose values the schema rejected: rules leave them alone.
    invalid: frozenset[str] = frozenset()
    #: The time "now" for checks about the future.
    now: datetime | None = None

    def is_valid(self, pointer: str) -> bool:
        """False when the schema rejected the value at ``pointer`` or one that holds it."""
        if not self.invalid:
            return True
        while True:
            if pointer in self.invalid:
                return False
            if not pointer:
                return True
            pointer = pointer.rsplit("/", 1)[0]


if TYPE_CHECKING:  # for type checkers only: creating Protocol classes costs start-up time

    class Check(Protocol):
        def __call__(self, article: Article, context: RuleContext) -> Iterable[Finding]: ...

    class Collect(Protocol):
        """Keep what a check across files needs of one article (picklable, small)."""

        def __call__(self, article: Article, context: RuleContext) -> Any: ...

    class Across(Protocol):
        """Findings that need every file: given (path, collected) pairs (which may be
        iterated more than once) and the module's options, yield (path, finding) with
        the finding's span already set."""

        def __call__(
            self, gathered: Iterable[tuple[str, Any]], options: Mapping[str, Any]
        ) -> Iterable[tuple[str, Finding]]: ...


@dataclass(frozen=True)
class RuleModule:
    """A family of codes and the check that finds them (``check`` is None for codes
    the parser, the schema or the engine report themselves)."""

    name: str
    rules: tuple[Rule, ...]
    check: Check | None = None
    collect: Collect | None = None
    across: Across | None = None
    #: The keys ``across`` compares one file's facts by (a URL's digest, a folder):
    #: files whose facts share none never give each other a finding. It lets a
    #: caller that keeps many files' facts (the language server) hand ``across``
    #: only those that matter to one file. None: every file may matter.
    related: Callable[[Any], Iterable[Hashable]] | None = None
    options: Mapping[str, Option] = field(default_factory=dict)
    #: Its codes come from fetching URLs: ``collect`` runs only with ``--probe``.
    probe_only: bool = False

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)
