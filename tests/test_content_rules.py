"""The content rules (FL2xx-FL5xx) beyond what the fixture files show: their fixes,
their options, checks across files, and how much the fixtures cover."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from feedlint.diagnostics import Diagnostic
from feedlint.discovery import Candidate
from feedlint.document import Article
from feedlint.engine import Linter
from feedlint.parsing import parse
from feedlint.rules import MODULES, RULES
from feedlint.settings import Settings
from tests.conftest import ROOT, SAMPLE, run_feedlint
from tests.test_fixtures import expected, fixture_files

CONTENT_FAMILIES = ("FL2", "FL3", "FL4", "FL5")
#: Fixture subfolder of each content rule module.
CONTENT_FOLDERS = ("urls", "images", "dates", "secured", "related")

ARTICLE = """\
---
title: "A headline"
publishedDateTime: 2023-08-07T08:11:00Z
webUrl: {web}
provider: {{name: Example, domain: {domain}}}
{extra}---
"""


def article(extra: str = "", web: str = "https://www.example.com/a",
            domain: str = "example.com") -> bytes:
    return ARTICLE.format(web=web, domain=domain, extra=extra).encode("utf-8")


def lint(raw: bytes, **settings: Any) -> list[Diagnostic]:
    return Linter(Settings(**settings)).lint_bytes("article.md", raw).diagnostics


def codes(raw: bytes, **settings: Any) -> Counter[str]:
    return Counter(d.code for d in lint(raw, **settings))


def apply_fixes(raw: bytes, diagnostics: list[Diagnostic]) -> bytes:
    """Write each fix's value over the value it names (JSON is valid YAML)."""
    parsed = parse("article.md", raw)
    assert parsed.article is not None
    document: Article = parsed.article
    edits = []
    for diagnostic in diagnostics:
        if diagnostic.fix is None:
            continue
        _, _, start, end = document.source.nodes[diagnostic.fix.pointer]
        edits.append((start, end, json.dumps(diagnostic.fix.value, ensure_ascii=False)))
    text = document.text
    for start, end, value in sorted(set(edits), reverse=True):
        text = text[:start] + value + text[end:]
    return text.encode("utf-8")


# -- coverage of the fixtures ------------------------------------------------


def test_every_content_code_has_three_failing_fixtures() -> None:
    files_by_code: Counter[str] = Counter()
    for path in fixture_files("fail"):
        for code in {code for code, _ in expected(path)}:
            files_by_code[code] += 1
    for code, rule in RULES.items():
        if code.startswith(CONTENT_FAMILIES) and not rule.illustrative:
            assert files_by_code[code] >= 3, f"{code} has {files_by_code[code]} failing fixtures"


@pytest.mark.parametrize("folder", CONTENT_FOLDERS)
def test_every_content_module_has_two_passing_fixtures(folder: str) -> None:
    passing = [p for p in fixture_files("pass") if p.parent.name == folder]
    assert len(passing) >= 2
    assert any(b"\r\n" in p.read_bytes() for p in passing), "one of them has CRLF line endings"


def test_the_seeds_are_clean_under_every_rule() -> None:
    for path in sorted((ROOT / "seeds").iterdir()):
        # Today, and far ahead: no check but the future one depends on the clock.
        for now in (None, datetime(2999, 1, 1, tzinfo=UTC)):
            found = lint(path.read_bytes(), now=now)
            assert found == [], [f"{d.line} {d.code} {d.message}" for d in found]


def test_the_sample_has_every_kind_of_value_the_rules_look_at() -> None:
    """The sample exercises the rules: an AMP pair, size hints, related dates, secured."""
    raw = SAMPLE.read_bytes()
    for needle in (b"cdnAmpWebUrl", b"resize=1200,799", b"fit=2560%2C1707", b"secured:",
                   b"domain: acm.org"):
        assert needle in raw


