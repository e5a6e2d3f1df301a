"""``--format github``: GitHub Actions workflow commands, one annotation per diagnostic.

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message``
(``::warning`` for a warning), escaped exactly as the Actions toolkit escapes them
(``@actions/core``, ``command.ts``): in the message ``%``, CR and LF become ``%25``,
``%0D`` and ``%0A``; in a property ``:`` and ``,`` also become ``%3A`` and ``%2C``.
GitHub only takes columns on a span within one line, so ``col``/``endColumn``
are left out of a span over several lines. ``file`` is relative to the
repository's root (see :mod:`feedlint.reporters._paths`), so annotations land on
the right file whichever folder feedlint ran in.

Chosen automatically when ``GITHUB_ACTIONS=true`` and no format was asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from feedlint.diagnostics import Diagnostic, Severity
from feedlint.reporters._base import Reporter
from feedlint.reporters._paths import RepositoryPaths
from feedlint.reporters.text import summary_line

if TYPE_CHECKING:
    from feedlint.results import RunResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(d: Diagnostic, file: str) -> str:
    command = "error" if d.severity == Severity.ERROR else "warning"
    properties = [("file", file), ("line", str(d.line))]
    if d.end_line == d.line:
        properties += [("col", str(d.column)), ("endLine", str(d.end_line)),
                       ("endColumn", str(d.end_column))]
    else:
        properties += [("endLine", str(d.end_line))]
    properties.append(("title", d.code))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {rendered}::{escape_data(d.message)}"


class GithubReporter(Reporter):
    def write(self, result: RunResult, out: TextIO) -> None:
        paths = RepositoryPaths.discover()
        names: dict[str, str] = {}
        for d in result.diagnostics:
            file = names.get(d.file)
            if file is None:
                file = names[d.file] = paths.for_annotation(d.file)
            out.write(workflow_command(d, file) + "\n")
        if not self.options.quiet:
            # A plain line: the log shows it as is, after the annotations.
            out.write(f"feedlint: {summary_line(result)}\n")
