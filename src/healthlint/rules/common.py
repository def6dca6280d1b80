"""Keys every unit-level rule type accepts, and the checks they imply.

exceptions       patterns; a unit matching any of them is left alone
unless           context conditions: cited, negated, attributed, question
hedged-severity  severity for a match whose clause is hedged ("may help")
exempt-in-clause patterns; a match whose own clause contains one is left alone
                 (a clinician in charge of the same step, not a later "but")
exempt-before    patterns; a match whose clause starts with one (the subject is an
                 approved medicine, a ceiling like "no more than") is left alone
scope            unit kinds the rule looks at (default: all)
case-sensitive   patterns are case-insensitive unless this is true
header           patterns; the rule looks only at table cells whose column
                 header matches one ("Daily serving", "Best for")
header-unless    patterns; not in a table whose row has a header matching one
                 ("Ingredient", "% DV": a composition table, not a dosing one)
row-headers      patterns; only in a table with a column whose header matches
                 one ("How often", "Days": a dosing schedule)
previous         patterns; the rule looks only at units right after one that
                 matches (an FAQ answer after its question)
in-references    also look at units that read as bibliography entries, in a
                 reference list or a footnote definition (off: a cited title
                 is not a claim; a footnote that makes a claim is prose)
document-unless  patterns; the rule is silent in a document whose text matches
                 one anywhere (taper steps in a guide that puts the prescriber
                 in charge of the taper)
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping, Protocol

from ..findings import Severity
from .base import Match, UnitView, finditer, search
from .context import Context
from .scanner import Scanner


def introduces(text: str) -> bool:
    """Whether `text` introduces what follows it: a colon or a dash among
    the marks after its last letter or digit. (A regex search for that,
    from every colon, took quadratic time on a unit of colons that ends in
    a letter: 8 ms a call at 1,200 characters.)"""
    i = len(text)
    while i and not text[i - 1].isalnum():
        i -= 1
        if text[i] in ":—–-":
            return True
    return False


COMMON_PARAMS: Mapping[str, tuple[str, bool, Any]] = {
    "exceptions": ("patterns", False, []),
    "unless": ("conditions", False, []),
    "exempt-before": ("patterns", False, []),
    "exempt-in-clause": ("patterns", False, []),
    "hedged-severity": ("severity", False, None),
    "scope": ("kinds", False, []),
    "case-sensitive": ("bool", False, False),
    "in-references": ("bool", False, False),
    "header": ("patterns", False, []),
    "header-unless": ("patterns", False, []),
    "row-headers": ("patterns", False, []),
    "previous": ("patterns", False, []),
    "document-unless": ("patterns", False, []),
}


class Compiler(Protocol):
    """What packs.py hands a rule type to build itself."""

    context: Context
    spec: Any  # the RuleSpec being compiled (its path locates data files)

    def pattern(self, key: str) -> Scanner | None: ...

    def compile(self, pattern: str) -> Scanner: ...

    def raw(self, source: str, case_sensitive: bool = False) -> Scanner: ...


class UnitRule:
    """Base for rule types that look at one unit at a time."""

    PARAMS: Mapping[str, tuple[str, bool, Any]] = COMMON_PARAMS
    document_level = False

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        self.context = compiler.context
        self.exceptions = compiler.pattern("exceptions")
        self.exempt_before = compiler.pattern("exempt-before")
        self.exempt_in_clause = compiler.pattern("exempt-in-clause")
        self.unless = frozenset(params.get("unless") or ())
        hedged = params.get("hedged-severity")
        self.hedged_severity = Severity.parse(hedged) if hedged else None
        self.scope = frozenset(params.get("scope") or ())
        self.in_references = bool(params.get("in-references"))
        self.header = compiler.pattern("header")
        self.previous = compiler.pattern("previous")
        self.header_unless = compiler.pattern("header-unless")
        self.row_headers = compiler.pattern("row-headers")
        self.document_unless = compiler.pattern("document-unless")

    # The scanners that gate the rule: check() yields nothing for a unit
    # none of them can match (the engine's prefilter; None: no gate).
    prefilter: tuple[Scanner, ...] | None = None

    def kind_allowed(self, kind: str) -> bool:
        """What `applies` says from the unit's kind alone (the engine skips a
        rule's prefilter on units of other kinds)."""
        if self.scope and kind not in self.scope:
            return False
        return not ((self.header is not None or self.row_headers is not None) and kind != "table_cell")

    def applies(self, view: UnitView) -> bool:
        if self.scope and view.kind not in self.scope:
            return False
        if view.kind == "table_cell" and view.header == view.doc.regions[view.unit.region].text:
            return False  # a column header labels the column; it claims nothing
        if "question" in self.unless and self.context.question(view.text):
            return False
        if "topic" in self.unless and view.kind in ("heading", "title") and self.context.topic(view.text):
            return False
        # A footnote definition is skipped only when it reads as a source
        # ("Smith J, et al. … 2020;12:34"): "[^2]: This tea cures anxiety." is
        # a claim, and skipping every footnote hid it from every rule. Its
        # marker in the text still counts as a citation either way.
        if not self.in_references and self.context.reference(view.text, view.line_around(), view.kind == "footnote"):
            return False
        if self.previous is not None and (
                view.index == 0 or search(self.previous, view.doc.units[view.index - 1].text) is None):
            return False
        if self.header is not None and (view.kind != "table_cell" or view.header == view.text
                                        or not any(search(self.header, label) for label in view.labels() if label)):
            return False
        if self.row_headers is not None and (view.kind != "table_cell" or not any(
                search(self.row_headers, h) for h in view.row_headers() if h)):
            return False
        if self.header_unless is not None and view.kind == "table_cell" and any(
                search(self.header_unless, h) for h in view.row_headers()):
            return False
        if self.document_unless is not None and self.context.document_has(self.document_unless, view.doc):
            return False
        return self.exceptions is None or search(self.exceptions, view.text) is None

    def accept(self, view: UnitView, start: int, end: int) -> bool:
        ctx, text = self.context, view.text
        lead = view.lead_in()
        if lead and "negated" in self.unless and introduces(lead) and ctx.warns(lead):
            # An item under "Be wary of products that:"; a warning that does
            # not introduce the list ("Keep out of reach of children.") says
            # nothing of its items.
            return False
        if "negated" in self.unless and ctx.negated(text, start, end):
            return False
        if self.exempt_before is not None and ctx.clause_has(self.exempt_before, text, start):
            return False
        if self.exempt_in_clause is not None and search(self.exempt_in_clause, ctx.clause_of(text, start, end)):
            return False
        return not ("attributed" in self.unless and ctx.attributed(text, start, end, view.doc))

    def severity_for(self, view: UnitView, start: int) -> Severity | None:
        if self.hedged_severity is not None and self.context.hedged(view.text, start):
            return self.hedged_severity
        return None

    def matches(self, pattern: Scanner, view: UnitView) -> Iterator[Match]:
        """Matches of `pattern` that survive the context checks."""
        for m in finditer(pattern, view.text):
            start, end = m.span()
            if end > start and self.accept(view, start, end):
                yield Match(start, end, m.group(), severity=self.severity_for(view, start))
