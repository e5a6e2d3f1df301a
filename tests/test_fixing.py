"""``--fix`` and ``--diff``: exact text edits, verification, and safe writing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from feedlint import fixing
from feedlint.diagnostics import Fix
from feedlint.discovery import Candidate
from feedlint.document import Article
from feedlint.engine import Linter
from feedlint.fixing import apply_fixes, double_quoted, plain_safe, write_atomic
from feedlint.parsing import parse
from feedlint.settings import Settings
from tests import fixrules
from tests.fixrules import run_with_fixrules

HEAD = """\
title: "A headline"
publishedDateTime: 2024-02-29T10:00:00Z
webUrl: "https://example.com/a"
provider:
  name: Example
  domain: example.com
"""


@pytest.fixture(scope="module")
def shared_corpus() -> Path:
    from tests.conftest import SHARED

    folder = SHARED / "corpora" / "yaml-test-suite"
    if not folder.is_dir():
        pytest.skip("the shared YAML test suite corpus is not here")
    return folder


def parsed(text: str, *, bare: bool = False) -> Article:
    result = parse("a.md", text.encode("utf-8"), bare=bare)
    assert result.article is not None, result.findings
    return result.article


def fixed(text: str, *fixes: tuple[str, Any]) -> str:
    """``text`` with the fixes applied; every fix must apply."""
    new, applied, refused = apply_fixes(parsed(text), [Fix(p, v, "test") for p, v in fixes])
    assert refused == []
    assert applied == len(fixes)
    return new


def refused(text: str, pointer: str, value: Any) -> list[str]:
    new, applied, reasons = apply_fixes(parsed(text), [Fix(pointer, value, "test")])
    assert applied == 0 and new == text
    return reasons


# -- styles ---------------------------------------------------------------------


def test_plain_stays_plain() -> None:
    text = "---\nwebUrl: https://example.com/a?utm_source=x  # the canonical one\n---\nbody\n"
    assert fixed(text, ("/webUrl", "https://example.com/a")) == (
        "---\nwebUrl: https://example.com/a  # the canonical one\n---\nbody\n"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("yes", '"yes"'),  # would read as a boolean
        ("123", '"123"'),  # would read as a number
        ("a: b", '"a: b"'),  # would read as a mapping
        ("a #b", '"a #b"'),  # would start a comment
        ("- x", '"- x"'),
        ("", '""'),
        (" padded", '" padded"'),
        ("~", '"~"'),
        ("2024-02-29T10:00:00Z", "2024-02-29T10:00:00Z"),  # timestamps stay text
    ],
)
def test_plain_is_quoted_when_plain_would_read_differently(value: str, written: str) -> None:
    text = "---\ntitle: x\n---\n"
    assert fixed(text, ("/title", value)) == f"---\ntitle: {written}\n---\n"


def test_double_quoted_stays_double_quoted_and_escaped() -> None:
    text = '---\ntitle: "old"  # c\n---\n'
    value = 'say "hi" \\ back\nnew line\ttab \u2028 \x07 “curly”'
    new = fixed(text, ("/title", value))
    assert new == (
        '---\ntitle: "say \\"hi\\" \\\\ back\\nnew line\\ttab \\L \\a “curly”"  # c\n---\n'
    )
    assert parsed(new).data["title"] == value


def test_single_quoted_stays_single_quoted() -> None:
    text = "---\ntitle: 'old'\n---\n"
    assert fixed(text, ("/title", "it's")) == "---\ntitle: 'it''s'\n---\n"
    # A value single quotes cannot hold goes double-quoted.
    assert fixed(text, ("/title", "two\nlines")) == '---\ntitle: "two\\nlines"\n---\n'


def test_multiline_values_become_one_line() -> None:
    text = "---\ntitle: a long\n  plain title\nb: 1\n---\n"
    assert fixed(text, ("/title", "short")) == "---\ntitle: short\nb: 1\n---\n"
    text = '---\ntitle: "a long\n  quoted title"\nb: 1\n---\n'
    assert fixed(text, ("/title", "short")) == '---\ntitle: "short"\nb: 1\n---\n'


def test_block_scalars_keep_their_header() -> None:
    text = "---\nsecured: >-  # folded\n  abc\n  def\nb: 1\n---\n"
    assert fixed(text, ("/secured", "abcdef")) == (
        "---\nsecured: >-  # folded\n  abcdef\nb: 1\n---\n"
    )
    text = "---\nexcerpt: |\n    one\n    two\n\nb: 1\n---\n"
    assert fixed(text, ("/excerpt", "uno\ndos\n")) == (
        "---\nexcerpt: |\n    uno\n    dos\n\nb: 1\n---\n"
    )


def test_block_scalar_that_cannot_hold_the_value_is_rewritten_inline() -> None:
    # Clip chomping keeps one final newline; the new value has none.
    text = "---\nsecured: |\n  abc\n  def\nb: 1\n---\n"
    assert fixed(text, ("/secured", "abcdef")) == '---\nsecured: abcdef\nb: 1\n---\n'
    # ... unless that would lose a comment on the header line.
    text = "---\nsecured: |  # keep me\n  abc\nb: 1\n---\n"
    [reason] = refused(text, "/secured", "abc")
    assert "comment on its header line" in reason


def test_block_scalars_with_indentation_indicator_or_trailing_space_lines() -> None:
    # An explicit indentation indicator: the value is written inline instead.
    text = "---\na: >2\n   more indented\n  regular\nb: 1\n---\n"
    assert fixed(text, ("/a", "x")) == "---\na: x\nb: 1\n---\n"
    # A line of spaces at the end of a literal block is part of the value: rewriting
    # only the first line would keep it, so the value is written inline.
    text = "---\nfoo: |\n  x\n   \nb: 1\n---\n"
    assert fixed(text, ("/foo", "y\n")) == '---\nfoo: "y\\n"\n   \nb: 1\n---\n'


def test_tagged_values_are_not_fixed() -> None:
    [reason] = refused("---\ntitle: !!str x\n---\n", "/title", "y")
    assert "YAML tag" in reason


def test_flow_collections() -> None:
    text = "---\ntopics: [AI, ML]  # c\n---\n"
    assert fixed(text, ("/topics/1", "Machine learning")) == (
        "---\ntopics: [AI, Machine learning]  # c\n---\n"
    )
    assert fixed(text, ("/topics/1", "a, b")) == '---\ntopics: [AI, "a, b"]  # c\n---\n'


def test_numbers_and_booleans() -> None:
    text = "---\nimages:\n  - url: x\n    width: 600 # w\n    height: 800\npublished: false\n---\n"
    new = fixed(text, ("/images/0/width", 800), ("/images/0/height", 600), ("/published", True))
    assert new == (
        "---\nimages:\n  - url: x\n    width: 800 # w\n    height: 600\npublished: true\n---\n"
    )


def test_an_empty_value_gets_a_space() -> None:
    assert fixed("---\ntitle:\nb: 1\n---\n", ("/title", "x")) == "---\ntitle: x\nb: 1\n---\n"


def test_crlf_bom_and_body_are_kept() -> None:
    text = "---\r\ntitle: 'a  b'\r\nexcerpt: >-\r\n  x\r\n  y\r\n---\r\nbody  with  spaces\r\n"
    new = fixed(text, ("/title", "a b"), ("/excerpt", "xy"))
    assert new == "---\r\ntitle: 'a b'\r\nexcerpt: >-\r\n  xy\r\n---\r\nbody  with  spaces\r\n"


def test_bare_yaml_article() -> None:
    text = "title: 'a'\nwebUrl: x  # c\n"
    article = parsed(text, bare=True)
    new, applied, _ = apply_fixes(article, [Fix("/webUrl", "y", "t")])
    assert (new, applied) == ("title: 'a'\nwebUrl: y  # c\n", 1)


def test_plain_safe_and_double_quoted_round_trip() -> None:
    values = ["a", "https://x/a#frag", "on", "null", "1.5", "x:y", "[a]", "a\u0085b", "\ufeffx"]
    for value in values:
        text = f"---\nv: {double_quoted(value)}\n---\n"
        assert parsed(text).data["v"] == value
        if plain_safe(value):
            assert parsed(f"---\nv: {value}\n---\n").data["v"] == value


def test_every_value_of_the_yaml_test_suite(shared_corpus: Path) -> None:
    """Any fix on any value of any YAML the parser accepts either applies and reads back
    exactly, or is refused with a reason: never an exception, never a wrong text."""
    values: list[Any] = ["x", "a: b #c", "it's \"q\"\n", 12, True, None, "", " lead", "[x]"]
    applied = 0
    for path in sorted(shared_corpus.glob("*.yaml")):
        raw = path.read_bytes()
        for bare in (True, False):
            data = raw if bare else b"---\n" + raw + b"\n---\n"
            article = parse(path.name, data, bare=bare).article
            if article is None:
                continue
            for pointer in list(article.source.nodes)[:20]:
                if isinstance(article.get(pointer), dict | list):
                    continue
                for value in values:
                    text, count, reasons = apply_fixes(article, [Fix(pointer, value, "t")])
                    assert count + len(reasons) == 1, (path.name, pointer, value)
                    if count:
                        applied += 1
                        again = parse(path.name, text.encode(), bare=bare).article
                        assert again is not None and again.get(pointer) == value
    assert applied > 1000


# -- refusals ---------------------------------------------------------------------


def test_refuses_a_missing_pointer_or_a_collection() -> None:
    text = "---\ntitle: x\ntopics: [a]\n---\n"
    assert "no value there" in refused(text, "/nope", "x")[0]
    assert "list or mapping" in refused(text, "/topics", "x")[0]
    assert "cannot write a list" in refused(text, "/title", ["a"])[0]


def test_refuses_what_does_not_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # A broken writer: the verification must catch it and keep the text as it was.
    monkeypatch.setattr(fixing, "double_quoted", lambda value: '"' + value)
    text = '---\ntitle: "old"\nb: 1\n---\n'
    [reason] = refused(text, "/title", "new")
    assert "would not read back" in reason


def test_a_bad_fix_does_not_stop_the_good_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "---\ntitle: \"old\"\nwebUrl: https://a/?utm=1\n---\n"
    monkeypatch.setattr(fixing, "double_quoted", lambda value: '"' + value)
    fixes = [Fix("/title", "new", "t"), Fix("/webUrl", "https://a/", "t")]
    new, applied, reasons = apply_fixes(parsed(text), fixes)
    assert (new, applied) == ('---\ntitle: "old"\nwebUrl: https://a/\n---\n', 1)
    assert len(reasons) == 1 and reasons[0].startswith("title:")


def test_conflicting_fixes_for_one_value() -> None:
    fixes = [Fix("/title", "a", "t"), Fix("/title", "b", "t"), Fix("/title", "a", "t")]
    new, applied, reasons = apply_fixes(parsed("---\ntitle: x\n---\n"), fixes)
    assert (new, applied) == ("---\ntitle: a\n---\n", 1)
    assert len(reasons) == 1 and "disagree" in reasons[0]


# -- whole files, through the linter --------------------------------------------------


@pytest.fixture
def with_fixrules(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedlint.config
    import feedlint.pipeline
    import feedlint.rules

    modules = (*feedlint.rules.MODULES, fixrules.MODULE)
    for namespace in (feedlint.rules, feedlint.pipeline, feedlint.config):
        monkeypatch.setattr(namespace, "MODULES", modules)
    for rule in fixrules.RULES:
        monkeypatch.setitem(feedlint.rules.RULES, rule.code, rule)


def article_file(tmp_path: Path, *lines: str, name: str = "a.md", newline: str = "\n") -> Path:
    text = "---\n" + HEAD + "".join(line + "\n" for line in lines) + "---\nThe  body.\n"
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def lint_file(path: Path, **settings: Any) -> Any:
    linter = Linter(Settings(**settings))
    return linter.lint(Candidate(str(path), str(path), explicit=True, bare=False))


@pytest.mark.usefixtures("with_fixrules")
def test_fix_writes_and_reports_what_is_left(tmp_path: Path) -> None:
    path = article_file(tmp_path, "excerpt: 'two  spaces'  # keep", "quality: 150")
    result = lint_file(path, fix=True)
    assert path.read_text() == "---\n" + HEAD + (
        "excerpt: 'two spaces'  # keep\nquality: 150\n---\nThe  body.\n"
    )
    assert [d.code for d in result.diagnostics] == ["FL105"]
    assert result.fixing.applied == 1


@pytest.mark.usefixtures("with_fixrules")
def test_fix_runs_again_when_a_fix_uncovers_another(tmp_path: Path) -> None:
    path = article_file(tmp_path)
    path.write_text(path.read_text().replace('"A headline"', "step1"))
    result = lint_file(path, fix=True)
    assert "title: step3\n" in path.read_text()
    assert result.fixing.applied == 2
    assert result.diagnostics == []


@pytest.mark.usefixtures("with_fixrules")
def test_crlf_file_stays_crlf(tmp_path: Path) -> None:
    path = article_file(tmp_path, 'excerpt: "a  b"', newline="\r\n")
    lint_file(path, fix=True)
    data = path.read_bytes()
    assert b'excerpt: "a b"\r\n' in data
    assert data.count(b"\r\n") == data.count(b"\n")
    assert data.endswith(b"The  body.\r\n")


@pytest.mark.usefixtures("with_fixrules")
def test_bom_is_kept(tmp_path: Path) -> None:
    path = article_file(tmp_path, 'excerpt: "a  b"')
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    lint_file(path, fix=True)
    assert path.read_bytes().startswith(b'\xef\xbb\xbf---\n')
    assert b'excerpt: "a b"' in path.read_bytes()


@pytest.mark.usefixtures("with_fixrules")
def test_permissions_are_kept(tmp_path: Path) -> None:
    path = article_file(tmp_path, 'excerpt: "a  b"')
    os.chmod(path, 0o640)
    lint_file(path, fix=True)
    assert b'excerpt: "a b"' in path.read_bytes()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


@pytest.mark.usefixtures("with_fixrules")
def test_a_symlink_stays_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = article_file(tmp_path, 'excerpt: "a  b"', name="real.md")
    link = tmp_path / "link.md"
    link.symlink_to(target.name)
    monkeypatch.chdir(tmp_path)  # a link named on the command line: its target is inside
    lint_file(link, fix=True)
    assert link.is_symlink()
    assert b'excerpt: "a b"' in target.read_bytes()


def test_a_link_leading_outside_is_not_written_through(tmp_path: Path) -> None:
    """A pull request can commit ``a.md -> ~/.profile``: named on the command line it
    is read, but a fix is written only inside the current folder."""
    outside = tmp_path / "home"
    outside.mkdir()
    target = article_file(outside, "excerpt: 'a  b'", name="profile.md")
    before = target.read_bytes()
    checkout = tmp_path / "repo"
    checkout.mkdir()
    (checkout / "a.md").symlink_to(target)
    (checkout / "b.md").symlink_to(Path("..", "home", "profile.md"))
    (checkout / "linked").symlink_to(outside)
    for named in ("a.md", "b.md", "linked/profile.md"):
        run = run_with_fixrules(["check", "--fix", named], cwd=checkout)
        assert run.returncode == 1, run.stderr
        assert f"feedlint: {named}: not written: " in run.stderr
        assert "outside the current folder; feedlint does not write through it" in run.stderr
        assert target.read_bytes() == before
        assert sorted(p.name for p in outside.iterdir()) == ["profile.md"]
    # A folder walked: the link is not even read.
    run = run_with_fixrules(["check", "--fix", "."], cwd=checkout)
    assert "FL013" in run.stdout
    assert target.read_bytes() == before
    # The target named itself, outside the current folder, is the user's choice.
    run = run_with_fixrules(["check", "--fix", str(target)], cwd=checkout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert b"excerpt: 'a b'" in target.read_bytes()


def test_a_link_to_a_file_inside_the_current_folder_is_fixed_through(tmp_path: Path) -> None:
    real = article_file(tmp_path, "excerpt: 'a  b'", name="real.md")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "link.md").symlink_to(Path("..", "real.md"))
    run = run_with_fixrules(["check", "--fix", "sub/link.md"], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "sub" / "link.md").is_symlink()
    assert b"excerpt: 'a b'" in real.read_bytes()


@pytest.mark.usefixtures("with_fixrules")
def test_selection_and_noqa_decide_what_is_fixed(tmp_path: Path) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    before = path.read_bytes()
    lint_file(path, fix=True, ignore=("FL791",))
    assert path.read_bytes() == before
    path = article_file(tmp_path, "excerpt: 'a  b'  # noqa: FL791")
    before = path.read_bytes()
    result = lint_file(path, fix=True)
    assert path.read_bytes() == before
    assert result.diagnostics == []


@pytest.mark.usefixtures("with_fixrules")
def test_width_and_height_swap_together(tmp_path: Path) -> None:
    path = article_file(
        tmp_path,
        "images:",
        "  - url: https://example.com/portrait.jpg",
        "    width: 1200  # was wrong",
        "    height: 800",
    )
    result = lint_file(path, fix=True)
    text = path.read_text()
    assert "    width: 800  # was wrong\n    height: 1200\n" in text
    assert result.diagnostics == [] and result.fixing.applied == 2


@pytest.mark.usefixtures("with_fixrules")
def test_diff_writes_nothing(tmp_path: Path) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    before = path.read_bytes()
    result = lint_file(path, diff=True)
    assert path.read_bytes() == before
    assert result.fixing.diff.splitlines()[:2] == [f"--- {path}", f"+++ {path}"]
    assert "-excerpt: 'a  b'\n+excerpt: 'a b'\n" in result.fixing.diff


# -- writing safely --------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "feedlint-tmp" in p.name)


@pytest.mark.usefixtures("with_fixrules")
@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_an_interrupted_write_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    before = path.read_bytes()

    def fail(*args: Any) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, failing, fail)
    result = lint_file(path, fix=True)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    assert result.fixing.error == "not written: Input/output error"
    # What is reported is what is on disk: the problem is still there.
    assert [d.code for d in result.diagnostics] == ["FL791"]


@pytest.mark.usefixtures("with_fixrules")
def test_a_keyboard_interrupt_mid_write_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    before = path.read_bytes()

    def interrupt(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        lint_file(path, fix=True)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


@pytest.mark.usefixtures("with_fixrules")
def test_a_file_changed_since_it_was_read_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    edited = path.read_bytes().replace(b"The  body.", b"Someone else's edit.")
    original = fixing.apply_fixes

    def apply_then_someone_edits(*args: Any) -> Any:
        out = original(*args)
        path.write_bytes(edited)
        return out

    monkeypatch.setattr(fixing, "apply_fixes", apply_then_someone_edits)
    result = lint_file(path, fix=True)
    assert path.read_bytes() == edited
    assert result.fixing.error == "not written: the file changed on disk since it was read"
    assert _leftovers(tmp_path) == []


def test_a_file_changed_during_the_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old")
    real_fsync = os.fsync

    def fsync_then_someone_edits(fd: int) -> None:
        real_fsync(fd)
        path.write_bytes(b"theirs")

    monkeypatch.setattr(os, "fsync", fsync_then_someone_edits)
    with pytest.raises(fixing.FixWriteError, match="changed on disk"):
        write_atomic(str(path), b"old", b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"theirs"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o444, 0o464, 0o466, 0o555, 0o400], ids=lambda m: f"{m:o}")
def test_a_read_only_file_is_not_replaced_even_for_root(tmp_path: Path, mode: int) -> None:
    """Read-only is the owner's write bit (git and editors go by it), whoever runs
    feedlint: root may write any file, yet a file made read-only stays as it is."""
    path = tmp_path / "a.md"
    path.write_bytes(b"old")
    os.chmod(path, mode)
    with pytest.raises(fixing.FixWriteError, match=r"read-only .*`chmod u\+w`"):
        write_atomic(str(path), b"old", b"new")
    assert path.read_bytes() == b"old"
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert _leftovers(tmp_path) == []


def test_fix_on_the_command_line_leaves_a_read_only_file(tmp_path: Path) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    other = article_file(tmp_path, "excerpt: 'a  b'", name="b.md")
    before = path.read_bytes()
    os.chmod(path, 0o444)
    inode = os.stat(path).st_ino
    run = run_with_fixrules(["check", "--fix", "a.md", "b.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert path.read_bytes() == before and os.stat(path).st_ino == inode
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert (
        "feedlint: a.md: not written: the file is read-only (its owner has no write "
        "permission); `chmod u+w` it to let feedlint fix it\n"
    ) in run.stderr
    assert "a.md:" in run.stdout and "FL791" in run.stdout  # what is left is reported
    assert b"excerpt: 'a b'" in other.read_bytes()  # a writable file is still fixed
    assert "fixed 1 problem in 1 file" in run.stderr


def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old")
    os.chmod(path, 0o604)
    inode = os.stat(path).st_ino
    write_atomic(str(path), b"old", b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o604
    assert os.stat(path).st_ino != inode  # a new file renamed into place
    assert _leftovers(tmp_path) == []


# -- the command line ------------------------------------------------------------------


def test_cli_fix_exit_code_reflects_what_is_left(tmp_path: Path) -> None:
    path = article_file(tmp_path, "excerpt: 'a  b'")
    run = run_with_fixrules(["check", str(path)])
    assert run.returncode == 1 and "FL791" in run.stdout
    run = run_with_fixrules(["check", "--fix", str(path)])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fixed 1 problem in 1 file" in run.stderr
    assert "0 errors" in run.stdout
    other = article_file(tmp_path, "excerpt: 'a  b'", "quality: 150", name="b.md")
    run = run_with_fixrules(["check", "--fix", str(other)])
    assert run.returncode == 1
    assert "FL105" in run.stdout and "FL791" not in run.stdout


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
def test_cli_diff_applies_with_patch(tmp_path: Path) -> None:
    crlf = article_file(tmp_path, "excerpt: 'a  b'", "topics: [x  y]", newline="\r\n")
    article_file(tmp_path, name="clean.md")
    (tmp_path / "copy").mkdir()
    fixed_copy = tmp_path / "copy" / "a.md"
    shutil.copy(crlf, fixed_copy)
    before = crlf.read_bytes()
    run = run_with_fixrules(["check", "--diff", "a.md", "clean.md"], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert crlf.read_bytes() == before  # --diff writes nothing
    assert "would fix 2 problems in 1 file" in run.stderr
    assert "clean.md" not in run.stdout
    # The diff is what --fix does.
    run_with_fixrules(["check", "--fix", "a.md"], cwd=tmp_path / "copy")
    subprocess.run(["patch", "-p0", "--quiet"], input=run.stdout.encode(), cwd=tmp_path, check=True)
    assert crlf.read_bytes() == fixed_copy.read_bytes()
    # Nothing left to fix: no diff, exit 0.
    run = run_with_fixrules(["check", "--diff", "a.md", "clean.md"], cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "")


def test_cli_diff_reads_stdin_but_fix_refuses_it(tmp_path: Path) -> None:
    data = article_file(tmp_path, "excerpt: 'a  b'").read_bytes()
    run = run_with_fixrules(["check", "--diff", "-", "--stdin-filename", "x.md"], input=data)
    assert run.returncode == 1
    assert "+excerpt: 'a b'" in run.stdout
    run = run_with_fixrules(["check", "--fix", "-"], input=data)
    assert run.returncode == 2
    assert "--fix cannot write back to standard input" in run.stderr


# -- the real rules' fixes, on every fixture ----------------------------------------------


def _fixture_cases() -> list[Path]:
    from tests.test_fixtures import fixture_files

    return fixture_files("fail") + fixture_files("pass")


def test_the_fixtures_exercise_the_fixes_the_issue_names() -> None:
    linter = Linter(Settings())
    fixed_codes = set()
    for path in _fixture_cases():
        result = linter.lint_bytes(path.name, path.read_bytes(), bare=path.suffix == ".json")
        fixed_codes |= {d.code for d in result.diagnostics if d.fix is not None}
    # cdnAmpWebUrl, width/height swap, secured white space, tracking parameters, dates.
    assert {"FL207", "FL303", "FL501", "FL204", "FL401"} <= fixed_codes


@pytest.mark.parametrize(
    "source", _fixture_cases(), ids=lambda p: p.relative_to(p.parents[2]).as_posix()
)
def test_fix_on_every_fixture(source: Path, tmp_path: Path) -> None:
    """--fix on each fixture: every fix applies, what it fixed is gone, nothing else
    changed (lines outside the fixed values, comments, the body), and no fix is left."""
    from feedlint.discovery import is_bare

    path = tmp_path / source.name
    shutil.copy(source, path)
    bare = is_bare(path.name)
    linter = Linter(Settings())
    before = linter.lint_bytes(str(path), path.read_bytes(), bare=bare).diagnostics
    fixable = [d for d in before if d.fix is not None]
    result = Linter(Settings(fix=True)).lint(Candidate(str(path), str(path), True, bare))
    original, now = source.read_bytes(), path.read_bytes()
    if not fixable:
        assert now == original and result.fixing is None
        return
    assert result.fixing is not None and result.fixing.refused == []
    assert result.fixing.applied >= len({d.fix.pointer for d in fixable if d.fix})
    # What was fixed is gone; what was not fixable is still reported.
    after = {(d.code, d.pointer) for d in result.diagnostics}
    for d in fixable:
        assert (d.code, d.pointer) not in after, d
    assert all(d.fix is None for d in result.diagnostics)
    # Only the lines of fixed values changed, each keeps its comment, the line
    # endings and the body are the same.
    fixed_lines = {line for d in fixable for line in range(d.line, d.end_line + 1)}
    old_lines = original.split(b"\n")
    new_lines = now.split(b"\n")
    if len(old_lines) == len(new_lines):
        for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True), 1):
            if old != new:
                assert number in fixed_lines, (number, old, new)
                assert old.partition(b"  #")[2] == new.partition(b"  #")[2]
                assert old.endswith(b"\r") == new.endswith(b"\r")
    else:  # a value over several lines became one
        assert len(new_lines) < len(old_lines)
    assert original.count(b"# expect:") == now.count(b"# expect:")
    assert original.rsplit(b"\n---", 1)[-1] == now.rsplit(b"\n---", 1)[-1]


def _rules_with_fixes() -> list[Any]:
    from feedlint.rules import RULES

    return [rule for rule in RULES.values() if rule.fix and not rule.illustrative]


@pytest.mark.parametrize("rule", _rules_with_fixes(), ids=lambda r: r.code)
def test_each_documented_fix_fixes_its_example(rule: Any) -> None:
    """A rule that says it has a fix and whose documented example is a fixable case:
    --fix on the example removes the code."""
    from tests.test_rule_docs import compose

    example = compose(rule.example).encode("utf-8")
    found = Linter(Settings()).lint_bytes("example.md", example).diagnostics
    if not any(d.code == rule.code and d.fix is not None for d in found):
        pytest.skip(f"{rule.code}: its example is a case the fix does not cover")
    candidate = Candidate("example.md", "example.md", True, False, stdin_bytes=example)
    result = Linter(Settings(diff=True)).lint(candidate)
    assert result.fixing is not None and result.fixing.applied, rule.code
    assert rule.code not in {d.code for d in result.diagnostics}, result.fixing.diff


def test_some_rules_document_a_fix() -> None:
    assert len(_rules_with_fixes()) >= 4
