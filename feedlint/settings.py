"""Settings: everything a run is told, from the command line or a configuration file.

:class:`Settings` is the resolved, frozen settings of a run; :data:`SETTINGS` declares
each of its fields once, and the flags, the configuration keys, ``--show-settings``
and the result cache's key are derived from it.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, NamedTuple

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
    #: A user's schema: formats not asserted ("*": none), as check-jsonschema's flag.
    disable_formats: tuple[str, ...] = ()
    #: A user's schema: how ``pattern`` reads ("ecma", "nonunicode" or "python").
    regex_variant: str = "ecma"
    #: A user's schema: the base URI its references are resolved against.
    base_uri: str | None = None
    #: Let a schema's http(s) references reach loopback and private addresses.
    schema_allow_private: bool = False
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
    #: The report's format (``--format``); None: $FEEDLINT_FORMAT, else chosen by
    #: where the report goes (see ``feedlint.cli.choose_reporter``).
    output_format: str | None = None
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
    #: With --skip-non-articles (the pre-commit hook), compare the named files'
    #: URLs with the repository's other articles too (FL520).
    committed_duplicates: bool = True


# -- the declarations: each setting once -------------------------------------------
#
# Everything a setting is besides its type and default (which the dataclass above
# holds) is declared here, once: its configuration key, its flag, how its value is
# checked, whether it can change a file's result, whether it only matters with
# --probe. The command line's flags (feedlint.cli), the configuration's keys and
# --show-settings (feedlint.config) and the result cache's key (feedlint.cache) are
# all derived from SETTINGS; tests/test_settings.py holds them to it.

#: How a value is read and checked. A configuration file gives it in TOML, a flag as
#: text; both are checked by the same kind, with the same bounds:
#:
#: - ``codes``: codes or prefixes (``["FL1", "FL203"]``; a flag: ``FL1,FL203``)
#: - ``globs``: glob patterns (``["drafts/**"]``; a flag: ``drafts/**,*.tmp.md``)
#: - ``regexes``: regular expressions (a flag holds one: a regex may hold a comma)
#: - ``networks``: CIDR networks (``["10.1.0.0/16"]``; a flag: ``10.1.0.0/16,...``)
#: - ``statuses``: HTTP status codes; ``severity``: code = level;
#:   ``per-file-ignores``: glob = codes (configuration only)
#: - ``size``: bytes, or a string such as ``"10 MiB"`` (configuration only)
#: - ``whole``: an integer of at least ``minimum``; ``number``: a number of at least
#:   ``minimum`` (or above it, with ``above``), in ``unit``
#: - ``bool``; ``text``: a string; ``schema``: the path of a JSON Schema file;
#:   ``path``: a path (a file or folder that need not exist yet)
#: - ``processes``: ``--jobs``'s number of worker processes
Kind = Literal[
    "codes", "globs", "regexes", "networks", "statuses", "severity", "per-file-ignores",
    "size", "whole", "number", "bool", "text", "schema", "path", "processes", "formats",
    "choice",
]


# Named tuples, not dataclasses: a dataclass costs start-up time to build (0.5 ms
# each here), and every run builds these.
class Check(NamedTuple):
    """How one setting's value is checked, wherever it comes from."""

    kind: Kind
    minimum: float = 0
    #: ``number``: strictly above ``minimum``.
    above: bool = False
    #: ``number``: what it counts, for a flag's message ("a number of seconds ...").
    unit: str = ""
    #: ``choice``: the values allowed.
    choices: tuple[str, ...] = ()


#: The argument group of the link probe's flags in ``feedlint check --help``.
PROBE_GROUP = "link checking"


class Flag(NamedTuple):
    """How a setting is given on the command line."""

    #: ``("--jobs", "-j")``: the first is the name messages use; a flag that has a
    #: configuration key is named as the key is (``--probe-timeout``,
    #: ``probe-timeout``), and an older spelling follows it as an alias.
    names: tuple[str, ...]
    help: str
    #: None: a switch, taking no value, that sets the setting to ``const``.
    metavar: str | None = None
    const: Any = True
    #: A list: each repetition adds to it (``--ignore FL1 --ignore FL4``).
    repeatable: bool = False
    #: Each value may hold several, comma-separated (``--ignore FL1,FL4``).
    split: bool = False
    #: Other settings the flag sets to the same value (``--no-cache``: both caches).
    also: tuple[str, ...] = ()
    #: The argument group in ``--help``: "" for the main options, or PROBE_GROUP.
    group: str = ""

    @property
    def usage(self) -> str:
        """``--allow-network CIDR``: the flag as a message tells someone to pass it."""
        return f"{self.names[0]} {self.metavar}" if self.metavar else self.names[0]


