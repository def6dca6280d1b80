"""`--format junit`: JUnit XML for CI test-report views (GitLab, Jenkins,
Azure DevOps, the many JUnit report actions).

One `<testsuite>` per file, named by its path. Each finding is a failing
`<testcase>` (name `CODE name at line:col`, classname the path) whose
`<failure>` carries the code as `type`, the message, and the finding's text
line as body; a clean file is one passing test case named `healthlint`; a
file that could not be read (fully) adds one test case with an `<error>`. Characters
XML 1.0 cannot hold (stray control characters) become U+FFFD.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Sequence

from ..findings import FileReport, Finding
from ._common import display_path
from .text import header

if TYPE_CHECKING:
    from . import RunContext

# The complement of XML 1.0's Char production (a small class: quick to compile).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case(suite: ET.Element, path: str, name: str, line: int | None = None) -> ET.Element:
    attrs = {"classname": path, "name": _clean(name), "file": path, "time": "0"}
    if line is not None:
        attrs["line"] = str(line)
    return ET.SubElement(suite, "testcase", attrs)


def _failure(case: ET.Element, f: Finding) -> None:
    body = header(f)
    if f.replacement:
        body += f"\nsuggestion: {f.replacement}"
    if f.url:
        body += f"\nmore: {f.url}"
    el = ET.SubElement(case, "failure", {"message": _clean(" ".join(f.message.split())), "type": f.code})
    el.text = _clean(body)


def _suite(r: FileReport, cwd: str | None) -> ET.Element:
    path = _clean(display_path(r.path, cwd))
    findings = sorted(r.findings, key=lambda f: f.sort_key)
    suite = ET.Element("testsuite", {
        "name": path, "tests": str(len(findings) + (1 if r.error or not findings else 0)),
        "failures": str(len(findings)),
        "errors": "1" if r.error else "0", "skipped": "0", "time": "0"})
    if r.error:
        error = ET.SubElement(_case(suite, path, "healthlint"), "error",
                              {"message": _clean(r.error), "type": "read-error"})
        error.text = _clean(f"{path}: {r.error}")
    elif not findings:
        _case(suite, path, "healthlint")
    for f in findings:
        _failure(_case(suite, path, f"{f.code} {f.name} at {f.line}:{f.column}", f.line), f)
    return suite


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    suites = [_suite(r, ctx.cwd) for r in sorted(reports, key=lambda r: r.path)]
    root = ET.Element("testsuites", {
        "name": "healthlint",
        "tests": str(sum(int(s.get("tests", "0")) for s in suites)),
        "failures": str(sum(int(s.get("failures", "0")) for s in suites)),
        "errors": str(sum(int(s.get("errors", "0")) for s in suites)),
        "time": "0"})
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
