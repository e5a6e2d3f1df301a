"""Configuration files -> the run's :class:`~feedlint.settings.Settings`.

Where the configuration comes from:

- ``[tool.feedlint]`` in a ``pyproject.toml``, or the top level of a
  ``feedlint.toml``. The closest one in the folder of the linted path or above it
  wins; in one folder ``feedlint.toml`` wins over ``pyproject.toml``, and a
  ``pyproject.toml`` without a ``[tool.feedlint]`` table is passed over.
- With several paths on the command line, one configuration applies to the whole
  run: the one found from the first path (a file's folder, or the folder itself;
  standard input counts as ``--stdin-filename``'s folder, or the current one). When
  another path would have found a different file, a note on standard error says so.
- ``--config PATH`` names the file (any name: ``pyproject.toml`` is read for its
  ``[tool.feedlint]`` table, anything else for its top level); ``--isolated``
  ignores every configuration file.

The command line overrides the file: ``--select`` replaces ``select`` and
``extend-select``; ``--extend-select`` and ``--ignore`` add to the file's lists.
Then, as within one list, the most specific entry decides each code; on a tie
between the file and the command line, the command line wins (a file's
``ignore = ["FL203"]`` holds under ``--select FL2``, but not under ``--select
FL203``). ``--exclude`` replaces ``exclude``, ``--extend-exclude`` adds to
``extend-exclude``; ``--schema`` replaces ``schema``.

Everything is checked before a file is linted: an unknown key, a value of the
wrong type or an unknown code is a :class:`ConfigError` (exit 2) that names the
file, the key and what is allowed. Rule modules' options (``[tool.feedlint.dates]``)
are checked against the ``Option`` declarations of :data:`feedlint.rules.MODULES`:
a value must have the type of the option's default.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedlint.diagnostics import Severity
from feedlint.rules import MODULES, RULES, Option, RuleModule
from feedlint.settings import BY_NAME, SETTINGS, Check, Setting, Settings

#: Looked for in each folder, in this order.
CONFIG_NAMES = ("feedlint.toml", "pyproject.toml")

DEFAULT = "default"
COMMAND_LINE = "command line"

_SIZE = re.compile(r"\s*(\d+)\s*([KMG]i?B|B)?\s*\Z", re.IGNORECASE)
_SIZE_UNITS = {
    "": 1, "B": 1,
    "KB": 1000, "MB": 1000**2, "GB": 1000**3,
    "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3,
}  # fmt: skip


class ConfigError(Exception):
    """A configuration file that cannot be used (a usage error: exit 2)."""


@dataclass(frozen=True)
class ConfigFile:
    """One configuration file and its feedlint table."""

    path: str
    table: Mapping[str, Any]

    @property
    def root(self) -> str:
        return os.path.dirname(self.path)

    @property
    def is_pyproject(self) -> bool:
        return os.path.basename(self.path) == "pyproject.toml"

    def where(self, key: str = "", table: str = "") -> str:
        """How a message names a key: ``path: [tool.feedlint.dates] key``."""
        name = "tool.feedlint" if self.is_pyproject else ""
        if table:
            name = f"{name}.{table}" if name else table
        place = f"[{name}] " if name else ""
        return f"{self.path}: {place}{key}".rstrip()


@dataclass(frozen=True)
class CommandLine:
    """What the command line says about settings: the flags given, as Settings fields
    (``{"probe_timeout": 5.0, "ignore": ("FL1",)}``); a setting not given is absent."""

    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Resolved:
    """The settings of a run, the file they came from, and where each part came from."""

    settings: Settings
    config: ConfigFile | None
    #: Setting name (as in the file; ``module.option`` for options) -> its origin.
    origins: Mapping[str, str] = field(default_factory=dict)


# -- finding and reading files ---------------------------------------------------


def load(path: str) -> ConfigFile:
    """Read the file ``--config`` names."""
    found = _read(os.path.abspath(path), explicit=True)
    assert found is not None
    return found


def _read(path: str, *, explicit: bool) -> ConfigFile | None:
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: no such configuration file") from err
    except OSError as err:
        raise ConfigError(f"{path}: cannot read it: {err.strerror or err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text") from err
    if os.path.basename(path) != "pyproject.toml":
        return ConfigFile(path, data)
    tool = data.get("tool")
    table = tool.get("feedlint") if isinstance(tool, dict) else None
    if table is None:
        if explicit:
            raise ConfigError(f"{path}: there is no [tool.feedlint] table in it")
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.feedlint must be a table, got {_kind(table)}")
    return ConfigFile(path, table)


class Finder:
    """Finds the configuration of a folder, remembering what it has read."""

    def __init__(self) -> None:
        self._by_folder: dict[str, ConfigFile | None] = {}

    def for_folder(self, folder: str) -> ConfigFile | None:
        folder = os.path.abspath(folder)
        visited = []
        found: ConfigFile | None = None
        while True:
            if folder in self._by_folder:
                found = self._by_folder[folder]
                break
            visited.append(folder)
            found = self._in_folder(folder)
            if found is not None:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for seen in visited:
            self._by_folder[seen] = found
        return found

    @staticmethod
    def _in_folder(folder: str) -> ConfigFile | None:
        for name in CONFIG_NAMES:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                _refuse_link_out(path, folder)
                found = _read(path, explicit=False)
                if found is not None:
                    return found
        return None


def _refuse_link_out(path: str, folder: str) -> None:
    """A configuration file found in the tree is read only if it is there: a committed
    ``feedlint.toml -> /home/runner/elsewhere.toml`` would have feedlint read, and
    quote in its errors, a file outside the repository."""
    if not os.path.islink(path):
        return
    real, real_folder = os.path.realpath(path), os.path.realpath(folder)
    if not real.startswith(real_folder.rstrip(os.sep) + os.sep):
        raise ConfigError(
            f"{path}: a symbolic link leading out of its folder; feedlint reads a "
            "configuration found in the tree only from a file inside it (pass --config "
            "to use one elsewhere)"
        )


def start_folder(path: str, stdin_filename: str | None = None) -> str:
    """The folder whose configuration applies to ``path``."""
    if path == "-":
        return os.path.dirname(os.path.abspath(stdin_filename)) if stdin_filename else "."
    if os.path.isdir(path):
        return path
    return os.path.dirname(os.path.abspath(path))


def find_for_paths(
    paths: Sequence[str], stdin_filename: str | None = None
) -> tuple[ConfigFile | None, list[str]]:
    """The configuration for a run over ``paths`` (found from the first), and notes
    about other paths that would have found another file."""
    finder = Finder()
    first = finder.for_folder(start_folder(paths[0] if paths else ".", stdin_filename))
    notes = []
    folders = dict.fromkeys(start_folder(p, stdin_filename) for p in paths[1:])
    for folder in folders:
        other = finder.for_folder(folder)
        if (other and other.path) != (first and first.path):
            used = first.path if first else "no configuration file"
            notes.append(
                f"{folder} has its own configuration "
                f"({other.path if other else 'none'}); this run uses {used}, found from "
                "the first path; lint it in a run of its own to use its configuration"
            )
            break
    return first, notes


# -- checking and resolving --------------------------------------------------------


def _kind(value: Any) -> str:
    kinds = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return kinds.get(type(value), type(value).__name__)


def toml_value(value: Any) -> str:
    """A value as TOML (for messages and ``--show-settings``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = (f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return str(value)


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # only for a mistake in a configuration file

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_code(value: Any, where: str) -> str:
    """A code or prefix from a configuration file, upper-cased; ConfigError otherwise."""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a code such as FL103 or a prefix such as "
                          f"FL1, got {_kind(value)} {toml_value(value)}")
    code = value.strip().upper()
    if not code.startswith("FL") or not any(known.startswith(code) for known in RULES):
        raise ConfigError(
            f"{where}: unknown code {value!r}{_suggest(code, RULES)}; allowed: a code such "
            "as FL103 or a prefix such as FL1 (`feedlint rules` lists them)"
        )
    return code


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of codes such as [\"FL103\", \"FL2\"], "
                          f"got {_kind(value)} {toml_value(value)}")
    return tuple(check_code(item, where) for item in value)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of glob patterns such as "
                          f"[\"drafts/**\"], got {toml_value(value)}")
    for pattern in value:
        _glob(pattern, where)
    return tuple(value)


