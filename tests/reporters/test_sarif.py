"""SARIF 2.1.0: validated against the official schema, then read field by
field; fingerprints stay put when unrelated text moves the finding."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from healthlint.findings import FileReport
from healthlint.runner import RunResult

from .conftest import render

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
ARTICLE = "# Sleep\n\nIt is 😀 a miracle. Take 5 mg daily.\n\nClinically proven.\n"


def sarif(result: RunResult | list[FileReport], **ctx: object) -> dict[str, Any]:
    return json.loads(render("sarif", result, **ctx))


@pytest.mark.skipif(not SCHEMA.is_file(), reason=f"the SARIF schema is not at {SCHEMA}")
def test_valid_against_the_sarif_2_1_0_schema(lint: Callable[..., RunResult], project: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    result = lint({"a.md": ARTICLE, "docs/b.txt": "A miracle, twice: a miracle.\n", "clean.md": "Rest.\n"})
    (project / "bad.md").write_bytes(b"\x92 not utf-8\n")
    unreadable = FileReport("bad.md", error="cannot decode as UTF-8 (byte 0x92 at offset 0)")
    for log in (sarif(result), sarif([]), sarif([*result.reports, unreadable])):
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_driver_rules_carry_the_documentation(lint: Callable[..., RunResult]) -> None:
    driver = sarif(lint({"a.md": ARTICLE}))["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("healthlint", "1.2.3")
    # No home page yet: a placeholder address would send users nowhere.
    assert "informationUri" not in driver
    rules = {r["id"]: r for r in driver["rules"]}
    assert {"HL001", "HL002", "HL003", "TS101", "TS301", "TS501"} <= set(rules)
    assert rules["TS101"] == {
        "id": "TS101",
        "name": "test-dose",
        "shortDescription": {"text": "A dose with no source."},
        "fullDescription": {"text": "A dose with no source. It reads as a direction for use."},
        "help": {
            "text": "A dose with no source. It reads as a direction for use.\n\nBasis:\n- 21 CFR 201.128\n\n"
                    "How to fix:\nCite the source of the dose.",
            "markdown": "A dose with no source. It reads as a direction for use.\n\n**Basis**\n\n- 21 CFR 201.128\n\n"
                        "**How to fix**\n\nCite the source of the dose.",
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["dose"], "category": "dose", "pack": "local"},
        "helpUri": "https://example.org/rules/TS101",
    }
    assert rules["TS301"]["defaultConfiguration"] == {"level": "note"}
    assert "helpUri" not in rules["TS301"]
    assert rules["TS501"]["defaultConfiguration"] == {"level": "error"}


def test_results_point_at_rules_and_code_point_regions(lint: Callable[..., RunResult], project: Path) -> None:
    run = sarif(lint({"docs/a.md": ARTICLE}))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.resolve().as_uri() + "/"}}
    assert run["invocations"] == [{"executionSuccessful": True}]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("TS501", "error"), ("TS101", "warning"), ("TS301", "note")]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    miracle = results[0]
    assert miracle["message"] == {"text": "'miracle' is hype"}
    # "It is 😀 a " is 10 code points (11 UTF-16 units): the match starts in column 11.
    assert miracle["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "docs/a.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 18, "snippet": {"text": "miracle"}},
    }}]
    assert results[2]["properties"]["replacement"] == "studied in [cite the trial]"


def test_uris_are_percent_encoded_and_outside_files_absolute(lint: Callable[..., RunResult], project: Path,
                                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    inside = sarif(lint({"my notes/50% off.md": "A miracle.\n"}))["runs"][0]["results"][0]
    assert inside["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "my%20notes/50%25%20off.md", "uriBaseId": "%SRCROOT%"}
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x.md"
    elsewhere.write_text("A miracle.\n", encoding="utf-8")
    from healthlint.runner import Runner

    outside = sarif(Runner().run([str(elsewhere)]))["runs"][0]["results"][0]
    assert outside["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": elsewhere.as_uri()}


def test_unreadable_files_are_notifications() -> None:
    log = sarif([FileReport("bad.md", error="cannot read: Permission denied")])
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [{
        "level": "error", "message": {"text": "bad.md: cannot read: Permission denied"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "bad.md", "uriBaseId": "%SRCROOT%"}}}]}]
    assert log["runs"][0]["results"] == []


def fingerprints(result: RunResult) -> dict[tuple[str, int], str]:
    return {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]):
            r["partialFingerprints"]["healthlint/v1"] for r in sarif(result)["runs"][0]["results"]}


def test_fingerprints_survive_unrelated_edits(lint: Callable[..., RunResult]) -> None:
    before = fingerprints(lint({"a.md": ARTICLE}))
    # A paragraph added above, and the dose sentence re-wrapped onto two lines.
    edited = ("# Sleep\n\nA new opening paragraph.\n\nIt is 😀 a miracle. Take 5 mg\ndaily.\n\n"
              "Clinically proven.\n")
    after = fingerprints(lint({"a.md": edited}))
    assert {code for code, _ in before} == {code for code, _ in after}
    assert sorted(before.values()) == sorted(after.values())
    assert before[("TS501", 3)] == after[("TS501", 5)]
    # Editing the sentence itself is a new finding.
    changed = fingerprints(lint({"a.md": ARTICLE.replace("It is", "It was")}))
    assert changed[("TS501", 3)] != before[("TS501", 3)]
    assert changed[("TS301", 5)] == before[("TS301", 5)]


def test_fingerprints_are_unique_per_finding(lint: Callable[..., RunResult]) -> None:
    text = "A miracle.\n\nA miracle.\n\nA miracle, a miracle.\n"
    results = sarif(lint({"a.md": text, "b.md": text}))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["healthlint/v1"] for r in results]
    assert len(prints) == 8 and len(set(prints)) == 8
