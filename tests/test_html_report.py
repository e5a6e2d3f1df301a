"""--format html without a browser: what the page holds, how it is escaped, what it costs.

The page is opened in a real browser by tests/test_html_browser.py; these check
the markup and the embedded data directly.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from feedlint.diagnostics import Diagnostic, Fix, Severity
from feedlint.discovery import discover
from feedlint.engine import FileResult, Linter, RunResult
from feedlint.reporters import REPORTERS, ReportOptions
from feedlint.reporters._audit import (
    MAX_SOURCE_LINES,
    NO_PROVIDER,
    READ_CAP,
    SourceReader,
    build_audit,
    provider_domain,
    value_at,
)
from feedlint.reporters._page import script_json
from feedlint.settings import Settings
from tests.conftest import run_feedlint
from tests.html_cases import HOSTILE_NAME, STABLE, big_run, make_archive, report_data


class _Markup(HTMLParser):
    """Every element and attribute of a page, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def _markup(page: str) -> _Markup:
    parser = _Markup()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def archive_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict]:
    root = tmp_path_factory.mktemp("html-report")
    make_archive(root)
    page = run_feedlint(["check", *STABLE, "--format", "html", "archive"], cwd=root)
    assert page.returncode == 1, page.stderr
    listed = run_feedlint(["check", *STABLE, "--format", "json", "archive"], cwd=root)
    return root, page.stdout, listed.json()


def test_html_is_a_format_choice() -> None:
    assert "html" in REPORTERS


