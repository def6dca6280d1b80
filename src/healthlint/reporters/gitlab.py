"""`--format gitlab`: GitLab Code Quality report (a Code Climate subset).

A JSON array with one issue per finding:

    {"type": "issue", "check_name": "HL101", "description": "HL101 [dose] Dose 'Take 5 mg' ...",
     "categories": ["Style"], "severity": "minor", "fingerprint": "<sha256>",
     "location": {"path": "guide.md", "lines": {"begin": 3, "end": 3}}, "engine_name": "healthlint"}

Severities map info -> info, warning -> minor, error -> major. Paths are
relative to the current folder (run healthlint from the repository root).
The fingerprint is unique per finding and does not depend on line numbers
(see `_common.py`), so GitLab's merge-request widget shows an unrelated edit
as no change rather than as fixed-plus-new findings. Files that could not be
read are not issues: they are on stderr and in the exit status.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from ..findings import FileReport, Finding
from ._common import GITLAB_SEVERITY, JsonArray, display_path, fingerprinted

if TYPE_CHECKING:
    from . import RunContext


def issue(f: Finding, fingerprint: str, cwd: str | None = None) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": f.code,
        "description": f"{f.code} [{f.category}] {' '.join(f.message.split())}",
        "categories": ["Style"],
        "severity": GITLAB_SEVERITY[f.severity],
        "fingerprint": fingerprint,
        "location": {"path": display_path(f.path, cwd), "lines": {"begin": f.line, "end": f.end_line}},
        "engine_name": "healthlint",
    }


class Stream:
    """The array one file at a time (issue 6), as `report` renders it:
    reports arrive sorted by path."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.array = JsonArray()

    def file(self, r: FileReport) -> str:
        cwd = self.ctx.cwd
        return "".join(self.array.add(issue(f, fp, cwd)) for f, fp in fingerprinted(r, cwd))

    def end(self) -> str:
        return self.array.end()


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    stream = Stream(ctx)
    chunks = [stream.file(r) for r in sorted(reports, key=lambda r: r.path)]
    return "".join(chunks) + stream.end()
