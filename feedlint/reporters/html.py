"""``--format html``: one self-contained audit page an editor can open anywhere.

The page needs no network: its styles, charts (inline SVG) and script are all in
the file, and a Content-Security-Policy forbids loading anything else and runs
only the page's own script (by its hash), so even a mistake in escaping could
not run an article's ``<script>``. The summary and charts are plain HTML; the
findings travel as JSON in a ``<script type="application/json">`` block (every
``<``, ``>`` and ``&`` written as a ``\\u`` escape, so ``</script>`` in an article
cannot end the block), and a small script renders them a page of rows at a time,
sorted and filtered in the browser: 100,000 findings open in about a second.
Article text only ever reaches the page through ``textContent``.

What the page shows of each file (the value at a finding, its provider domain,
its front matter) comes from the bytes the lint read (:attr:`source_limit` of
them, kept for the files with findings): the report opens no file itself, so a
file the walk refused (a link out of the folder, a FIFO) is never read for it. A
file that got findings only after its lint (across files, the probe) is read
again through the linter, and shown only if unchanged since.
See :mod:`feedlint.reporters._audit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from feedlint.reporters._audit import READ_CAP
from feedlint.reporters._base import Reporter

if TYPE_CHECKING:
    from feedlint.results import RunResult


class HtmlReporter(Reporter):
    adapts_to_encoding = True  # an ASCII page, with character references, when it must
    source_limit = READ_CAP + 1  # one byte more: enough to say the text was cut

    def write(self, result: RunResult, out: TextIO) -> None:
        # The page's pieces load only when a report is asked for.
        from feedlint.reporters._page import render_report

        render_report(result, self.options, out)
