"""Findings -> diagnostics: a finding placed in its file and stamped from the registry.

A check says *what* is wrong and *where in the data* (a JSON pointer); placing
turns that into a :class:`~feedlint.diagnostics.Diagnostic`: the span in the file
(through the article's source map, unless the check gave one), the rule's name
and its default severity, the message cut to a length a person reads. Nothing is
dropped here: what is reported, and with which severity, is decided afterwards by
:mod:`feedlint.decide`, and only there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from feedlint.diagnostics import MAX_MESSAGE, Diagnostic, Finding, Severity, Span, printable
from feedlint.document import Article
from feedlint.rules import rule_for
from feedlint.rules.internal import INTERNAL_ERROR

#: Where a finding about the whole file (or a file with no article) is placed.
FIRST_CHARACTER = Span(1, 1, 1, 2)


def place(path: str, article: Article | None, findings: Iterable[Finding]) -> list[Diagnostic]:
    """Each finding as a diagnostic of the file ``path``."""
    shown = printable(path)
    out = []
    for finding in findings:
        rule = rule_for(finding.code)
        if finding.span is not None:
            span = finding.span
        elif article is not None:
            span = article.span_of(finding.pointer, finding.target)
        else:
            span = FIRST_CHARACTER
        out.append(
            Diagnostic(
                file=shown,
                line=span.line,
                column=span.column,
                end_line=span.end_line,
                end_column=span.end_column,
                code=finding.code,
                rule=rule.name,
                severity=finding.severity or rule.severity,
                message=printable(finding.message, MAX_MESSAGE),
                pointer=finding.pointer,
                fix=finding.fix,
            )
        )
    return out


def internal_error(what: str, err: BaseException) -> Finding:
    """FL900 naming what crashed, the exception and where it was raised."""
    import traceback

    where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place_ = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
    detail = str(err)
    if len(detail) > 200:
        detail = detail[:200] + "..."
    return Finding(
        INTERNAL_ERROR.code,
        f"{what} crashed on this file ({type(err).__name__}: {detail}{place_}); "
        "please report it with the file",
    )


def crash_diagnostic(path: str, what: str, err: BaseException) -> Diagnostic:
    """FL900 built without the registry or the gate, which may be what failed."""
    finding = internal_error(what, err)
    return Diagnostic(
        file=printable(path),
        line=1,
        column=1,
        end_line=1,
        end_column=2,
        code=INTERNAL_ERROR.code,
        rule=INTERNAL_ERROR.name,
        severity=Severity.ERROR,
        message=printable(finding.message, MAX_MESSAGE),
    )
