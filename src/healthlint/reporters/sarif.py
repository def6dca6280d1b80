"""`--format sarif`: one SARIF 2.1.0 log for GitHub code scanning and other
SARIF viewers.

- `tool.driver.rules` lists every rule of the rule sets the run used (plus
  healthlint's internal HL001-HL004), with its explanation, basis and
  rewrite as help, the category as a tag and its default level.
- Each result points at its rule by `ruleId` and `ruleIndex` and at the file
  by a relative URI under `%SRCROOT%` (the current folder, spelled out in
  `originalUriBaseIds`); a file outside it gets an absolute `file:` URI.
- Regions are 1-based with `endColumn` just after the match, in Unicode
  code points: the run says so with `columnKind: unicodeCodePoints` (SARIF's
  default would be UTF-16 code units).
- `partialFingerprints` carry the line-independent fingerprint described in
  `_common.py`, so an alert survives edits elsewhere in the file.
- Issue 5: a finding's fix is a SARIF `fix` (its `safe` flag in the fix's
  properties); with a baseline each result has `baselineState` (new or
  unchanged); an approved claim (shown with --show-approved) carries a
  suppression of kind `external` whose justification is the approval.
- Files that could not be read are `toolExecutionNotifications`; the run
  itself still completed, so `executionSuccessful` is true.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from ..findings import FileReport, Finding, Severity
from ._common import SARIF_LEVEL, Spool, array_item, artifact_uri, fingerprinted, root_uri

if TYPE_CHECKING:
    from . import RunContext

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "healthlint/v1"
_FIRST_SENTENCE = re.compile(r"(.+?[.!?])(?:\s+(?=[A-Z(\"'‘“])|$)")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(text: str) -> str:
    """Re-flow wrapped YAML text: paragraphs kept, lines inside them joined."""
    return "\n\n".join(_collapse(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def short_description(spec: Any) -> str:
    """The explanation's first sentence, else the message template."""
    text = _collapse(getattr(spec, "explanation", "") or "")
    m = _FIRST_SENTENCE.match(text)
    if m:
        return m.group(1)
    return text or _collapse(spec.message)


def help_text(spec: Any) -> tuple[str, str]:
    """(plain text, Markdown) help: explanation, basis and how to fix."""
    text, md = [], []
    explanation = _paragraphs(getattr(spec, "explanation", "") or "")
    if explanation:
        text.append(explanation)
        md.append(explanation)
    basis = tuple(getattr(spec, "basis", ()) or ())
    if basis:
        text.append("Basis:\n" + "\n".join(f"- {b}" for b in basis))
        md.append("**Basis**\n\n" + "\n".join(f"- {b}" for b in basis))
    rewrite = _paragraphs(getattr(spec, "rewrite", "") or "")
    if rewrite:
        text.append("How to fix:\n" + rewrite)
        md.append("**How to fix**\n\n" + rewrite)
    if not text:
        text = md = [_collapse(spec.message)]
    return "\n\n".join(text), "\n\n".join(md)


def rule_descriptor(spec: Any) -> dict[str, Any]:
    """A `reportingDescriptor` for a RuleSpec or an internal rule."""
    severity = spec.severity if isinstance(spec.severity, Severity) else Severity.parse(str(spec.severity))
    category = getattr(spec, "category", "internal")
    text, markdown = help_text(spec)
    out: dict[str, Any] = {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": short_description(spec)},
        "fullDescription": {"text": _paragraphs(getattr(spec, "explanation", "") or "") or _collapse(spec.message)},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": SARIF_LEVEL[severity]},
        "properties": {"tags": [category], "category": category,
                       "pack": getattr(spec, "pack", "healthlint")},
    }
    if getattr(spec, "url", None):
        out["helpUri"] = spec.url
    return out


def _rules(ctx: RunContext, findings: Sequence[Finding]) -> list[Any]:
    from ..selection import INTERNAL_RULES

    by_code: dict[str, Any] = {r.code: r for r in INTERNAL_RULES}
    by_code.update((s.code, s) for s in ctx.rules)
    for f in findings:  # a finding from a rule the context did not list
        if f.code not in by_code:
            by_code[f.code] = _FromFinding(f)
    return sorted(by_code.values(), key=lambda s: s.code)


class _FromFinding:
    """The little a finding knows about its rule, for a rules entry."""

    def __init__(self, f: Finding) -> None:
        self.code, self.name, self.category, self.severity = f.code, f.name, f.category, f.severity
        self.message, self.url = f.name, f.url


