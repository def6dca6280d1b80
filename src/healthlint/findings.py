"""The finding type every rule, filter and reporter agrees on."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        """`error`, `warning`/`warn`, `info` (case-insensitive); ValueError otherwise."""
        key = name.strip().lower()
        key = {"warn": "warning", "information": "info"}.get(key, key)
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (use error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()

    def __reduce_ex__(self, protocol: object) -> tuple[object, ...]:
        # By value, as Severity(2), on every Python: some 3.11 releases
        # (3.11.2, Debian 12's) pickle an enum member as getattr(Severity,
        # "WARNING"), which the caches' restricted unpickler refuses, so no
        # compiled pack or cached result was ever read back there.
        return (Severity, (int(self),))


CATEGORIES = ("dose", "safety", "efficacy", "evidence", "hype", "self-treatment", "consult")


@dataclass(frozen=True, slots=True)
class Fix:
    """An edit that would resolve a finding (issue 5): replace
    source[start:end] (code-point offsets into the decoded source, BOM
    removed) with `content`; start == end inserts. `safe` fixes cannot change
    a claim's meaning (`--fix`); the others are suggestions (`--unsafe-fixes`).
    Line/column are 1-based, end exclusive, as on Finding."""

    content: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    safe: bool
    description: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"replacement": self.content, "line": self.line, "column": self.column,
                "end_line": self.end_line, "end_column": self.end_column,
                "start": self.start, "end": self.end, "safe": self.safe}


@dataclass(frozen=True, slots=True)
class Approval:
    """The approved-claims register entry that covers a finding (issue 5)."""

    reference: str
    approver: str
    jurisdictions: tuple[str, ...] = ()
    expires: str | None = None  # ISO date

    def as_dict(self) -> dict[str, object]:
        return {"reference": self.reference, "approver": self.approver,
                "jurisdictions": list(self.jurisdictions), "expires": self.expires}

    def justification(self) -> str:
        where = ", ".join(self.jurisdictions) or "no jurisdiction"
        until = f" until {self.expires}" if self.expires else ""
        return f"approved claim {self.reference} by {self.approver} ({where}){until}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    `start`/`end` are code-point offsets into the decoded source (BOM removed);
    `line`/`column`/`end_line`/`end_column` are 1-based, end exclusive, and
    are derived from the offsets once, by the engine.
    """

    path: str
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    match: str = ""
    replacement: str | None = None
    url: str | None = None
    document_level: bool = False
    extra: tuple[tuple[str, str], ...] = field(default=())
    # Issue 5: the edit that resolves it; whether it is in the baseline
    # (None: no baseline in use); the approval that covers it (shown only
    # with --show-approved).
    fix: Fix | None = None
    baseline: bool | None = None
    approval: Approval | None = None

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # The constructor's arguments, not the slots dataclass's generic
        # state: several times faster to load, and the results cache and
        # the workers move many findings (issue 6).
        return Finding, tuple([getattr(self, name) for name in _FINDING_FIELDS])

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def as_dict(self) -> dict[str, object]:
        """The JSON contract (docs/json.md); keys are only ever added."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "match": self.match,
            "replacement": self.replacement,
            "url": self.url,
            "document_level": self.document_level,
            "fix": None if self.fix is None else self.fix.as_dict(),
            "baseline": bool(self.baseline),
            "approved": None if self.approval is None else self.approval.as_dict(),
        }


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass(frozen=True, slots=True)
class FileReport:
    """The findings of one file, or the reason it could not be linted."""

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    source: str | None = None
    # Issue 5: findings covered by the approved-claims register or by the
    # baseline; reporters show them only when asked (--show-approved,
    # --show-baselined).
    approved: tuple[Finding, ...] = ()
    baselined: tuple[Finding, ...] = ()
