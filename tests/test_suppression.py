"""``# noqa`` comments: what they silence, where they are found, and when they are stale."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pytest

from feedlint.diagnostics import Diagnostic, Finding, Span
from feedlint.discovery import Candidate
from feedlint.document import Article
from feedlint.engine import Linter
from feedlint.placing import place
from feedlint.rules import RuleContext, RuleModule
from feedlint.rules._base import Rule
from feedlint.settings import Settings
from tests.conftest import run_feedlint

VALID = """\
title: "A headline"
publishedDateTime: 2024-02-29T10:00:00Z
webUrl: "https://example.com/a"
provider:
  name: Example
  domain: example.com
"""


def article(*extra: str, head: str = VALID) -> bytes:
    return ("---\n" + head + "".join(line + "\n" for line in extra) + "---\nbody\n").encode()


def run(raw: bytes, **settings: Any) -> list[Diagnostic]:
    """One file through the whole run, checks across files included."""
    candidate = Candidate("a.md", "a.md", explicit=True, bare=False, stdin_bytes=raw)
    [result] = Linter(Settings(**settings)).run([candidate]).files
    return result.diagnostics


def lint(raw: bytes, **settings: Any) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in run(raw, **settings)]


def messages(raw: bytes, **settings: Any) -> list[str]:
    return [f"{d.code} {d.message}" for d in run(raw, **settings)]


# -- what a directive silences ---------------------------------------------------


def test_without_comment_the_problem_is_reported() -> None:
    assert lint(article("quality: 150")) == [("FL105", 8)]


def test_noqa_with_the_code_silences_it_on_its_line() -> None:
    assert lint(article("quality: 150  # noqa: FL105")) == []


def test_noqa_with_several_codes_and_spellings() -> None:
    raw = article("quality: 150 #noqa:FL105,FL102", "heat: -5  # NOQA: FL105 FL102")
    assert lint(raw) == [
        ("FL801", 8),  # FL102 is not on line 8
        ("FL801", 9),
    ]
    text = messages(raw)
    assert "there is no FL102 on this line; remove FL102 from it" in text[0]


def test_noqa_with_another_code_does_not_silence() -> None:
    assert lint(article("quality: 150  # noqa: FL104")) == [("FL105", 8), ("FL801", 8)]


def test_bare_noqa_silences_every_code_on_its_line() -> None:
    assert lint(article("quality: 150  # noqa")) == []
    assert lint(article("quality: 150  # noqa because the scale changed")) == []


def test_noqa_silences_only_its_own_line() -> None:
    raw = article("quality: 150  # noqa: FL105", "heat: -5")
    assert lint(raw) == [("FL105", 9)]


def test_file_directive_silences_a_code_everywhere() -> None:
    raw = article("# feedlint: noqa: FL105", "quality: 150", "heat: -5")
    assert lint(raw) == []


def test_bare_file_directive_silences_everything() -> None:
    raw = article("# feedlint: noqa", "quality: 150", "titel: x")
    assert lint(raw) == []


def test_file_directive_silences_root_findings_on_the_fence() -> None:
    raw = article("# feedlint: noqa: FL101", head='title: "x"\n')
    assert lint(raw) == []


def test_noqa_on_the_last_line_of_a_multiline_value() -> None:
    raw = article('excerpt: "one', '  two"  # noqa: FL102', head=VALID.replace("title", "t1tle"))
    # The wrong key stays reported; the multi-line string is fine: the comment names a
    # code that is not there.
    assert ("FL801", 9) in lint(raw)
    raw = article("topics: [a,", "  3]  # noqa: FL102")
    assert lint(raw) == []


def test_the_body_is_never_read_for_directives() -> None:
    raw = article() + b"quality: 150 # noqa: FL105\n# feedlint: noqa\n"
    assert lint(raw) == []


# -- where comments are ------------------------------------------------------------


def test_noqa_inside_a_quoted_title_is_text_not_a_comment() -> None:
    head = VALID.replace('"A headline"', '"Why # noqa: FL105 matters"')
    raw = article("quality: 150", head=head)
    assert lint(raw) == [("FL105", 8)]


def test_noqa_inside_quoted_title_then_a_real_comment() -> None:
    head = VALID.replace('"A headline"', '"a # noqa" # noqa: FL104')
    raw = article(head=head)
    assert lint(raw) == [("FL801", 2)]


def test_single_quoted_and_plain_text_holding_noqa() -> None:
    head = VALID.replace('"A headline"', "'it''s # noqa'")
    assert lint(article("quality: 150", head=head)) == [("FL105", 8)]
    head = VALID.replace('"A headline"', "C#noqa")  # no space before #: plain text
    assert lint(article("quality: 150", head=head)) == [("FL105", 8)]


def test_noqa_inside_a_block_scalar_is_text() -> None:
    raw = article("excerpt: |", "  see # noqa: FL105", "  # feedlint: noqa", "quality: 150")
    assert lint(raw) == [("FL105", 11)]


def test_a_comment_after_the_value_then_noqa_in_it() -> None:
    assert lint(article("quality: 150  # too high # noqa: FL105")) == []


def test_files_without_noqa_are_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedlint.suppression as suppression

    calls = []
    original = suppression._comments

    def counting(article: Article) -> list[tuple[int, int]]:
        calls.append(article.path)
        return original(article)

    monkeypatch.setattr(suppression, "_comments", counting)
    lint(article("quality: 150  # a comment"))
    assert calls == []
    lint(article("quality: 150  # noqa: FL105"))
    assert calls == ["a.md"]


# -- stale and unreadable directives ---------------------------------------------------


def test_unused_code_is_reported_at_the_comment() -> None:
    [d] = run(article("heat: 5  # noqa: FL105"))
    assert (d.code, d.line, d.column, d.end_column) == ("FL801", 8, 10, 23)
    assert d.message == (
        "`# noqa: FL105` silences nothing: there is no FL105 on this line; remove it"
    )


def test_unused_bare_noqa_and_file_directive() -> None:
    raw = article("heat: 5  # noqa", "# feedlint: noqa: FL103")
    assert messages(raw) == [
        "FL801 `# noqa` silences nothing on this line: remove it",
        "FL801 `# feedlint: noqa: FL103` silences nothing: there is no FL103 in this file; "
        "remove it",
    ]


def test_unknown_code_in_noqa() -> None:
    assert messages(article("quality: 150  # noqa: FL105, FL777")) == [
        "FL801 `# noqa: FL105, FL777` silences nothing: FL777 is not a feedlint code; "
        "remove FL777 from it"
    ]


def test_internal_codes_cannot_be_silenced() -> None:
    [message] = messages(article("heat: 5  # noqa: FL900"))
    assert "FL900 cannot be silenced by a comment" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("quality: 1  # noqa: title", "'title' is not a code"),
        ("quality: 1  # noqa:", "no code follows the colon"),
        ("quality: 1  # noqa: FL1", "'FL1' is not a code"),
        ("# noqa: FL105", "on a line of its own silences nothing"),
        ("quality: 1  # feedlint: noqa: FL105", "must be on a line of its own"),
        ("# feedlint: disable FL105", "unknown directive"),
    ],
)
def test_unreadable_directives(line: str, expected: str) -> None:
    [d] = run(article(line))
    assert d.code == "FL802"
    assert expected in d.message


def test_an_unreadable_directive_silences_nothing() -> None:
    assert lint(article("quality: 150  # noqa: quality")) == [("FL105", 8), ("FL802", 8)]


def test_suppression_codes_follow_the_selection() -> None:
    raw = article("heat: 5  # noqa: FL105", "quality: 1  # noqa: nope")
    assert lint(raw, ignore=("FL801",)) == [("FL802", 9)]
    assert lint(raw, ignore=("FL8",)) == []


# -- the order: suppression before selection ----------------------------------------------


def test_noqa_for_a_deselected_code_is_still_used() -> None:
    # FL105 is not reported in this run, but its check ran and found it: the comment
    # did its job and is not stale.
    raw = article("quality: 150  # noqa: FL105")
    assert lint(raw, ignore=("FL105",)) == []
    assert lint(raw, select=("FL0", "FL8")) == []


def test_a_stale_noqa_is_judged_the_same_whatever_the_selection() -> None:
    # Every check runs whatever the selection, so FL105's check ran under
    # --select FL0,FL8 too, and found nothing on this line: the comment is stale in
    # every run, and FL801 is reported wherever FL8 is selected.
    raw = article("heat: 5  # noqa: FL105")
    assert lint(raw, select=("FL0", "FL8")) == [("FL801", 8)]
    assert lint(raw) == [("FL801", 8)]
    assert lint(raw, select=("FL1",)) == []


def test_noqa_for_a_per_file_ignored_code_is_still_used() -> None:
    raw = article("quality: 150  # noqa: FL105")
    assert lint(raw, per_file_ignores=(("*.md", ("FL105",)),)) == []


def test_bare_noqa_is_judged_the_same_whatever_the_selection() -> None:
    raw = article("heat: 5  # noqa")
    assert lint(raw, select=("FL0", "FL8")) == [("FL801", 8)]
    assert lint(raw) == [("FL801", 8)]


def test_bare_noqa_waits_for_the_checks_across_files() -> None:
    # Linting one file alone cannot tell whether a check across files will report
    # something on that line: the bare noqa is judged once they have run.
    raw = article("heat: 5  # noqa")
    assert Linter(Settings()).lint_bytes("a.md", raw).diagnostics == []
    assert lint(raw) == [("FL801", 8)]


def test_a_crash_means_no_judgement(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(article: Article, context: RuleContext) -> Iterator[Finding]:
        raise ValueError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(
        "feedlint.pipeline.MODULES", _with(RuleModule("crashing", (_rule("FL790"),), check=crash))
    )
    codes = lint(article("heat: 5  # noqa: FL105"))
    assert codes == [("FL900", 1)]


# -- checks across files ------------------------------------------------------------------


def _rule(code: str) -> Rule:
    return Rule(code, f"test-{code}", "test", "test", "test", "", "")


def _with(*modules: RuleModule) -> tuple[RuleModule, ...]:
    from feedlint.rules import MODULES

    return (*MODULES, *modules)


def _title_clash_module() -> RuleModule:
    """A check across files: two files with the same title clash (FL791 on the title)."""

    def collect(article: Article, context: RuleContext) -> Any:
        title = article.get("/title")
        return (title, article.span_of("/title"))

    def across(
        gathered: Sequence[tuple[str, Any]], options: Any
    ) -> Iterable[tuple[str, Finding]]:
        seen: dict[str, str] = {}
        for path, (title, span) in gathered:
            if title in seen:
                yield path, Finding("FL791", f"same title as {seen[title]}", span=span)
            else:
                seen[title] = path

    return RuleModule("clash", (_rule("FL791"),), collect=collect, across=across)


def test_noqa_for_a_code_found_across_files(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from feedlint.discovery import discover
    from feedlint.rules import RULES

    monkeypatch.setattr("feedlint.pipeline.MODULES", _with(_title_clash_module()))
    monkeypatch.setitem(RULES, "FL791", _rule("FL791"))
    first = tmp_path / "a.md"
    first.write_bytes(article(head=VALID.replace("/a", "/first")))
    second = tmp_path / "b.md"
    head = VALID.replace('"A headline"', '"A headline"  # noqa: FL791')
    second.write_bytes(article(head=head.replace("/a", "/second")))
    third = tmp_path / "c.md"
    head = VALID.replace('"A headline"', '"Another headline"')
    third.write_bytes(article("heat: 5  # noqa: FL791", head=head.replace("/a", "/third")))
    linter = Linter(Settings())
    # Linting one file alone cannot know yet: nothing is reported before the end.
    assert linter.lint_bytes("c.md", third.read_bytes()).diagnostics == []
    run = linter.run(discover([str(tmp_path)]))
    found = {(f.path.rsplit("/", 1)[-1], d.code, d.line) for f in run.files for d in f.diagnostics}
    # b's clash is silenced by its comment; c's comment never had anything to silence.
    assert found == {("c.md", "FL801", 8)}
    assert all(f.suppressor is None for f in run.files)


# -- end to end --------------------------------------------------------------------------------


def test_command_line_with_noqa(tmp_path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(article("quality: 150  # noqa: FL105", "heat: -5  # noqa: FL104"))
    run = run_feedlint(["check", str(path)])
    assert run.returncode == 1
    assert f"{path}:9:11: error FL801 `# noqa: FL104` silences nothing" in run.stdout
    run = run_feedlint(["check", "--ignore", "FL801", str(path)])
    assert run.returncode == 1  # FL105 on line 9 is still there
    assert "9:7: error FL105" in run.stdout


def test_rule_docs_examples() -> None:
    from feedlint.rules.noqa import RULES

    linter = Linter(Settings())
    for rule in RULES:
        example = linter.lint_bytes("x.md", rule.example.encode()).diagnostics
        fixed = linter.lint_bytes("x.md", rule.fixed.encode()).diagnostics
        assert rule.code in {d.code for d in example}
        assert rule.code not in {d.code for d in fixed}


def test_spans_point_at_the_directive() -> None:
    [d] = run(article("heat: 5  # note # noqa: FL105  "))
    # From the directive's own "#" to its last code; the comment before it is not part.
    assert Span(d.line, d.column, d.end_line, d.end_column) == Span(8, 17, 8, 30)


def test_directives_in_every_document_of_the_yaml_test_suite() -> None:
    """A noqa comment at the end of every line of every YAML document, and a file
    directive on top: never a crash, as front matter or as a bare article."""
    from tests.conftest import SHARED

    folder = SHARED / "corpora" / "yaml-test-suite"
    if not folder.is_dir():
        pytest.skip("the shared YAML test suite corpus is not here")
    linter = Linter(Settings())
    for path in sorted(folder.glob("*.yaml")):
        lines = path.read_bytes().split(b"\n")
        commented = b"\n".join(
            line + b"  # noqa" if line.strip() and not line.startswith(b"---") else line
            for line in lines
        )
        for bare in (True, False):
            for data in (commented, b"# feedlint: noqa\n" + path.read_bytes()):
                raw = data if bare else b"---\n" + data + b"\n---\n"
                result = linter.lint_bytes(path.name, raw, bare=bare)
                assert all(d.code != "FL900" for d in result.diagnostics), path.name


def test_crlf_and_bom_files() -> None:
    raw = article("quality: 150  # noqa: FL105", "heat: 5  # noqa: FL105").replace(b"\n", b"\r\n")
    [d] = run(b"\xef\xbb\xbf" + raw)
    assert (d.code, d.line, d.column, d.end_column) == ("FL801", 9, 10, 23)
    assert d.message.startswith("`# noqa: FL105` silences nothing")


def test_codes_reported_after_the_run_are_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module that only collects (its codes come later, as the link probe's do): a
    noqa naming them is not judged, and the directives stay for whoever reports them."""
    from feedlint.rules import RULES

    def collect(article: Article, context: RuleContext) -> Any:
        return None

    later = RuleModule("later", (_rule("FL792"),), collect=collect)
    monkeypatch.setattr("feedlint.pipeline.MODULES", _with(later))
    monkeypatch.setitem(RULES, "FL792", _rule("FL792"))
    raw = article("heat: 5  # noqa: FL792", "quality: 5  # noqa", "excerpt: x  # noqa: FL105")
    candidate = Candidate("a.md", "a.md", explicit=True, bare=False, stdin_bytes=raw)
    linter = Linter(Settings())
    [result] = linter.run([candidate]).files
    # Only the code whose check ran is judged.
    assert [(d.code, d.line) for d in result.diagnostics] == [("FL801", 10)]
    assert result.suppressor is not None
    # Whatever reports FL792 later can still have it silenced.
    placed = place("a.md", None, [Finding("FL792", "late", span=Span(8, 1, 8, 5))])
    assert result.suppressor.silence(placed) == []
