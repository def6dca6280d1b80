"""Streamed reports (one file at a time, issue 6) are byte for byte the
reports rendered from the whole run, for every streaming format."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from typing import Callable

import pytest

from healthlint.findings import FileReport
from healthlint.reporters import REPORTERS, STREAMS, RunContext
from healthlint.runner import RunResult


def streamed(fmt: str, reports: list[FileReport], ctx: RunContext) -> str:
    out = STREAMS[fmt](ctx)
    chunks = [out.file(r) for r in sorted(reports, key=lambda r: r.path)]
    end = out.end()
    return "".join(chunks) + (end if isinstance(end, str) else "".join(end))


def test_machine_formats_stream() -> None:
    assert {"sarif", "junit", "gitlab", "json", "json-lines", "github"} <= set(STREAMS)


# sarif, junit and gitlab render `report` through their stream; the layout
# tests below check those against a one-piece rendering instead.
@pytest.mark.parametrize("fmt", ["github", "json", "json-lines", "text"])
@pytest.mark.parametrize("files", [
    {"b.md": "A miracle. Take 5 mg daily.\n", "a.md": "Clinically proven.\n\nTake 10 mg. A miracle!\n",
     "c.md": "Rest well.\n"},
    {"clean.md": "Rest well.\n"},
])
def test_stream_equals_report(lint: Callable[..., RunResult], fmt: str, files: dict[str, str]) -> None:
    result = lint(files)
    reports = [*result.reports, FileReport("d.md", error="cannot read: permission denied")]
    ctx = RunContext("1.2.3", rules=tuple(result.rules))
    assert streamed(fmt, reports, ctx) == REPORTERS[fmt](reports, ctx)


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "json"])
@pytest.mark.parametrize("files", [
    {"b.md": "A miracle. Take 5 mg daily.\n", "a.md": "Clinically proven.\n\nTake 10 mg. A miracle!\n"},
    {"clean.md": "Rest well.\n"},
])
def test_streamed_json_is_laid_out_as_one_dump(lint: Callable[..., RunResult], fmt: str,
                                               files: dict[str, str]) -> None:
    # Items rendered file by file must sit exactly where json.dumps of the
    # whole document would put them (indentation, commas, brackets).
    result = lint(files)
    reports = [*result.reports, FileReport("d.md", error="cannot read: permission denied")]
    text = streamed(fmt, reports, RunContext("1.2.3", rules=tuple(result.rules)))
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("files", [
    {"b.md": "A miracle. Take 5 mg daily.\n", "a.md": "Clinically proven.\n\nTake 10 mg. A miracle!\n"},
    {"clean.md": "Rest well.\n"},
])
def test_streamed_junit_is_laid_out_as_one_tree(lint: Callable[..., RunResult], files: dict[str, str]) -> None:
    result = lint(files)
    reports = [*result.reports, FileReport("d.md", error="cannot read: permission denied")]
    text = streamed("junit", reports, RunContext("1.2.3", rules=tuple(result.rules)))
    declaration, body = text.split("\n", 1)
    root = ET.fromstring(body)
    ET.indent(root)
    assert body == ET.tostring(root, encoding="unicode") + "\n"
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in root))
    assert root.get("errors") == "1"


def test_sarif_results_are_spooled_not_returned(lint: Callable[..., RunResult]) -> None:
    # Nothing comes out before the end: the log's rules come first.
    result = lint({"a.md": "A miracle.\n"})
    out = STREAMS["sarif"](RunContext("1.2.3", rules=tuple(result.rules)))
    assert [out.file(r) for r in result.reports] == [""]
    assert '"ruleId": "TS501"' in "".join(out.end())