def _glob(pattern: str, where: str) -> str:
    """``pattern``, when :mod:`feedlint.globs` can read it."""
    from feedlint.globs import check_glob

    problem = check_glob(pattern)
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    return pattern


def _size(value: Any, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) <= 0:
        raise ConfigError(f"{where}: expected a size in bytes (a positive integer, or a "
                          f"string such as \"10 MiB\"), got {toml_value(value)}")
    return int(match.group(1)) * _SIZE_UNITS[(match.group(2) or "").upper()]


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = [codes], such as "
                          f"{{\"drafts/**\" = [\"FL4\"]}}, got {_kind(value)}")
    return tuple(
        (_glob(glob, where), _codes(codes, f"{where} {glob!r}")) for glob, codes in value.items()
    )


def _severity(value: Any, where: str) -> dict[str, Severity]:
    """Per-code severities; a prefix applies to its codes, a longer entry wins."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of code = \"error\" or \"warning\", "
                          f"such as {{FL203 = \"warning\"}}, got {_kind(value)}")
    levels: dict[str, Severity] = {}
    for key, level in value.items():
        code = check_code(key, where)
        if level not in ("error", "warning"):
            raise ConfigError(f"{where} {key}: expected \"error\" or \"warning\", "
                              f"got {toml_value(level)}")
        levels[code] = Severity(level)
    resolved: dict[str, Severity] = {}
    for code in RULES:
        best = max((p for p in levels if code.startswith(p)), key=len, default=None)
        if best is not None:
            resolved[code] = levels[best]
    return resolved


def _schema(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(
            f"{where}: expected the path of a JSON Schema file, got {toml_value(value)}"
        )
    return value


def _inside(value: str, where: str, root: str, *, flag: str | None) -> str:
    """``value`` as a path relative to the configuration file's folder, which it must
    not leave, by ``..``, an absolute path, ``~`` or a symbolic link.

    A configuration file is part of the tree being linted, which a pull request can
    change: it may choose what is checked, but not make feedlint read or write a
    file elsewhere on the machine (a schema outside the tree would have its values
    echoed in messages). A path outside is for the command line to give.
    """
    path = os.path.normpath(os.path.join(root, os.path.expanduser(value)))
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise ConfigError(
            f"{where}: {value!r} leads outside the configuration file's folder "
            f"({root}); a configuration file may only name files inside its own folder, "
            f"since whoever can change it could otherwise read or write any file of the "
            "machine that runs feedlint. Name a file inside it"
            + (f", or pass {flag} on the command line" if flag else "")
        )
    return path


# -- the link probe's keys (used by --probe only) ---------------------------------


def _number(value: Any, where: str, *, minimum: float, above: bool = False) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or value < minimum or (above and value == minimum):
        bound = f"above {minimum:g}" if above else f"at least {minimum:g}"
        raise ConfigError(f"{where}: expected a number {bound}, got {toml_value(value)}")
    return float(value)


def _whole(value: Any, where: str, *, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"{where}: expected a whole number of at least {minimum}, "
                          f"got {toml_value(value)}")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {toml_value(value)}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a string, got {toml_value(value)}")
    return value


def _patterns(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of regular expressions such as "
                          f"[\"^https://www\\\\.example\\\\.com/\"], got {toml_value(value)}")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as err:
            raise ConfigError(
                f"{where}: {pattern!r} is not a regular expression ({err})"
            ) from None
    return tuple(value)


def _networks(value: Any, where: str) -> tuple[str, ...]:
    import ipaddress

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of networks such as [\"10.1.0.0/16\"], "
                          f"got {toml_value(value)}")
    for network in value:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as err:
            raise ConfigError(f"{where}: {err}") from None
    return tuple(value)


def _statuses(value: Any, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 999 for v in value
    ):
        raise ConfigError(f"{where}: expected a list of HTTP status codes such as [403], "
                          f"got {toml_value(value)}")
    return tuple(value)


#: How a configuration file's value of each kind of setting is read and checked:
#: (value, where, check) -> the setting's value; ConfigError otherwise.
_READERS: dict[str, Callable[[Any, str, Check], Any]] = {
    "codes": lambda v, w, c: _codes(v, w),
    "globs": lambda v, w, c: _strings(v, w),
    "regexes": lambda v, w, c: _patterns(v, w),
    "networks": lambda v, w, c: _networks(v, w),
    "statuses": lambda v, w, c: _statuses(v, w),
    "severity": lambda v, w, c: _severity(v, w),
    "per-file-ignores": lambda v, w, c: _per_file_ignores(v, w),
    "size": lambda v, w, c: _size(v, w),
    "whole": lambda v, w, c: _whole(v, w, minimum=int(c.minimum)),
    "number": lambda v, w, c: _number(v, w, minimum=c.minimum, above=c.above),
    "bool": lambda v, w, c: _flag(v, w),
    "text": lambda v, w, c: _text(v, w),
    "path": lambda v, w, c: _text(v, w),
    "schema": lambda v, w, c: _schema(v, w),
    "formats": lambda v, w, c: _formats(v, w),
    "choice": lambda v, w, c: _choice(v, w, c.choices),
}


def _formats(value: Any, where: str) -> tuple[str, ...]:
    from feedlint.jsonformats import format_names_problem

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of formats such as [\"date-time\", "
                          f"\"uri\"], or [\"*\"] for all, got {toml_value(value)}")
    problem = format_names_problem(value)
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    return tuple(value)


def _choice(value: Any, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: expected one of {', '.join(map(repr, choices))}, "
                          f"got {toml_value(value)}")
    return str(value)


#: Keys of the feedlint table, and their settings (feedlint.settings.SETTINGS).
#: ``probe`` itself is not a key: a run touches the network only when asked to.
_KEYS: dict[str, Setting] = {s.key: s for s in SETTINGS if s.key is not None}


def read_key(setting: Setting, value: Any, where: str, root: str) -> Any:
    """A configuration file's value of one setting, checked; ConfigError otherwise.

    A path must stay inside the configuration file's folder (``path_inside_config``),
    and a key that would lift one of the probe's guards (``lifts_guard``) may keep
    the guard but not lift it: only the command line can.
    """
    check = setting.check
    assert check is not None and setting.key is not None
    value = _READERS[check.kind](value, where, check)
    flag = setting.flag.usage if setting.flag is not None else None
    if setting.path_inside_config:
        value = _inside(value, where, root, flag=flag)
        if check.kind == "schema" and not os.path.isfile(value):
            raise ConfigError(f"{where}: no such file {value} (the path is relative to the "
                              "configuration file's folder)")
    if setting.lifts_guard is not None and value:
        raise ConfigError(
            f"{where}: a configuration file cannot {setting.lifts_guard}: it is part of the "
            "tree being linted, and a pull request that changed it could make --probe reach "
            f"your internal network. Remove the key, and pass {flag} on the command "
            "line of the runs that need it"
        )
    return value


def option_modules() -> dict[str, RuleModule]:
    """Rule modules that have options: each is a sub-table of the configuration."""
    return {module.name: module for module in MODULES if module.options}


def _canonical(key: str) -> str:
    return key.replace("_", "-")


def _check_option(value: Any, option: Option, where: str) -> Any:
    """``value`` if the option's own check (or else the type of its default) accepts
    it; ConfigError otherwise."""
    default = option.default
    if option.validate is not None:
        try:
            option.validate(value)
        except (ValueError, TypeError) as err:
            reason = str(err)
            name = where.rsplit(" ", 1)[-1]
            for prefix in (f"option {name} ", f"{name} "):
                reason = reason.removeprefix(prefix)
            raise ConfigError(f"{where}: {reason} (default {toml_value(default)})") from err
        return value
    expected = _expected(default)
    if default is None:
        return value
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, list | tuple | frozenset | set):
        ok = isinstance(value, list)
        if ok and default:
            sample = next(iter(default))
            item_type = float if isinstance(sample, float) else type(sample)
            ok = all(
                isinstance(item, item_type) and isinstance(item, bool) == isinstance(sample, bool)
                for item in value
            )
        if ok:
            value = type(default)(value)
    elif isinstance(default, Mapping):
        ok = isinstance(value, dict)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(
            f"{where}: expected {expected} (default {toml_value(default)}), got {toml_value(value)}"
        )
    return value


def _expected(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "an integer"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, str):
        return "a string"
    if isinstance(default, list | tuple | frozenset | set):
        sample = next(iter(default), None)
        return f"a list of {_kind(sample).split(' ', 1)[1]}s" if sample is not None else "a list"
    if isinstance(default, Mapping):
        return "a table"
    return f"a {type(default).__name__}"


def read_table(config: ConfigFile) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The file's settings (by key) and rule options (by module), checked."""
    settings: dict[str, Any] = {}
    options: dict[str, dict[str, Any]] = {}
    modules = option_modules()
    allowed = sorted(_KEYS) + sorted(modules)
    listed = sorted(key for key, setting in _KEYS.items() if not setting.probe_only)
    for raw_key, value in config.table.items():
        key = _canonical(raw_key)
        if key in _KEYS and not (key in modules and isinstance(value, dict)):
            settings[key] = read_key(_KEYS[key], value, config.where(raw_key), config.root)
            continue
        module = next((m for m in modules.values() if _canonical(m.name) == key), None)
        if module is None:
            tables = ", ".join(
                f"[{'tool.feedlint.' if config.is_pyproject else ''}{name}]" for name in modules
            )
            raise ConfigError(
                f"{config.where(raw_key)}: unknown key{_suggest(key, allowed)}; allowed keys: "
                f"{', '.join(listed)}"
                + (f", and the option tables {tables}" if tables else "")
                + "; --probe also reads the probe-* keys (`feedlint check --show-settings` "
                "lists them)"
            )
        if not isinstance(value, dict):
            raise ConfigError(
                f"{config.where(raw_key)}: expected a table of the {module.name} rules' "
                f"options, got {_kind(value)}"
            )
        by_name = {_canonical(name): name for name in module.options}
        checked: dict[str, Any] = {}
        for option_key, option_value in value.items():
            name = by_name.get(_canonical(option_key))
            where = config.where(option_key, module.name)
            if name is None:
                raise ConfigError(
                    f"{where}: unknown option{_suggest(_canonical(option_key), by_name)}; "
                    f"the {module.name} rules' options are: {', '.join(module.options)}"
                )
            checked[name] = _check_option(option_value, module.options[name], where)
        options[module.name] = checked
    return settings, options


