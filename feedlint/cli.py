"""The command line: ``feedlint check | rule | rules | schema``.

Exit codes: 0 no errors (warnings alone pass unless ``--strict``), 1 errors
found, 2 a usage error, an unusable schema or feedlint's own failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from feedlint import __version__
from feedlint.diagnostics import Severity, printable
from feedlint.settings import PROBE_GROUP

if TYPE_CHECKING:
    from feedlint.config import Resolved
    from feedlint.discovery import Candidate
    from feedlint.engine import RunResult
    from feedlint.reporters import Reporter
    from feedlint.settings import Check, Settings

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A mistake on the command line or in the configuration: exit 2."""


def _codes(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def _patterns(value: str) -> list[str]:
    from feedlint.globs import check_glob

    patterns = [part.strip() for part in value.split(",") if part.strip()]
    for pattern in patterns:
        problem = check_glob(pattern)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem)
    return patterns


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return jobs


def _shard(value: str) -> tuple[int, int]:
    index, _, count = value.partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a shard K/N with 1 <= K <= N (for example 2/4)"
        )
    return k, n


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized as shutil.get_terminal_size() would size it.

    argparse builds a formatter for every add_argument() and asks shutil for the
    terminal's width each time; importing shutil (with bz2, lzma and zlib) costs
    more start-up than a one-file check.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


#: How every error line on stderr starts, argparse's usage errors included.
ERROR_PREFIX = "feedlint: error: "


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors quote what was given escaped: a file name
    that pre-commit passes may look like an option and hold control characters. The
    error line starts as every other does (``feedlint: error:``, not argparse's
    ``feedlint check: error:``), below the usage of the command."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{ERROR_PREFIX}{printable(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        formatter_class=_HelpFormatter,
        prog="feedlint",
        description="Lint news article files: YAML front matter checked against a JSON "
        "Schema and content rules, every problem at its exact line.",
    )
    parser.add_argument("--version", action="version", version=f"feedlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="lint article files (the default command)",
                                formatter_class=_HelpFormatter)
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - for stdin")
    check.add_argument("--output-file", "-o", metavar="PATH",
                       help="write the report to PATH (atomically) instead of stdout")
    check.add_argument("--statistics", action="store_true",
                       help="print how many diagnostics of each code, instead of each one")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when errors are found (2 still means feedlint failed)")
    check.add_argument("--skip-non-articles", action="store_true",
                       help="choose among named files as among files found in a folder: skip "
                       "Markdown/text without front matter, bare YAML/JSON outside `include`, "
                       "hidden folders and excluded paths (for pre-commit)")
    # The flags of settings (feedlint.settings.SETTINGS): --select, --ignore, --exclude,
    # --schema, --fix, --diff, --strict, --jobs, --cache-dir, --no-cache (both caches:
    # the result cache and --probe's); --probe's own are below.
    _add_setting_arguments(check, "")
    check.add_argument("--config", metavar="PATH",
                       help="use this configuration file (pyproject.toml or feedlint.toml) "
                       "instead of the closest one above the first path")
    check.add_argument("--isolated", action="store_true",
                       help="ignore every configuration file")
    check.add_argument("--show-settings", action="store_true",
                       help="print the resolved settings and where each came from, and stop")
    check.add_argument("--stdin-filename", metavar="NAME",
                       help="the name of the file read from stdin (-), used in the output")
    check.add_argument("--show-files", action="store_true",
                       help="list the files that would be linted, and stop")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the text output (auto: on a terminal, unless NO_COLOR)")
    check.add_argument("--quiet", "-q", action="store_true",
                       help="only the report: no summary line, no note about --output-file")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="show the traceback of feedlint's own failures")
    # CI shards (--jobs, --cache-dir and --no-cache are settings, above).
    check.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                       help="lint only part K of N of the files, split by a hash of each "
                       "path (one part per CI job; `feedlint merge` joins their JSON reports)")
    _add_probe_arguments(check)

    merge = commands.add_parser(
        "merge", help="merge the JSON reports of --shard runs into one report",
        formatter_class=_HelpFormatter,
    )
    merge.add_argument("reports", nargs="+", metavar="REPORT",
                       help="files written by `feedlint check --format json`")
    merge.add_argument("--format", choices=("json", "text"), default="json",
                       help="output format (default: json)")
    merge.add_argument("--strict", action="store_true", help="warnings fail too")

    rule = commands.add_parser("rule", help="explain one code (or rule name): what, why, "
                               "example, fix",
                               formatter_class=_HelpFormatter)
    rule.add_argument("code", metavar="CODE_OR_NAME",
                      help="a code (FL207) or a rule's name (amp-cache-url-mismatch)")
    commands.add_parser("rules", help="list every code", formatter_class=_HelpFormatter)
    commands.add_parser("schema", help="print the built-in article schema",
                        formatter_class=_HelpFormatter)
    commands.add_parser("server", help="run the language server (LSP over stdin and stdout) "
                        "for editors", formatter_class=_HelpFormatter)
    return parser