# -- fixes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (
            "ampWebUrl: https://en-us.example.com/a/amp\n"
            "cdnAmpWebUrl: https://en--us-example-com.cdn.ampproject.org/c/s/en-us.example.com/a/amp\n",
            "FL207",
        ),
        (
            "ampWebUrl: https://www.example.com/a/amp\n"
            "cdnAmpWebUrl: https://www.example.com.cdn.ampproject.org/c/s/www.example.com/a/amp\n",
            "FL207",
        ),
        (
            "images:\n  - url: https://www.example.com/a.jpg?resize=1200,799\n"
            "    width: 799\n    height: 1200\n",
            "FL303",
        ),
        (
            "images:\n  - {url: 'https://www.example.com/a-640x480.jpg', width: 480,"
            " height: 640}\n",
            "FL303",
        ),
        ('secured: "h7s7Phrd5pI5rpDLQGSeFw== ;8QbwxRpe+3tE8W7cc PyotQ=="\n', "FL501"),
        ("secured: h7s7Phrd5pI5rpDLQGSeFw==;8QbwxRpe+3tE8W7c\n  cPyotQ==\n", "FL501"),
    ],
)
def test_fix_repairs_what_it_claims(extra: str, code: str) -> None:
    raw = article(extra)
    found = lint(raw)
    assert code in {d.code for d in found}
    assert all(d.fix is not None for d in found if d.code == code)
    repaired = apply_fixes(raw, found)
    assert lint(repaired) == [], repaired.decode()


def test_tracking_fix_keeps_other_parameters_and_the_fragment() -> None:
    raw = article(web="https://www.example.com/a?utm_source=x&id=7&fbclid=abc&utm_medium=y#top")
    found = lint(raw)
    assert [d.code for d in found] == ["FL204"]
    fix = found[0].fix
    assert fix is not None and fix.value == "https://www.example.com/a?id=7#top"
    assert lint(apply_fixes(raw, found)) == []


def test_tracking_fix_drops_an_emptied_query() -> None:
    raw = article(web="https://www.example.com/a?utm_source=x")
    (finding,) = lint(raw)
    assert finding.fix is not None and finding.fix.value == "https://www.example.com/a"


def test_tracking_in_original_url_has_no_fix() -> None:
    raw = article("originalUrl: https://www.example.com/a?utm_source=x\n")
    (finding,) = lint(raw)
    assert finding.code == "FL204" and finding.pointer == "/originalUrl"
    assert finding.fix is None


def test_rfc3339_fix_and_its_absence_for_a_missing_zone() -> None:
    raw = article().replace(b"2023-08-07T08:11:00Z", b"2023-08-07 08:11+0200")
    (finding,) = lint(raw)
    assert finding.code == "FL401" and finding.fix is not None
    assert finding.fix.value == "2023-08-07T08:11:00+02:00"
    assert lint(apply_fixes(raw, [finding])) == []
    (no_zone,) = lint(article().replace(b"08:11:00Z", b"08:11:00"))
    assert no_zone.code == "FL402" and no_zone.fix is None
    assert "which zone" in no_zone.message


def test_amp_message_says_what_the_cache_url_should_be() -> None:
    raw = article(
        "ampWebUrl: https://www.example.com/a/amp\n"
        "cdnAmpWebUrl: https://example-com.cdn.ampproject.org/c/s/www.example.com/a/amp\n"
    )
    (finding,) = lint(raw)
    assert finding.code == "FL207" and finding.line == 7 and finding.pointer == "/cdnAmpWebUrl"
    right = "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp"
    assert finding.message.endswith(f"it should be {right}")


def test_swap_and_fit_swap() -> None:
    raw = article("images:\n  - url: https://www.example.com/a.jpg?fit=2560,1707\n"
                  "    width: 1707\n    height: 2560\n")
    found = lint(raw)
    assert [(d.code, d.line, d.fix) for d in found] == [("FL303", 8, None), ("FL303", 9, None)]


# -- options -----------------------------------------------------------------


def test_image_bounds_are_an_option() -> None:
    raw = article("images:\n  - {url: 'https://www.example.com/a.jpg', width: 4000, height: 300}\n")
    assert codes(raw) == Counter()
    tight = {"images": {"max-pixels": 2000, "min-pixels": 400}}
    assert codes(raw, rule_options=tight) == Counter({"FL301": 2})


