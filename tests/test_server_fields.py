"""Where the cursor stands in front matter being typed, what the schema says there,
and the edits the server offers: in-process, without the protocol."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from feedlint.server import edits, fields
from feedlint.server.workspace import Workspace
from tests.conftest import ROOT, run_feedlint

SCHEMA = json.loads((ROOT / "schemas" / "article.schema.json").read_text("utf-8"))

#: Front matter being typed: half a key, keys with no value yet, lines of only the
#: indentation (as an editor leaves them), a block scalar whose text looks like a key.
LINES = [
    "---",
    "title: x",
    "provider:",
    "  name: X",
    "  ",
    "images:",
    "- url: https://example.com/a.jpg",
    "  wid",
    "- url: https://example.com/b.jpg",
    "  ",
    "related:",
    "  - title: T",
    "    provider:",
    "      na",
    "    webUrl: https://example.com/r",
    "published: ",
    "excerpt: |",
    "  a block scalar",
    "  published: not a key",
    "---",
    "Body.",
    "",
]
LAST = LINES.index("---", 1)


@pytest.mark.parametrize(("line", "column", "path", "key", "prefix", "present"), [
    (4, 2, ("provider",), None, "", {"name"}),
    (7, 5, ("images", 0), None, "wid", {"url"}),
    (9, 2, ("images", 1), None, "", {"url"}),
    (13, 8, ("related", 0, "provider"), None, "na", set()),
    (15, 11, (), "published", "", {"title", "provider", "images", "related", "excerpt"}),
    (1, 3, (), None, "tit", {"provider", "images", "related", "published", "excerpt"}),
    (6, 7, ("images", 0), "url", "https://example.com/a.jpg"[:0], None),
])
def test_the_place_of_the_cursor(line: int, column: int, path: tuple[object, ...],
                                 key: str | None, prefix: str, present: set[str] | None
                                 ) -> None:
    place = fields.place_at(LINES, 1, LAST, line, column)
    assert place is not None
    assert (place.path, place.key, place.prefix) == (path, key, prefix)
    if present is not None:
        assert place.present == present


def test_no_place_inside_a_block_scalar_or_a_comment() -> None:
    inside = LINES.index("  published: not a key")
    assert fields.place_at(LINES, 1, LAST, inside, 5) is None
    commented = ["---", "# a comment", "---"]
    assert fields.place_at(commented, 1, 2, 1, 5) is None


def test_the_schema_at_a_path() -> None:
    assert sorted(fields.keys_allowed(SCHEMA, ("images", 0))) == [
        "height", "isCached", "url", "width"]
    assert sorted(fields.keys_allowed(SCHEMA, ("related", 3, "provider"))) == ["domain", "name"]
    assert fields.keys_allowed(SCHEMA, ("title",)) == {}
    assert fields.enum_values(SCHEMA, ("published",)) == [True, False]
    doc = fields.field_doc(SCHEMA, ("images", 0, "width"))
    assert doc == ("**Width** `images[0].width`\n\nWidth of the image in pixels.\n\n"
                   "Must be a positive integer. Required.")
    assert fields.field_doc(SCHEMA, ("nothing",)) is None


def test_allof_anyof_and_refs_are_followed() -> None:
    schema = {
        "$defs": {"base": {"properties": {"a": {"title": "A", "enum": ["x", "y"]}}}},
        "allOf": [{"$ref": "#/$defs/base"}],
        "anyOf": [{"properties": {"b": {"const": 3}}}],
        "properties": {"list": {"items": {"$ref": "#/$defs/base"}},
                       "pairs": {"prefixItems": [{"properties": {"first": {}}}]}},
    }
    assert set(fields.keys_allowed(schema, ())) == {"a", "b", "list", "pairs"}
    assert fields.enum_values(schema, ("a",)) == ["x", "y"]
    assert fields.enum_values(schema, ("b",)) == [3]
    assert set(fields.keys_allowed(schema, ("list", 7))) == {"a"}
    assert set(fields.keys_allowed(schema, ("pairs", 0))) == {"first"}
    assert fields.keys_allowed(schema, ("pairs", 1)) == {}
    looping = {"$ref": "#"}
    assert fields.keys_allowed(looping, ()) == {}


def test_completion_lists_missing_keys_and_values() -> None:
    text = "---\ntitle: x\n\n---\n"
    offered = edits.completions(text, SCHEMA, 2, 0, bare=False)
    names = [c.label for c in offered]
    assert "title" not in names and "webUrl" in names
    web = next(c for c in offered if c.label == "webUrl")
    assert (web.insert, web.detail, web.is_key) == ("webUrl: ", "Web URL", True)
    assert edits.completions("---\npublished: \n---\n", SCHEMA, 1, 11, bare=False)[0].label \
        == "true"
    # Outside the front matter: nothing.
    assert edits.completions(text + "Body\n", SCHEMA, 4, 2, bare=False) == []
    assert [c.label for c in edits.completions("title: x\n", SCHEMA, 1, 0, bare=True)][:1]


def test_one_edit_for_a_whole_change() -> None:
    before = "---\ntitle: a\nwebUrl: HTTPS://x\n---\n"
    after = "---\ntitle: a\nwebUrl: https://x\n---\n"
    assert edits.whole_change(before, after) == (3, 9, 3, 14, "https")
    assert edits.whole_change("\ufeffab", "\ufeffb") == (1, 1, 1, 2, "")


def test_the_noqa_edit_is_checked(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    text = ("---\ntitle: x\npublishedDateTime: 2023-08-07T08:11:00Z\n"
            "webUrl: https://example.com/a\nprovider: {name: X, domain: example.com}\n"
            "quality: 150  # noqa: FL102\n---\n")
    workspace = Workspace(lambda _: None)
    linted = workspace.lint(str(tmp_path / "a.md"), text)
    (found,) = [d for d in linted.diagnostics if d.code == "FL105"]
    title, edit = edits.suppression(workspace, linted, found)  # type: ignore[misc]
    assert title == "Add FL105 to this line's `# noqa`"
    assert edit == (6, 28, 6, 28, ", FL105")


def test_diagnostics_link_to_the_rule_pages_the_site_builds() -> None:
    import yaml

    from feedlint.rules import RULES
    from feedlint.server.protocol import DOCS_URL

    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\ntheme:")[0])
    assert site["site_url"] + "rules/" == DOCS_URL
    for code in RULES:
        assert (ROOT / "docs" / "rules" / f"{code}.md").is_file(), code


def test_the_editor_setups_start_feedlint_server() -> None:
    """The Helix, VS Code and Neovim setups on the editors page name the command."""
    import re
    import tomllib

    page = (ROOT / "docs" / "editors.md").read_text("utf-8")
    (helix,) = re.findall(r"```toml\n(.*?)```", page, re.S)
    server = tomllib.loads(helix)["language-server"]["feedlint"]
    assert [server["command"], *server["args"]] == ["feedlint", "server"]
    settings = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", page, re.S)]
    assert settings[0]["glspc.server.command"] == "feedlint"
    assert settings[0]["glspc.server.commandArguments"] == ["server"]
    assert "source.fixAll.feedlint" in settings[1]["editor.codeActionsOnSave"]
    (lua,) = re.findall(r"```lua\n(.*?)```", page, re.S)
    assert 'cmd = { "feedlint", "server" }' in lua and '"source.fixAll.feedlint"' in lua
    (elisp,) = re.findall(r"```elisp\n(.*?)```", page, re.S)
    assert '("feedlint" "server")' in elisp


def test_the_field_under_the_cursor_in_front_matter_that_does_not_parse() -> None:
    text = "---\ntitle: x\nprovider:\n  name: [unclosed\n  domain: example.com\n---\n"
    assert edits.field_in_text(text, 4, 4, bare=False) == ("provider", "domain")
    assert edits.field_in_text(text, 4, 12, bare=False) == ("provider", "domain")
    assert edits.field_in_text(text, 2, 3, bare=False) == ("provider",)
    assert edits.field_in_text(text, 5, 1, bare=False) is None
    assert fields.field_doc(SCHEMA, ("provider", "domain")) is not None


def test_a_noqa_for_a_duplicate_is_judged_anew_as_the_other_file_changes(
        tmp_path: Path) -> None:
    """A ``noqa: FL520`` silences the duplicate while the other buffer shares the
    URL, and is reported as silencing nothing once it does not, as check reports
    the same files on disk."""
    os.chdir(tmp_path)
    article = ("---\ntitle: x\npublishedDateTime: 2023-08-07T08:11:00Z\n"
               "webUrl: https://example.com/a  # noqa: FL520\n"
               "provider: {name: X, domain: example.com}\n---\n")
    other = article.replace("  # noqa: FL520", "").replace("title: x", "title: y")
    workspace = Workspace(lambda _: None)
    workspace.lint(str(tmp_path / "b.md"), other)
    first = workspace.lint(str(tmp_path / "a.md"), article)
    assert first.diagnostics == []
    moved = other.replace("/a", "/b")
    workspace.lint(str(tmp_path / "b.md"), moved)
    (redone,) = workspace.relint_across(str(tmp_path / "b.md"))
    assert [d.code for d in redone.diagnostics] == ["FL801"]
    (tmp_path / "a.md").write_text(article, "utf-8")
    (tmp_path / "b.md").write_text(moved, "utf-8")
    run = run_feedlint(["check", "--format", "json", "--no-cache", "."], cwd=tmp_path)
    assert [(d["file"], d["code"], d["message"]) for d in run.json()["diagnostics"]] == [
        ("a.md", d.code, d.message) for d in redone.diagnostics]
    # And back: silenced again, nothing reported.
    workspace.lint(str(tmp_path / "b.md"), other)
    (again,) = workspace.relint_across(str(tmp_path / "b.md"))
    assert again.diagnostics == []


def test_the_files_the_settings_are_read_from(tmp_path: Path) -> None:
    """A change to any of them makes the server read the settings again."""
    os.chdir(tmp_path)
    (tmp_path / "feedlint.toml").write_text('schema = "schemas/article.json"\n', "utf-8")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "article.json").write_text(json.dumps(
        {"type": "object", "properties": {"title": {"$ref": "parts.json#/title"}}}), "utf-8")
    (tmp_path / "schemas" / "parts.json").write_text('{"title": {"type": "string"}}', "utf-8")
    workspace = Workspace(lambda _: None)
    workspace.lint(str(tmp_path / "a.md"), "---\ntitle: x\n---\n")
    for name in ("feedlint.toml", "pyproject.toml", "schemas/article.json",
                 "schemas/parts.json"):
        assert workspace.reads(str(tmp_path / name)), name
    assert not workspace.reads(str(tmp_path / "a.md"))
    assert not workspace.reads(str(tmp_path / "schemas" / "unused.json"))


def test_the_code_under_the_cursor() -> None:
    line = "quality: 150  # noqa: FL105, FL102"
    assert edits.code_at(line, line.index("FL105") + 2) == "FL105"
    assert edits.code_at(line, len(line)) == "FL102"
    assert edits.code_at(line, 3) is None


def test_enum_values_are_offered_as_they_read_back() -> None:
    """Each value offered, written after its key, reads back as that value."""
    import yaml

    values = ["news", "yes", "1984", "a: b", "#tag", "", None, True, 3, 2.5, ["x"], {"k": 1}]
    schema = {"properties": {"kind": {"enum": values}}}
    offered = edits.completions("---\nkind: \n---\n", schema, 1, 6, bare=False)
    assert [c.label for c in offered] == [
        "news", '"yes"', '"1984"', '"a: b"', '"#tag"', '""', "null", "true", "3", "2.5",
        "[x]", "{k: 1}"]
    for value, completion in zip(values, offered, strict=True):
        assert yaml.safe_load(f"kind: {completion.insert}") == {"kind": value}