#: The settings that make one selection of codes, file and command line together.
_SELECTION = ("select", "extend_select", "ignore")
#: Settings that are neither keys nor flags, but come from the file itself.
_FROM_THE_FILE = ("rule_options", "config_root")


def resolve(command_line: CommandLine, config: ConfigFile | None) -> Resolved:
    """Merge the configuration file (if any) and the command line into Settings."""
    file_settings, file_options = read_table(config) if config is not None else ({}, {})
    origin_file = config.path if config is not None else DEFAULT
    origins: dict[str, str] = {}
    given = command_line.values

    def from_file(setting: Setting) -> Any:
        name = setting.origin_name
        if setting.key is not None and setting.key in file_settings:
            origins[name] = origin_file
            return file_settings[setting.key]
        origins[name] = DEFAULT
        return setting.default

    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in _SELECTION or setting.name in _FROM_THE_FILE:
            continue
        value = from_file(setting)
        if setting.name in given:
            name = setting.origin_name
            if setting.adds:
                value = value + given[setting.name]
                origins[name] = _joined(origins[name], COMMAND_LINE)
            else:
                value, origins[name] = given[setting.name], COMMAND_LINE
        values[setting.name] = value

    file_select, file_extend, file_ignore = (
        from_file(BY_NAME[name]) for name in _SELECTION
    )
    cli_select: tuple[str, ...] | None = given.get("select")
    cli_extend: tuple[str, ...] = given.get("extend_select", ())
    cli_ignore: tuple[str, ...] = given.get("ignore", ())
    # One list of selects and one of ignores: the most specific entry decides a code.
    # A file entry the command line names the other way is dropped, so that on a tie
    # the command line wins (within one source, ignore wins, as CodeSelector does).
    cli_selects = (cli_select or ()) + cli_extend
    if cli_select is not None:
        select, extend = cli_select, cli_extend
        origins["select"] = origins["extend-select"] = COMMAND_LINE
    else:
        select = tuple(p for p in file_select if p not in cli_ignore)
        extend = tuple(p for p in file_extend if p not in cli_ignore) + cli_extend
        if cli_extend:
            origins["extend-select"] = _joined(origins["extend-select"], COMMAND_LINE)
        if select != file_select:
            origins["select"] = _joined(origins["select"], COMMAND_LINE)
    ignore = tuple(p for p in file_ignore if p not in cli_selects) + cli_ignore
    if cli_ignore or len(ignore) != len(file_ignore):
        origins["ignore"] = _joined(origins["ignore"], COMMAND_LINE)

    rule_options: dict[str, dict[str, Any]] = {}
    for name, module in option_modules().items():
        given_options = file_options.get(name, {})
        for option in module.options:
            origins[f"{name}.{option}"] = origin_file if option in given_options else DEFAULT
        if given_options:
            rule_options[name] = dict(given_options)

    settings = Settings(
        select=select,
        extend_select=extend,
        ignore=ignore,
        rule_options=rule_options,
        config_root=config.root if config is not None else None,
        **values,
    )
    return Resolved(settings, config, origins)


