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

import json
from typing import TYPE_CHECKING, Any, Sequence

from ..findings import FileReport, Finding
from ._common import GITLAB_SEVERITY, display_path, fingerprints

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


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    pairs = [(f, fp) for r in reports for f, fp in zip(r.findings, fingerprints(r, ctx.cwd), strict=True)]
    pairs.sort(key=lambda p: p[0].sort_key)
    return json.dumps([issue(f, fp, ctx.cwd) for f, fp in pairs], indent=2, ensure_ascii=False) + "\n"
