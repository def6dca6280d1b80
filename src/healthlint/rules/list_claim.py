"""`list-claim`: a list item (or table cell) that names a condition under a
lead-in that makes the list a claim ("Helps with:", "Use it for:",
"Benefits:"); a table cell's lead-in is its column header ("Best for").

    type: list-claim
    lead-in: ['\\b(?:helps? with|use it for|benefits)\\b']
    items: ['{condition}']

The item on its own ("Sore muscles and joints") claims nothing; the lead-in
sentence before the list turns each item into "it helps with sore muscles".
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping

import re

from .base import Match, UnitView, search
from .common import COMMON_PARAMS, Compiler, UnitRule

LIST_KINDS = frozenset({"list_item", "table_cell"})
# "It helps with nothing" negates a lead-in the negation cues do not cover.
_NOTHING = re.compile(r"\b(?:nothing|nobody|no one)\b", re.IGNORECASE)


class ListClaim(UnitRule):
    PARAMS = {**COMMON_PARAMS, "lead-in": ("patterns", True, None), "items": ("patterns", True, None)}

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        super().__init__(params, compiler)
        self.lead_in = compiler.pattern("lead-in")
        self.items = compiler.pattern("items")
        self.prefilter = (self.items,) if self.items is not None and self.lead_in is not None else ()

    def _lead_in(self, view: UnitView) -> str | None:
        if view.kind == "table_cell":
            # A cell's lead-in is its column header; the header cell itself
            # is not an item.
            own = view.doc.regions[view.unit.region].text
            labels = [label for label in view.labels() if label and label != own]
            return next((label for label in labels if search(self.lead_in, label)), None) if labels else None
        return view.lead_in()

    def kind_allowed(self, kind: str) -> bool:
        return kind in LIST_KINDS and super().kind_allowed(kind)

    def check(self, view: UnitView) -> Iterator[Match]:
        if view.kind not in LIST_KINDS or self.items is None or self.lead_in is None or not self.applies(view):
            return
        lead = self._lead_in(view)
        if lead is None or search(self.lead_in, lead) is None:
            return
        if self.context.question(lead) or _NOTHING.search(lead) or (
                self.context.negation is not None and search(self.context.negation, lead)):
            return
        if self.context.view_cited(view):
            return
        if self.exempt_before is not None and search(self.exempt_before, view.scope_text("sentence")):
            return  # the row names an approved medicine: its licensed use
        m = search(self.items, view.text)
        if m is not None and m.end() > m.start() and self.accept(view, m.start(), m.end()):
            yield Match(m.start(), m.end(), m.group(), severity=self.severity_for(view, m.start()))