def _joined(first: str, second: str) -> str:
    return second if first == DEFAULT else f"{first} + {second}"


# -- showing ------------------------------------------------------------------------


def _shown(setting: Setting, value: Any) -> Any:
    """A setting's value as its key is written."""
    kind = setting.check.kind if setting.check is not None else None
    if kind == "per-file-ignores":
        return {glob: list(codes) for glob, codes in value}
    if kind == "severity":
        return {code: str(level) for code, level in value.items()}
    return value


def render(resolved: Resolved) -> str:
    """``--show-settings``: the resolved settings as TOML, each with where it came from."""
    s = resolved.settings
    config = resolved.config
    origins = resolved.origins
    lines = ["# The settings of this run, and where each came from:"]
    lines.append("# default, the configuration file, or the command line.")
    # Keys as they are written in the file read: under [tool.feedlint] in a
    # pyproject.toml, at the top of a feedlint.toml (and so with no file at all).
    prefix = "tool.feedlint." if config is not None and config.is_pyproject else ""
    if config is None:
        lines.append("# configuration file: none")
    else:
        table = " [tool.feedlint]" if config.is_pyproject else ""
        lines.append(f"# configuration file: {config.path}{table}")
    if prefix:
        lines.append("")
        lines.append("[tool.feedlint]")
    for setting in SETTINGS:
        key = setting.key
        if key is None:
            continue
        value = getattr(s, setting.name)
        origin = origins.get(key, DEFAULT)
        if value is None:
            lines.append(f"# {key}: {setting.unset}  # {origin}")
            continue
        lines.append(f"{key} = {toml_value(_shown(setting, value))}  # {origin}")
    if s.probe:
        lines.append(f"# links are probed (--probe)  # {origins.get('probe', DEFAULT)}")
    for name, module in option_modules().items():
        lines.append("")
        lines.append(f"[{prefix}{name}]")
        given = s.rule_options.get(name, {})
        for option_name, option in module.options.items():
            value = given.get(option_name, option.default)
            origin = origins.get(f"{name}.{option_name}", DEFAULT)
            shown = f"{option_name} = {toml_value(value)}" if value is not None else (
                f"# {option_name}: not set"
            )
            lines.append(f"{shown}  # {origin}: {option.help}")
    return "\n".join(lines) + "\n"
