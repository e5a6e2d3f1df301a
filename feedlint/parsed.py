"""What reading front matter gives, and the bounds every reader of it applies.

Shared by :mod:`feedlint.parsing` (which decodes the file and finds the front
matter), :mod:`feedlint.blockyaml` and :mod:`feedlint.composing` (which read its
YAML): a leaf, so that the parser and the composer it calls never import each
other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from feedlint.diagnostics import Finding, Span
from feedlint.document import Article

#: Deepest nesting accepted (an article is about six levels deep).
MAX_DEPTH = 64
#: Most values (scalars, lists and mappings) accepted in one front matter; the
#: sample article holds 159. Each costs about 20 µs and 0.5 KB to check.
MAX_NODES = 20_000


@dataclass(slots=True)
class ParseResult:
    """An article, or the reasons there is none; ``findings`` may hold warnings either way."""

    article: Article | None
    findings: list[Finding] = field(default_factory=list)


def whole_file(code: str, message: str, span: Span | None = None) -> ParseResult:
    """No article: one finding about the whole file (placed at its first character
    unless ``span`` says where)."""
    return ParseResult(None, [Finding(code, message, span=span or Span(1, 1, 1, 2))])
