"""Settings: everything a run is told, from the command line or a configuration file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from feedlint.diagnostics import Severity

#: Files over this size are reported (FL010), not parsed.
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one run. Immutable: workers get a copy."""

    select: tuple[str, ...] = ("FL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    #: Per-code severity overrides.
    severity: dict[str, Severity] = field(default_factory=dict)
    #: A user's schema instead of the built-in one.
    schema: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: Rule module name -> option name -> value (defaults filled in by the engine).
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Glob patterns of paths never linted (when found by walking a folder).
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    #: Glob patterns of bare .yaml/.yml/.json files that are articles.
    include: tuple[str, ...] = ()
    #: (glob, codes or prefixes) pairs: those codes are not reported for matching files.
    #: A glob with a ``/`` is anchored at ``config_root``; one without matches a file's
    #: name or any of its folders' names (see :mod:`feedlint.config`).
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The folder of the configuration file (relative globs are anchored there).
    config_root: str | None = None
    #: Warnings fail the run too.
    strict: bool = False
    #: "Now" for checks about the future; None means the clock.
    now: datetime | None = None
    #: ``--fix``: write the certain fixes back to the files.
    fix: bool = False
    #: ``--diff``: compute the fixes and keep their diff, never write.
    diff: bool = False
