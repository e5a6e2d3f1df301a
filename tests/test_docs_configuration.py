"""The Configuration page, and the Suppressing and Fixes chapters of the Fixes and noqa
page, say what feedlint does."""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib
from pathlib import Path

from feedlint.config import _KEYS, option_modules
from tests.conftest import ROOT, run_feedlint

CONFIGURATION = ROOT / "docs" / "configuration.md"
FIXES_AND_NOQA = ROOT / "docs" / "fixes-and-noqa.md"


def page(path: Path) -> str:
    """A page, without its generated part (which tests/test_docs_site.py holds to
    the code)."""
    text = path.read_text("utf-8")
    start = text.find("<!-- generated:start -->")
    return text if start == -1 else text[:start]


def chapter(title: str) -> str:
    """A ``## `` chapter of the Fixes and noqa page."""
    text = page(FIXES_AND_NOQA)
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_the_example_configuration_has_every_key_and_is_accepted(tmp_path: Path) -> None:
    (block,) = blocks(page(CONFIGURATION), "toml")
    table = tomllib.loads(block)["tool"]["feedlint"]
    modules = option_modules()
    assert set(table) == set(_KEYS) | set(modules)
    for name, module in modules.items():
        assert set(table[name]) == set(module.options), name
    (tmp_path / "pyproject.toml").write_text(block, "utf-8")
    (tmp_path / "schemas").mkdir()
    shutil.copy(ROOT / "schemas" / "article.schema.json", tmp_path / "schemas")
    run = run_feedlint(["check", "--show-settings"], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f'ignore = ["FL202"]  # {tmp_path / "pyproject.toml"}' in run.stdout


def test_the_error_shown_is_the_error_given(tmp_path: Path) -> None:
    text = page(CONFIGURATION)
    (shown,) = [line.strip() for line in text.splitlines() if "feedlint: error:" in line]
    (tmp_path / "pyproject.toml").write_text('[tool.feedlint]\nignore = ["FL2O4"]\n')
    run = run_feedlint(["check"], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == shown.replace("/repo/", f"{tmp_path}/")


def test_the_suppression_example_lints_clean_and_not_without_its_comments(
    tmp_path: Path,
) -> None:
    (block,) = blocks(chapter("Suppressing a diagnostic"), "yaml")
    path = tmp_path / "a.md"
    path.write_text(block, "utf-8")
    run = run_feedlint(["check", "--isolated", "--format", "json", str(path)])
    assert (run.returncode, run.json()["diagnostics"]) == (0, [])
    bare = re.sub(r"  # noqa.*", "", block).replace("# feedlint: noqa: FL204\n", "")
    path.write_text(bare, "utf-8")
    run = run_feedlint(["check", "--isolated", "--format", "json", str(path)])
    codes = sorted(d["code"] for d in run.json()["diagnostics"])
    assert codes == ["FL102", "FL204", "FL204", "FL407"]
    assert "FL204 twice, FL407, FL102" in " ".join(chapter("Suppressing a diagnostic").split())


def test_the_fix_commands(tmp_path: Path) -> None:
    (block,) = blocks(chapter("Fixes"), "sh")
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    articles = tmp_path / "articles"
    articles.mkdir()
    sample = (ROOT / "seeds" / "000_3548fed546ecb794.txt").read_text("utf-8")
    broken = sample.replace(
        'webUrl: "https://techstory.in/all-cases-of-mistaken-facial-recognition-arrests-have-'
        'targeted-black-individuals/"',
        'webUrl: "https://techstory.in/all-cases-of-mistaken-facial-recognition-arrests-have-'
        'targeted-black-individuals/?utm_source=x"',
        1,
    )
    assert broken != sample
    (articles / "a.md").write_text(broken, "utf-8")
    diff = run_feedlint(shlex.split(commands[0])[1:], cwd=tmp_path)
    assert diff.returncode == 1 and "+webUrl:" in diff.stdout
    assert (articles / "a.md").read_text("utf-8") == broken
    fixed = run_feedlint(shlex.split(commands[1])[1:], cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (articles / "a.md").read_text("utf-8") == sample
    for code in re.findall(r"\((FL\d{3})\)", chapter("Fixes")):
        rule = run_feedlint(["rule", code])
        assert "Fix (--fix)" in rule.stdout, code
