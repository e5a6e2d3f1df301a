"""FL9xx: when feedlint itself fails, it says so rather than passing silently."""

from __future__ import annotations

from feedlint.rules._base import Rule, RuleModule

#: Each code by its own name, for the modules that raise it.
FL900 = "FL900"
FL999 = "FL999"

INTERNAL_ERROR = Rule(
    code=FL900,
    name="internal-error",
    summary="A check crashed on this file",
    what="A check raised an unexpected exception while looking at this file. The other "
    "checks still ran; this one could not say whether the file is right.",
    why="A crash must never look like a pass. The run exits 2 so that CI notices, and "
    "the message names the check so the crash can be reported with the file.",
    example="---\n(any file that makes a check crash)\n---\n",
    fixed="---\n(the same file, once the check is fixed)\n---\n",
    illustrative=True,
)

UNKNOWN_CODE = Rule(
    code=FL999,
    name="unknown-code",
    summary="A finding with a code feedlint does not know",
    what="Placeholder for a code that is not in the registry.",
    why="It should never be seen; if it is, it is a bug in feedlint.",
    example="",
    fixed="",
)

MODULE = RuleModule(name="internal", rules=(INTERNAL_ERROR,))
