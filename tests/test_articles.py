"""Which files are articles (one decision for check, --show-files and
--skip-non-articles), and front matter that does not start on line 1 (FL001)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedlint.articles import ARTICLE_FIELDS, MAX_BLANK_LINES, looks_like_article
from feedlint.engine import Linter
from feedlint.settings import Settings
from tests.conftest import ROOT, run_feedlint

BOM = b"\xef\xbb\xbf"
#: A valid article but for one unknown field, on line 6 of its front matter block.
FRONT_MATTER = (
    b"---\n"
    b'title: "A headline"\n'
    b"publishedDateTime: 2023-08-07T08:11:00Z\n"
    b'webUrl: "https://www.example.com/2023/08/07/a-headline/"\n'
    b"provider: {name: Example News, domain: example.com}\n"
    b"bogus: 1\n"
    b"---\n"
)
BODY = b"The body.\n\n---\n\nAfter a rule.\n"
#: A README that uses `---` only as Markdown rules (under a blank line, too).
README_WITH_RULES = b"\n---\n\nSee below.\n\n---\n\ntitle text, not a field\n"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _report(cwd: Path, *args: str) -> dict[str, object]:
    run = run_feedlint(["check", "--isolated", "--no-cache", "--format", "json", *args], cwd=cwd)
    assert run.returncode in (0, 1), run.stderr
    report: dict[str, object] = run.json()
    return report


def _diagnostics(cwd: Path, *args: str) -> list[dict[str, object]]:
    found = _report(cwd, *args)["diagnostics"]
    assert isinstance(found, list)
    return found


def test_article_fields_are_the_schemas() -> None:
    schema = json.loads((ROOT / "feedlint" / "data" / "article.schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == ARTICLE_FIELDS


# -- one decision: check, --show-files, --skip-non-articles ---------------------------


def test_show_files_lists_exactly_what_check_lints(tmp_path: Path) -> None:
    _write(tmp_path / "feedlint.toml", b'exclude = ["drafts"]\n')
    bad = FRONT_MATTER + BODY  # every article has a problem: FL103
    _write(tmp_path / "news" / "a.md", bad)
    _write(tmp_path / "news" / "shifted.md", b"\n" + bad)
    _write(tmp_path / "news" / "bom-shifted.txt", BOM + b"\r\n" + bad)
    _write(tmp_path / "README.md", b"# Articles\n\nNo front matter here.\n")
    _write(tmp_path / "docs" / "README.md", README_WITH_RULES)
    _write(tmp_path / "docs" / "guide.md", b"# Guide\n\n---\n\nText.\n")
    _write(tmp_path / "data.yaml", b"title: x\n")
    _write(tmp_path / "drafts" / "d.md", bad)

    listed = run_feedlint(["check", "--show-files", "--no-cache", "."], cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    report = run_feedlint(["check", "--no-cache", "--format", "json", "."], cwd=tmp_path).json()
    reported = {d["file"] for d in report["diagnostics"]}
    assert sorted(listed.stdout.split()) == sorted(reported) == [
        "news/a.md", "news/bom-shifted.txt", "news/shifted.md",
    ]
    assert report["files_checked"] == 3


def test_show_files_reads_as_check_reads(tmp_path: Path) -> None:
    # A link out of the tree is reported by check (FL013), never opened: listed.
    outside = _write(tmp_path / "outside" / "secret.md", b"# not an article\n")
    tree = tmp_path / "tree"
    _write(tree / "a.md", FRONT_MATTER)
    (tree / "leak.md").symlink_to(outside)
    listed = run_feedlint(["check", "--show-files", "."], cwd=tree)
    report = run_feedlint(["check", "--no-cache", "--format", "json", "."], cwd=tree).json()
    assert listed.stdout.split() == ["a.md", "leak.md"]
    assert report["files_checked"] == 2
    assert {d["file"] for d in report["diagnostics"] if d["code"] == "FL013"} == {"leak.md"}


def test_skip_non_articles_makes_the_same_choice(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", b"\n\n" + FRONT_MATTER)
    _write(tmp_path / "README.md", README_WITH_RULES)
    named = ["--skip-non-articles", "a.md", "README.md"]
    found = _diagnostics(tmp_path, *named)
    assert {(d["file"], d["code"], d["line"]) for d in found} == {
        ("a.md", "FL001", 3), ("a.md", "FL103", 8),
    }
    listed = run_feedlint(["check", "--show-files", *named], cwd=tmp_path)
    assert listed.stdout.split() == ["a.md"]


# -- what looks like an article ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "article"),
    [
        (b"---\nanything\n", True),  # the first line opens with ---: as before
        (BOM + b"---\n", True),
        (b"\n---\ntitle: x\n---\n", True),
        (b" \t\r\n\r\n---\r\nwebUrl:\r\n---\r\n", True),
        (b"\n---\n# a comment\nprovider:\n  name: x\n---\nbody\n", True),
        (b"\n" * MAX_BLANK_LINES + b"---\ntitle: x\n---\n", True),
        (b"\n" * (MAX_BLANK_LINES + 1) + b"---\ntitle: x\n---\n", False),
        (b"\n---\ntitle: x\n", False),  # never closed
        (b"\n---\n  title: x\n---\n", False),  # not at column 1
        (b"\n---\ntitles: x\n---\n", False),  # not a field of the schema
        (b"\n---\ntitle:x\n---\n", False),  # not a key
        (b"\n---\n---\ntitle: x\n", False),  # the field is after the next ---
        (b"text\n---\ntitle: x\n---\n", False),
        (README_WITH_RULES, False),
        (b"# A project\n", False),
    ],
)
def test_looks_like_an_article(raw: bytes, article: bool) -> None:
    assert looks_like_article(raw) is article


# -- FL001: the front matter below blank lines ------------------------------------


@pytest.mark.parametrize(
    ("head", "fence_line", "message"),
    [
        (b"\n", 2, "remove the 1 blank line above it"),
        (b"\n  \n\t\n", 4, "remove the 3 blank lines above it"),
        (BOM + b"\n", 2, "remove the 1 blank line above it"),
    ],
    ids=["one", "three", "bom"],
)
def test_front_matter_below_blank_lines(
    tmp_path: Path, head: bytes, fence_line: int, message: str
) -> None:
    _write(tmp_path / "news" / "a.md", head + FRONT_MATTER + BODY)
    found = _diagnostics(tmp_path, ".")  # found by walking a folder
    assert [(d["code"], d["line"], d["column"], d["message"]) for d in found] == [
        ("FL001", fence_line, 1, f"the front matter must start on line 1; {message}"),
        # The rest is linted where it stands.
        ("FL103", fence_line + 5, 1, found[1]["message"]),
    ]
    result = Linter(Settings()).lint_bytes("a.md", head + FRONT_MATTER + BODY)
    fix = result.diagnostics[0].fix
    assert fix is not None
    blank = head.removeprefix(BOM).decode()
    assert fix.edits == ((0, len(blank), ""),)


@pytest.mark.parametrize(
    "head",
    [b"\n", b"\n  \n\t\n", BOM + b"\n", BOM + b"\r\n\r\n"],
    ids=["one", "three", "bom", "crlf"],
)
def test_fix_removes_the_blank_lines_and_keeps_the_rest(tmp_path: Path, head: bytes) -> None:
    crlf = head.endswith(b"\r\n")
    rest = FRONT_MATTER + BODY
    if crlf:
        rest = rest.replace(b"\n", b"\r\n")
    path = _write(tmp_path / "a.md", head + rest)
    diff = run_feedlint(["check", "--isolated", "--no-cache", "--diff", "a.md"], cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    hunk = diff.stdout.splitlines()[2:]
    assert diff.stdout.startswith("--- a.md\n+++ a.md\n@@ -1,")
    removed = sum(1 for line in hunk if line.startswith("-"))
    added = sum(1 for line in hunk if line.startswith("+"))
    assert removed - added == head.count(b"\n")  # the blank lines, and nothing else
    assert path.read_bytes() == head + rest  # --diff writes nothing
    fixed = run_feedlint(["check", "--isolated", "--no-cache", "--fix", "a.md"], cwd=tmp_path)
    assert "fixed 1 problem in 1 file" in fixed.stderr
    after = path.read_bytes()
    # The byte order mark, the line endings, the front matter and the body, byte for byte.
    assert after == (BOM if head.startswith(BOM) else b"") + rest
    codes = [(d["code"], d["line"]) for d in _diagnostics(tmp_path, "a.md")]
    assert codes == [("FL103", 6)]


def test_too_many_blank_lines_or_no_article_field_is_no_front_matter(tmp_path: Path) -> None:
    far = b"\n" * (MAX_BLANK_LINES + 1) + FRONT_MATTER
    _write(tmp_path / "far.md", far)
    _write(tmp_path / "README.md", README_WITH_RULES)
    # Walked: not articles.
    assert _report(tmp_path, ".")["files_checked"] == 0
    # Named: linted, and without a front matter on line 1 or below a few blank lines.
    found = _diagnostics(tmp_path, "far.md", "README.md")
    assert [(d["file"], d["code"], d["line"]) for d in found] == [
        ("README.md", "FL001", 1), ("far.md", "FL001", 1),
    ]
    assert all(d["message"].startswith("no front matter") for d in found)
