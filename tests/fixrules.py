"""Small rules with fixes, for testing ``--fix`` apart from the real content rules.

``install()`` registers them next to the real modules (in-process, or in a
``python -c`` child for command-line tests: see :func:`run_with_fixrules`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from feedlint.diagnostics import Finding, Fix
from feedlint.document import Article, escape_pointer_token
from feedlint.rules import Option, Rule, RuleContext, RuleModule
from tests.conftest import ROOT, Run


def _rule(code: str, name: str, fix: str) -> Rule:
    return Rule(code, name, name, "test rule", "test rule", "", "", fix=fix)


RULES = (
    _rule("FL791", "double-space", "collapses runs of spaces"),
    _rule("FL792", "portrait-swapped", "swaps width and height"),
    _rule("FL793", "step", "moves the title one step on"),
)


def _strings(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{pointer}/{escape_pointer_token(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{pointer}/{index}")
    elif isinstance(node, str):
        yield pointer, node


def check(article: Article, context: RuleContext) -> Iterator[Finding]:
    for pointer, value in _strings(article.data):
        if "  " in value and context.options.get("collapse", True):
            fixed = re.sub(" {2,}", " ", value)
            yield Finding("FL791", "runs of spaces", pointer, fix=Fix(pointer, fixed, "collapse"))
    for index, image in enumerate(article.get("/images", []) or []):
        if not isinstance(image, dict):
            continue
        width, height = image.get("width"), image.get("height")
        url = str(image.get("url", ""))
        sized = isinstance(width, int) and isinstance(height, int)
        if "portrait" in url and sized and width > height:
            base = f"/images/{index}"
            yield Finding("FL792", "swapped", f"{base}/width",
                          fix=Fix(f"{base}/width", height, "swap"))
            yield Finding("FL792", "swapped", f"{base}/height",
                          fix=Fix(f"{base}/height", width, "swap"))
    title = article.get("/title")
    if isinstance(title, str) and re.fullmatch(r"step[12]", title):
        step = int(title[-1]) + 1
        yield Finding("FL793", "next step", "/title", fix=Fix("/title", f"step{step}", "step"))


MODULE = RuleModule(
    name="fixtest",
    rules=RULES,
    check=check,
    options={"collapse": Option(True, "collapse runs of spaces")},
)


def install() -> None:
    """Register the test module wherever the registry is read."""
    import feedlint.config
    import feedlint.pipeline
    import feedlint.rules

    modules = (*feedlint.rules.MODULES, MODULE)
    for namespace in (feedlint.rules, feedlint.pipeline, feedlint.config):
        namespace.MODULES = modules  # type: ignore[attr-defined]
    for rule in RULES:
        feedlint.rules.RULES[rule.code] = rule
    feedlint.config.RULES = feedlint.rules.RULES  # type: ignore[attr-defined]


def run_with_fixrules(
    args: Sequence[str], *, cwd: str | os.PathLike[str] | None = None, input: bytes | None = None
) -> Run:
    """Run the command line in a child process, with these rules installed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDLINT_", "GITHUB_"))}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    code = (
        "import sys; import tests.fixrules as f; f.install(); "
        "from feedlint.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))