def test_clock_skew_and_now() -> None:
    raw = article().replace(b"2023-08-07T08:11:00Z", b"2023-08-07T08:20:00Z")
    now = datetime(2023, 8, 7, 8, 11, tzinfo=UTC)
    assert codes(raw, now=now) == Counter({"FL405": 1})
    assert codes(raw, now=now, rule_options={"dates": {"clock-skew": "10m"}}) == Counter()
    assert codes(raw, now=now, rule_options={"dates": {"clock-skew": 600}}) == Counter()
    # Five minutes by default: four minutes ahead is a clock's error, not a typo.
    assert codes(raw, now=datetime(2023, 8, 7, 8, 16, tzinfo=UTC)) == Counter()


def test_related_tolerance_and_floor_are_options() -> None:
    related = (
        "related:\n  - title: Older\n    publishedDateTime: 2023-08-01T08:11:00Z\n"
        "    webUrl: https://www.example.org/a\n    provider: {name: O, domain: example.org}\n"
    )
    raw = article(related)
    assert codes(raw) == Counter({"FL406": 1})
    assert codes(raw, rule_options={"dates": {"related-tolerance": "7d"}}) == Counter()
    assert codes(raw, rule_options={"dates": {"floor": "2023-08-02"}}) == Counter({"FL407": 1})


def test_tracking_parameters_are_an_option() -> None:
    raw = article(web="https://www.example.com/a?ref=homepage&utm_source=x")
    assert codes(raw) == Counter({"FL204": 1})
    only_ref = {"urls": {"tracking-parameters": ["ref"]}}
    (finding,) = lint(raw, rule_options=only_ref)
    assert "tracking parameter ref;" in finding.message
    assert codes(raw, rule_options={"urls": {"tracking-parameters": []}}) == Counter()


def test_original_url_host_option() -> None:
    raw = article("originalUrl: https://example.com/a\n")
    assert codes(raw) == Counter()
    exact = {"urls": {"original-url-host": "exact"}}
    assert codes(raw, rule_options=exact) == Counter({"FL205": 1})
    other_site = article("originalUrl: https://www.example.org/a\n")
    assert codes(other_site) == Counter({"FL205": 1})
    assert codes(other_site, rule_options={"urls": {"original-url-host": "any"}}) == Counter()


@pytest.mark.parametrize(
    ("module", "option", "value"),
    [
        ("dates", "clock-skew", "soon"),
        ("dates", "floor", "the nineties"),
        ("dates", "feed-order", "sideways"),
        ("urls", "original-url-host", "same"),
        ("images", "max-pixels", "big"),
    ],
)
def test_a_bad_option_value_names_the_option(module: str, option: str, value: str) -> None:
    found = lint(article(), rule_options={module: {option: value}})
    assert [d.code for d in found] == ["FL900"]
    assert f"option {option}" in found[0].message


def test_every_option_is_documented_in_its_rules() -> None:
    for module in MODULES:
        text = " ".join(rule.what for rule in module.rules)
        for name, option in module.options.items():
            assert option.help
            assert f"`{name}`" in text, f"{module.name}: option {name} is not in the rule docs"


# -- across files --------------------------------------------------------------


def _write(folder: Path, name: str, web: str, date: str = "2023-08-07T08:11:00Z",
           original: str | None = None) -> None:
    extra = f"originalUrl: {original}\n" if original else ""
    text = article(extra, web=web).decode().replace("2023-08-07T08:11:00Z", date)
    (folder / name).write_text(text, "utf-8")


