"""Articles and runs for the audit report's tests (--format html)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from feedlint.diagnostics import Diagnostic, Fix, Severity
from feedlint.engine import FileResult, RunResult
from tests.conftest import FIXTURES, SAMPLE

#: The runs compared leave out dates in the future (FL405): their messages name the
#: current time, which differs between two runs.
STABLE = ["--ignore", "FL405"]
#: A file name that is markup, as an archive can hold.
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>.md"
#: An article whose every field tries to run script in the page that reports it.
HOSTILE = """---
title: "</script><script>window.__pwned = 'title'; document.title = 'PWNED'</script>"
publishedDateTime: 2023-08-07T08:11:00Z
webUrl: "javascript:window.__pwned='url'"
provider:
  name: "<img src=x onerror=\\"window.__pwned='provider'\\">"
  domain: "<b>evil</b>.example"
quality: "<img src=x onerror=window.__pwned='quality'>"
"<script>window.__pwned='key'</script>": 1
excerpt: "<!-- <script> ]]> &amp; \\u2028 </script >"
---
<script>window.__pwned = 'body'</script>
"""


def make_archive(root: Path) -> Path:
    """An archive with clean, failing, warning-only and hostile articles in subfolders."""
    archive = root / "archive"
    for kind in ("fail", "pass"):
        target = archive / kind
        target.mkdir(parents=True)
        for path in sorted((FIXTURES / kind).rglob("*.md")):
            copy = target / path.relative_to(FIXTURES / kind)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, copy)
    sample = SAMPLE.read_text("utf-8")
    (archive / "seeds").mkdir()
    (archive / "seeds" / "clean.md").write_text(sample, "utf-8")
    # Another article of the same site (not a duplicate), with one warning.
    (archive / "seeds" / "warnings-only.md").write_text(
        sample.replace("published: false", "published: no").replace(
            "all-cases-of-mistaken", "more-cases-of-mistaken"
        ),
        "utf-8",
    )
    (archive / "seeds" / HOSTILE_NAME).write_text(HOSTILE, "utf-8")
    return archive


def report_data(page: str) -> dict[str, Any]:
    """The findings embedded in a report page."""
    match = re.search(
        r'<script type="application/json" id="feedlint-data">(.*?)</script>', page, re.S
    )
    assert match is not None, "the page has no data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def big_run(root: Path, files: int, per_file: int) -> RunResult:
    """A run of ``files * per_file`` findings over real files, made without linting
    (each result holds its file's bytes, as a run for the report keeps them).

    Each file is the sample article under another provider domain; its findings
    point at real values, every fourth with a fix, one code in five a warning.
    """
    sample = SAMPLE.read_text("utf-8")
    lines = sample.split("\n")
    codes = ("FL102", "FL103", "FL105", "FL106", "FL011")
    results = []
    for i in range(files):
        path = root / f"article-{i:06d}.md"
        path.write_text(sample.replace("techstory.in", f"site{i % 40}.example"), "utf-8")
        diagnostics = []
        for k in range(per_file):
            line = 2 + (k * 3) % 60
            text = lines[line - 1]
            column = text.find(": ") + 3 if ": " in text else 1
            code = codes[k % len(codes)]
            diagnostics.append(
                Diagnostic(
                    file=str(path),
                    line=line,
                    column=column,
                    end_line=line,
                    end_column=max(column + 1, len(text) + 1),
                    code=code,
                    rule="rule",
                    severity=Severity.WARNING if code == "FL011" else Severity.ERROR,
                    message=f"finding {k} of article {i}: the value on line {line} is wrong",
                    pointer="/title",
                    fix=Fix("/title", f"fixed {k}", "replace the value") if k % 4 == 0 else None,
                )
            )
        results.append(FileResult(str(path), diagnostics, source=path.read_bytes()))
    return RunResult(results)


def probe_run(root: Path) -> RunResult:
    """A run as ``--probe`` leaves it: each file's URLs in its facts, FL6xx on some.

    Three hosts: one with a broken and a fine link, one that blocks the checker,
    one whose links are all fine.
    """
    urls = {
        "a.md": ("https://news.example/gone", "https://cdn.example/a.jpg"),
        "b.md": ("https://paywall.example/story", "https://cdn.example/b.jpg"),
        "c.md": ("https://news.example/here", "https://cdn.example/c.jpg"),
    }
    problems = {
        "a.md": ("FL601", "broken-link", Severity.ERROR, "webUrl is broken: 404 Not Found"),
        "b.md": ("FL604", "blocked-link", Severity.WARNING,
                 "webUrl is blocked for the link checker: 403 Forbidden"),
    }
    results = []
    for name, (page, image) in urls.items():
        path = root / name
        text = (
            f'---\ntitle: "{name}"\nwebUrl: "{page}"\nimages:\n'
            f'  - url: "{image}"\n    width: 800\n    height: 600\n---\n'
        )
        path.write_text(text, "utf-8")
        page_span = (3, 9, 3, 9 + len(page) + 2)
        image_span = (5, 10, 5, 10 + len(image) + 2)
        facts = {"links": [
            (page, "/webUrl", False, page_span, None),
            (image, "/images/0/url", True, image_span, (800, 600)),
        ]}
        diagnostics = []
        if name in problems:
            code, rule, severity, message = problems[name]
            diagnostics.append(Diagnostic(str(path), *page_span, code, rule, severity, message,
                                          "/webUrl"))
        results.append(
            FileResult(str(path), diagnostics, facts=facts, source=text.encode("utf-8"))
        )
    return RunResult(results)