class Setting(NamedTuple):
    """One field of :class:`Settings`, declared once: everything but its type and default."""

    #: The Settings field.
    name: str
    #: One line: what it does.
    doc: str
    #: How its value is checked (None: it is neither a key nor a flag with a value).
    check: Check | None = None
    #: Its key in a configuration file (None: none).
    key: str | None = None
    flag: Flag | None = None
    #: False: it steers the run but cannot change a file's result (not in the cache key).
    changes_results: bool = True
    #: The key and flag only matter when probing; a flag without --probe is a usage error.
    probe_only: bool = False
    #: A value that is true lifts one of the probe's guards: a configuration file may
    #: keep the guard but not lift it (only the command line can); what it would do.
    lifts_guard: str | None = None
    #: A path, which a configuration file may only name inside its own folder.
    path_inside_config: bool = False
    #: The command line adds to the file's value (True) or replaces it (False).
    adds: bool = False
    #: What ``--show-settings`` says when the value is None.
    unset: str = "not set"
    #: A value a configuration file may give (as TOML would), for tests and docs.
    example: Any = None

    @property
    def default(self) -> Any:
        """The default, as the Settings dataclass declares it."""
        for spec in fields(Settings):
            if spec.name == self.name:
                if spec.default_factory is not MISSING:
                    return spec.default_factory()
                return spec.default
        raise LookupError(f"{self.name} is not a field of Settings")

    @property
    def origin_name(self) -> str:
        """The name ``--show-settings`` and Resolved.origins know it by."""
        return self.key or self.name.replace("_", "-")


_CODES = Check("codes")
_GLOBS = Check("globs")
_SECONDS = Check("number", minimum=0, above=True, unit="seconds")
_WAIT = Check("number", minimum=0)
_AT_LEAST_1 = Check("whole", minimum=1)
_AT_LEAST_0 = Check("whole", minimum=0)
_SIZE = Check("size")
_BOOL = Check("bool")
_TEXT = Check("text")
_PATH = Check("path")