def test_duplicates_are_reported_once_per_file_naming_the_first_other(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "https://www.example.com/same")
    _write(tmp_path, "b.md", "https://WWW.EXAMPLE.COM/same#top")
    _write(tmp_path, "c.md", "https://www.example.com/other", original="https://www.example.com/same")
    _write(tmp_path, "d.md", "https://www.example.com/unique")
    run = run_feedlint(["check", "--format", "json", "."], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    found = [(d["file"], d["line"], d["code"], d["message"]) for d in run.json()["diagnostics"]]
    assert [(f, line, c) for f, line, c, _ in found] == [
        ("a.md", 4, "FL520"), ("b.md", 4, "FL520"), ("c.md", 6, "FL520")
    ]
    messages = {f: m for f, _, _, m in found}
    assert messages["a.md"].startswith("webUrl is also in b.md:4 and 1 more file:")
    assert messages["b.md"].startswith("webUrl is also in a.md:4 and 1 more file:")
    assert messages["c.md"].startswith("originalUrl is also in a.md:4 (as its webUrl) and 1 more")


def test_forty_copies_make_forty_lines(tmp_path: Path) -> None:
    for index in range(40):
        _write(tmp_path, f"copy{index:02d}.md", "https://www.example.com/same")
    run = run_feedlint(["check", "--format", "json", "--select", "FL520", "."], cwd=tmp_path)
    diagnostics = run.json()["diagnostics"]
    assert len(diagnostics) == 40
    assert "copy01.md:4 and 38 more files" in diagnostics[0]["message"]
    assert "copy00.md:4 and 38 more files" in diagnostics[1]["message"]


def test_no_duplicates_across_distinct_files_or_a_single_file(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "https://www.example.com/a", original="https://www.example.com/a")
    _write(tmp_path, "b.md", "https://www.example.com/b")
    run = run_feedlint(["check", "."], cwd=tmp_path)
    assert run.returncode == 0, run.stdout


def _feed(folder: Path, dates: list[str]) -> list[Candidate]:
    candidates = []
    for index, date in enumerate(dates):
        name = f"{index:03d}_{index:016x}.txt"
        _write(folder, name, f"https://www.example.com/{index}", date=date)
        path = str(folder / name)
        candidates.append(Candidate(path, path, explicit=True, bare=False))
    return candidates


def _order(candidates: list[Candidate], order: str) -> list[tuple[str, int, str]]:
    linter = Linter(Settings(rule_options={"dates": {"feed-order": order}}))
    result = linter.run(candidates)
    return [(Path(d.file).name, d.line, d.message) for d in result.diagnostics if d.code == "FL408"]


NEWEST_FIRST = ["2023-08-09T00:00:00Z", "2023-08-08T00:00:00Z", "2023-08-07T00:00:00Z"]


def test_feed_order_newest_first(tmp_path: Path) -> None:
    dates = list(NEWEST_FIRST)
    assert _order(_feed(tmp_path, dates), "newest-first") == []
    tmp = tmp_path / "swapped"
    tmp.mkdir()
    dates[1], dates[2] = dates[2], dates[1]
    found = _order(_feed(tmp, dates), "newest-first")
    assert [(name, line) for name, line, _ in found] == [("002_0000000000000002.txt", 3)]
    assert "newer than that of 001_0000000000000001.txt" in found[0][2]
    assert "001_0000000000000001.txt:3" in found[0][2]


def test_feed_order_oldest_first_and_off(tmp_path: Path) -> None:
    candidates = _feed(tmp_path, NEWEST_FIRST)
    found = _order(candidates, "oldest-first")
    names = [name for name, _, _ in found]
    assert names == ["001_0000000000000001.txt", "002_0000000000000002.txt"]
    assert _order(candidates, "off") == []
    # Off by default: the command line reports nothing.
    run = run_feedlint(["check", str(tmp_path)])
    assert run.returncode == 0, run.stdout


def test_feed_order_compares_instants_and_skips_files_it_cannot_place(tmp_path: Path) -> None:
    dates = ["2023-08-07T10:00:00+02:00", "2023-08-07T08:30:00Z", "2023-08-07T08:00:00"]
    # 10:00+02:00 is 08:00Z, older than 08:30Z; the third has no zone (FL402) and is left out.
    found = _order(_feed(tmp_path, dates), "newest-first")
    assert [name for name, _, _ in found] == ["001_0000000000000001.txt"]


# -- costs ----------------------------------------------------------------------


def test_public_suffix_list_is_loaded_only_when_a_host_is_checked() -> None:
    code = (
        "import sys\n"
        "from feedlint.engine import Linter\n"
        "from feedlint.settings import Settings\n"
        "linter = Linter(Settings())\n"
        "linter.lint_bytes('a.md', b'---\\ntitle: [unclosed\\n---\\n')\n"
        "print('publicsuffixlist' in sys.modules)\n"
        f"linter.lint_bytes('b.md', open({str(SAMPLE)!r}, 'rb').read())\n"
        "print('publicsuffixlist' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "True"]