def _add_probe_arguments(check: argparse.ArgumentParser) -> None:
    probe = check.add_argument_group(
        PROBE_GROUP, "fetch every URL the articles mention and report what is broken"
    )
    _add_setting_arguments(probe, PROBE_GROUP)


def _add_setting_arguments(parser: argparse._ActionsContainer, group: str) -> None:
    """The flags of the settings declared in ``group`` (feedlint.settings.SETTINGS):
    each sets its Settings field (the ``dest``), None when not given."""
    from feedlint.settings import SETTINGS

    for setting in SETTINGS:
        flag = setting.flag
        if flag is None or flag.group != group:
            continue
        text = flag.help.format(default=_shown_default(setting.default))
        if flag.metavar is None:
            parser.add_argument(*flag.names, dest=setting.name, action="store_const",
                                const=flag.const, default=None, help=text)
            continue
        assert setting.check is not None
        parse = _flag_parser(setting.check)
        if flag.repeatable:
            suffix = "comma-separated, repeatable" if flag.split else "repeatable"
            parser.add_argument(*flag.names, dest=setting.name, action=_AddUp, type=parse,
                                default=None, metavar=flag.metavar, help=f"{text} ({suffix})")
        else:
            parser.add_argument(*flag.names, dest=setting.name, type=parse, default=None,
                                metavar=flag.metavar, help=text)