def _location(f: Finding, cwd: str | None) -> dict[str, Any]:
    uri, base = artifact_uri(f.path, cwd)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column,
                              "endLine": f.end_line, "endColumn": f.end_column}
    if f.match and not f.document_level:
        region["snippet"] = {"text": f.match}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(f: Finding, index: int, fingerprint: str, cwd: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index,
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": _collapse(f.message) or f.code},
        "locations": [_location(f, cwd)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"category": f.category, "name": f.name},
    }
    if f.replacement is not None:
        out["properties"]["replacement"] = f.replacement
    out.update(_review(f, cwd))
    return out


def _review(f: Finding, cwd: str | None) -> dict[str, Any]:
    """Issue 5: the fix as a SARIF `fix`, the baseline state (only when a
    baseline is in use) and an approved claim as an external suppression."""
    out: dict[str, Any] = {}
    fx = f.fix
    if fx is not None:
        uri, base = artifact_uri(f.path, cwd)
        artifact = {"uri": uri, **({"uriBaseId": base} if base else {})}
        deleted = {"startLine": fx.line, "startColumn": fx.column, "endLine": fx.end_line, "endColumn": fx.end_column}
        out["fixes"] = [{
            "description": {"text": fx.description or f"Fix {f.code}"},
            "artifactChanges": [{"artifactLocation": artifact, "replacements": [
                {"deletedRegion": deleted, "insertedContent": {"text": fx.content}}]}],
            "properties": {"safe": fx.safe},
        }]
    if f.baseline is not None:
        out["baselineState"] = "unchanged" if f.baseline else "new"
    if f.approval is not None and f.code != "HL004":  # HL004: the approval expired
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": f.approval.justification()}]
    return out


def _notification(r: FileReport, cwd: str | None) -> dict[str, Any]:
    uri, base = artifact_uri(r.path, cwd)
    artifact = {"uri": uri, **({"uriBaseId": base} if base else {})}
    return {"level": "error", "message": {"text": f"{r.path}: {r.error}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact}}]}


# Stands for the results array while the rest of the log is rendered.
_RESULTS = "\ue000healthlint-results\ue000"


class Stream:
    """The log one file at a time (issue 6): each result is rendered as its
    file is linted and spooled; the rules and notifications, which precede
    the results, are written around them at the end. Reports arrive sorted
    by path, so the results come out sorted as `report` sorts them."""

    def __init__(self, ctx: RunContext, findings: Sequence[Finding] = ()) -> None:
        self.ctx = ctx
        self.rules = _rules(ctx, findings)
        self.index = {s.code: i for i, s in enumerate(self.rules)}
        self.notifications: list[dict[str, Any]] = []
        self.results = Spool()
        self.count = 0
        head = self._log([_RESULTS])
        self.pad = head[:head.index(json.dumps(_RESULTS, ensure_ascii=False))].rsplit("\n", 1)[1]

    def file(self, r: FileReport) -> str:
        cwd = self.ctx.cwd
        if r.error:
            self.notifications.append(_notification(r, cwd))
        for f, fp in fingerprinted(r, cwd):
            index = self.index.get(f.code)
            if index is None:  # a rule the context did not list
                self.rules.append(_FromFinding(f))
                index = self.index[f.code] = len(self.rules) - 1
            item = json.dumps(_result(f, index, fp, cwd), indent=2, ensure_ascii=False)
            self.results.write(array_item(item, self.pad, self.count == 0))
            self.count += 1
        return ""

    def end(self) -> Iterator[str]:
        if not self.count:
            yield self._log([])
            return
        head, tail = self._log([_RESULTS]).split(json.dumps(_RESULTS, ensure_ascii=False), 1)
        yield head
        yield from self.results.chunks()
        yield tail

    def _log(self, results: list[Any]) -> str:
        invocation: dict[str, Any] = {"executionSuccessful": True}
        if self.notifications:
            invocation["toolExecutionNotifications"] = self.notifications
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "healthlint",
                    "version": self.ctx.version,
                    "rules": [rule_descriptor(s) for s in self.rules],
                }},
                "invocations": [invocation],
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri(self.ctx.cwd)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    ordered = sorted(reports, key=lambda r: r.path)
    stream = Stream(ctx, [f for r in ordered for f in r.findings])
    for r in ordered:
        stream.file(r)
    return "".join(stream.end())
