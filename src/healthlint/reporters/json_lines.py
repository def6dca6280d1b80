"""`--format json-lines`: the JSON contract one finding per line.

Each line is one `Finding.as_dict()` object (the keys of docs/json.md),
sorted like `--format json`, so a consumer can act on each line as it
arrives (`jq -c`, a log shipper) instead of waiting for a closing `]`. A
clean run writes nothing. With --statistics each line is one per-rule count.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable, Sequence

from ..findings import FileReport
from .json import statistics

if TYPE_CHECKING:
    from . import RunContext


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    findings = sorted((f for r in reports for f in r.findings), key=lambda f: f.sort_key)
    rows: Iterable[object] = statistics(findings) if ctx.statistics else (f.as_dict() for f in findings)
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


class Stream:
    """`report` one file at a time (statistics excepted)."""

    def __init__(self, ctx: RunContext) -> None:
        pass

    def file(self, r: FileReport) -> str:
        return "".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in r.findings)

    def end(self) -> str:
        return ""
