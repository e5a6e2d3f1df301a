"""FL8xx: ``# noqa`` comments, reported by :mod:`feedlint.suppression` through the engine."""

from __future__ import annotations

from feedlint.rules._base import Rule, RuleModule

#: Each code by its own name, for the modules that raise it.
FL801 = "FL801"
FL802 = "FL802"

RULES = (
    Rule(
        code=FL801,
        name="unused-noqa",
        summary="A `# noqa` comment silences nothing",
        what="A `# noqa` at the end of a line names a code that is not reported on that "
        "line, a bare `# noqa` has nothing to silence on its line, or a "
        "`# feedlint: noqa: CODE` names a code reported nowhere in the file. A code that "
        "is not a feedlint code, or one that no comment may silence (FL8xx, FL9xx), is "
        "reported too. A code is only judged when its check ran: de-selecting a code "
        "(`--ignore`, `--select`) never makes its `noqa` look unused. A bare `# noqa` is "
        "judged against every check that ran, so for a problem only some runs report, "
        "name its code.",
        why="A suppression outlives the problem it was written for. Left in place it "
        "silently hides the next real problem on that line, so stale ones are reported "
        "and removed, as ruff does with RUF100.",
        example='---\ntitle: "A headline"  # noqa: FL104\n---\n',
        fixed='---\ntitle: "A headline"\n---\n',
    ),
    Rule(
        code=FL802,
        name="invalid-noqa",
        summary="A `# noqa` comment that cannot be read or is misplaced",
        what="A `# noqa:` followed by something that is not a list of codes (`# noqa: "
        "title`, `# noqa:` alone), a `# noqa` on a line of its own (it applies to its "
        "own line, where there is nothing), a `# feedlint: noqa` at the end of a line "
        "instead of on its own line, or an unknown `# feedlint:` directive. Such a "
        "comment silences nothing.",
        why="A suppression that does not do what its author meant lets the problem "
        "through while looking like it was dealt with.",
        example='---\ntitle: "A headline"  # noqa: title\n---\n',
        fixed='---\ntitle: "A headline"\n---\n',
    ),
)

MODULE = RuleModule(name="noqa", rules=RULES)
