"""``feedlint server``: the Language Server Protocol over stdio (pygls, lsprotocol).

A thin layer: :mod:`feedlint.server.workspace` lints (the CLI's own pipeline and
gate), :mod:`feedlint.server.edits` works out the edits offered, and
:mod:`feedlint.server.fields` reads the schema for hover and completion. This
module turns their answers into the protocol's types and positions.

Positions: feedlint counts 1-based lines and columns in code points (after any
byte order mark); the protocol counts 0-based lines and columns in the encoding
agreed at ``initialize`` (UTF-16 unless the client offers another).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from feedlint import __version__
from feedlint.diagnostics import Diagnostic, PlacedEdit, Severity
from feedlint.discovery import is_bare
from feedlint.rules import RULES
from feedlint.rules.internal import FL900
from feedlint.rules.noqa import FL801
from feedlint.server import edits, fields
from feedlint.server.workspace import Linted, Workspace

#: Where each code's page is: ``{DOCS_URL}FL103/``.
DOCS_URL = "https://feedlint.dev/rules/"
#: How long typing must pause before a buffer is linted (push mode), in seconds.
DEBOUNCE = 0.05
FIX_ALL = "source.fixAll.feedlint"
_ARTICLE_GLOBS = ("**/*.md", "**/*.markdown", "**/*.txt", "**/*.yaml", "**/*.yml",
                  "**/*.json", "**/feedlint.toml", "**/pyproject.toml")


class FeedlintServer(LanguageServer):
    """The server, with what it keeps between requests."""

    def __init__(self) -> None:
        super().__init__("feedlint", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.files = Workspace(self.log, self.note)
        #: Push diagnostics (publishDiagnostics) unless the client pulls them.
        self.push = True
        self.debounce = DEBOUNCE
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._versions: dict[str, int | None] = {}
        #: The workspace folders given at ``initialize``.
        self.roots: list[str] = []
        #: The URI each linted path was named by (as the client spells it).
        self._uris: dict[str, str] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def encoding(self) -> str:
        """How the client counts columns, as agreed at ``initialize``."""
        return str(self.server_capabilities.position_encoding or "utf-16")

    # -- saying things ------------------------------------------------------

    def log(self, message: str) -> None:
        # Not connected yet (or any more): the message is lost, the server goes on.
        with contextlib.suppress(Exception):
            self.window_log_message(types.LogMessageParams(types.MessageType.Log, message))

    def note(self, message: str) -> None:
        self.log(f"note: {message}")

    # -- linting ------------------------------------------------------------

    def document(self, uri: str) -> TextDocument | None:
        """The open buffer at ``uri``; None when it is not open (a file on disk is
        never read for a request about it: only the buffers the editor sent)."""
        documents: dict[str, TextDocument] = self.workspace.text_documents
        return documents.get(unquote(uri))

    def lint(self, uri: str) -> Linted | None:
        """Lint the buffer at ``uri`` now (None: not a file feedlint lints)."""
        path = _path(uri)
        document = self.document(uri)
        if path is None or document is None:
            return None
        self._uris[path] = uri
        started = time.perf_counter()
        linted = self.files.lint(path, document.source)
        self._versions[uri] = document.version
        crashes = [d for d in linted.diagnostics if d.code == FL900]
        for crash in crashes:
            self.log(f"{path}: {crash.message}")
        self.log(f"linted {path} in {1000 * (time.perf_counter() - started):.1f} ms")
        return linted

    def current(self, uri: str) -> Linted | None:
        """The buffer's lint, linting it again if it changed since."""
        path = _path(uri)
        document = self.document(uri)
        if path is None or document is None:
            return None
        linted = self.files.open.get(path)
        if linted is None or self._versions.get(uri) != document.version \
                or linted.text != document.source:
            linted = self.lint(uri)
        return linted

    def publish(self, uri: str, linted: Linted | None) -> None:
        document = self.document(uri)
        if not self.push or document is None:
            return
        items = self.diagnostics(linted) if linted is not None else []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=document.version)
        )

    def lint_and_publish(self, uri: str) -> None:
        linted = self.lint(uri)
        self.publish(uri, linted)
        if linted is not None:
            self.others_changed(self.files.relint_across(linted.path))

    def others_changed(self, redone: Sequence[Linted]) -> None:
        """Open buffers whose checks across files changed: shown again."""
        if not redone:
            return
        if self.push:
            for linted in redone:
                self.publish(self._uris.get(linted.path, _uri(linted.path)), linted)
        else:
            self.refresh()

    def relint_open(self) -> None:
        """Every open buffer, linted again (the settings changed)."""
        for path in list(self.files.open):
            uri = self._uris.get(path, _uri(path))
            if self.document(uri) is not None:
                self.publish(uri, self.lint(uri))
        if not self.push:
            self.refresh()

    def refresh(self) -> None:
        capability = self.client_capabilities.workspace
        diagnostics = capability.diagnostics if capability is not None else None
        if diagnostics is not None and diagnostics.refresh_support:
            self.workspace_diagnostic_refresh(None)

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` once typing has paused for :data:`DEBOUNCE` seconds."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._pending[uri] = asyncio.ensure_future(self._later(uri))

    async def _later(self, uri: str) -> None:
        await asyncio.sleep(self.debounce)
        self._pending.pop(uri, None)
        self.lint_and_publish(uri)

    # -- protocol types -----------------------------------------------------

    def diagnostics(self, linted: Linted) -> list[types.Diagnostic]:
        if linted.error:
            # The configuration (or its schema) is broken: what check would exit 2 with.
            return [types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 1)),
                message=f"feedlint cannot lint this file: {linted.error}",
                severity=types.DiagnosticSeverity.Error, source="feedlint")]
        lines = _Lines(linted.text, self.encoding)
        return [self.diagnostic(d, lines) for d in linted.diagnostics]

    def diagnostic(self, found: Diagnostic, lines: _Lines) -> types.Diagnostic:
        code = found.code
        data: dict[str, Any] = {"rule": found.rule, "pointer": found.pointer,
                                "fixable": found.fixable}
        return types.Diagnostic(
            range=lines.range(found.line, found.column, found.end_line, found.end_column),
            message=found.message,
            severity=(types.DiagnosticSeverity.Error if found.severity == Severity.ERROR
                      else types.DiagnosticSeverity.Warning),
            code=code,
            code_description=(types.CodeDescription(href=f"{DOCS_URL}{code}/")
                              if code in RULES else None),
            source="feedlint",
            # A noqa comment that silences nothing: editors fade it, as dead code.
            tags=[types.DiagnosticTag.Unnecessary] if code == FL801 else None,
            data=data,
        )

    def text_edits(self, linted: Linted, placed: Iterable[PlacedEdit]) -> list[types.TextEdit]:
        lines = _Lines(linted.text, self.encoding)
        return [types.TextEdit(range=lines.range(line, column, end_line, end_column),
                               new_text=content)
                for line, column, end_line, end_column, content in placed]


# -- positions -----------------------------------------------------------------------


class _Lines:
    """A buffer's lines, to turn feedlint's places into the client's positions."""

    def __init__(self, text: str, encoding: str) -> None:
        self._lines = text.split("\n")
        self._bom = text.startswith("\ufeff")
        self._encoding = encoding

    def position(self, line: int, column: int) -> types.Position:
        number = max(line - 1, 0)
        text = self._lines[number] if number < len(self._lines) else ""
        index = column - 1 + (1 if self._bom and number == 0 else 0)
        before = text[:index]
        beyond = max(index - len(text), 0)
        if self._encoding == "utf-32":
            units = len(before)
        elif self._encoding == "utf-8":
            units = len(before.encode("utf-8", "surrogatepass"))
        else:
            units = len(before.encode("utf-16-le", "surrogatepass")) // 2
        return types.Position(line=number, character=units + beyond)

    def range(self, line: int, column: int, end_line: int, end_column: int) -> types.Range:
        return types.Range(start=self.position(line, column),
                           end=self.position(end_line, end_column))

    def place(self, position: types.Position) -> tuple[int, int]:
        """A client position as (0-based line, code point index in the line)."""
        text = self._lines[position.line] if position.line < len(self._lines) else ""
        if self._encoding == "utf-32":
            return position.line, position.character
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return position.line, index
            if self._encoding == "utf-8":
                units += len(char.encode("utf-8", "surrogatepass"))
            else:
                units += 2 if ord(char) > 0xFFFF else 1
        return position.line, len(text)

    def at(self, position: types.Position) -> tuple[int, int]:
        """A client position as feedlint places it: 1-based line and column, the
        column in code points after any byte order mark."""
        line, index = self.place(position)
        return line + 1, index + 1 - (1 if self._bom and line == 0 else 0)

    def offset(self, position: types.Position) -> int:
        """A client position as an offset into the text after any byte order mark."""
        line, index = self.place(position)
        offset = sum(len(text) + 1 for text in self._lines[:line]) + index
        return offset - 1 if self._bom else offset


def _path(uri: str) -> str | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None


def _uri(path: str) -> str:
    return from_fs_path(path) or path


def _overlaps(found: Diagnostic, start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether ``found`` touches the 1-based, code point range [start, end]."""
    return (found.line, found.column) <= end and start <= (found.end_line, found.end_column)


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


# -- the server ----------------------------------------------------------------------


def build() -> FeedlintServer:
    """The server with every feature registered."""
    server = FeedlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        text_document = params.capabilities.text_document
        server.push = text_document is None or text_document.diagnostic is None
        options = params.initialization_options
        if isinstance(options, dict):
            if isinstance(options.get("debounceMs"), int | float) and options["debounceMs"] >= 0:
                server.debounce = options["debounceMs"] / 1000
            if options.get("diagnosticMode") in ("push", "pull"):
                server.push = options["diagnosticMode"] == "push"
        folders = [to_fs_path(f.uri) for f in params.workspace_folders or ()]
        if not folders and params.root_uri:
            folders = [to_fs_path(params.root_uri)]
        roots = [os.path.abspath(f) for f in folders if f]
        server.roots = roots
        if roots:
            # Paths in messages are shown as `feedlint check` run there shows them.
            try:
                os.chdir(roots[0])
            except OSError as err:
                server.log(f"cannot work from {roots[0]}: {err.strerror or err}")

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        server.loop = asyncio.get_running_loop()
        watched = server.client_capabilities.workspace
        changes = watched.did_change_watched_files if watched is not None else None
        if changes is not None and changes.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=g) for g in _ARTICLE_GLOBS]
            await server.client_register_capability_async(types.RegistrationParams(
                registrations=[types.Registration(
                    id="feedlint-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=watchers))]))
        for root in server.roots:
            _start_index(server, root)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        if server.push:
            server.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _path(uri)
        if path is not None and server.files.reads(path):
            server.files.forget_settings()
            server.relint_open()
            return
        pending = server._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        server.lint_and_publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = server._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        path = _path(uri)
        if path is None:
            return
        server.files.close(path)
        server._uris.pop(path, None)
        if server.push:
            server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        # What the workspace now holds of it is the file on disk.
        server.files.file_changed(path)
        server.others_changed(server.files.relint_across(path))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        settings = False
        for change in params.changes:
            path = _path(change.uri)
            if path is None:
                continue
            if server.files.reads(path):
                settings = True
            elif path not in server.files.open:
                server.files.file_changed(path)
                server.others_changed(server.files.relint_across(path))
        if settings:
            server.files.forget_settings()
            server.relint_open()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        for folder in params.event.removed:
            root = to_fs_path(folder.uri)
            if root:
                server.files.forget_index(os.path.abspath(root))
        for folder in params.event.added:
            root = to_fs_path(folder.uri)
            if root:
                _start_index(server, os.path.abspath(root))
        server.others_changed(server.files.relint_across(None))

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="feedlint", inter_file_dependencies=True,
                                workspace_diagnostics=False),
    )
    def diagnostic(params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        linted = server.current(params.text_document.uri)
        items = server.diagnostics(linted) if linted is not None else []
        return types.RelatedFullDocumentDiagnosticReport(items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[
            types.CodeActionKind.QuickFix, FIX_ALL, types.CodeActionKind.SourceFixAll]),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = server.current(uri)
        if linted is None or linted.result is None:
            return []
        lines = _Lines(linted.text, server.encoding)
        first, last = lines.at(params.range.start), lines.at(params.range.end)
        only = params.context.only
        actions: list[types.CodeAction] = []
        for found in linted.diagnostics:
            if not _overlaps(found, first, last):
                continue
            shown = server.diagnostic(found, lines)
            if found.fixable and found.fix is not None and _wants(only, "quickfix"):
                actions.append(types.CodeAction(
                    title=f"Fix {found.code}: {found.fix.description}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=True,
                    edit=types.WorkspaceEdit(
                        changes={uri: server.text_edits(linted, found.fix_edits)}),
                ))
            if found.code != FL900 and _wants(only, "quickfix"):
                noqa = edits.suppression(server.files, linted, found)
                if noqa is not None:
                    title, placed = noqa
                    change = {uri: server.text_edits(linted, [placed])}
                    actions.append(types.CodeAction(
                        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[shown],
                        edit=types.WorkspaceEdit(changes=change),
                    ))
        if _wants(only, FIX_ALL):
            fixed = server.files.fixed_text(linted)
            if fixed is not None:
                actions.append(types.CodeAction(
                    title="Fix all feedlint problems",
                    kind=FIX_ALL,
                    edit=types.WorkspaceEdit(changes={uri: server.text_edits(
                        linted, [edits.whole_change(linted.text, fixed)])}),
                ))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        linted = server.current(params.text_document.uri)
        if linted is None or linted.result is None:
            return None
        lines = _Lines(linted.text, server.encoding)
        line, index = lines.place(params.position)
        where = lines.at(params.position)
        codes = [found.code for found in linted.diagnostics
                 if (found.line, found.column) <= where < (found.end_line, found.end_column)]
        named = edits.code_at(linted.text.split("\n")[line], index)  # in a noqa comment
        if named is not None and named not in codes:
            codes.append(named)
        parts = [edits.rule_markdown(RULES[code]) for code in dict.fromkeys(codes)
                 if code in RULES]
        setup = linted.setup
        if setup is not None and setup.linter is not None:
            if linted.article is not None:
                path = edits.field_at(linted.article, lines.offset(params.position))
            else:  # the front matter does not parse: read the lines
                path = edits.field_in_text(linted.text, line, index,
                                           bare=is_bare(linted.path))
            if path is not None:
                doc = fields.field_doc(setup.linter.schema.schema, path)
                if doc:
                    parts.append(doc)
        if not parts:
            return None
        return types.Hover(contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions())
    def completion(params: types.CompletionParams) -> types.CompletionList | None:
        uri = params.text_document.uri
        linted = server.current(uri)
        # Only in a file check would lint (not a README, not an excluded page).
        if linted is None or linted.result is None or linted.setup is None:
            return None
        setup = linted.setup
        if setup.linter is None:
            return None
        path = linted.path
        text = linted.text
        lines = _Lines(text, server.encoding)
        line, index = lines.place(params.position)
        offered = edits.completions(text, setup.linter.schema.schema, line, index,
                                    bare=is_bare(path))
        items = [
            types.CompletionItem(
                label=item.label,
                kind=(types.CompletionItemKind.Property if item.is_key
                      else types.CompletionItemKind.EnumMember),
                detail=item.detail or None,
                documentation=(types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                   value=item.documentation)
                               if item.documentation else None),
                insert_text=item.insert,
                sort_text=f"{number:04d}",
            )
            for number, item in enumerate(offered)
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    return server


def _start_index(server: FeedlintServer, root: str) -> None:
    """Read the workspace's articles in the background; tell the client when done."""
    started = time.perf_counter()
    loop = server.loop

    def done(count: int) -> None:
        seconds = time.perf_counter() - started

        def after() -> None:
            server.log(f"read {count} articles under {root} in {seconds:.2f} s")
            server.others_changed(server.files.relint_across(None))

        if loop is not None:
            loop.call_soon_threadsafe(after)

    server.files.index(root, done)


def serve() -> int:
    """Speak LSP on stdin and stdout until the client says exit."""
    build().start_io()
    return 0
