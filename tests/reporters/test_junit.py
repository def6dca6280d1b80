"""JUnit XML, read back by junitparser (what CI test-report tools use)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from healthlint.findings import FileReport, Finding, Severity
from healthlint.runner import RunResult

from .conftest import render

junitparser = pytest.importorskip("junitparser")


def parse(text: str) -> list[junitparser.TestSuite]:
    xml = junitparser.JUnitXml.fromstring(text)
    return list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]


def test_one_failing_case_per_finding_grouped_per_file(lint: Callable[..., RunResult], project: Path) -> None:
    result = lint({"a.md": "A miracle. Take 5 mg daily.\n", "b.txt": "Clinically proven.\n", "c.md": "Rest.\n"})
    (project / "report.xml").write_text(render("junit", result), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(project / "report.xml"))
    suites = list(xml)
    assert [s.name for s in suites] == ["a.md", "b.txt", "c.md"]
    assert [(s.tests, s.failures, s.errors) for s in suites] == [(2, 2, 0), (1, 1, 0), (1, 0, 0)]
    a_cases = list(suites[0])
    assert [(c.classname, c.name) for c in a_cases] == [
        ("a.md", "TS501 test-miracle at 1:3"), ("a.md", "TS101 test-dose at 1:12")]
    [failure] = a_cases[0].result
    assert isinstance(failure, junitparser.Failure)
    assert (failure.type, failure.message) == ("TS501", "'miracle' is hype")
    assert failure.text == "a.md:1:3: TS501 [hype] 'miracle' is hype"
    [proof] = list(suites[1])[0].result
    assert proof.text == ("b.txt:1:1: TS301 [evidence] 'Clinically proven': say 'studied in [cite the trial]'\n"
                          "suggestion: studied in [cite the trial]")
    [clean] = list(suites[2])
    assert (clean.name, clean.is_passed) == ("healthlint", True)


def test_unreadable_file_is_an_error_case() -> None:
    [suite] = parse(render("junit", [FileReport("bad.md", error="cannot read: Permission denied")]))
    [case] = list(suite)
    assert case.is_error and not case.is_passed
    assert case.result[0].message == "cannot read: Permission denied"


def test_a_read_problem_and_findings_in_one_file() -> None:
    f = Finding(path="a.md", code="TS501", name="test-miracle", category="hype", severity=Severity.ERROR,
                message="'miracle' is hype", start=0, end=7, line=1, column=1, end_line=1, end_column=8,
                match="miracle")
    [suite] = parse(render("junit", [FileReport("a.md", (f,), error="not UTF-8; read as Windows-1252")]))
    assert (suite.tests, suite.failures, suite.errors) == (2, 1, 1)
    assert [c.is_error for c in suite] == [True, False]


def test_characters_xml_cannot_hold_are_replaced() -> None:
    f = Finding(path="a.md", code="TS501", name="test-miracle", category="hype", severity=Severity.ERROR,
                message="'mira\x08cle' is hype", start=0, end=8, line=1, column=1, end_line=1, end_column=9,
                match="mira\x08cle")
    [suite] = parse(render("junit", [FileReport("a.md", (f,))]))
    assert list(suite)[0].result[0].message == "'mira\ufffdcle' is hype"


def test_no_files_is_an_empty_report() -> None:
    assert parse(render("junit", [])) == []