def test_page_is_self_contained(archive_run: tuple[Path, str, dict]) -> None:
    _, page, _ = archive_run
    markup = _markup(page)
    # Nothing is loaded from anywhere: no external script, style, font, image or frame.
    for tag, attrs in markup.tags:
        assert tag not in ("link", "iframe", "object", "embed", "img", "base"), tag
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert "@import" not in page and "url(" not in page
    # Exactly two scripts: the data (not executable) and the page's own code,
    # which the Content-Security-Policy allows by its hash and nothing else.
    kinds = [attrs.get("type") for attrs, _ in markup.scripts]
    assert kinds == ["application/json", None]
    code = markup.scripts[1][1]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    policy = next(
        attrs["content"] for tag, attrs in markup.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_hostile_article_stays_text(archive_run: tuple[Path, str, dict]) -> None:
    _, page, _ = archive_run
    markup = _markup(page)
    assert len(markup.scripts) == 2
    for tag, attrs in markup.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert tag not in ("img", "b"), tag
    data_block = markup.scripts[0][1]
    assert "<" not in data_block and ">" not in data_block and "&" not in data_block
    data = json.loads(data_block)
    paths = [f[0] for f in data["files"]]
    assert f"archive/seeds/{HOSTILE_NAME}" in paths
    # The hostile values arrive intact, as data.
    values = {row[8] for row in data["rows"]}
    assert "\"<img src=x onerror=window.__pwned='quality'>\"" in values
    assert "\"<script>window.__pwned='key'</script>\"" in values
    assert "<b>evil</b>.example" in data["providers"]
    # The provider chart's label is escaped markup.
    assert "&lt;b&gt;evil&lt;/b&gt;.example" in page


def test_script_json_cannot_end_its_block() -> None:
    text = script_json({"a": "</script><!-- <script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- <script> & \u2028"}


def test_embedded_data_matches_json_output(archive_run: tuple[Path, str, dict]) -> None:
    _, page, listed = archive_run
    data = report_data(page)
    rows = [
        (data["files"][r[0]][0], r[1], r[2], r[3], r[4], data["codes"][r[5]][0],
         ("error", "warning")[r[6]], data["messages"][r[7]])
        for r in data["rows"]
    ]
    expected = [
        (d["file"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"],
         d["severity"], d["message"])
        for d in listed["diagnostics"]
    ]
    assert rows == expected
    cards = dict(re.findall(r'id="sum-([a-z-]+)" data-value="(\d+)"', page))
    assert int(cards["files"]) == listed["files_checked"]
    severities = [d["severity"] for d in listed["diagnostics"]]
    assert int(cards["errors"]) == severities.count("error")
    assert int(cards["warnings"]) == severities.count("warning")
    with_errors = {d["file"] for d in listed["diagnostics"] if d["severity"] == "error"}
    with_any = {d["file"] for d in listed["diagnostics"]}
    assert int(cards["failing"]) == len(with_errors)
    assert int(cards["warning-files"]) == len(with_any - with_errors)
    assert int(cards["clean"]) == listed["files_checked"] - len(with_any)


def test_values_providers_and_front_matter(archive_run: tuple[Path, str, dict]) -> None:
    _, page, _ = archive_run
    data = report_data(page)
    files = {f[0]: f for f in data["files"]}
    by_place = {(data["files"][r[0]][0], r[1], data["codes"][r[5]][0]): r for r in data["rows"]}
    # The offending value as written in the file, at the diagnostic's span.
    assert by_place[("archive/fail/wrong-types.md", 15, "FL102")][8] == '"800"'
    assert by_place[("archive/fail/ranges.md", 6, "FL105")][8] == "101"
    assert by_place[("archive/fail/unknown-key-typo.md", 4, "FL103")][8] == "pubishedDateTime"
    # What a fix would write, from the rules' own fixes.
    tracking = by_place[("archive/fail/urls/tracking.md", 5, "FL204")]
    assert tracking[8] == "https://www.example.com/a?id=7&utm_source=twitter&utm_medium=social"
    assert tracking[9] == '"https://www.example.com/a?id=7"'
    assert tracking[10] == "drop the tracking parameters utm_source, utm_medium"
    assert by_place[("archive/fail/images/swapped.md", 8, "FL303")][8:10] == ["799", "1200"]
    # A missing field points at the whole front matter: no value to show.
    assert by_place[("archive/fail/missing-fields.md", 1, "FL101")][8] == ""
    # Providers come from the front matter, flow style included.
    providers = data["providers"]
    assert providers[files["archive/seeds/warnings-only.md"][1]] == "techstory.in"
    assert providers[files["archive/fail/wrong-types.md"][1]] == "example.com"
    assert providers[files["archive/fail/missing-fields.md"][1]] == NO_PROVIDER
    # The whole front matter of a failing file, up to its closing fence.
    warn = files["archive/seeds/warnings-only.md"]
    chunks = warn[6]
    assert len(chunks) == 1 and chunks[0][0] == 1
    assert chunks[0][1][0] == "---" and chunks[0][1][-1] == "---"
    assert chunks[0][1][10] == "published: no"
    assert len(chunks[0][1]) == warn[4]
    # Clean files are not in the page at all.
    assert "archive/seeds/clean.md" not in files
    assert "archive/pass/minimal.md" not in files


def _run_with(tmp_path: Path, text: str, diagnostics: list[Diagnostic]) -> dict:
    path = tmp_path / "a.md"
    path.write_text(text, "utf-8")
    placed = [
        Diagnostic(str(path), d.line, d.column, d.end_line, d.end_column, d.code, d.rule,
                   d.severity, d.message, d.pointer, d.fix)
        for d in diagnostics
    ]
    out = io.StringIO()
    REPORTERS["html"]().write(
        RunResult([FileResult(str(path), placed, source=path.read_bytes())]), out
    )
    return report_data(out.getvalue())


def _diag(line: int, column: int, end: int, code: str = "FL201", pointer: str = "/webUrl",
          fix: Fix | None = None, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic("", line, column, line, end, code, "rule", severity, "message", pointer, fix)


ARTICLE = """---
title: "Ünïcode title"
webUrl: "http://Example.com/a"
provider: {name: Example, domain: Example.COM}
publishedDateTime: 2023-08-07T08:11:00Z
---
body
"""


def test_fix_shows_the_fixed_value(tmp_path: Path) -> None:
    fix = Fix("/webUrl", "https://example.com/a", "use https")
    elsewhere = Fix("/ampWebUrl", ["a", 1], "add the AMP URL")
    data = _run_with(tmp_path, ARTICLE, [
        _diag(3, 9, 31, fix=fix),
        _diag(3, 9, 31, code="FL202", fix=elsewhere),
        _diag(2, 8, 23, code="FL203", pointer="/title"),
    ])
    rows = {data["codes"][r[5]][0]: r for r in data["rows"]}
    assert rows["FL201"][8] == '"http://Example.com/a"'
    assert rows["FL201"][9] == '"https://example.com/a"'
    assert rows["FL201"][10] == "use https"
    # A fix at another field says which.
    assert rows["FL202"][9] == 'ampWebUrl: ["a", 1]'
    # Columns count code points.
    assert rows["FL203"][8] == '"Ünïcode title"'
    assert rows["FL203"][9] is None
    assert data["providers"] == ["example.com"]


def test_link_status_per_host_from_link_findings(tmp_path: Path) -> None:
    text = """---
webUrl: "https://dead.example/a"
originalUrl: https://dead.example/b
ampWebUrl: 'https://slow.example/amp'
---
"""
    path = tmp_path / "links.md"
    path.write_text(text, "utf-8")
    diagnostics = [
        Diagnostic(str(path), 2, 9, 2, 33, "FL601", "link-broken", Severity.ERROR, "404",
                   "/webUrl"),
        Diagnostic(str(path), 3, 14, 3, 37, "FL601", "link-broken", Severity.ERROR, "410",
                   "/originalUrl"),
        Diagnostic(str(path), 4, 12, 4, 38, "FL602", "link-blocked", Severity.WARNING, "403",
                   "/ampWebUrl"),
    ]
    audit = build_audit(
        [(str(path), diagnostics)], 1, SourceReader({str(path): path.read_bytes()})
    )
    assert {host: (sorted(s.broken), sorted(s.blocked)) for host, s in audit.links.items()} == {
        "dead.example": (["https://dead.example/a", "https://dead.example/b"], []),
        "slow.example": ([], ["https://slow.example/amp"]),
    }
    out = io.StringIO()
    REPORTERS["html"]().write(
        RunResult([FileResult(str(path), diagnostics, source=path.read_bytes())]), out
    )
    chart = re.search(r'<svg id="chart-links".*?</svg>', out.getvalue(), re.S)
    assert chart is not None
    assert 'data-value="dead.example"' in chart.group(0)
    assert "dead.example: 2 broken" in chart.group(0)
    assert "slow.example: 1 blocked or moved" in chart.group(0)
    assert "fine" not in chart.group(0)


def test_link_status_per_host_after_probe(tmp_path: Path) -> None:
    """A --probe run keeps every file's URLs: the hosts' fine links are counted too."""
    text = '---\nwebUrl: "https://dead.example/a"\n---\n'
    failing, clean = tmp_path / "failing.md", tmp_path / "clean.md"
    failing.write_text(text, "utf-8")
    clean.write_text(text.replace("dead.example/a", "fine.example/b"), "utf-8")
    broken = Diagnostic(str(failing), 2, 9, 2, 33, "FL601", "broken-link", Severity.ERROR,
                        "webUrl is broken: 404", "/webUrl")
    span = (2, 9, 2, 33)
    result = RunResult([
        FileResult(str(failing), [broken], source=failing.read_bytes(), facts={"links": [
            ("https://dead.example/a", "/webUrl", False, span, None),
            ("https://dead.example/img.png", "/images/0/url", True, span, (1, 1)),
        ]}),
        FileResult(str(clean), [], facts={"links": [
            ("https://fine.example/b", "/webUrl", False, span, None),
            ("https://dead.example/img.png", "/images/0/url", True, span, (1, 1)),
        ]}),
    ])
    out = io.StringIO()
    REPORTERS["html"]().write(result, out)
    chart = re.search(r'<svg id="chart-links".*?</svg>', out.getvalue(), re.S)
    assert chart is not None
    titles = re.findall(r"<title>(.*?)</title>", chart.group(0))
    # Hosts with problems first.
    assert titles == ["dead.example: 1 broken, 1 fine", "fine.example: 1 fine"]
    assert "checked by --probe" in out.getvalue()


def test_no_link_chart_without_link_findings(archive_run: tuple[Path, str, dict]) -> None:
    _, page, _ = archive_run
    assert 'id="chart-links"' in page
    assert "No link problems reported" in page


def test_standard_input_is_shown_from_memory(tmp_path: Path) -> None:
    text = "---\ntitle: 5\n---\n"
    run = run_feedlint(
        ["check", "--format", "html", "-", "--stdin-filename", "not-on-disk.md"],
        cwd=tmp_path, input=text.encode(),
    )
    data = report_data(run.stdout)
    assert data["files"][0][0] == "not-on-disk.md"
    assert data["files"][0][6] == [[1, ["---", "title: 5", "---"]]]
    assert "5" in {r[8] for r in data["rows"]}


def test_a_file_gone_before_the_report(tmp_path: Path) -> None:
    """The report shows the bytes the lint read: a file removed (or changed) since
    is shown as it was linted. A result that kept no bytes shows no source, even
    when a file of that name is on disk: the report never opens one."""
    (tmp_path / "gone.md").write_bytes(b"---\ntitle: 5\n---\n")
    linter = Linter(Settings())
    linter.source_limit = READ_CAP + 1
    result = linter.run(discover([str(tmp_path)]))
    (tmp_path / "gone.md").unlink()
    data = report_data(_html(result))
    assert data["files"][0][6] == [[1, ["---", "title: 5", "---"]]]
    assert "5" in {r[8] for r in data["rows"]}

    kept_nothing = str(tmp_path / "on-disk.md")
    Path(kept_nothing).write_text("---\ntitle: SHOULD-NOT-BE-SHOWN\n---\n", "utf-8")
    diagnostic = Diagnostic(
        kept_nothing, 2, 8, 2, 28, "FL102", "wrong-type", Severity.ERROR, "bad", "/title"
    )
    page = _html(RunResult([FileResult(kept_nothing, [diagnostic])]))
    data = report_data(page)
    assert data["files"][0][6] is None
    assert data["files"][0][5] == "source not shown: the run kept no text of it"
    assert data["rows"][0][8] == ""
    assert data["providers"] == ["(not readable)"]
    assert "SHOULD-NOT-BE-SHOWN" not in page


def test_long_front_matter_and_the_budget(tmp_path: Path) -> None:
    long_text = "---\n" + "".join(f"k{i}: v{i}\n" for i in range(MAX_SOURCE_LINES + 50)) + "---\n"
    files = []
    for name in ("a.md", "b.md", "c.md", "d.md"):
        (tmp_path / name).write_text(long_text if name == "a.md" else ARTICLE, "utf-8")
        files.append((str(tmp_path / name), [
            Diagnostic(str(tmp_path / name), 3, 1, 3, 4, "FL103", "r", Severity.ERROR, "m", "/x"),
        ]))
    # Room for a's window and one short front matter, not two.
    sources = SourceReader({path: Path(path).read_bytes() for path, _ in files})
    audit = build_audit(files, 4, sources, source_budget=len(ARTICLE) + 40)
    a, b, c, d = audit.files
    # Too long: the lines around the finding.
    assert a.chunks == [(1, ["---", "k0: v0", "k1: v1", "k2: v2", "k3: v3"])]
    assert "long" in a.note
    # Within the budget: whole.
    assert b.chunks is not None and len(b.chunks[0][1]) == 6 and not b.note
    # Past the budget: the lines around the finding, then (budget spent) its line alone.
    assert c.chunks is not None and [len(chunk) for _, chunk in c.chunks] == [5]
    assert "around" in c.note and "budget" in c.note
    assert d.chunks == [(3, ['webUrl: "http://Example.com/a"'])]
    assert "lines of the findings" in d.note


@pytest.mark.parametrize(
    ("front_matter", "domain"),
    [
        ("provider:\n  name: A\n  domain: a.example\n", "a.example"),
        ("provider:\n  domain: 'B.Example'  # comment\n  name: B\n", "b.example"),
        ('provider:\n\n  name: "C"\n  domain: "c.example"\n', "c.example"),
        ("provider: {name: D, domain: d.example}\n", "d.example"),
        ("related:\n  - provider:\n      domain: r.example\n", NO_PROVIDER),
        ("provider:\n  name: E\ntitle: x\n", NO_PROVIDER),
        ("title: no provider\n", NO_PROVIDER),
        ("provider: [broken\n", NO_PROVIDER),
    ],
)
def test_provider_domain(front_matter: str, domain: str) -> None:
    assert provider_domain("---\n" + front_matter + "---", bare=False) == domain


def test_provider_domain_of_bare_json() -> None:
    text = (
        '{"related": [{"provider": {"domain": "r.example"}}],'
        ' "provider": {"domain": "j.example"}}'
    )
    assert provider_domain(text, bare=True) == "j.example"


def test_value_spanning_lines_shows_its_first() -> None:
    lines = ["---", "title: >", "  folded", "---"]
    d = Diagnostic("a", 2, 8, 3, 9, "FL102", "r", Severity.ERROR, "m", "/title")
    assert value_at(lines, d) == "> …"


def test_reporter_options_default_to_no_sources() -> None:
    assert dict(ReportOptions().sources) == {}


def test_100k_findings_are_fast_and_bounded(tmp_path: Path) -> None:
    """100,000 findings over 5,000 articles: a few seconds to write, tens of MB at most."""
    result = big_run(tmp_path, files=5000, per_file=20)
    out = io.StringIO()
    started = time.perf_counter()
    REPORTERS["html"]().write(result, out)
    elapsed = time.perf_counter() - started
    size = len(out.getvalue().encode("utf-8"))
    data = report_data(out.getvalue())
    assert len(data["rows"]) == 100_000
    assert elapsed < 20, f"writing the report took {elapsed:.1f} s"
    assert size < 40_000_000, f"the report is {size:,} bytes"


def test_page_for_an_ascii_only_stream(archive_run: tuple[Path, str, dict]) -> None:
    """Where standard output cannot encode UTF-8, the page is written in ASCII."""
    root, page, _ = archive_run
    result = run_feedlint(
        ["check", *STABLE, "--format", "html", "archive"], cwd=root,
        env={"PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.isascii()
    assert report_data(result.stdout) == report_data(page)
    assert "people\u2019s" in json.dumps(report_data(page)["files"], ensure_ascii=False)
    # The script is ASCII too, so its hash in the policy holds either way.
    markup = _markup(result.stdout)
    assert markup.scripts[1][1] == _markup(page).scripts[1][1]


def test_the_docs_command(tmp_path: Path) -> None:
    from tests.test_docs_examples import blocks, feedlint_args, section

    (block,) = blocks(section("audit-report.md", "Writing the report"), "sh")
    (command,) = [line for line in block.splitlines() if line.strip()]
    make_archive(tmp_path)
    run = run_feedlint(feedlint_args(command), cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "report written to report.html" in run.stderr
    data = report_data((tmp_path / "report.html").read_text("utf-8"))
    assert data["rows"] and data["files"]


@pytest.mark.parametrize(("files", "verdict"), [
    (0, "no article files were checked"),
    (2, "all 2 files are clean"),
])
def test_clean_runs(files: int, verdict: str) -> None:
    out = io.StringIO()
    REPORTERS["html"]().write(RunResult([FileResult(f"{i}.md") for i in range(files)]), out)
    assert f'<p class="verdict" id="verdict">{verdict}</p>' in out.getvalue()
    data = report_data(out.getvalue())
    assert data["rows"] == [] and data["files"] == []


# -- what the report reads: only what the lint read ----------------------------------


SECRET = "SECRET-TOKEN-7f3a9c"
ENV_MARKER = "ENV-MARKER-51d2e8"


def _html(result: RunResult) -> str:
    out = io.StringIO()
    REPORTERS["html"]().write(result, out)
    return out.getvalue()


def _file_entry(data: dict, path: str) -> list:
    (entry,) = [f for f in data["files"] if f[0] == path]
    return entry


def _codes_of(data: dict, path: str) -> list[str]:
    index = [f[0] for f in data["files"]].index(path)
    return [data["codes"][r[5]][0] for r in data["rows"] if r[0] == index]


def _linted_tree(tmp_path: Path) -> Path:
    """``articles/`` with one bad article, beside ``secrets/ci.md``: front matter
    that would be linted (and show the secret as a wrong value) were it read."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "ci.md").write_text(f"---\ntitle: 5\nwebUrl: {SECRET}\n---\n", "utf-8")
    tree = tmp_path / "articles"
    tree.mkdir()
    (tree / "bad.md").write_bytes(b"---\ntitle: 5\n---\n")
    return tree


def test_links_out_of_the_folder_are_not_shown_in_the_report(tmp_path: Path) -> None:
    """The walk refuses ``leak.md -> ../secrets/ci.md`` and ``env.md ->
    /proc/self/environ`` (FL013); the report used to open them again to show their
    source, putting the secret, or every environment variable of the CI job, into
    the page. Cold and warm (result cache) runs alike."""
    tree = _linted_tree(tmp_path)
    (tree / "leak.md").symlink_to(Path("..") / "secrets" / "ci.md")
    (tree / "env.md").symlink_to("/proc/self/environ")
    env = {"FEEDLINT_TEST_MARKER": ENV_MARKER}
    for _ in ("cold", "warm"):
        run = run_feedlint(
            ["check", "--format", "html", "--output-file", "report.html", "."],
            cwd=tree, env=env, timeout=60,
        )
        assert run.returncode == 1, run.stderr
        page = (tree / "report.html").read_text("utf-8")
        assert SECRET not in page
        assert ENV_MARKER not in page
        assert "PYTHONPATH=" not in page and "PATH=" not in page
        data = report_data(page)
        for name in ("leak.md", "env.md"):
            assert _codes_of(data, name) == ["FL013"]
            entry = _file_entry(data, name)
            assert entry[6] is None  # no source
            assert entry[5] == "source not shown: the file was not read (FL013)"
            assert {r[8] for r in data["rows"] if data["files"][r[0]][0] == name} == {""}
        # The article the lint read is shown, from the bytes it read.
        assert _file_entry(data, "bad.md")[6] == [[1, ["---", "title: 5", "---"]]]


def test_a_fifo_in_the_folder_does_not_hang_the_report(tmp_path: Path) -> None:
    """The walk refuses a FIFO (FL013) without opening it; the report used to open
    it to show its source, and wait forever for a writer."""
    tree = _linted_tree(tmp_path)
    os.mkfifo(tree / "pipe.md")
    run = run_feedlint(
        ["check", "--format", "html", "--no-cache", "--output-file", "report.html", "."],
        cwd=tree, timeout=30,
    )
    assert run.returncode == 1, run.stderr
    data = report_data((tree / "report.html").read_text("utf-8"))
    assert _codes_of(data, "pipe.md") == ["FL013"]
    assert _file_entry(data, "pipe.md")[6] is None
    assert "FL013" in _file_entry(data, "pipe.md")[5]


def test_a_file_swapped_for_a_link_after_the_lint_is_not_read(tmp_path: Path) -> None:
    """Between the lint and the report, ``bad.md`` becomes a link to a secret outside
    the folder: the report shows the bytes the lint read, never the link's target.
    The run is served by the result cache (the file's result is not linted again),
    whose hit is taken on the bytes read through the linter's one reader."""
    from feedlint.cache import ResultCache

    tree = _linted_tree(tmp_path)
    cache_dir = str(tmp_path / "cache")

    def run() -> tuple[RunResult, ResultCache]:
        linter = Linter(Settings())
        linter.source_limit = READ_CAP + 1
        cache = ResultCache.for_run(cache_dir, linter.settings, linter.schema)
        return linter.run(discover([str(tree)]), cache=cache), cache

    run()  # fills the cache
    # Any further lint of the file would break the test: the second run must hit.
    with pytest.MonkeyPatch.context() as patch:
        def no_lint(*args: object, **kwargs: object) -> None:
            raise AssertionError("linted again: not a cache hit")

        patch.setattr(Linter, "lint_raw", no_lint)
        result, _ = run()
    assert not result.internal_errors
    (tree / "bad.md").unlink()
    (tree / "bad.md").symlink_to(Path("..") / "secrets" / "ci.md")
    page = _html(result)
    assert SECRET not in page
    data = report_data(page)
    assert data["files"][0][6] == [[1, ["---", "title: 5", "---"]]]
    assert "5" in {r[8] for r in data["rows"]}


# -- files whose findings come after their lint --------------------------------------
# A run for the report keeps the bytes of the files with findings when their lint
# ends, and only a digest of the others; a file that the checks across files (FL520)
# or the probe give findings later is read again through the linter for the report.

DUPLICATE = (
    '---\ntitle: "Same story {name}"\npublishedDateTime: 2001-01-01T00:00:00Z\n'
    "webUrl: https://example.com/same\nprovider: {{name: E, domain: example.com}}\n---\n"
)


def _duplicate_pair(tree: Path) -> None:
    """``a.md`` and ``b.md``: clean articles but for FL520, found only across files;
    ``c.md``: a clean article."""
    for name in ("a", "b"):
        (tree / f"{name}.md").write_text(DUPLICATE.format(name=name), "utf-8")
    (tree / "c.md").write_text(
        DUPLICATE.format(name="c").replace("/same", "/other"), "utf-8"
    )


def _front_matter(tree: Path, name: str) -> list[list[object]]:
    return [[1, (tree / name).read_text("utf-8").rstrip("\n").split("\n")]]


def _keeping_run(tree: Path, cache_dir: Path | None = None) -> RunResult:
    from feedlint.cache import ResultCache

    linter = Linter(Settings())
    linter.source_limit = READ_CAP + 1
    cache = None
    if cache_dir is not None:
        cache = ResultCache.for_run(str(cache_dir), linter.settings, linter.schema)
    return linter.run(discover([str(tree)]), cache=cache)


def test_only_files_with_findings_keep_their_bytes(tmp_path: Path) -> None:
    """What the run holds until the report: the bytes of a file with findings when
    its lint ended, a digest (and which file it was) of any other; a result-cache
    hit (whose entry holds no source) keeps the same."""
    tree = tmp_path / "articles"
    tree.mkdir()
    _duplicate_pair(tree)
    (tree / "bad.md").write_bytes(b"---\ntitle: 5\n---\n")
    cold = _keeping_run(tree, tmp_path / "cache")
    kept = {Path(f.path).name: (f.source, f.source_check) for f in cold.files}
    assert kept["bad.md"] == (b"---\ntitle: 5\n---\n", None)
    for name in ("a.md", "b.md", "c.md"):
        source, check = kept[name]
        assert source is None and check is not None and len(check) == 32, name
    assert [Path(d.file).name for d in cold.diagnostics if d.code == "FL520"] == [
        "a.md", "b.md"
    ]
    with pytest.MonkeyPatch.context() as patch:
        def no_lint(*args: object, **kwargs: object) -> None:
            raise AssertionError("linted again: not a cache hit")

        patch.setattr(Linter, "lint_raw", no_lint)
        warm = _keeping_run(tree, tmp_path / "cache")
    assert {Path(f.path).name: (f.source, f.source_check) for f in warm.files} == kept
    assert report_data(_html(warm)) == report_data(_html(cold))


def test_a_duplicate_pair_is_shown(tmp_path: Path) -> None:
    """FL520 is found only across files, after each file's lint kept no bytes of it:
    the report reads the pair again and shows them. Cold and warm (result cache)
    runs alike."""
    tree = tmp_path / "articles"
    tree.mkdir()
    _duplicate_pair(tree)
    for _ in ("cold", "warm"):
        run = run_feedlint(
            ["check", "--format", "html", "--output-file", str(tmp_path / "report.html"),
             "--cache-dir", str(tmp_path / "cache"), "."],
            cwd=tree, timeout=60,
        )
        assert run.returncode == 1, run.stderr
        data = report_data((tmp_path / "report.html").read_text("utf-8"))
        assert [f[0] for f in data["files"]] == ["a.md", "b.md"]
        for name in ("a.md", "b.md"):
            assert _codes_of(data, name) == ["FL520"]
            entry = _file_entry(data, name)
            assert entry[5] == ""  # no note: shown whole
            assert entry[6] == _front_matter(tree, name)
        assert {r[8] for r in data["rows"]} == {"https://example.com/same"}
    assert any((tmp_path / "cache").iterdir())


def test_a_late_finding_file_changed_since_the_lint_is_not_shown(tmp_path: Path) -> None:
    """``a.md`` changes between the lint and the report: its digest no longer matches,
    so the report says why it shows no source rather than show other bytes than
    those its findings were found in. ``b.md``, unchanged, is shown."""
    _duplicate_pair(tmp_path)
    result = _keeping_run(tmp_path)
    (tmp_path / "a.md").write_text(
        DUPLICATE.format(name="a").replace("Same story", "EDITED-AFTER-LINT"), "utf-8"
    )
    page = _html(result)
    assert "EDITED-AFTER-LINT" not in page
    data = report_data(page)
    a, b = str(tmp_path / "a.md"), str(tmp_path / "b.md")
    assert _file_entry(data, a)[6] is None
    assert _file_entry(data, a)[5] == "source not shown: the file changed since it was linted"
    assert {r[8] for r in data["rows"] if data["files"][r[0]][0] == a} == {""}
    assert _file_entry(data, b)[6] == _front_matter(tmp_path, "b.md")


def test_a_late_finding_file_swapped_for_a_link_out_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the lint and the report, ``a.md`` (a clean file but for FL520, so no
    bytes kept) becomes a link to a secret outside the folder: reading it again, the
    linter finds the path no longer leads to the file it linted and opens nothing
    (the secret holds the same article: a check of its bytes would have to read it).
    """
    tree = _linted_tree(tmp_path)
    (tree / "bad.md").unlink()
    _duplicate_pair(tree)
    secret = tmp_path / "secrets" / "a.md"
    secret.write_text(DUPLICATE.format(name="a") + f"{SECRET}\n", "utf-8")
    result = _keeping_run(tree)
    (tree / "a.md").unlink()
    (tree / "a.md").symlink_to(Path("..") / "secrets" / "a.md")

    opened: list[str] = []
    real_open = os.open

    def spy(path: str, *args: object, **kwargs: object) -> int:
        opened.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    page = _html(result)
    monkeypatch.undo()
    assert str(secret.resolve()) not in opened
    assert str((tree / "b.md").resolve()) in opened  # read again: the one still linted
    assert SECRET not in page
    data = report_data(page)
    a = str(tree / "a.md")
    assert _file_entry(data, a)[6] is None
    assert _file_entry(data, a)[5] == "source not shown: the file changed since it was linted"
    assert _file_entry(data, str(tree / "b.md"))[6] == _front_matter(tree, "b.md")
