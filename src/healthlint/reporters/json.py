"""`--format json`: one JSON array of finding objects (docs/json.md).

The array holds `Finding.as_dict()` for every finding of every file, sorted
by path, line, column and code. Keys are only ever added, never renamed or
removed. Files that could not be read are not in the array (they are named
on stderr), so the output is always a plain array of findings.
With --statistics it is an array of per-rule counts instead.

Issue 5: each object also has `fix` (null or the edit: replacement text,
range, `safe`), `baseline` and `approved`; approved and baselined findings
are in the array only with --show-approved / --show-baselined.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Sequence

from ..findings import FileReport, Finding
from ._common import JsonArray

if TYPE_CHECKING:
    from . import RunContext


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    findings = sorted((f for r in reports for f in r.findings), key=lambda f: f.sort_key)
    if ctx.statistics:
        return _dump(statistics(findings))
    return _dump([f.as_dict() for f in findings])


def statistics(findings: Sequence[Finding]) -> list[dict[str, object]]:
    counts = Counter(f.code for f in findings)
    first: dict[str, Finding] = {}
    for f in findings:
        first.setdefault(f.code, f)
    return [{"code": code, "name": first[code].name, "category": first[code].category, "count": n}
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _dump(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class Stream:
    """`report` one file at a time (statistics excepted): the array's items
    as each file is linted, indented as `json.dumps` indents them."""

    def __init__(self, ctx: RunContext) -> None:
        self.array = JsonArray()

    def file(self, r: FileReport) -> str:
        return "".join(self.array.add(f.as_dict()) for f in r.findings)

    def end(self) -> str:
        return self.array.end()
