"""Start ``feedlint server`` as an editor does (a process, LSP over its stdio) and drive
it with pytest-lsp's client: shared by the server's tests and its benchmark."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parent.parent


def uri(path: Path) -> str:
    """The file's URI as an editor names it: the path opened, links not resolved."""
    return Path(os.path.abspath(path)).as_uri()


@asynccontextmanager
async def started(
    workspace: Path,
    *,
    capabilities: str = "neovim",
    pull: bool = False,
    encodings: list[str] | None = None,
    command: list[str] | None = None,
    options: dict[str, Any] | None = None,
) -> AsyncIterator[LanguageClient]:
    """A client connected to a new server process, initialized on ``workspace``.

    ``capabilities`` are a real editor's (pytest-lsp keeps them); ``pull`` adds
    ``textDocument.diagnostic``, so the server waits to be asked for diagnostics;
    ``encodings`` replaces the position encodings offered. The client's
    ``encoding`` is the one the server chose.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDLINT_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    config = ClientServerConfig(
        server_command=command or [sys.executable, "-m", "feedlint", "server"],
        server_env=env,
    )
    client = await config.start()
    assert isinstance(client, LanguageClient)
    wanted = client_capabilities(capabilities)
    if pull:
        assert wanted.text_document is not None
        wanted.text_document.diagnostic = types.DiagnosticClientCapabilities(
            dynamic_registration=False, related_document_support=True)
    elif wanted.text_document is not None:
        wanted.text_document.diagnostic = None
    if encodings is not None:
        wanted.general = types.GeneralClientCapabilities(position_encodings=encodings)
    result = await client.initialize_session(types.InitializeParams(
        capabilities=wanted,
        root_uri=uri(workspace),
        workspace_folders=[types.WorkspaceFolder(uri=uri(workspace), name=workspace.name)],
        initialization_options=options,
    ))
    # How columns are counted, as the server chose from what the client offered.
    client.encoding = str(result.capabilities.position_encoding or "utf-16")  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        await client.shutdown_session()
        await client.stop()


def open_file(client: LanguageClient, path: Path, text: str | None = None,
              version: int = 1) -> str:
    address = uri(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(
            uri=address, language_id="markdown", version=version,
            text=path.read_text("utf-8") if text is None else text)))
    return address


def replace_all(client: LanguageClient, address: str, text: str, version: int) -> None:
    """An edit as an editor sends it: the changed range (here, all of it) and its text."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=address, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def published(client: LanguageClient, address: str, *, timeout: float = 20
                    ) -> list[types.Diagnostic]:
    """The next diagnostics the server publishes for ``address``."""
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout)
        if params.uri == address:
            return list(params.diagnostics)


async def log_line(client: LanguageClient, starts: str, *, timeout: float = 60) -> str:
    """Wait for the server to log a line that starts with ``starts``."""
    while True:
        for message in client.log_messages:
            if message.message.startswith(starts):
                return message.message
        await asyncio.wait_for(client.wait_for_notification(types.WINDOW_LOG_MESSAGE), timeout)
