"""``--format sarif``: valid SARIF 2.1.0 (checked against the OASIS schema) with what
GitHub code scanning reads: rules from the docs, repository-relative locations,
exact regions and fingerprints that survive edits elsewhere in the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from feedlint.rules import RULES
from tests.conftest import run_feedlint
from tests.output_cases import ODD_NAME, make_repository

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("sarif") / "repo")


def sarif(args: list[str], cwd: Path, **kwargs: Any) -> tuple[dict[str, Any], int]:
    run = run_feedlint(["check", "--format", "sarif", *args], cwd=cwd, **kwargs)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout), run.returncode


def test_valid_against_the_sarif_schema(
    repository: Path, validator: jsonschema.Draft4Validator
) -> None:
    document, returncode = sarif(["."], repository)
    assert returncode == 1
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    assert document["version"] == "2.1.0"
    assert document["$schema"].startswith("https://")
    # The validator does reject a broken log (this test can fail).
    broken = json.loads(json.dumps(document))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"][
        "startLine"] = 0
    del broken["version"]
    assert len(list(validator.iter_errors(broken))) == 2


def test_a_clean_run_is_valid_and_empty(
    repository: Path, validator: jsonschema.Draft4Validator
) -> None:
    document, returncode = sarif(["articles/clean.md"], repository)
    assert returncode == 0
    validator.validate(document)
    run = document["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


def test_results_match_the_json_report(repository: Path) -> None:
    document, _ = sarif(["articles"], repository)
    report = run_feedlint(["check", "--format", "json", "articles"], cwd=repository).json()
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.resolve().as_uri() + "/"
    results = run["results"]
    assert len(results) == len(report["diagnostics"]) > 5
    for result, d in zip(results, report["diagnostics"], strict=True):
        assert result["ruleId"] == d["code"]
        assert rules[result["ruleIndex"]]["id"] == d["code"]
        assert result["level"] == d["severity"]
        assert result["message"]["text"] == d["message"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert unquote(artifact["uri"]) == "articles/" + Path(d["file"]).name
        assert location["physicalLocation"]["region"] == {
            "startLine": d["line"], "startColumn": d["column"],
            "endLine": d["end_line"], "endColumn": d["end_column"],
        }
        assert set(result["partialFingerprints"]) == {"feedlintFingerprint/v1"}
    # Only the rules that appear, once each, in code order.
    assert [r["id"] for r in rules] == sorted({d["code"] for d in report["diagnostics"]})


def test_rules_carry_the_rule_documentation(repository: Path) -> None:
    document, _ = sarif(["articles"], repository)
    for descriptor in document["runs"][0]["tool"]["driver"]["rules"]:
        rule = RULES[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.what
        assert rule.why in descriptor["help"]["text"]
        markdown = descriptor["help"]["markdown"]
        assert "## Why is this bad?" in markdown and rule.why in markdown
        assert f"```yaml\n{rule.example.rstrip()}\n```" in markdown
        assert f"```yaml\n{rule.fixed.rstrip()}\n```" in markdown
        assert descriptor["defaultConfiguration"]["level"] == str(rule.severity)


def test_uris_are_escaped_and_repository_relative_from_any_folder(repository: Path) -> None:
    from_root, _ = sarif([f"articles/{ODD_NAME}"], repository)
    from_sub, _ = sarif([ODD_NAME], repository / "articles")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for doc in (from_root, from_sub) for r in doc["runs"][0]["results"]}
    assert uris == {"articles/we%2Cird%3A100%25%20%C3%A9.md"}


def test_a_file_outside_the_repository_gets_a_file_uri(repository: Path, tmp_path: Path) -> None:
    outside = tmp_path / "out side.md"
    outside.write_text("no front matter\n", "utf-8")
    document, _ = sarif([str(outside)], repository)
    artifact = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]
    assert artifact == {"uri": outside.as_uri()}


def fingerprints(document: dict[str, Any]) -> dict[str, tuple[str, int]]:
    return {
        r["partialFingerprints"]["feedlintFingerprint/v1"]: (
            r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]
        )
        for r in document["runs"][0]["results"]
    }


def test_fingerprints_are_unique_and_survive_edits_above(repository: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(repository, copy)
    before_doc, _ = sarif(["articles"], copy)
    again_doc, _ = sarif(["articles"], copy)
    before = fingerprints(before_doc)
    assert len(before) == len(before_doc["runs"][0]["results"])  # no two alike
    assert before == fingerprints(again_doc)
    bad = copy / "articles" / "bad.md"
    text = bad.read_text("utf-8")
    bad.write_text(text.replace("---\n", "---\n# a comment\ncategory: news\n", 1), "utf-8")
    after = fingerprints(sarif(["articles"], copy)[0])
    assert after.keys() == before.keys()
    moved = [fp for fp in before if after[fp][1] != before[fp][1]]
    assert moved and all(after[fp][1] == before[fp][1] + 2 for fp in moved)


def test_github_workspace_sets_the_root(repository: Path, tmp_path: Path) -> None:
    document, _ = sarif([str(repository / "articles" / "bad.md")], tmp_path,
                        env={"GITHUB_WORKSPACE": str(repository)})
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"]}
    assert uris == {"articles/bad.md"}