#: Every setting, in the order of ``--show-settings`` and ``--help``.
SETTINGS: tuple[Setting, ...] = (
    # -- what is reported -------------------------------------------------------------
    Setting("select", "codes or prefixes to report", _CODES, key="select",
            flag=Flag(("--select",), "report only these codes or prefixes", "CODES",
                      repeatable=True, split=True),
            example=["FL1"]),
    Setting("extend_select", "more codes, on top of select", _CODES, key="extend-select",
            flag=Flag(("--extend-select",), "report these codes in addition to those "
                      "selected", "CODES", repeatable=True, split=True),
            adds=True, example=["FL103"]),
    Setting("ignore", "codes or prefixes not to report", _CODES, key="ignore",
            flag=Flag(("--ignore",), "do not report these codes or prefixes", "CODES",
                      repeatable=True, split=True),
            adds=True, example=["FL202"]),
    Setting("per_file_ignores", "codes not reported for files matching a glob",
            Check("per-file-ignores"), key="per-file-ignores",
            example={"archive/**": ["FL4"]}),
    Setting("severity", "per-code severity overrides", Check("severity"), key="severity",
            example={"FL204": "error"}),
    # -- which files ------------------------------------------------------------------
    Setting("exclude", "globs never walked into", _GLOBS, key="exclude",
            flag=Flag(("--exclude",), "skip these files and folders when walking, instead "
                      "of the configuration's exclude", "GLOBS", repeatable=True, split=True),
            changes_results=False, example=["drafts"]),
    Setting("extend_exclude", "more globs never walked into", _GLOBS, key="extend-exclude",
            flag=Flag(("--extend-exclude",), "skip these too, on top of the configuration's "
                      "extend-exclude", "GLOBS", repeatable=True, split=True),
            changes_results=False, adds=True, example=["*.tmp.md"]),
    Setting("include", "bare .yaml/.yml/.json files that are articles", _GLOBS,
            key="include", changes_results=False, example=["articles/**/*.yaml"]),
    # -- how a file is checked --------------------------------------------------------
    Setting("schema", "a JSON Schema instead of the built-in one", Check("schema"),
            key="schema", flag=Flag(("--schema",), "validate against this JSON Schema", "PATH"),
            path_inside_config=True, unset="the built-in schema",
            example="article.schema.json"),
    Setting("disable_formats", "formats a user's schema does not assert (* for all)",
            Check("formats"), key="disable-formats",
            flag=Flag(("--disable-formats",), "do not assert these formats of your schema "
                      "(* for none), such as date-time,uri", "FORMATS", repeatable=True,
                      split=True),
            example=["uri-reference"]),
    Setting("regex_variant", "how a user's schema's patterns are read",
            Check("choice", choices=("ecma", "nonunicode", "python")), key="regex-variant",
            flag=Flag(("--regex-variant",), "read your schema's patterns as ECMA-262 (ecma, "
                      "the default; nonunicode: without the u flag) or as Python's re "
                      "(python)", "VARIANT"),
            example="python"),
    Setting("base_uri", "the base URI of a user's schema's references", _TEXT,
            flag=Flag(("--base-uri",), "resolve your schema's references against this "
                      "URI instead of its $id or its own location", "URI"),
            unset="the schema's $id, else its location"),
    Setting("schema_allow_private", "let a schema's references reach private addresses",
            _BOOL, key="schema-allow-private",
            flag=Flag(("--schema-allow-private",), "let --schema and its http(s) references "
                      "be fetched from loopback and private addresses (your intranet)"),
            lifts_guard="let a schema be fetched from loopback and private addresses",
            changes_results=False, example=False),
    Setting("max_file_size", "files over this size are reported, not parsed", _SIZE,
            key="max-file-size", example="5 MiB"),
    Setting("rule_options", "the rule modules' options (their own tables)"),
    Setting("config_root", "the configuration file's folder (globs are anchored there)"),
    Setting("now", "'now' for checks about the future (None: the clock)"),
    # -- what a run does --------------------------------------------------------------
    Setting("fix", "write the certain fixes back to the files", _BOOL,
            flag=Flag(("--fix",), "apply the certain fixes to the files; report what is left")),
    Setting("diff", "compute the fixes and print their diff, write nothing", _BOOL,
            flag=Flag(("--diff",), "print the changes --fix would make as a unified diff, "
                      "write nothing; exit 1 if there are any")),
    Setting("strict", "warnings fail the run too", _BOOL,
            flag=Flag(("--strict",), "warnings fail the run too"), changes_results=False),
    Setting("output_format", "the report's format", _TEXT, key="output-format",
            flag=Flag(("--output-format", "--format"), "the report's format: full, text, "
                      "json, github, sarif, junit or html (default: $FEEDLINT_FORMAT, else "
                      "github when GITHUB_ACTIONS=true and writing to stdout, else full on "
                      "a terminal and text otherwise)", "FORMAT"),
            changes_results=False, unset="chosen by where the report goes",
            example="text"),
    # -- link probing (--probe): see feedlint.probe ------------------------------------
    Setting("probe", "check every link and image over the network", _BOOL,
            flag=Flag(("--probe",), "check every link and image over the network (FL6xx)",
                      group=PROBE_GROUP)),
    Setting("probe_allow_private", "let the probe reach loopback and private addresses",
            _BOOL, key="probe-allow-private",
            flag=Flag(("--probe-allow-private", "--allow-private"), "let --probe reach "
                      "loopback and private addresses (your intranet)", group=PROBE_GROUP),
            probe_only=True, lifts_guard="let the probe reach loopback and private addresses",
            example=False),
    Setting("probe_allow_networks", "non-public networks the probe may reach",
            Check("networks"), key="probe-allow-networks",
            flag=Flag(("--probe-allow-networks", "--allow-network"), "let --probe reach "
                      "these non-public networks, such as 10.1.0.0/16", "CIDR",
                      repeatable=True, split=True, group=PROBE_GROUP),
            probe_only=True, lifts_guard="let the probe reach non-public networks",
            example=[]),
    Setting("probe_concurrency", "requests in flight at once", _AT_LEAST_1,
            key="probe-concurrency",
            flag=Flag(("--probe-concurrency",), "requests in flight at once (default: "
                      "{default})", "N", group=PROBE_GROUP),
            probe_only=True, example=16),
    Setting("probe_per_host", "requests in flight at once to one host name", _AT_LEAST_1,
            key="probe-per-host",
            flag=Flag(("--probe-per-host",), "requests in flight at once to one host "
                      "(default: {default})", "N", group=PROBE_GROUP),
            probe_only=True, example=4),
    Setting("probe_timeout", "seconds one attempt may take, body included", _SECONDS,
            key="probe-timeout",
            flag=Flag(("--probe-timeout",), "seconds one attempt may take, body included "
                      "(default: {default})", "SECONDS", group=PROBE_GROUP),
            probe_only=True, example=5),
    Setting("probe_url_deadline", "seconds the whole check of one URL may take", _SECONDS,
            key="probe-url-deadline",
            flag=Flag(("--probe-url-deadline",), "seconds the whole check of one URL may "
                      "take: redirects, retries and waits included (default: {default})",
                      "SECONDS", group=PROBE_GROUP),
            probe_only=True, example=20),
    Setting("probe_retries", "retries after 5xx, 408, 429, timeouts and resets", _AT_LEAST_0,
            key="probe-retries",
            flag=Flag(("--probe-retries",), "retries after 5xx, 408, 429, timeouts and resets "
                      "(default: {default})", "N", group=PROBE_GROUP),
            probe_only=True, example=1),
    Setting("probe_backoff", "first retry delay in seconds, doubled each time", _WAIT,
            key="probe-backoff", probe_only=True, example=0.25),
    Setting("probe_retry_after_cap", "the longest Retry-After waited for, in seconds", _WAIT,
            key="probe-retry-after-cap", probe_only=True, example=30),
    Setting("probe_max_redirects", "redirects followed before giving up", _AT_LEAST_0,
            key="probe-max-redirects", probe_only=True, example=5),
    Setting("probe_image_bytes", "the most of an image read to find its size", _SIZE,
            key="probe-image-bytes", probe_only=True, example="128 KiB"),
    Setting("probe_user_agent", "the User-Agent header", _TEXT, key="probe-user-agent",
            probe_only=True, example="feedlint-test"),
    Setting("probe_exclude", "regular expressions of URLs not probed", Check("regexes"),
            key="probe-exclude",
            flag=Flag(("--probe-exclude",), "do not probe URLs matching this regular "
                      "expression, which is not split at commas", "REGEX",
                      repeatable=True, group=PROBE_GROUP),
            probe_only=True, example=["^https://www\\.example\\.com/"]),
    Setting("probe_accept_status", "status codes accepted as fine besides 2xx",
            Check("statuses"), key="probe-accept-status", probe_only=True, example=[403]),
    Setting("probe_cache", "reuse the probe's successful answers", _BOOL, key="probe-cache",
            probe_only=True, example=False),
    Setting("probe_cache_ttl", "seconds a successful answer is reused", _SECONDS,
            key="probe-cache-ttl", probe_only=True, example=3600),
    Setting("probe_cache_dir", "where the probe cache lives", _PATH, key="probe-cache-dir",
            probe_only=True, path_inside_config=True, example=".feedlint_cache/probe"),
    Setting("probe_ca_bundle", "CA certificates (a PEM file) for https links", _PATH,
            key="probe-ca-bundle", probe_only=True, path_inside_config=True,
            example="certs/ca.pem"),
    # -- speed and scale: see feedlint.parallel and feedlint.cache -----------------------
    Setting("jobs", "worker processes (None: the CPU count)", Check("processes"),
            flag=Flag(("--jobs", "-j"), "lint in N processes (default: the CPU count; a run "
                      "with few files to lint uses one)", "N"),
            changes_results=False),
    Setting("cache_dir", "the result cache's folder", _PATH,
            flag=Flag(("--cache-dir",), "the result cache's folder (default: "
                      "$FEEDLINT_CACHE_DIR or .feedlint_cache)", "DIR"),
            changes_results=False),
    Setting("cache", "reuse results of unchanged files", _BOOL,
            flag=Flag(("--no-cache",), "neither read nor write the caches: the result cache "
                      "of unchanged files, and --probe's cache", const=False,
                      also=("probe_cache",)),
            changes_results=False),
    Setting("committed_duplicates", "with --skip-non-articles (the pre-commit hook), "
            "compare the named files' URLs with the repository's other articles (FL520)",
            _BOOL, key="committed-duplicates",
            flag=Flag(("--no-committed-duplicates",), "with --skip-non-articles (the "
                      "pre-commit hook): compare the named files' URLs (FL520) with "
                      "theirs only, not with the repository's other articles",
                      const=False),
            changes_results=False, example=False),
)

#: By Settings field.
BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