class _AddUp(argparse.Action):
    """A list flag: each repetition adds its values (``--ignore FL1 --ignore FL4``)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        assert isinstance(values, list)
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), *values])


def _shown_default(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _flag_parser(check: Check) -> Any:
    """How a flag's text becomes the value of a setting checked by ``check``, with the
    bounds its configuration key has (feedlint.config._READERS). A list's flag gives
    a list, split at commas (codes, globs, networks) or not (a regex may hold one)."""
    kind = check.kind
    if kind == "codes":
        return _codes
    if kind == "globs":
        return _patterns
    if kind == "networks":
        return _networks
    if kind == "regexes":
        return lambda value: [value]
    if kind == "whole":
        return lambda value: _whole_number(value, minimum=int(check.minimum))
    if kind == "number":
        return lambda value: _number(value, check)
    if kind == "processes":
        return _jobs
    if kind in ("text", "path", "schema"):
        return str
    if kind == "formats":
        return _format_names
    if kind == "choice":
        return lambda value: _choice(value, check.choices)
    raise AssertionError(f"no flag reads a value of the kind {kind!r}")


def _format_names(value: str) -> list[str]:
    from feedlint.jsonformats import format_names_problem

    names = [part.strip() for part in value.split(",") if part.strip()]
    problem = format_names_problem(names)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return names


def _choice(value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise argparse.ArgumentTypeError(
            f"expected one of {', '.join(choices)}, got {value!r}"
        )
    return value


def _number(value: str, check: Check) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    low = check.minimum
    if not (number > low if check.above else number >= low) or number == float("inf"):
        bound = f"above {low:g}" if check.above else f"at least {low:g}"
        unit = f" of {check.unit}" if check.unit else ""
        raise argparse.ArgumentTypeError(f"expected a number{unit} {bound}, got {value!r}")
    return number


def _networks(value: str) -> list[str]:
    import ipaddress

    networks = [part.strip() for part in value.split(",") if part.strip()]
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as err:
            raise argparse.ArgumentTypeError(
                f"expected a network such as 10.1.0.0/16, got {network!r}: {err}"
            ) from None
    return networks


def _whole_number(value: str, *, minimum: int) -> int:
    if not value.isdigit() or int(value) < minimum:
        bound = f" of at least {minimum}" if minimum else ""
        raise argparse.ArgumentTypeError(f"expected a whole number{bound}, got {value!r}")
    return int(value)


def _setting_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the flags give, by Settings field (lists as tuples); a flag that
    only makes sense with --probe, without --probe, is a usage error (the
    configuration file's probe keys only apply when probing)."""
    from feedlint.settings import BY_NAME, SETTINGS

    given: dict[str, Any] = {}
    for setting in SETTINGS:
        value = getattr(args, setting.name, None)
        if setting.flag is None or value is None:
            continue
        given[setting.name] = tuple(value) if isinstance(value, list) else value
        for other in setting.flag.also:
            given[other] = given[setting.name]
    if not given.get("probe"):
        misused = [
            flag.names[0]
            for name in given
            if BY_NAME[name].probe_only and (flag := BY_NAME[name].flag) is not None
        ]
        if misused:
            raise UsageError(f"{', '.join(misused)} only makes sense with --probe")
    if given.get("diff"):
        given.pop("fix", None)  # --diff --fix writes nothing
    return given


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = next(
        a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    if not args_list or args_list[0] not in (*commands, "-h", "--help", "--version"):
        # `feedlint seeds/` and `feedlint --format json .` mean `feedlint check ...`.
        args_list.insert(0, "check")
    args = parser.parse_args(args_list)
    verbose = getattr(args, "verbose", False)
    try:
        if args.command == "rule":
            return _explain_rule(args.code, sys.stdout)
        if args.command == "rules":
            return _list_rules(sys.stdout)
        if args.command == "merge":
            return _merge(args)
        if args.command == "server":
            from feedlint.server import serve

            return serve()
        if args.command == "schema":
            from feedlint.schema import builtin_schema_text

            sys.stdout.write(builtin_schema_text())
            return EXIT_OK
        return _check(args)
    except UsageError as err:
        # Config keys and values, schema text and paths come from files nobody checked:
        # escaped like every message, so one error is one line and a terminal acts on
        # nothing in it.
        print(f"{ERROR_PREFIX}{printable(str(err))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("feedlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`feedlint check | head`): nothing left to say.
        sys.stderr.close()
        return EXIT_FAILED
    except Exception as err:  # noqa: BLE001 - one clear line, not a traceback
        if verbose:
            import traceback

            for line in traceback.format_exc().splitlines():
                print(printable(line), file=sys.stderr)
        print(f"feedlint: internal error: {type(err).__name__}: {printable(str(err))}",
              file=sys.stderr)
        if not verbose:
            print("feedlint: run again with --verbose for the traceback", file=sys.stderr)
        return EXIT_ERROR


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _check(args: argparse.Namespace) -> int:
    from feedlint.discovery import DiscoveryError, discover, read_stdin_candidate
    from feedlint.engine import Linter
    from feedlint.reporters import ReportOptions
    from feedlint.rules import RULES
    from feedlint.schema import SchemaError
    from feedlint.wiring import load_schema, open_cache

    for given in (args.select or []) + (args.ignore or []) + (args.extend_select or []):
        if not any(code.startswith(given) for code in RULES):
            raise UsageError(f"unknown code or prefix {given!r}; `feedlint rules` lists them")
    paths = args.paths or ["."]
    resolved = _resolve_settings(args, paths)
    settings = resolved.settings
    if settings.probe:
        from feedlint.probe import ProbeSettingsError, check_settings

        try:
            check_settings(settings)
        except ProbeSettingsError as err:
            raise UsageError(str(err)) from err
    if args.show_settings:
        from feedlint.config import render

        sys.stdout.write("\n".join(printable(line) for line in render(resolved).split("\n")))
        return EXIT_OK
    try:
        candidates = []
        if "-" in paths:
            # At most one byte over the size limit: enough to know it is too large.
            data = sys.stdin.buffer.read(settings.max_file_size + 1)
            candidates.append(read_stdin_candidate(data, args.stdin_filename))
        candidates += discover(
            [p for p in paths if p != "-"],
            exclude=settings.exclude + settings.extend_exclude,
            include=settings.include,
            named_as_found=args.skip_non_articles,
            root=settings.config_root,
        )
    except DiscoveryError as err:
        raise UsageError(str(err)) from err
    if args.shard is not None:
        from feedlint.discovery import shard

        candidates = shard(candidates, *args.shard)
    if args.show_files:
        # Exactly what check lints: each file read as check reads it, and chosen by
        # the same decision (feedlint.articles.is_article).
        from feedlint.articles import would_lint

        try:
            reader = Linter(settings, load_schema(resolved, _note))
        except SchemaError as err:
            raise UsageError(str(err)) from err
        for candidate in candidates:
            if would_lint(reader, candidate):
                print(candidate.display)
        return EXIT_OK
    reporter_class = choose_reporter(
        args, os.environ, settings.output_format, terminal=sys.stdout.isatty()
    )
    try:
        linter = Linter(settings, load_schema(resolved, _note))
        linter.schema.ensure_usable()
    except SchemaError as err:
        raise UsageError(str(err)) from err
    # A report that shows files' text (html) shows what the lint read, kept with each
    # result; it never opens a file again. Other formats keep nothing.
    linter.source_limit = reporter_class.source_limit
    cache = open_cache(settings, linter, candidates, _warn)
    started = time.perf_counter()
    context = (
        _repository_articles(settings, candidates)
        if args.skip_non_articles and settings.committed_duplicates and args.shard is None
        else []
    )
    result = linter.run(candidates, jobs=_resolve_jobs(settings), cache=cache, context=context)
    if cache is not None and cache.disabled:
        _warn(cache.disabled)
    if cache is not None and cache.rejected:
        _note(
            f"ignored {cache.rejected} result cache "
            f"{'entry' if cache.rejected == 1 else 'entries'} in {printable(cache.root)} "
            "that this user's runs did not write (or that are damaged); those files were "
            "linted anew"
        )
    _warn_without_libyaml()
    if settings.probe:
        from feedlint.probe import probe_result

        probe_result(linter, result, progress=sys.stderr.isatty())
    elapsed = time.perf_counter() - started
    if settings.diff or settings.fix:
        fixed = _report_fixes(result, would=settings.diff, quiet=args.quiet)
        if settings.diff:
            if result.internal_errors:
                return EXIT_ERROR
            return EXIT_FAILED if fixed and not args.exit_zero else EXIT_OK

    to_stdout = args.output_file is None
    options = ReportOptions(
        color=to_stdout and _use_color(args.color, sys.stdout),
        quiet=args.quiet,
        strict=settings.strict,
        elapsed=elapsed,
        sources={c.display: c.stdin_bytes for c in candidates if c.stdin_bytes is not None},
    )
    write_report(reporter_class(options), result, args.output_file)

    if result.internal_errors:
        return EXIT_ERROR
    failed = result.count(Severity.ERROR) or (settings.strict and result.count(Severity.WARNING))
    if failed and not args.exit_zero:
        return EXIT_FAILED
    return EXIT_OK


def choose_reporter(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    configured: str | None = None,
    *,
    terminal: bool = False,
) -> type[Reporter]:
    """The reporter for this run: ``--format``, else ``FEEDLINT_FORMAT``, else the
    configuration's ``output-format`` (``configured``), else ``github`` under GitHub
    Actions (when the report goes to stdout), else ``full`` on a ``terminal`` (the
    report goes to stdout) and ``text`` anywhere else (a pipe, a file, a CI log).
    ``--statistics`` takes text or json; asked for another format, it is a usage error,
    and a default that is neither gives way to text."""
    from feedlint.reporters import REPORTERS

    if args.statistics:
        from feedlint.reporters.statistics import STATISTICS_FORMATS, STATISTICS_REPORTERS
    name = getattr(args, "output_format", None)
    where = "--format"
    if name is None:
        name, where = environ.get("FEEDLINT_FORMAT") or None, "from FEEDLINT_FORMAT"
        if name is None:
            name, where = configured, "from the configuration's output-format"
        if name is not None and name not in REPORTERS:
            raise UsageError(
                f"unknown format {name!r} ({where}); choose from {', '.join(sorted(REPORTERS))}"
            )
        if name is None and not args.output_file:
            if environ.get("GITHUB_ACTIONS") == "true":
                name = "github"
            elif terminal:
                name = "full"
        if args.statistics and name not in STATISTICS_FORMATS:
            name = "text"
    elif name not in REPORTERS:
        raise UsageError(
            f"unknown format {name!r} (--format); choose from {', '.join(sorted(REPORTERS))}"
        )
    elif args.statistics and name not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics is printed as text or json, not {name}")
    name = name or "text"
    if args.statistics:
        return STATISTICS_REPORTERS[name]
    return REPORTERS[name]


def write_report(reporter: Reporter, result: RunResult, output_file: str | None) -> None:
    """The report to stdout, or to ``output_file`` with a one-line note on stderr."""
    if output_file is None:
        _prepare_stdout(reporter)
        reporter.write(result, sys.stdout)
        sys.stdout.flush()
        return
    from feedlint.reporters.output import atomic_output
    from feedlint.reporters.text import summary_line

    try:
        with atomic_output(output_file) as handle:
            reporter.write(result, handle)
    except OSError as err:
        reason = err.strerror or str(err)
        raise UsageError(f"cannot write the report to {output_file}: {reason}") from err
    if not reporter.options.quiet:
        print(f"feedlint: {summary_line(result)}; report written to {printable(output_file)}",
              file=sys.stderr)


def _resolve_settings(args: argparse.Namespace, paths: Sequence[str]) -> Resolved:
    """Find and read the configuration, and lay the command line over it."""
    from feedlint.config import CommandLine, ConfigError, find_for_paths, load, resolve

    if args.isolated and args.config:
        raise UsageError("--config and --isolated contradict each other; choose one")
    if args.fix and "-" in paths:
        raise UsageError("--fix cannot write back to standard input; use --diff to see the fixes")
    command_line = CommandLine(_setting_flags(args))
    try:
        if args.isolated:
            config = None
        elif args.config:
            config = load(args.config)
        else:
            config, notes = find_for_paths(paths, args.stdin_filename)
            for note in notes:
                print(f"feedlint: note: {printable(note)}", file=sys.stderr)
        return resolve(command_line, config)
    except ConfigError as err:
        raise UsageError(str(err)) from err


def _report_fixes(result: RunResult, *, would: bool, quiet: bool) -> int:
    """Print the diffs (``--diff``) and what fixing did; return how many fixes applied."""
    from feedlint.reporters.text import plural

    applied = files = 0
    for file in result.files:
        report = file.fixing
        if report is None:
            continue
        if report.diff:
            sys.stdout.write(report.diff)
        if report.error:
            print(f"feedlint: {file.path}: {printable(report.error)}", file=sys.stderr)
        for reason in report.refused:
            print(f"feedlint: {file.path}: fix not applied: {printable(reason)}",
                  file=sys.stderr)
        if report.applied:
            applied += report.applied
            files += 1
    sys.stdout.flush()
    if applied and not quiet:
        verb = "would fix" if would else "fixed"
        print(f"feedlint: {verb} {plural(applied, 'problem')} in {plural(files, 'file')}",
              file=sys.stderr)
    return applied


def _prepare_stdout(reporter: Reporter) -> None:
    """Machine formats are UTF-8 whatever the locale (JSON must be); text for people
    follows the locale, and a character it cannot encode is written as an escape,
    not a crash."""
    from feedlint.reporters.text import TextReporter

    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is None or reporter.adapts_to_encoding:
        return
    for_people = isinstance(reporter, TextReporter)
    if not for_people and "feedlint.reporters.statistics" in sys.modules:
        # Only a --statistics run has imported it (an import saved on every other run).
        from feedlint.reporters.statistics import TextStatisticsReporter

        for_people = isinstance(reporter, TextStatisticsReporter)
    try:
        if for_people:
            reconfigure(errors="backslashreplace")
        else:
            reconfigure(encoding="utf-8", errors="strict")
    except (ValueError, OSError):  # already written to, or not reconfigurable
        pass


def _warn(message: str) -> None:
    print(f"feedlint: warning: {printable(message)}", file=sys.stderr)


def _note(message: str) -> None:
    print(f"feedlint: note: {message}", file=sys.stderr)


def _warn_without_libyaml() -> None:
    composing = sys.modules.get("feedlint.composing")  # None: libyaml was never needed
    if composing is not None and not composing.HAVE_LIBYAML:
        _warn(
            "PyYAML has no libyaml (its C parser), so parsing is 5-10 times slower; "
            "install a PyYAML wheel built with libyaml"
        )


def _repository_articles(settings: Settings, named: Sequence[Candidate]) -> list[Candidate]:
    """The pre-commit hook's other articles: what ``feedlint check .`` walks from the
    configuration's folder, else from the repository's top folder (the one holding
    ``.git`` above the current folder), less the files named. Their facts let FL520
    see a staged copy of a committed article; nothing is reported on them."""
    from feedlint.discovery import DiscoveryError, discover

    root = settings.config_root or _repository_root(os.getcwd())
    if root is None or not any(c.stdin_bytes is None for c in named):
        return []
    relative = os.path.relpath(root)
    start = root if relative.startswith("..") else relative
    named_files = {os.path.realpath(c.path) for c in named if c.stdin_bytes is None}
    try:
        found = discover(
            [start],
            exclude=settings.exclude + settings.extend_exclude,
            include=settings.include,
            root=settings.config_root,
        )
    except DiscoveryError:
        return []
    return [
        c for c in found if c.error is None and os.path.realpath(c.path) not in named_files
    ]


def _repository_root(folder: str) -> str | None:
    current = os.path.abspath(folder)
    while not os.path.exists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return current


def _resolve_jobs(settings: Settings) -> int:
    from feedlint.parallel import default_jobs

    return settings.jobs or default_jobs()


def _merge(args: argparse.Namespace) -> int:
    import json

    from feedlint.merge import ReportError, merge_reports, read_report

    try:
        merged = merge_reports([read_report(path) for path in args.reports])
    except ReportError as err:
        raise UsageError(str(err)) from err
    severities = [d["severity"] for d in merged["diagnostics"]]
    if args.format == "json":
        from feedlint.diagnostics import command_safe_json

        sys.stdout.write(command_safe_json(json.dumps(merged, ensure_ascii=False, indent=2)))
        sys.stdout.write("\n")
    else:
        from feedlint.diagnostics import MAX_MESSAGE, printable_path
        from feedlint.reporters.text import plural

        # The reports come from other jobs: shown as `check --format text` shows its own.
        for d in merged["diagnostics"]:
            where = f"{printable_path(str(d['file']))}:{int(d['line'])}:{int(d['column'])}:"
            message = printable(str(d["message"]), MAX_MESSAGE)
            severity = "warning" if d["severity"] == "warning" else "error"
            mark = " [*]" if d.get("fix") else ""
            sys.stdout.write(
                f"{where} {severity} {printable(str(d['code']))}{mark} {message}\n"
            )
        sys.stdout.write(
            f"{plural(severities.count('error'), 'error')}, "
            f"{plural(severities.count('warning'), 'warning')} "
            f"in {plural(merged['files_checked'], 'file')}\n"
        )
    sys.stdout.flush()
    if any(d["code"].startswith("FL9") for d in merged["diagnostics"]):
        return EXIT_ERROR
    if "error" in severities or (args.strict and "warning" in severities):
        return EXIT_FAILED
    return EXIT_OK


def _explain_rule(code: str, out: TextIO) -> int:
    """``feedlint rule CODE`` or ``feedlint rule NAME`` (``amp-cache-url-mismatch``)."""
    from feedlint.rules import RULES

    given = code.strip()
    rule = RULES.get(given.upper())
    if rule is None:
        by_name = {known.name: known for known in RULES.values()}
        rule = by_name.get(given.lower().replace("_", "-"))
    if rule is None:
        import difflib  # only for a mistake

        choices = [*RULES, *(known.name for known in RULES.values())]
        close = difflib.get_close_matches(
            given.upper() if given[:2].upper() == "FL" else given.lower(), choices, n=1
        )
        hint = ""
        if close:
            match = RULES.get(close[0]) or next(r for r in RULES.values() if r.name == close[0])
            hint = f" (did you mean {match.code} {match.name}?)"
        raise UsageError(
            f"unknown code or rule name {code!r}{hint}; `feedlint rules` lists them"
        )
    out.write(render_rule(rule))
    return EXIT_OK


def render_rule(rule: object) -> str:
    """A rule's documentation as ``feedlint rule CODE`` prints it."""
    import textwrap

    from feedlint.rules import Rule

    assert isinstance(rule, Rule)

    def block(title: str, body: str, code: bool = False) -> str:
        if code:
            text = textwrap.indent(body.rstrip("\n") or "(empty file)", "    ")
        else:
            text = textwrap.fill(body, 78, initial_indent="  ", subsequent_indent="  ")
        return f"{title}\n{text}\n\n"

    out = f"{rule.code} {rule.name} ({rule.severity})\n\n{rule.summary}\n\n"
    out += block("What it does", rule.what)
    out += block("Why is this bad?", rule.why)
    out += block("Example", rule.example, code=True)
    out += block("Use instead", rule.fixed, code=True)
    if rule.fix:
        out += block("Fix (--fix)", rule.fix)
    if rule.references:
        out += "References\n" + "".join(f"  - {ref}\n" for ref in rule.references) + "\n"
    return out


def _list_rules(out: TextIO) -> int:
    from feedlint.rules import RULES, family

    current = None
    for code, rule in RULES.items():
        if family(code) != current:
            out.write(f"{'' if current is None else chr(10)}# {family(code)}\n")
            current = family(code)
        level = "E" if rule.severity == Severity.ERROR else "W"
        fixable = "[*]" if rule.fix else "   "
        out.write(f"{code}  {level}  {fixable} {rule.name:<28} {rule.summary}\n")
    out.write("\n[*]: feedlint check --fix fixes it (when it is certain)\n")
    return EXIT_OK
