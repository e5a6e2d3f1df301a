"""``feedlint server`` end to end: a real LSP client (pytest-lsp) starts the server as a
process and drives it as an editor does, through open, edit, save, code actions,
hover, completion, a configuration change and a file that crashes a rule. What it
reports is held to ``feedlint check --format json`` on the same files."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.conftest import FIXTURES, ROOT, run_feedlint
from tests.lsp_client import log_line, open_file, published, replace_all, started, uri
from tests.output_cases import BAD, ODD_NAME

pytestmark = pytest.mark.asyncio

CLEAN = (
    "---\n"
    'title: "A clean article"\n'
    "publishedDateTime: 2023-08-07T08:11:00Z\n"
    "webUrl: https://example.com/clean\n"
    "provider:\n"
    "  name: Example\n"
    "  domain: example.com\n"
    "---\n"
    "Body.\n"
)


#: FL405 says when "now" was: the server's clock and check's differ by the run between.
_NOW = re.compile(r"\(now is [^)]*\)")


def _message(text: str) -> str:
    return _NOW.sub("(now is ...)", text)


def _units(text: str, encoding: str = "utf-16") -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def expected(report: list[dict[str, Any]], text: str, encoding: str = "utf-16"
             ) -> list[tuple[Any, ...]]:
    """``check --format json``'s diagnostics of one file as an LSP client sees them:
    0-based lines, columns in the encoding's code units. feedlint counts columns
    after a byte order mark; a buffer that holds one counts it too."""
    lines = text.split("\n")
    mark = 1 if text.startswith("\ufeff") else 0

    def position(line: int, column: int) -> tuple[int, int]:
        content = lines[line - 1] if line - 1 < len(lines) else ""
        index = column - 1 + (mark if line == 1 else 0)
        return line - 1, _units(content[:index], encoding) + max(index - len(content), 0)

    return sorted(
        (d["code"], *position(d["line"], d["column"]), *position(d["end_line"], d["end_column"]),
         d["severity"], _message(d["message"]))
        for d in report
    )


def shown(diagnostics: list[types.Diagnostic]) -> list[tuple[Any, ...]]:
    severities = {types.DiagnosticSeverity.Error: "error",
                  types.DiagnosticSeverity.Warning: "warning"}
    return sorted(
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line,
         d.range.end.character, severities[d.severity], _message(d.message))
        for d in diagnostics
    )


def check_json(folder: Path, *paths: str) -> dict[str, list[dict[str, Any]]]:
    run = run_feedlint(["check", "--format", "json", "--no-cache", *paths], cwd=folder)
    assert run.returncode in (0, 1), run.stderr
    by_file: dict[str, list[dict[str, Any]]] = {}
    for diagnostic in run.json()["diagnostics"]:
        by_file.setdefault(diagnostic["file"], []).append(diagnostic)
    return by_file


def _code_action_params(address: str, start: tuple[int, int], end: tuple[int, int],
                        only: list[str] | None = None) -> types.CodeActionParams:
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=address),
        range=types.Range(types.Position(*start), types.Position(*end)),
        context=types.CodeActionContext(diagnostics=[], only=only),
    )


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 columns) as an editor does."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        at = sum(len(line) + 1 for line in lines[: position.line])
        content = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, char in enumerate(content):
            if units >= position.character:
                return at + index
            units += _units(char)
        return at + len(content)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


# -- diagnostics ------------------------------------------------------------------


async def test_open_edit_save_report_what_check_reports(tmp_path: Path) -> None:
    article = tmp_path / "bad.md"
    article.write_text(BAD, "utf-8")
    async with started(tmp_path) as client:
        address = open_file(client, article)
        first = await published(client, address)
        assert shown(first) == expected(check_json(tmp_path, "bad.md")["bad.md"], BAD)
        assert {d.source for d in first} == {"feedlint"}
        fl105 = next(d for d in first if d.code == "FL105")
        assert fl105.code_description is not None
        assert fl105.code_description.href.endswith("/rules/FL105/")

        # An edit: the quality fixed in the buffer, not on disk.
        edited = BAD.replace("quality: 150", "quality: 50")
        replace_all(client, address, edited, 2)
        after = await published(client, address)
        assert "FL105" not in {d.code for d in after}
        article.write_text(edited, "utf-8")
        assert shown(after) == expected(check_json(tmp_path, "bad.md")["bad.md"], edited)

        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=address)))
        assert shown(await published(client, address)) == shown(after)

        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=address)))
        assert await published(client, address) == []


async def test_typing_is_debounced_into_one_lint(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text(CLEAN, "utf-8")
    async with started(tmp_path, options={"debounceMs": 200}) as client:
        address = open_file(client, article)
        assert await published(client, address) == []
        for version, quality in enumerate(range(150, 160), start=2):
            typed = CLEAN.replace("---\nBody", f"quality: {quality}\n---\nBody")
            replace_all(client, address, typed, version)
        last = await published(client, address)
        assert [d.message for d in last] == ["quality must be an integer from 0 to 100, got 159"]
        with pytest.raises(TimeoutError):
            await published(client, address, timeout=0.6)


async def test_every_fixture_is_reported_as_check_reports_it(tmp_path: Path) -> None:
    workspace = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, workspace)
    report = check_json(workspace, ".")
    files = sorted(p for p in workspace.rglob("*") if p.is_file())
    async with started(workspace) as client:
        await log_line(client, "read ")
        for path in files:
            display = path.relative_to(workspace).as_posix()
            text = path.read_bytes().decode("utf-8", "replace")
            if "\ufffd" in text:
                continue  # not UTF-8: an editor could not hold it as it is on disk
            address = open_file(client, path, text)
            got = await published(client, address)
            assert shown(got) == expected(report.get(display, []), text, client.encoding), display
            client.text_document_did_close(types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=address)))
            await published(client, address)


async def test_pull_diagnostics_equal_pushed_ones(tmp_path: Path) -> None:
    article = tmp_path / "bad.md"
    article.write_text(BAD, "utf-8")
    async with started(tmp_path) as pusher:
        pushed = await published(pusher, open_file(pusher, article))
    async with started(tmp_path, pull=True) as client:
        address = open_file(client, article)
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=address)))
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert shown(list(report.items)) == shown(pushed)
        # A client that pulls is not also pushed to (it would show each one twice).
        with pytest.raises(TimeoutError):
            await published(client, address, timeout=0.5)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_positions_count_the_agreed_code_units(tmp_path: Path, encoding: str) -> None:
    # An unknown key after an emoji (two UTF-16 units, four UTF-8 bytes) and a letter
    # with a diaeresis (two UTF-8 bytes) on its line.
    text = CLEAN.replace("provider:\n  name: Example\n  domain: example.com\n",
                         'provider: {name: "Exämple 🗞️", domain: example.com, extra: 1}\n')
    article = tmp_path / "emoji.md"
    article.write_text(text, "utf-8")
    async with started(tmp_path, encodings=[encoding]) as client:
        assert client.encoding == encoding
        got = await published(client, open_file(client, article))
    report = check_json(tmp_path, "emoji.md")["emoji.md"]
    assert shown(got) == expected(report, text, encoding)
    assert shown(got) != expected(report, text, "utf-32" if encoding != "utf-32" else "utf-8")


# -- which files ------------------------------------------------------------------


async def test_files_a_walk_would_leave_out_get_nothing(tmp_path: Path) -> None:
    (tmp_path / "feedlint.toml").write_text('extend-exclude = ["drafts/"]\n', "utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "bad.md").write_text(BAD, "utf-8")
    (tmp_path / "README.md").write_text("# Articles\n\n---\n\nNo front matter.\n", "utf-8")
    (tmp_path / "bad.md").write_text(BAD, "utf-8")
    async with started(tmp_path) as client:
        draft = open_file(client, tmp_path / "drafts" / "bad.md")
        assert await published(client, draft) == []
        assert await published(client, open_file(client, tmp_path / "README.md")) == []
        # Nor completion: a page the configuration leaves out is not an article.
        offered = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=draft),
            position=types.Position(line=1, character=0)))
        assert offered is None
        assert await published(client, open_file(client, tmp_path / "bad.md")) != []


async def test_a_configuration_change_is_applied_to_open_files(tmp_path: Path) -> None:
    article = tmp_path / "bad.md"
    article.write_text(BAD, "utf-8")
    config = tmp_path / "pyproject.toml"
    async with started(tmp_path) as client:
        address = open_file(client, article)
        assert "FL105" in {d.code for d in await published(client, address)}
        config.write_text('[tool.feedlint]\nignore = ["FL105"]\n', "utf-8")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri(config), type=types.FileChangeType.Created)]))
        after = await published(client, address)
        assert "FL105" not in {d.code for d in after}
        assert shown(after) == expected(check_json(tmp_path, "bad.md")["bad.md"], BAD)

        # Saved from the editor: no watcher needed.
        config.write_text('[tool.feedlint]\nignore = ["FL105", "FL011"]\n', "utf-8")
        config_address = open_file(client, config, version=1)
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=config_address)))
        again = await published(client, address)
        assert {"FL105", "FL011"}.isdisjoint(d.code for d in again)

        # A broken configuration: said once, in the file's diagnostics' place.
        config.write_text('[tool.feedlint]\nignore = "FL105\n', "utf-8")
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=config_address)))
        broken = await published(client, address)
        assert [(d.code, d.severity) for d in broken] == [(None, types.DiagnosticSeverity.Error)]
        assert broken[0].message.startswith("feedlint cannot lint this file: ")
        assert "pyproject.toml" in broken[0].message


# -- across files -----------------------------------------------------------------


async def test_duplicates_are_found_among_the_workspace_and_open_files(tmp_path: Path) -> None:
    # A name an URI must escape: the server answers with the URI the client sent.
    on_disk = tmp_path / ODD_NAME
    on_disk.write_text(CLEAN, "utf-8")
    article = tmp_path / "copy.md"
    copy = CLEAN.replace("A clean article", "The same story")
    article.write_text(copy, "utf-8")
    report = check_json(tmp_path, ".")
    async with started(tmp_path) as client:
        await log_line(client, "read ")
        address = open_file(client, article)
        got = await published(client, address)
        assert [d.code for d in got] == ["FL520"]
        assert shown(got) == expected(report["copy.md"], copy)

        # Edited apart: gone. Edited back: back.
        replace_all(client, address, copy.replace("/clean", "/other"), 2)
        assert await published(client, address) == []

        # Two open buffers: changing one shows the other's duplicate.
        other = open_file(client, on_disk)
        assert "%" in other
        assert await published(client, other) == []
        replace_all(client, address, copy, 3)
        for _ in range(200):  # both are published, in either order
            if all([d.code for d in client.diagnostics.get(u, [])] == ["FL520"]
                   for u in (address, other)):
                break
            await asyncio.sleep(0.05)
        assert [d.code for d in client.diagnostics[other]] == ["FL520"]
        assert [d.code for d in client.diagnostics[address]] == ["FL520"]


# -- a crash ----------------------------------------------------------------------

#: ``feedlint server`` with one more rule module that raises on articles titled
#: "crash" (no plugin mechanism ships: the registry of the server's process is
#: patched before it starts).
_CRASHING = '''
import feedlint.pipeline as pipeline
from feedlint.rules import Rule, RuleModule


def boom(article, context):
    if article.data.get("title") == "crash":
        raise ZeroDivisionError("deliberate failure")
    return []


rule = Rule(code="FL990", name="crash-test", summary="s", what="w", why="y",
            example="", fixed="")
pipeline.MODULES = (*pipeline.MODULES, RuleModule(name="crashy", rules=(rule,), check=boom))

from feedlint.server import serve

raise SystemExit(serve())
'''


async def test_a_crashing_rule_is_one_fl900_and_the_server_goes_on(tmp_path: Path) -> None:
    crash = tmp_path / "crash.md"
    crash.write_text(CLEAN.replace('"A clean article"', "crash"), "utf-8")
    (tmp_path / "bad.md").write_text(BAD, "utf-8")
    command = [sys.executable, "-c", _CRASHING]
    async with started(tmp_path, command=command) as client:
        got = await published(client, open_file(client, crash))
        assert [d.code for d in got] == ["FL900"]
        assert "ZeroDivisionError: deliberate failure" in got[0].message
        assert "deliberate failure" in await log_line(client, str(crash))
        after = await published(client, open_file(client, tmp_path / "bad.md"))
        assert "FL105" in {d.code for d in after}


# -- code actions -----------------------------------------------------------------

FIXABLE = CLEAN.replace("webUrl: https://example.com/clean",
                        "webUrl: HTTPS://example.com/clean?utm_source=feed")


async def test_quick_fixes_make_the_edits_fix_makes(tmp_path: Path) -> None:
    article = tmp_path / "fixable.md"
    article.write_text(FIXABLE, "utf-8")
    report = check_json(tmp_path, "fixable.md")["fixable.md"]
    fixable = [d for d in report if d["fix"]]
    assert fixable
    async with started(tmp_path) as client:
        address = open_file(client, article)
        await published(client, address)
        actions = await client.text_document_code_action_async(
            _code_action_params(address, (0, 0), (20, 0), only=["quickfix"]))
        fixes = [a for a in actions if a.title.startswith("Fix ")]
        assert len(fixes) == len(fixable)
        for action, diagnostic in zip(fixes, fixable, strict=True):
            assert action.kind == types.CodeActionKind.QuickFix and action.is_preferred
            assert action.diagnostics and action.diagnostics[0].code == diagnostic["code"]
            (edits,) = action.edit.changes.values()
            expected_edits = [
                (e["line"] - 1, e["column"] - 1, e["end_line"] - 1, e["end_column"] - 1,
                 e["content"]) for e in diagnostic["fix"]["edits"]]
            assert [(e.range.start.line, e.range.start.character, e.range.end.line,
                     e.range.end.character, e.new_text) for e in edits] == expected_edits

        (fix_all,) = await client.text_document_code_action_async(
            _code_action_params(address, (0, 0), (0, 0), only=["source.fixAll.feedlint"]))
        assert fix_all.kind == "source.fixAll.feedlint"
        (edits,) = fix_all.edit.changes.values()
        fixed = apply(FIXABLE, list(edits))
    run = run_feedlint(["check", "--fix", "--no-cache", "fixable.md"], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert fixed == article.read_text("utf-8") != FIXABLE


async def test_noqa_action_silences_that_diagnostic_only(tmp_path: Path) -> None:
    article = tmp_path / "bad.md"
    article.write_text(BAD, "utf-8")
    async with started(tmp_path) as client:
        address = open_file(client, article)
        before = await published(client, address)
        fl105 = next(d for d in before if d.code == "FL105")
        start, end = fl105.range.start, fl105.range.end
        actions = await client.text_document_code_action_async(_code_action_params(
            address, (start.line, start.character), (end.line, end.character)))
        (noqa,) = [a for a in actions if "noqa" in a.title and a.diagnostics
                   and a.diagnostics[0].code == "FL105"]
        assert noqa.title == "Suppress FL105 on this line (`# noqa: FL105`)"
        (edits,) = noqa.edit.changes.values()
        silenced = apply(BAD, list(edits))
        assert "quality: 150  # noqa: FL105\n" in silenced
        replace_all(client, address, silenced, 2)
        after = await published(client, address)
        assert shown(after) == [d for d in shown(before) if d[0] != "FL105"]
        # The same on disk, as check sees it.
        article.write_text(silenced, "utf-8")
        assert "FL105" not in {d["code"] for d in check_json(tmp_path, "bad.md")["bad.md"]}

        # Hovering the code in the comment shows its rule.
        comment = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=address),
            position=types.Position(line=fl105.range.start.line,
                                    character=len("quality: 150  # noqa: FL1"))))
        assert comment is not None and comment.contents.value.startswith("**FL105**")

        # Once the value is right, the comment silences nothing: FL801, faded.
        replace_all(client, address, silenced.replace("150", "50"), 3)
        (stale,) = [d for d in await published(client, address) if d.code == "FL801"]
        assert list(stale.tags or ()) == [types.DiagnosticTag.Unnecessary]
        assert all(d.tags is None for d in after)

        # Front matter below blank lines (FL001, on the opening fence): a comment
        # cannot go on the fence, so the whole file's noqa, under it.
        shifted = tmp_path / "shifted.md"
        shifted.write_text("\n\n" + CLEAN, "utf-8")
        shifted_address = open_file(client, shifted)
        (fl001,) = await published(client, shifted_address)
        assert fl001.code == "FL001"
        actions = await client.text_document_code_action_async(_code_action_params(
            shifted_address, (fl001.range.start.line, 0), (fl001.range.end.line, 3)))
        (noqa,) = [a for a in actions if "noqa" in a.title]
        assert noqa.title == "Suppress FL001 in this file (`# feedlint: noqa: FL001`)"
        (edits,) = noqa.edit.changes.values()
        assert apply("\n\n" + CLEAN, list(edits)).startswith(
            "\n\n---\n# feedlint: noqa: FL001\ntitle:")

        # A front matter that is a list takes no comment that silences it: none offered.
        listed = tmp_path / "list.md"
        listed.write_text("---\n- title\n---\n", "utf-8")
        list_address = open_file(client, listed)
        (root,) = await published(client, list_address)
        actions = await client.text_document_code_action_async(_code_action_params(
            list_address, (root.range.start.line, 0), (root.range.end.line, 0)))
        assert not [a for a in actions if "noqa" in a.title]


# -- hover and completion --------------------------------------------------------


async def test_hover_shows_the_rule_and_the_field(tmp_path: Path) -> None:
    article = tmp_path / "bad.md"
    article.write_text(BAD, "utf-8")
    async with started(tmp_path) as client:
        address = open_file(client, article)
        diagnostics = await published(client, address)
        fl105 = next(d for d in diagnostics if d.code == "FL105")
        on_value = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=address),
            position=fl105.range.start))
        assert on_value is not None
        text = on_value.contents.value
        rule = run_feedlint(["rule", "FL105"]).stdout
        assert "**FL105**" in text and rule.splitlines()[2] in text
        assert "**What it does.**" in text
        assert "Quality score from 0 to 100." in text  # the field, too

        on_key = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=address),
            position=types.Position(line=3, character=2)))
        assert on_key is not None
        assert on_key.contents.value.startswith("**Web URL** `webUrl`\n\nCanonical URL")
        assert "Required." in on_key.contents.value
        nothing = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=address),
            position=types.Position(line=11, character=1)))
        assert nothing is None

        # Half-typed front matter that does not parse: the field is read from the lines.
        replace_all(client, address, BAD.replace("quality: 150", "quality: [150"), 2)
        assert [d.code for d in await published(client, address)] == ["FL003"]
        broken = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=address),
            position=types.Position(line=8, character=2)))
        assert broken is not None and broken.contents.value.startswith("**Quality** `quality`")


async def test_completion_offers_missing_fields_and_enum_values(tmp_path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "article.schema.json").read_text("utf-8"))
    schema["properties"]["category"] = {"title": "Category", "description": "The section.",
                                        "enum": ["news", "sport", "business"]}
    (tmp_path / "schema.json").write_text(json.dumps(schema), "utf-8")
    (tmp_path / "feedlint.toml").write_text('schema = "schema.json"\n', "utf-8")
    text = CLEAN.replace("  domain: example.com\n", "  domain: example.com\n  \ncategory: \n\n")
    article = tmp_path / "a.md"
    article.write_text(text, "utf-8")
    async with started(tmp_path) as client:
        address = open_file(client, article)
        await published(client, address)

        async def labels(line: int, character: int) -> list[types.CompletionItem]:
            result = await client.text_document_completion_async(types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=address),
                position=types.Position(line=line, character=character)))
            assert isinstance(result, types.CompletionList)
            return list(result.items)

        # Under provider: nothing, its two keys are there.
        assert [i.label for i in await labels(7, 2)] == []  # name and domain are there
        top = await labels(9, 0)
        names = [i.label for i in top]
        assert "title" not in names and "webUrl" not in names and "provider" not in names
        assert {"excerpt", "images", "related", "secured"} <= set(names)
        excerpt = next(i for i in top if i.label == "excerpt")
        assert excerpt.insert_text == "excerpt: "
        assert excerpt.documentation.value.startswith("**Excerpt** `excerpt`")
        values = await labels(8, 10)
        assert [i.label for i in values] == ["news", "sport", "business"]
        assert values[0].kind == types.CompletionItemKind.EnumMember


# -- an untrusted workspace ------------------------------------------------------


async def test_a_link_out_of_the_workspace_is_never_read(tmp_path: Path) -> None:
    """A workspace (a cloned pull request) holds a link to an article outside it with
    the same URL as one inside: the server neither reads it for the duplicate check
    nor lints it when it is opened."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(CLEAN, "utf-8")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "article.md").write_text(CLEAN, "utf-8")
    (workspace / "link.md").symlink_to(outside / "secret.md")
    report = check_json(workspace, ".")
    async with started(workspace) as client:
        await log_line(client, "read ")
        assert await published(client, open_file(client, workspace / "article.md")) == []
        linked = await published(client, open_file(client, workspace / "link.md", CLEAN))
    assert [d.code for d in linked] == [d["code"] for d in report["link.md"]] == ["FL013"]
    assert "article.md" not in report


