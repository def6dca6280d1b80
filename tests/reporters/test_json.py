"""The JSON reporter: a plain array of findings, read back as JSON."""
from __future__ import annotations

import json

from healthlint.findings import FileReport, Finding, Severity
from healthlint.reporters import REPORTERS, RunContext

KEYS = ["path", "line", "column", "end_line", "end_column", "code", "name", "category", "severity",
        "message", "match", "replacement", "url", "document_level", "fix", "baseline", "approved"]


def finding(path: str, line: int, code: str = "HL101", **extra: object) -> Finding:
    return Finding(path=path, code=code, name="unsupported-dose", category="dose", severity=Severity.WARNING,
                   message="Dose 'Take 2 g' — ‘quoted’", start=0, end=8, line=line, column=1, end_line=line,
                   end_column=9, match="Take 2 g", **extra)


def render(reports: list[FileReport], **ctx: object) -> object:
    text = REPORTERS["json"](reports, RunContext(**ctx))
    assert text.endswith("\n")
    return json.loads(text)


def test_array_of_findings_with_the_documented_keys_in_order() -> None:
    data = render([FileReport("a.md", (finding("a.md", 3, url="https://example.org/r"),))])
    assert data == [{
        "path": "a.md", "line": 3, "column": 1, "end_line": 3, "end_column": 9, "code": "HL101",
        "name": "unsupported-dose", "category": "dose", "severity": "warning",
        "message": "Dose 'Take 2 g' — ‘quoted’", "match": "Take 2 g", "replacement": None,
        "url": "https://example.org/r", "document_level": False, "fix": None, "baseline": False, "approved": None,
    }]
    assert list(data[0]) == KEYS


def test_sorted_across_files_and_unreadable_files_left_out() -> None:
    reports = [FileReport("b.md", (finding("b.md", 1),)), FileReport("a.md", (finding("a.md", 7), finding("a.md", 2))),
               FileReport("c.md", error="cannot read: Permission denied")]
    assert [(d["path"], d["line"]) for d in render(reports)] == [("a.md", 2), ("a.md", 7), ("b.md", 1)]


def test_no_findings_is_an_empty_array() -> None:
    assert render([FileReport("a.md")]) == []
    assert render([]) == []


def test_non_ascii_is_written_as_is() -> None:
    text = REPORTERS["json"]([FileReport("a.md", (finding("a.md", 1),))], RunContext())
    assert "‘quoted’" in text


def test_statistics() -> None:
    reports = [FileReport("a.md", (finding("a.md", 1), finding("a.md", 2), finding("a.md", 3, code="HL201")))]
    assert render(reports, statistics=True) == [
        {"code": "HL101", "name": "unsupported-dose", "category": "dose", "count": 2},
        {"code": "HL201", "name": "unsupported-dose", "category": "dose", "count": 1},
    ]


def test_colour_never_reaches_json() -> None:
    text = REPORTERS["json"]([FileReport("a.md", (finding("a.md", 1),))], RunContext(color=True))
    assert "\x1b" not in text
