"""What the language server knows of the files: their settings, their lints and the
workspace's other articles. No protocol here: positions are feedlint's own (1-based
lines, columns in code points), texts are ``str``.

Each file is linted as ``feedlint check`` lints it: the configuration found from
its folder (re-read when it changes), the same schema, the same :class:`Linter`
(pipeline, then gate), and the same choice of what is an article — a file is
judged as if found by walking its folder (``--skip-non-articles``): excluded paths
and Markdown without front matter are left alone, bare YAML/JSON only when
``include`` names it. The checks across files (a duplicate article) compare it
with the workspace's other articles, which a background index keeps (through the
result cache, so a warm start reads no file twice), and with the open buffers.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from feedlint.articles import is_article
from feedlint.diagnostics import Diagnostic
from feedlint.discovery import Candidate, DiscoveryError, discover, display_path, is_bare
from feedlint.placing import crash_diagnostic
from feedlint.results import FileResult
from feedlint.rules import RuleModule

if TYPE_CHECKING:
    from feedlint.config import ConfigFile, Resolved
    from feedlint.document import Article
    from feedlint.engine import Linter

Log = Callable[[str], None]


@dataclass
class Setup:
    """The settings, schema and linter for the files one configuration governs."""

    config_path: str | None
    #: The configuration file's identity when read: (mtime, size, inode).
    stamp: tuple[int, int, int] | None
    resolved: Resolved | None = None
    linter: Linter | None = None
    #: Why no file under this configuration can be linted (a bad key, a bad schema).
    error: str = ""


@dataclass
class Linted:
    """One buffer's lint: what is reported, and the parsed article (None when the
    file is not linted, or its front matter could not be read)."""

    path: str
    text: str
    result: FileResult | None
    article: Article | None = None
    setup: Setup | None = None
    #: The result before the checks across files: they are run again as others change.
    own: FileResult | None = None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics if self.result is not None else []

    @property
    def error(self) -> str:
        """Why the file cannot be linted at all (its configuration or schema is broken)."""
        return self.setup.error if self.setup is not None else ""


@dataclass
class _Index:
    """A workspace folder's articles: each one's facts for the checks across files,
    and which files hold each key the checks compare by (``RuleModule.related``)."""

    root: str
    facts: dict[str, FileResult] = field(default_factory=dict)
    by_key: dict[tuple[str, Hashable], set[str]] = field(default_factory=dict)
    keys_of: dict[str, list[tuple[str, Hashable]]] = field(default_factory=dict)

    def put(self, result: FileResult, modules: Iterable[RuleModule]) -> None:
        self.remove(result.path)
        self.facts[result.path] = result
        keys = self.keys_of[result.path] = list(_keys(result, modules))
        for key in keys:
            self.by_key.setdefault(key, set()).add(result.path)

    def remove(self, path: str) -> None:
        self.facts.pop(path, None)
        for key in self.keys_of.pop(path, ()):
            paths = self.by_key.get(key)
            if paths is not None:
                paths.discard(path)
                if not paths:
                    del self.by_key[key]


def _keys(result: FileResult, modules: Iterable[RuleModule]) -> Iterator[tuple[str, Hashable]]:
    for module in modules:
        if module.related is not None and module.name in result.facts:
            for key in module.related(result.facts[module.name]):
                yield module.name, key


def _stamp(path: str | None) -> tuple[int, int, int] | None:
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class Workspace:
    """The server's files: settings per configuration, lints of open buffers, and the
    index of each workspace folder."""

    def __init__(self, log: Log, note: Log | None = None) -> None:
        self._log = log
        self._note = note or log
        self._setups: dict[str | None, Setup] = {}
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._indexes: list[_Index] = []
        #: Open buffers' lints, by absolute path.
        self.open: dict[str, Linted] = {}

    # -- settings -----------------------------------------------------------

    def setup_for(self, path: str) -> Setup:
        """The setup for the file at ``path``, from the configuration found from its
        folder as ``feedlint check`` finds it; read again when that file changed."""
        from feedlint.config import ConfigError, find_for_paths

        try:
            config, _ = find_for_paths([path])
        except ConfigError as err:
            return Setup(None, None, error=str(err))
        key = config.path if config is not None else None
        # One build at a time: the index's thread and the buffers share each setup.
        with self._building:
            with self._lock:
                known = self._setups.get(key)
            if known is not None and known.stamp == _stamp(key):
                return known
            setup = self._build(config)
            with self._lock:
                self._setups[key] = setup
            return setup

    def _build(self, config: ConfigFile | None) -> Setup:
        from feedlint.config import CommandLine, ConfigError, resolve
        from feedlint.engine import Linter
        from feedlint.schema import SchemaError
        from feedlint.wiring import load_schema

        key = config.path if config is not None else None
        setup = Setup(key, _stamp(key))
        try:
            resolved = resolve(CommandLine({}), config)
            linter = Linter(resolved.settings, load_schema(resolved, self._note))
            linter.schema.ensure_usable()
        except (ConfigError, SchemaError) as err:
            setup.error = str(err)
            self._log(f"cannot lint under {key or 'the default settings'}: {err}")
            return setup
        setup.resolved, setup.linter = resolved, linter
        self._log(f"settings from {key or 'the defaults (no configuration file)'}")
        return setup

    def reads(self, path: str) -> bool:
        """Whether the settings are read from ``path``: a configuration file, or a
        schema file a configuration names (or one its ``$ref``s reach)."""
        from feedlint.config import CONFIG_NAMES

        if os.path.basename(path) in CONFIG_NAMES:
            return True
        with self._lock:
            linters = [s.linter for s in self._setups.values() if s.linter is not None]
        for linter in linters:
            named = linter.settings.schema
            if named is not None and os.path.abspath(named) == path:
                return True
            for uri, _ in linter.schema.documents:
                if uri.startswith("file:") and _file_path(uri) == path:
                    return True
        return False

    def forget_settings(self) -> None:
        """A configuration or schema file changed: read them again on the next lint."""
        with self._lock:
            self._setups.clear()

    # -- one buffer ---------------------------------------------------------

    def lint(self, path: str, text: str) -> Linted:
        """Lint the buffer ``text`` of the file at ``path`` (absolute); never raises:
        a crash is one FL900 diagnostic."""
        linted = Linted(path, text, None)
        try:
            self._lint(linted)
        except Exception as err:  # noqa: BLE001 - one file must not stop the server
            self._log(f"linting {path} crashed: {type(err).__name__}: {err}")
            display = display_path(path)
            linted.result = FileResult(display, [crash_diagnostic(display, "feedlint", err)])
            linted.own = None
        self.open[path] = linted
        return linted

    def _lint(self, linted: Linted) -> None:
        setup = linted.setup = self.setup_for(linted.path)
        if setup.linter is None or setup.resolved is None:
            return
        raw = linted.text.encode("utf-8", "surrogatepass")
        candidate = self._candidate(linted.path, setup, raw)
        if candidate is None:
            return
        linter = setup.linter
        read = linter.read(candidate)  # the size limit, a link out of the tree
        if isinstance(read, FileResult):
            linted.result = read
            return
        if not is_article(candidate, raw):
            return
        try:
            article, own = linter.lint_article(candidate.display, raw, bare=candidate.bare)
        except Exception as err:  # noqa: BLE001 - as Linter.lint_raw
            own = FileResult(candidate.display,
                             [crash_diagnostic(candidate.display, "feedlint", err)])
            article = None
        linted.article, linted.own = article, own
        linted.result = self._across(linter, own, linted.path)

    def _candidate(self, path: str, setup: Setup, raw: bytes | None) -> Candidate | None:
        """The file as ``check`` would find it by walking its folder, or None when a
        walk would leave it out; ``raw`` is the buffer's text (None: read the file)."""
        assert setup.resolved is not None
        settings = setup.resolved.settings
        if os.path.lexists(path):
            try:
                found = discover(
                    [path],
                    exclude=settings.exclude + settings.extend_exclude,
                    include=settings.include,
                    named_as_found=True,
                    root=settings.config_root,
                )
            except DiscoveryError:
                found = []
            if not found:
                return None
            error = found[0].error
        else:  # a new buffer, not saved yet
            error = None
        return Candidate(path, display_path(path), explicit=False, bare=is_bare(path),
                         stdin_bytes=raw, error=error)

    def _across(self, linter: Linter, own: FileResult, path: str) -> FileResult:
        """``own`` with the findings of the checks across files, comparing it with the
        workspace's other articles and the other open buffers."""
        # The noqa directives keep what they silenced: each time the checks across
        # files run, they start from what the file's own lint left.
        suppressor = copy.deepcopy(own.suppressor) if own.suppressor is not None else None
        result = FileResult(own.path, list(own.diagnostics), facts=own.facts,
                            suppressor=suppressor)
        modules = [m for m, _ in linter.modules if m.across is not None]
        if not modules:
            return result
        others = [r for r in self._others(path, own, modules) if r.path != own.path]
        linter.finish([result], others)
        return result

    def _others(self, path: str, own: FileResult, modules: list[RuleModule]
                ) -> Iterator[FileResult]:
        """The open buffers, and the articles of the workspace that can matter to
        ``own``: those sharing a key with it, or all when a check says not how."""
        opened = {linted.own.path: linted.own for p, linted in self.open.items()
                  if p != path and linted.own is not None}
        with self._lock:
            indexes = [i for i in self._indexes if _inside(path, i.root)]
            chosen: dict[str, FileResult] = {}
            for index in indexes:
                if any(m.related is None for m in modules):
                    wanted: Iterable[str] = list(index.facts)
                else:
                    wanted = set().union(*(index.by_key.get(key, ())
                                           for key in _keys(own, modules)))
                for display in wanted:
                    if display not in opened and display in index.facts:
                        chosen[display] = index.facts[display]
        yield from chosen.values()
        yield from opened.values()

    def relint_across(self, changed: str | None) -> list[Linted]:
        """After ``changed`` was linted (None: after the index was read): the other
        open buffers whose checks across files are worked out again (their own lints
        are kept), those whose diagnostics changed."""
        redone = []
        for path, linted in list(self.open.items()):
            if path == changed or linted.own is None or linted.setup is None:
                continue
            linter = linted.setup.linter
            if linter is None:
                continue
            before = linted.diagnostics
            linted.result = self._across(linter, linted.own, path)
            if linted.diagnostics != before:
                redone.append(linted)
        return redone

    def close(self, path: str) -> None:
        self.open.pop(path, None)

    # -- fixes ------------------------------------------------------------

    def fixed_text(self, linted: Linted) -> str | None:
        """The buffer with every certain fix applied (as ``--fix`` writes it), or None
        when no fix applies."""
        setup = linted.setup
        if setup is None or setup.linter is None or linted.own is None:
            return None
        if not any(d.fixable for d in linted.own.diagnostics):
            return None
        from feedlint.fixing import fixed_bytes

        raw = linted.text.encode("utf-8", "surrogatepass")
        new_raw, _, _ = fixed_bytes(setup.linter, linted.own.path, raw, linted.article,
                                    linted.own, bare=is_bare(linted.path))
        if new_raw == raw:
            return None
        text = new_raw.decode("utf-8", "surrogatepass")
        # The buffer holds no byte order mark of its own when the editor keeps it apart.
        if not linted.text.startswith("\ufeff"):
            text = text.removeprefix("\ufeff")
        return text

    def lint_only(self, linted: Linted, text: str) -> list[Diagnostic]:
        """What ``text`` in place of the buffer would report (the buffer's lint is
        kept): to check an edit before offering it."""
        setup = linted.setup
        if setup is None or setup.linter is None or linted.own is None:
            return []
        raw = text.encode("utf-8", "surrogatepass")
        _, own = setup.linter.lint_article(linted.own.path, raw, bare=is_bare(linted.path))
        return self._across(setup.linter, own, linted.path).diagnostics

    # -- the workspace's other articles -----------------------------------

    def index(self, root: str, done: Callable[[int], None] | None = None) -> threading.Thread:
        """Start reading the articles under ``root`` in the background, for the checks
        across files; ``done`` is called with how many were read."""
        index = _Index(os.path.abspath(root))
        with self._lock:
            self._indexes = [i for i in self._indexes if i.root != index.root] + [index]
        thread = threading.Thread(target=self._fill, args=(index, done), daemon=True,
                                  name=f"feedlint index {root}")
        thread.start()
        return thread

    def forget_index(self, root: str) -> None:
        """A workspace folder was closed: its articles are compared no more."""
        with self._lock:
            self._indexes = [i for i in self._indexes if i.root != root]

    def _fill(self, index: _Index, done: Callable[[int], None] | None) -> None:
        try:
            count = self._read_all(index)
        except Exception as err:  # noqa: BLE001 - the index is a help, never a failure
            self._log(f"could not read the workspace's articles: {type(err).__name__}: {err}")
            count = 0
        if done is not None:
            done(count)

    def _read_all(self, index: _Index) -> int:
        from feedlint.engine import Linter
        from feedlint.parallel import lint_many
        from feedlint.wiring import open_cache

        setup = self.setup_for(os.path.join(index.root, "."))
        if setup.linter is None or setup.resolved is None:
            return 0
        settings = setup.resolved.settings
        if not any(m.across is not None for m, _ in setup.linter.modules):
            return 0
        try:
            candidates = discover([index.root], exclude=settings.exclude + settings.extend_exclude,
                                  include=settings.include, root=settings.config_root)
        except DiscoveryError:
            return 0
        # A linter of its own: the buffers' lints go on meanwhile, on another thread.
        linter = Linter(settings, setup.linter.schema)
        modules = [m for m, _ in linter.modules]
        cache = open_cache(settings, linter, candidates, self._log)
        count = 0
        for result in lint_many(linter, candidates, jobs=1, cache=cache):
            if result.skipped or not result.facts:
                continue
            with self._lock:
                index.put(FileResult(result.path, facts=result.facts), modules)
            count += 1
        if cache is not None:
            cache.flush()
        return count

    def file_changed(self, path: str) -> None:
        """A file changed on disk (saved, created or deleted outside a buffer): its
        entry in the index is read again."""
        path = os.path.abspath(path)
        with self._lock:
            indexes = [i for i in self._indexes if _inside(path, i.root)]
        if not indexes:
            return
        display = display_path(path)
        result: FileResult | None = None
        modules: list[RuleModule] = []
        if os.path.isfile(path):
            setup = self.setup_for(path)
            if setup.linter is not None:
                modules = [m for m, _ in setup.linter.modules]
                candidate = self._candidate(path, setup, None)
                if candidate is not None:
                    # Read from disk through the one reader, as check reads it.
                    result = setup.linter.lint(candidate)
        with self._lock:
            for index in indexes:
                if result is not None and result.facts:
                    index.put(FileResult(display, facts=result.facts), modules)
                else:
                    index.remove(display)


def _file_path(uri: str) -> str:
    from urllib.parse import unquote, urlsplit

    return os.path.abspath(unquote(urlsplit(uri).path))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