async def test_the_workspace_configuration_cannot_lift_a_guard(tmp_path: Path) -> None:
    (tmp_path / "feedlint.toml").write_text("probe-allow-private = true\n", "utf-8")
    (tmp_path / "bad.md").write_text(BAD, "utf-8")
    run = run_feedlint(["check", "bad.md"], cwd=tmp_path)
    assert run.returncode == 2
    async with started(tmp_path) as client:
        (refused,) = await published(client, open_file(client, tmp_path / "bad.md"))
    assert refused.message.startswith("feedlint cannot lint this file: ")
    assert "--probe-allow-private" in refused.message
    assert refused.message.removeprefix("feedlint cannot lint this file: ") in run.stderr


async def test_feed_order_is_checked_against_the_files_of_the_folder(tmp_path: Path) -> None:
    """The server hands the checks across files only the files that can matter (the
    same folder for feed order, the same URL for duplicates): what they report is
    what check reports over the whole tree."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.feedlint.dates]\nfeed-order = "newest-first"\n', "utf-8")
    days = ["09", "07", "08", "06"]
    for folder in ("feed-a", "feed-b"):
        (tmp_path / folder).mkdir()
        for number, day in enumerate(days):
            text = CLEAN.replace("2023-08-07", f"2023-08-{day}").replace(
                "/clean", f"/{folder}/{number}")
            (tmp_path / folder / f"{number:03d}_story.md").write_text(text, "utf-8")
    report = check_json(tmp_path, ".")
    opened = tmp_path / "feed-a" / "002_story.md"
    assert [d["code"] for d in report["feed-a/002_story.md"]] == ["FL408"]
    async with started(tmp_path) as client:
        await log_line(client, "read ")
        text = opened.read_text("utf-8")
        got = await published(client, open_file(client, opened))
        assert shown(got) == expected(report["feed-a/002_story.md"], text)


async def test_bare_yaml_articles_the_configuration_includes(tmp_path: Path) -> None:
    (tmp_path / "feedlint.toml").write_text('include = ["data/*.yaml"]\n', "utf-8")
    (tmp_path / "data").mkdir()
    bare = CLEAN.removeprefix("---\n").split("---\n")[0].replace("quality", "q") + "quality: 101\n"
    (tmp_path / "data" / "a.yaml").write_text(bare, "utf-8")
    (tmp_path / "other.yaml").write_text(bare, "utf-8")
    report = check_json(tmp_path, ".")
    assert set(report) == {"data/a.yaml"}
    async with started(tmp_path) as client:
        got = await published(client, open_file(client, tmp_path / "data" / "a.yaml"))
        assert shown(got) == expected(report["data/a.yaml"], bare)
        assert await published(client, open_file(client, tmp_path / "other.yaml")) == []
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(tmp_path / "data" / "a.yaml")),
            position=types.Position(line=bare.count("\n"), character=0)))
        assert result is not None and "excerpt" in {i.label for i in result.items}


async def test_a_file_changed_on_disk_updates_the_duplicate_check(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text(CLEAN.replace("/clean", "/other"), "utf-8")
    article = tmp_path / "article.md"
    article.write_text(CLEAN, "utf-8")
    async with started(tmp_path) as client:
        await log_line(client, "read ")
        address = open_file(client, article)
        assert await published(client, address) == []
        # Another tool (a git checkout) writes the same URL into the other file.
        (tmp_path / "other.md").write_text(CLEAN, "utf-8")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri(tmp_path / "other.md"), type=types.FileChangeType.Changed)]))
        assert [d.code for d in await published(client, address)] == ["FL520"]
        (tmp_path / "other.md").unlink()
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri(tmp_path / "other.md"), type=types.FileChangeType.Deleted)]))
        assert await published(client, address) == []


async def test_workspace_folders_added_and_removed(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    article = first / "article.md"
    article.write_text(CLEAN, "utf-8")
    (second / "copy.md").write_text(CLEAN, "utf-8")
    async with started(first) as client:
        await log_line(client, "read ")
        address = open_file(client, article)
        assert await published(client, address) == []
        # A folder added is read; each folder's articles are compared among themselves,
        # as two runs of check, one per folder, compare them.
        client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=uri(second), name="second")], removed=[])))
        await log_line(client, f"read 1 articles under {second}")
        # The first folder closed and opened again: read again, the article still alone.
        client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[], removed=[types.WorkspaceFolder(uri=uri(first), name="first")])))
        client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=uri(first), name="first")], removed=[])))
        replace_all(client, address, CLEAN + "More.\n", 2)
        assert await published(client, address) == []


async def test_a_changed_schema_file_is_read_again(tmp_path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "article.schema.json").read_text("utf-8"))
    schema["properties"]["category"] = {"enum": ["news"]}
    schema_file = tmp_path / "article.json"
    schema_file.write_text(json.dumps(schema), "utf-8")
    (tmp_path / "feedlint.toml").write_text('schema = "article.json"\n', "utf-8")
    article = tmp_path / "a.md"
    text = CLEAN.replace("---\nBody", "category: sport\n---\nBody")
    article.write_text(text, "utf-8")
    async with started(tmp_path) as client:
        address = open_file(client, article)
        before = await published(client, address)
        assert shown(before) == expected(check_json(tmp_path, "a.md")["a.md"], text) != []
        schema["properties"]["category"] = {"enum": ["news", "sport"]}
        schema_file.write_text(json.dumps(schema), "utf-8")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri(schema_file), type=types.FileChangeType.Changed)]))
        assert await published(client, address) == []
        assert "a.md" not in check_json(tmp_path, "a.md")


async def test_a_byte_order_mark_shifts_nothing(tmp_path: Path) -> None:
    """feedlint counts columns after a byte order mark; an editor that keeps the mark
    in the buffer counts it: fixes, hover and code actions on line 1 still land."""
    (tmp_path / "feedlint.toml").write_text('include = ["*.yaml"]\n', "utf-8")
    text = ("\ufeffwebUrl: HTTPS://example.com/a\ntitle: x\n"
            "publishedDateTime: 2023-08-07T08:11:00Z\n"
            "provider: {name: X, domain: example.com}\n")
    article = tmp_path / "bom.yaml"
    article.write_bytes(text.encode("utf-8"))
    report = check_json(tmp_path, ".")["bom.yaml"]
    async with started(tmp_path, encodings=["utf-16"]) as client:
        address = open_file(client, article, text)
        (fl201,) = await published(client, address)
        assert shown([fl201]) == expected(report, text)
        assert (fl201.range.start.line, fl201.range.start.character) == (0, 9)  # mark + "webUrl: "
        actions = await client.text_document_code_action_async(_code_action_params(
            address, (0, 9), (0, 9), only=["quickfix"]))
        fix = next(a for a in actions if a.title.startswith("Fix FL201"))
        (edits,) = fix.edit.changes.values()
        assert apply(text, list(edits)) == text.replace("HTTPS:", "https:")
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=address),
            position=types.Position(line=0, character=2)))
        assert hover is not None and hover.contents.value.startswith("**Web URL** `webUrl`")
