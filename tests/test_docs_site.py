"""The documentation site: its generated pages are current, and mkdocs builds it.

``docs/generate.py`` writes the rule pages, the setting tables of the Configuration
page and the field table of the Article format page from the code; a page that
differs from what it would write now is stale, and fails here until it is
regenerated (``python docs/generate.py``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from feedlint.rules import MODULES, RULES
from tests.conftest import ROOT, run_feedlint

GENERATE = ROOT / "docs" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


generate = _generator()


def test_the_generated_pages_are_current() -> None:
    run = subprocess.run([sys.executable, str(GENERATE), "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, (
        f"stale documentation: run `python docs/generate.py`\n{run.stdout}{run.stderr}")


def test_a_changed_rule_doc_makes_its_pages_stale() -> None:
    """What the check above relies on: change one rule's summary (in memory) and both
    the index and that rule's page are stale, nothing else."""
    module = next(m for m in MODULES if m.name == "urls")
    rule = next(r for r in module.rules if r.code == "FL207")
    changed = dataclasses.replace(rule, summary="A summary the pages do not hold yet")
    rules = tuple(changed if r is rule else r for r in module.rules)
    modules = tuple(dataclasses.replace(m, rules=rules) if m is module else m for m in MODULES)
    write, remove = generate.stale(generate.pages(modules))
    assert sorted(p.relative_to(ROOT).as_posix() for p in write) == [
        "docs/rules/FL207.md", "docs/rules/index.md"]
    assert remove == []


def test_a_changed_option_or_setting_makes_the_configuration_page_stale() -> None:
    module = next(m for m in MODULES if m.options)
    name, option = next(iter(module.options.items()))
    options = {**module.options, name: dataclasses.replace(option, help="another help")}
    modules = tuple(dataclasses.replace(m, options=options) if m is module else m
                    for m in MODULES)
    write, _ = generate.stale(generate.pages(modules))
    assert ROOT / "docs" / "configuration.md" in write


def test_every_code_has_a_page_and_no_page_outlives_its_code() -> None:
    pages = {p.stem for p in (ROOT / "docs" / "rules").glob("FL*.md")}
    assert pages == set(RULES)
    index = (ROOT / "docs" / "rules" / "index.md").read_text("utf-8")
    for code, rule in RULES.items():
        (row,) = [line for line in index.splitlines() if line.startswith(f"| [{code}]")]
        assert row.rstrip(" |").endswith("[\\*]") == bool(rule.fix), row


def test_a_page_without_its_markers_is_named(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# A page\n\nNo markers.\n", "utf-8")
    with pytest.raises(SystemExit, match="must hold one line <!-- generated:start -->"):
        generate.splice(page, "text")
    page.write_text(f"# A page\n{generate.START}\nold\n{generate.END}\nprose\n", "utf-8")
    assert generate.splice(page, "new\n") == (
        f"# A page\n{generate.START}\nnew\n{generate.END}\nprose\n")


def test_references_are_citations_or_links() -> None:
    for rule in RULES.values():
        for ref in rule.references:
            assert re.fullmatch(r"[^<>]+( <https://[^\s<>]+>)?|https://\S+", ref), rule.code


def test_the_rule_page_and_feedlint_rule_show_the_same_references() -> None:
    rule = RULES["FL207"]
    assert rule.references
    shown = run_feedlint(["rule", "FL207"]).stdout
    page = (ROOT / "docs" / "rules" / "FL207.md").read_text("utf-8")
    for ref in rule.references:
        assert f"  - {ref}\n" in shown
        assert generate.reference(ref) in page


def test_the_site_builds_in_strict_mode(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (the docs extra has it)")
    pytest.importorskip("material", reason="mkdocs-material is not installed (the docs extra)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "site" / "rules" / "FL207" / "index.html").is_file()
    # The annotated example is the seed itself, included when the site is built.
    article = (tmp_path / "site" / "article-format" / "index.html").read_text("utf-8")
    assert "spaceweekly" in article
