"""The audit page of ``--format html``: summary, charts, data and script, put together."""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any, TextIO

from feedlint import __version__
from feedlint.diagnostics import Severity
from feedlint.reporters._audit import Audit, SourceReader, build_audit, clean_text
from feedlint.reporters._base import kept_sources
from feedlint.reporters._svg import Bar, bar_chart, esc, share_bar

if TYPE_CHECKING:
    from feedlint.reporters._base import ReportOptions
    from feedlint.results import RunResult

DATA_VERSION = 1
_SEVERITY_INDEX = {Severity.ERROR: 0, Severity.WARNING: 1}
_PARTS = (("err", "errors"), ("warn", "warnings"))
_LINK_PARTS = (("err", "broken"), ("warn", "blocked or moved"), ("ok", "fine"))
#: The rule module whose facts hold the URLs of each file on a --probe run.
LINKS_MODULE = "links"


def _asset(name: str) -> str:
    return resources.files("feedlint.reporters").joinpath("assets", name).read_text("utf-8")


def script_json(data: Any, ascii_only: bool = False) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``<``, ``>`` or ``&`` in it."""
    text = json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def probed_urls(result: RunResult) -> dict[str, dict[str, str]]:
    """The URLs a ``--probe`` run fetched, per file (pointer -> URL).

    The ``links`` rule module keeps, on probe runs only, each file's URLs as
    ``(url, pointer, ...)`` tuples in the file's facts; anything else there is
    ignored, and a run without ``--probe`` has none.
    """
    found: dict[str, dict[str, str]] = {}
    for file in result.files:
        places = file.facts.get(LINKS_MODULE)
        if not isinstance(places, list | tuple):
            continue
        urls = found.setdefault(file.path, {})
        for place in places:
            if (
                isinstance(place, list | tuple)
                and len(place) >= 2
                and isinstance(place[0], str)
                and isinstance(place[1], str)
            ):
                urls[place[1]] = place[0]
    return found


def render_report(result: RunResult, options: ReportOptions, out: TextIO) -> None:
    # The bytes the lint read (see feedlint.reporters._audit); a file that got its
    # findings after its lint is read again by the linter, and shown only unchanged.
    sources, changed = kept_sources(result, options)
    audit = build_audit(
        ((f.path, f.diagnostics) for f in result.files),
        result.files_checked,
        SourceReader(sources, changed=changed),
        probed=probed_urls(result),
    )
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
    write_page(audit, out, ascii_only=encoding not in ("utf-8", "utf8"))


#: Rows (and files) encoded per piece of the data block: the page is written as it
#: is encoded, never held whole.
_BATCH = 5000


def _data_pieces(audit: Audit, ascii_only: bool) -> Iterator[str]:
    """The data block's JSON, in pieces: ``{"version", "codes", "providers", "files",
    "rows", "messages"}`` (rows refer to files, codes, providers and messages by index)."""
    from feedlint.rules import family

    codes = sorted({row.diagnostic.code for row in audit.rows})
    code_index = {code: i for i, code in enumerate(codes)}
    providers = sorted({view.provider for view in audit.files})
    provider_index = {name: i for i, name in enumerate(providers)}

    def encode(data: Any) -> str:
        return script_json(data, ascii_only=ascii_only)

    def listed(items: list[Any]) -> Iterator[str]:
        yield "["
        for start in range(0, len(items), _BATCH):
            yield ("," if start else "") + encode(items[start : start + _BATCH])[1:-1]
        yield "]"

    yield '{"version":' + encode(DATA_VERSION) + ',"codes":' + encode(
        [
            [code, audit.rule_names[code], f"{code[:3]}xx {family(code)}", _summary(code)]
            for code in codes
        ]
    ) + ',"providers":' + encode(providers) + ',"files":'
    yield from listed(
        [
            [
                view.path,
                provider_index[view.provider],
                view.errors,
                view.warnings,
                view.front_matter_end,
                view.note,
                view.chunks,
            ]
            for view in audit.files
        ]
    )
    yield ',"rows":'
    messages: dict[str, int] = {}
    yield "["
    for start in range(0, len(audit.rows), _BATCH):
        batch = []
        for row in audit.rows[start : start + _BATCH]:
            d = row.diagnostic
            batch.append(
                [
                    row.file_index,
                    d.line,
                    d.column,
                    d.end_line,
                    d.end_column,
                    code_index[d.code],
                    _SEVERITY_INDEX[d.severity],
                    messages.setdefault(d.message, len(messages)),
                    row.value,
                    row.fixed,
                    row.fix_note,
                    # The edits --fix would make, as JSON's "fix" gives them, or null.
                    [list(edit) for edit in d.fix_edits] if d.fixable else None,
                ]
            )
        yield ("," if start else "") + encode(batch)[1:-1]
    yield '],"messages":'
    yield from listed(list(messages))
    yield "}"


def _summary(code: str) -> str:
    """The one-line summary of a code, "" for one this feedlint does not document."""
    from feedlint.rules import RULES

    rule = RULES.get(code)
    return rule.summary if rule is not None else ""


def _charts(audit: Audit) -> list[tuple[str, str, str]]:
    """(title, note, svg) of each chart."""
    from feedlint.rules import family

    def split(counter: Counter[tuple[str, Severity]]) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for (key, severity), count in counter.items():
            errors, warnings = out.get(key, (0, 0))
            if severity == Severity.ERROR:
                errors += count
            else:
                warnings += count
            out[key] = (errors, warnings)
        return out

    by_code = split(audit.by_code)
    code_bars = [
        Bar(f"{code} {audit.rule_names[code]}", counts, code, _summary(code))
        for code, counts in by_code.items()
    ]
    families: dict[str, tuple[int, int]] = {}
    for code, (errors, warnings) in by_code.items():
        old = families.get(code[:3], (0, 0))
        families[code[:3]] = (old[0] + errors, old[1] + warnings)
    family_bars = [
        Bar(f"{prefix}xx {family(prefix + '00')}", counts, prefix)
        for prefix, counts in families.items()
    ]
    provider_bars = [
        Bar(name, counts, name) for name, counts in split(audit.by_provider).items()
    ]
    charts = [
        (
            "Findings by code",
            "",
            bar_chart("chart-code", code_bars, _PARTS, filter_kind="code", max_bars=18),
        ),
        (
            "Findings by rule family",
            "",
            bar_chart("chart-family", family_bars, _PARTS, filter_kind="code"),
        ),
        (
            "Findings by provider domain",
            "the provider.domain of the article each finding is in",
            bar_chart("chart-provider", provider_bars, _PARTS, filter_kind="provider"),
        ),
    ]
    if audit.links:
        host_bars = [
            Bar(host, (len(status.broken), len(status.blocked), status.fine), host)
            for host, status in audit.links.items()
        ]
        # Hosts with problems first: the fine ones are context.
        link_chart = bar_chart(
            "chart-links", host_bars, _LINK_PARTS, filter_kind="text", unit="links",
            order=lambda b: (-(b.counts[0] + b.counts[1]), -b.total, b.label),
        )
        if any(status.probed for status in audit.links.values()):
            note = "distinct URLs per host checked by --probe: broken, blocked or moved, fine"
        else:
            note = "distinct URLs per host with a link finding (FL6xx): broken, blocked or moved"
    else:
        link_chart = (
            '<p class="empty-chart" id="chart-links">No link problems reported. '
            "Links are fetched and checked with <code>--probe</code>.</p>"
        )
        note = ""
    charts.append(("Link status by host", note, link_chart))
    return charts


def _card(key: str, label: str, value: int, css: str = "", one: str | None = None) -> str:
    """A number over its label; ``one`` is the label for a count of one ("error")."""
    shown = one if value == 1 and one is not None else label
    return (
        f'<div class="card {css}"><div class="num" id="sum-{key}" data-value="{value}">'
        f'{value:,}</div><div class="label">{esc(shown)}</div></div>'
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def write_page(
    audit: Audit, out: TextIO, *, ascii_only: bool = False, now: datetime | None = None
) -> None:
    generated = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    findings = len(audit.rows)
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    if findings:
        verdict = (
            f"{_plural(findings, 'finding')} in {_plural(len(audit.files), 'file')} "
            f"of {audit.files_checked:,} checked"
        )
    elif audit.files_checked == 1:
        verdict = "the one file checked is clean"
    elif audit.files_checked:
        verdict = f"all {audit.files_checked:,} files are clean"
    else:
        verdict = "no article files were checked"
    cards = "".join(
        [
            _card("files", "files checked", audit.files_checked, one="file checked"),
            _card("clean", "clean", audit.clean, "ok"),
            _card("failing", "with errors", audit.files_with_errors, "err"),
            _card("warning-files", "with warnings only", audit.files_with_warnings_only, "warn"),
            _card("errors", "errors", audit.errors, "err", one="error"),
            _card("warnings", "warnings", audit.warnings, "warn", one="warning"),
        ]
    )
    share = share_bar(
        [
            ("ok", "clean files", audit.clean),
            ("warn", "files with warnings only", audit.files_with_warnings_only),
            ("err", "files with errors", audit.files_with_errors),
        ]
    )
    charts = "".join(
        f'<figure class="panel"><figcaption>{esc(title)}'
        + (f'<span class="note">{esc(note)}</span>' if note else "")
        + f"</figcaption>{svg}</figure>"
        for title, note, svg in _charts(audit)
    )
    head, tail = _TEMPLATE.split("{data}")

    def finish(text: str) -> str:
        # A file name that is not UTF-8 reaches here with lone surrogates: show U+FFFD.
        text = clean_text(text)
        return text.encode("ascii", "xmlcharrefreplace").decode("ascii") if ascii_only else text

    out.write(
        finish(
            head.format(
                policy=esc(policy),
                title=esc(f"feedlint audit: {verdict}"),
                verdict=esc(verdict),
                meta=esc(f"generated {generated} by feedlint {__version__}"),
                style=_asset("report.css"),
                cards=cards,
                share=share,
                charts=charts,
            )
        )
    )
    for piece in _data_pieces(audit, ascii_only):
        out.write(finish(piece))
    out.write(tail.format(script=script))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="feedlint">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header class="top">
  <div class="wrap">
    <h1>feedlint audit</h1>
    <p class="verdict" id="verdict">{verdict}</p>
    <p class="meta">{meta}</p>
  </div>
</header>
<main class="wrap">
  <section class="summary" aria-label="summary">
    <div class="cards">{cards}</div>
    {share}
  </section>
  <section class="charts" aria-label="charts">{charts}</section>
  <section class="results" id="results" aria-label="findings">
    <div class="tabs" role="tablist">
      <button type="button" role="tab" id="tab-findings" aria-selected="true">Findings</button>
      <button type="button" role="tab" id="tab-files" aria-selected="false">Files</button>
    </div>
    <form class="filters" id="filters" autocomplete="off">
      <label>Code <select id="f-code"><option value="">all codes</option></select></label>
      <label>Severity <select id="f-severity"><option value="">all</option>
        <option value="error">errors</option><option value="warning">warnings</option>
        </select></label>
      <label>Provider <select id="f-provider"><option value="">all providers</option>
        </select></label>
      <label>File <input id="f-file" type="search" placeholder="part of a path"></label>
      <label class="grow">Text <input id="f-text" type="search"
        placeholder="words in a message, value or fix"></label>
      <button type="button" id="f-clear">Clear</button>
    </form>
    <p class="pager" id="pager-top"></p>
    <div id="view-findings">
      <table class="findings" id="findings">
        <thead><tr>
          <th class="c-toggle"><span class="sr">front matter</span></th>
          <th data-sort="file">File</th>
          <th data-sort="line" class="num">Line</th>
          <th data-sort="severity">Severity</th>
          <th data-sort="code">Code</th>
          <th data-sort="provider">Provider</th>
          <th data-sort="message">Message</th>
          <th data-sort="value">Value</th>
          <th data-sort="fixed">Fixed value</th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <div id="view-files" hidden><div id="file-list"></div></div>
    <p class="pager" id="pager">
      <noscript>The findings table needs JavaScript; the summary above does not.</noscript>
    </p>
  </section>
</main>
<script type="application/json" id="feedlint-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
