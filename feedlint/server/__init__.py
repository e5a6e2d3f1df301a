"""``feedlint server``: feedlint's diagnostics, fixes and field docs in any editor with
a Language Server Protocol client.

Imported only by that command (pygls and lsprotocol load nothing for
``feedlint check``). :mod:`~feedlint.server.workspace` lints through the same
pipeline and gate as the command line; :mod:`~feedlint.server.edits` and
:mod:`~feedlint.server.fields` work out what is offered at a place;
:mod:`~feedlint.server.protocol` speaks the protocol.
"""

from __future__ import annotations


def serve() -> int:
    """Run the server on stdin and stdout until the client says exit."""
    from feedlint.server.protocol import serve as run

    return run()
