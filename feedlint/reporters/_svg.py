"""Horizontal bar charts as inline SVG: readable without a legend hunt.

Each bar is a stack of labelled parts (errors, warnings, ...), its label on the
left and its total on the right; a chart keeps its longest bars and folds the
rest into one "N more" bar. Every piece of text is escaped here; a bar carries
``data-filter``/``data-value`` so the page can filter the findings table by it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 640
LABEL_WIDTH = 250
COUNT_WIDTH = 64
ROW_HEIGHT = 24
BAR_HEIGHT = 16
#: Bars shown at most; the rest are folded into one.
MAX_BARS = 12
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: str) -> str:
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    #: The sizes of the stacked parts, in the order of the chart's ``parts``.
    counts: tuple[int, ...]
    #: What clicking the bar filters by (None: not clickable).
    filter_value: str | None = None
    #: A longer description shown as the bar's tooltip.
    detail: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts)


def _counted(name: str, count: int) -> str:
    """A part's name after its count: a plural noun ("errors") takes the singular for
    one ("1 error"); an adjective ("broken", "fine") stays as it is."""
    return name[:-1] if count == 1 and name.endswith("s") else name


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    chart_id: str,
    bars: Sequence[Bar],
    parts: Sequence[tuple[str, str]],
    *,
    filter_kind: str | None = None,
    unit: str = "findings",
    max_bars: int = MAX_BARS,
    order: Callable[[Bar], Any] | None = None,
) -> str:
    """An SVG chart; ``parts`` names each stacked part: (css class, label).

    Bars come longest first, unless ``order`` gives another sort key.
    """
    bars = sorted(bars, key=order or (lambda b: (-b.total, b.label)))
    if len(bars) > max_bars:
        rest = bars[max_bars - 1 :]
        folded = tuple(sum(b.counts[i] for b in rest) for i in range(len(parts)))
        bars = [*bars[: max_bars - 1], Bar(f"{len(rest)} more", folded, None, "")]
    largest = max((b.total for b in bars), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - COUNT_WIDTH - 8) / largest
    height = len(bars) * ROW_HEIGHT + 4
    out = [
        f'<svg id="{esc(chart_id)}" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{esc(chart_id)}">'
    ]
    for row, bar in enumerate(bars):
        y = row * ROW_HEIGHT + 2
        shares = ", ".join(
            f"{count:,} {_counted(name, count)}"
            for (_, name), count in zip(parts, bar.counts, strict=True)
            if count
        )
        tooltip = f"{bar.label}: {shares}" + (f" — {bar.detail}" if bar.detail else "")
        attrs = ""
        if filter_kind and bar.filter_value is not None:
            attrs = (
                f' data-filter="{esc(filter_kind)}" data-value="{esc(bar.filter_value)}"'
                ' tabindex="0" role="button"'
            )
        out.append(f'<g class="bar{" clickable" if attrs else ""}"{attrs}>')
        out.append(f"<title>{esc(tooltip)}</title>")
        out.append(
            f'<rect class="hit" x="0" y="{y}" width="{WIDTH}" height="{ROW_HEIGHT - 2}" rx="3"/>'
        )
        out.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 3}" '
            f'text-anchor="end">{esc(_short(bar.label))}</text>'
        )
        x = float(LABEL_WIDTH)
        for (css, _), count in zip(parts, bar.counts, strict=True):
            if not count:
                continue
            width = max(count * scale, 1.5)
            out.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y + 2}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" rx="2"/>'
            )
            x += width
        out.append(
            f'<text class="count" x="{x + 6:.1f}" y="{y + BAR_HEIGHT - 3}">{bar.total:,}</text>'
        )
        out.append("</g>")
    if not bars:
        out[0] = out[0].replace(f'viewBox="0 0 {WIDTH} {height}"', f'viewBox="0 0 {WIDTH} 28"')
        out.append(f'<text class="empty" x="8" y="18">no {esc(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def share_bar(parts: Sequence[tuple[str, str, int]]) -> str:
    """One 100% bar of (css class, label, count), e.g. clean / warnings / errors files."""
    total = sum(count for _, _, count in parts) or 1
    out = ['<svg class="share" viewBox="0 0 1000 14" preserveAspectRatio="none" '
           'width="100%" height="14" role="img" aria-label="files by outcome">']
    x = 0.0
    for css, label, count in parts:
        if not count:
            continue
        width = 1000 * count / total
        out.append(
            f'<rect class="{css}" x="{x:.2f}" y="0" width="{width:.2f}" height="14">'
            f"<title>{esc(label)}: {count:,}</title></rect>"
        )
        x += width
    out.append("</svg>")
    return "".join(out)
