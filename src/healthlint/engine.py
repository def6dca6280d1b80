"""One document + compiled rules -> sorted findings. Pure: no I/O, no config.

Selection, severity overrides and suppressions are applied by the caller
(runner.py); the engine reports what every given rule finds, because
document-level rules (the consult notice) depend on what the unit rules saw
even when those are not selected for display.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from .document.model import Document
from .findings import Finding, Severity
from .packs import CompiledRule
from .rules.base import Match, RuleTimeout, UnitView
from .rules.scanner import MASK_MEMO, LiteralIndex, Scanner

TIMEOUT_CODE = "HL002"


def _message(template: str, m: Match) -> str:
    text = " ".join(m.text.split())
    if len(text) > 80:
        text = text[:77] + "..."
    out = template.replace("{match}", text)
    if m.replacement is not None:
        out = out.replace("{replacement}", m.replacement)
    for key, value in m.values:
        out = out.replace("{" + key + "}", value)
    return out


def _finding(doc: Document, rule: CompiledRule, m: Match, start: int, end: int) -> Finding:
    # The one place offsets become 1-based user positions.
    line, col = doc.lines.position(start)
    end_line, end_col = doc.lines.position(end)
    spec = rule.spec
    return Finding(
        path=doc.path, code=spec.code, name=spec.name, category=spec.category,
        severity=m.severity or spec.severity, message=_message(spec.message, m),
        start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
        match=doc.source[start:end], replacement=m.replacement, url=spec.url,
        document_level=m.document,
    )


def timeout_finding(doc: Document, what: str, at: int) -> Finding:
    """HL002 at source offset `at`: `what` (a rule, an approved claim) timed out."""
    line, col = doc.lines.position(at)
    return Finding(
        path=doc.path, code=TIMEOUT_CODE, name="rule-timeout", category="internal",
        severity=Severity.ERROR, start=at, end=at, line=line, column=col,
        end_line=line, end_column=col, message=f"{what} timed out here and was skipped",
    )


def _timeout(doc: Document, rule: CompiledRule, unit_start: int) -> Finding:
    return timeout_finding(doc, f"rule {rule.spec.code} ({rule.spec.path}:{rule.spec.line})", unit_start)


# A unit rule with its prefilter scanners (None: no gate), the literal bits
# they look at, and its gates planned per restricted mask.
_Gated = tuple[CompiledRule, "tuple[Scanner, ...] | None", int, "dict[int, Any]"]


class _Prepared:
    """The unit rules of one `lint` call, with their prefilter gates: a rule
    runs on a unit only if a branch of one of its prefilter scanners can
    match the unit's text (issue 6).

    Which branches the literal prefilter leaves live depends only on the
    unit's mask, restricted to the bits the rule's scanners look at; units
    repeat those few bits far more often than whole masks (each sentence of
    real copy sets a hundred or so of the thousands of bits), so each rule's
    gates are planned once per restricted mask; only the RE2 checks, which
    need the text, run per unit."""

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = rules
        self.index: LiteralIndex | None = None
        self.gated: list[_Gated] = []
        for rule in rules:
            scanners = self._prefilter(rule)
            relevant = 0
            for scanner in scanners or ():
                relevant |= scanner.relevant
            self.gated.append((rule, scanners, relevant, {}))
        self._by_kind: dict[str, list[_Gated]] = {}

    def _prefilter(self, rule: CompiledRule) -> tuple[Scanner, ...] | None:
        scanners = getattr(rule.impl, "prefilter", None)
        if scanners is None:
            return None
        for scanner in scanners:
            if scanner.index is not None:
                self.index = scanner.index
        return tuple(scanners)

    @staticmethod
    def _gates(scanners: tuple[Scanner, ...], mask: int,
               relevant: int) -> tuple[tuple[Scanner, tuple[int, ...]], ...] | None:
        """The (scanner, live branches) of a rule that RE2 may still rule out
        on a text of literal mask `mask` (restricted to the rule's
        `relevant` bits); () when no branch can match, None when nothing can
        rule the rule out (Scanner.may_match decides)."""
        gates = []
        for scanner in scanners:
            # A rule's only scanner memoises its branches under the very int
            # the rule's plans are keyed by, not an equal copy (200 bytes).
            ks = scanner.live(mask, restricted=scanner.relevant == relevant)
            if not ks:
                continue
            if scanner.index is None or any(scanner.relaxed[k] is None for k in ks):
                return None
            gates.append((scanner, ks))
        return tuple(gates)

    def _for_kind(self, kind: str) -> list[_Gated]:
        gated = self._by_kind.get(kind)
        if gated is None:
            gated = self._by_kind[kind] = [
                entry for entry in self.gated
                if getattr(entry[0].impl, "kind_allowed", None) is None or entry[0].impl.kind_allowed(kind)]
        return gated

    def todo(self, text: str, kind: str) -> list[CompiledRule]:
        # Texts cut from the unit (clauses, the words after a match) reuse
        # its literal scan.
        mask = self.index.focus(text) if self.index is not None else 0
        out = []
        for rule, scanners, relevant, plans in self._for_kind(kind):
            if scanners is None:
                out.append(rule)
                continue
            key = mask & relevant
            gates = plans.get(key, _UNPLANNED)
            if gates is _UNPLANNED:
                if len(plans) >= MASK_MEMO:
                    plans.clear()
                gates = plans[key] = self._gates(scanners, key, relevant)
            if gates is None:
                out.append(rule)
            elif gates and any(scanner.may_match(ks, text) for scanner, ks in gates):
                out.append(rule)
        return out


_UNPLANNED = object()


_PREPARED: dict[int, _Prepared] = {}


def _prepared(rules: Sequence[CompiledRule]) -> _Prepared:
    # Plans hold their rule tuples for the life of a run; keyed by identity,
    # checked against the object itself so a recycled id cannot match.
    p = _PREPARED.get(id(rules))
    if p is None or p.rules is not rules:
        if len(_PREPARED) > 16:
            _PREPARED.clear()
        p = _PREPARED[id(rules)] = _Prepared(rules)
    return p


def _unit_findings(doc: Document, rules: Sequence[CompiledRule], workers: int = 1) -> list[Finding]:
    # Each worker gets at least half of SPLIT_BYTES of copy (half a second
    # or so of work), however many cores there are.
    workers = min(workers, len(doc.source) * 2 // SPLIT_BYTES)
    if workers > 1:
        from .parallel import lint_units

        return lint_units(doc, rules, workers)
    return unit_range(doc, rules, 0, len(doc.units))[0]


# A document this large may be linted by several processes, each taking
# runs of its units, when the caller allows (one big file linted on its own).
SPLIT_BYTES = 256 * 1024


def unit_range(doc: Document, rules: Sequence[CompiledRule], lo: int, hi: int,
               owners: list[str] | None = None) -> tuple[list[Finding], set[str]]:
    """The findings of doc.units[lo:hi] in order, and the codes of the
    rules that timed out there (each skipped for the rest of the range).
    With `owners`, the code of the rule behind each finding is appended to
    it (a timeout finding's own code is HL002)."""
    found: list[Finding] = []
    timed_out: set[str] = set()
    prepared = _prepared(rules)
    units = doc.units
    for index in range(lo, hi):
        unit = units[index]
        todo = prepared.todo(unit.text, unit.kind)
        if not todo:
            continue
        view = UnitView(doc, index)
        region = doc.regions[unit.region]
        for rule in todo:
            if timed_out and rule.spec.code in timed_out:
                continue
            try:
                for m in rule.impl.check(view):
                    start, end = region.source_span(unit.start + m.start, unit.start + m.end)
                    found.append(_finding(doc, rule, m, start, end))
                    if owners is not None:
                        owners.append(rule.spec.code)
            except RuleTimeout:
                timed_out.add(rule.spec.code)
                found.append(_timeout(doc, rule, region.to_source(unit.start)))
                if owners is not None:
                    owners.append(rule.spec.code)
    return found, timed_out


def _document_findings(doc: Document, rules: Iterable[CompiledRule], categories: set[str]) -> list[Finding]:
    found = []
    _, first_line_end = doc.lines.line_span(1, doc.source) if doc.source else (0, 0)
    for rule in rules:
        try:
            for m in rule.impl.check_document(doc, categories):  # type: ignore[attr-defined]
                found.append(_finding(doc, rule, m, 0, first_line_end))
        except RuleTimeout:
            found.append(_timeout(doc, rule, 0))
    return found


_SPLIT: dict[int, tuple[Sequence[CompiledRule], tuple[CompiledRule, ...], tuple[CompiledRule, ...]]] = {}


def _split(rules: Sequence[CompiledRule]) -> tuple[tuple[CompiledRule, ...], tuple[CompiledRule, ...]]:
    """(unit rules, document rules), the same tuples for the same `rules`,
    so the unit rules' prepared gates are built once per run, not per file."""
    if type(rules) is not tuple:  # a list may change between calls
        return (tuple(r for r in rules if not r.impl.document_level),
                tuple(r for r in rules if r.impl.document_level))
    hit = _SPLIT.get(id(rules))
    if hit is None or hit[0] is not rules:
        if len(_SPLIT) > 16:
            _SPLIT.clear()
        hit = _SPLIT[id(rules)] = (rules, tuple(r for r in rules if not r.impl.document_level),
                                   tuple(r for r in rules if r.impl.document_level))
    return hit[1], hit[2]


def lint(doc: Document, rules: Sequence[CompiledRule], workers: int = 1) -> list[Finding]:
    """Every finding of `rules` in `doc`, sorted by position and code; a
    large document's units are shared among up to `workers` processes."""
    unit_rules, doc_rules = _split(rules)
    index = _prepared(unit_rules).index
    if index is not None:
        # The last document's literal scans are dropped rather than kept,
        # with their texts, until the table fills: a document seldom
        # repeats another's sentences.
        index.forget()
    found = _unit_findings(doc, unit_rules, workers)
    categories = {f.category for f in found}
    found.extend(_document_findings(doc, doc_rules, categories))
    # Two patterns of one rule can hit the same words; report them once.
    unique = {(f.code, f.start, f.end): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.line, f.column, f.code, f.end))
