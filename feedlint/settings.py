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

    # -- link probing (--probe): see feedlint.probe -----------------------
    #: Fetch every URL the articles mention (the only setting that touches the network).
    probe: bool = False
    #: Let the probe reach loopback, private, link-local and other non-public addresses.
    probe_allow_private: bool = False
    #: Non-public networks (CIDR) the probe may reach without --allow-private.
    probe_allow_networks: tuple[str, ...] = ()
    #: Requests in flight at once, over all hosts.
    probe_concurrency: int = 64
    #: Requests in flight at once to one host name.
    probe_per_host: int = 8
    #: Seconds one attempt may take, connection and body included.
    probe_timeout: float = 10.0
    #: Seconds the whole check of one URL may take: every redirect, retry and wait.
    probe_url_deadline: float = 30.0
    #: Retries after a 5xx, 408, 429, timeout or reset.
    probe_retries: int = 2
    #: First backoff delay in seconds (doubled at each retry, with jitter).
    probe_backoff: float = 0.5
    #: The longest Retry-After waited for; a longer one is reported at once.
    probe_retry_after_cap: float = 60.0
    #: Redirects followed before giving up.
    probe_max_redirects: int = 10
    #: Bytes of an image read at most to find its size.
    probe_image_bytes: int = 256 * 1024
    #: The User-Agent header; None means ``feedlint/<version> (+link check)``.
    probe_user_agent: str | None = None
    #: Regular expressions: a URL that matches one (re.search) is not probed.
    probe_exclude: tuple[str, ...] = ()
    #: Status codes accepted as fine besides 2xx (e.g. 403 for a site that blocks bots).
    probe_accept_status: tuple[int, ...] = ()
    #: Reuse probe results younger than this many seconds (failures are never kept).
    probe_cache: bool = True
    probe_cache_ttl: float = 86400.0
    #: Where the probe cache lives; None means ``.feedlint_cache/probe`` in the current folder.
    probe_cache_dir: str | None = None
    #: CA certificates (a PEM file) for https links, e.g. an intranet's own CA;
    #: None means the certifi bundle.
    probe_ca_bundle: str | None = None

    # -- speed and scale: see feedlint.parallel and feedlint.cache -------------
    #: Worker processes; None means the CPU count (small runs use one anyway).
    jobs: int | None = None
    #: Reuse results of unchanged files from the result cache.
    cache: bool = True
    #: Where the cache lives; None means $FEEDLINT_CACHE_DIR or ``.feedlint_cache``.
    cache_dir: str | None = None
