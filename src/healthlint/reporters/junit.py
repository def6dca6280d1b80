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
from typing import TYPE_CHECKING, Iterator, Sequence

from ..findings import FileReport, Finding
from ._common import Spool, display_path
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


class Stream:
    """The report one file at a time (issue 6): each file's suite is
    rendered as it is linted and spooled; the root element, whose counts
    need every file, is written around them at the end. Reports arrive
    sorted by path, as `report` sorts them."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.totals = {"tests": 0, "failures": 0, "errors": 0}
        self.suites = Spool()
        self.count = 0

    def file(self, r: FileReport) -> str:
        suite = _suite(r, self.ctx.cwd)
        for key in self.totals:
            self.totals[key] += int(suite.get(key, "0"))
        ET.indent(suite, space="  ", level=1)
        self.suites.write(("\n  " if self.count else "") + ET.tostring(suite, encoding="unicode"))
        self.count += 1
        return ""

    def end(self) -> Iterator[str]:
        root = ET.Element("testsuites", {"name": "healthlint", **{k: str(v) for k, v in self.totals.items()},
                                         "time": "0"})
        if not self.count:
            yield _XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
            return
        root.text = _ROOT_MARK
        head, tail = ET.tostring(root, encoding="unicode").split(_ROOT_MARK, 1)
        yield _XML_DECLARATION + head + "\n  "
        yield from self.suites.chunks()
        yield "\n" + tail + "\n"


_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Stands for the suites while the root element is rendered.
_ROOT_MARK = "\ue000healthlint-suites\ue000"


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    stream = Stream(ctx)
    for r in sorted(reports, key=lambda r: r.path):
        stream.file(r)
    return "".join(stream.end())
