"""``feedlint merge``: the JSON reports of several ``--shard`` runs as one report.

Each shard of a CI matrix writes ``feedlint check --shard K/N --format json``; a
last job merges them. The result is the report one run over every file would
have written (``files_checked`` summed, diagnostics sorted by file, line,
column and code), except for the checks across files: each shard saw only its
own files, so a duplicate webUrl split across two shards is not found.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from feedlint.reporters.json import FORMAT_VERSION

_KEYS = (
    "file", "line", "column", "end_line", "end_column", "code", "rule", "severity",
    "message", "pointer",
)


class ReportError(Exception):
    """A report that cannot be merged (unreadable, not JSON, another format)."""


def read_report(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
    except OSError as err:
        raise ReportError(f"{path}: cannot read the report: {err.strerror or err}") from err
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ReportError(
            f"{path}: not a JSON report of `feedlint check --format json`: {err}"
        ) from err
    if not isinstance(report, dict) or report.get("version") != FORMAT_VERSION:
        raise ReportError(
            f"{path}: not a version {FORMAT_VERSION} report of `feedlint check --format json`"
        )
    checked = report.get("files_checked")
    diagnostics = report.get("diagnostics")
    if not isinstance(checked, int) or not isinstance(diagnostics, list) or not all(
        isinstance(d, dict) and all(k in d for k in _KEYS) for d in diagnostics
    ):
        raise ReportError(f"{path}: the report lacks files_checked or well-formed diagnostics")
    return report


def _sort_key(d: dict[str, Any]) -> tuple[str, int, int, str]:
    return (str(d["file"]), int(d["line"]), int(d["column"]), str(d["code"]))


def merge_reports(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One report holding every report's files and diagnostics (the same file in two
    reports is counted twice: shards of one run never overlap)."""
    diagnostics = [d for report in reports for d in report["diagnostics"]]
    diagnostics.sort(key=_sort_key)
    return {
        "version": FORMAT_VERSION,
        "files_checked": sum(report["files_checked"] for report in reports),
        "diagnostics": diagnostics,
    }
