"""`requires-citation`: a claim that is fine only with a source beside it.

    type: requires-citation
    patterns: ['{dose}']
    citation-scope: sentence    # or: neighbours, paragraph
    citations: ['\\bper the label\\b']   # extra citation forms for this rule
    cited-document-scope: paragraph   # wider scope in a well-cited document

The citation forms come from the shared `citation` fragment plus the rule's
own `citations`.
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping

from .base import Match, UnitView, search
from .common import COMMON_PARAMS, Compiler, UnitRule

SCOPES = ("sentence", "neighbours", "paragraph")


class RequiresCitation(UnitRule):
    PARAMS = {
        **COMMON_PARAMS,
        "patterns": ("patterns", True, None),
        "citation-scope": ("choice:" + "|".join(SCOPES), False, "sentence"),
        "citations": ("patterns", False, []),
        "cited-document-scope": ("choice:" + "|".join(SCOPES), False, None),
    }

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        super().__init__(params, compiler)
        self.pattern = compiler.pattern("patterns")
        self.prefilter = (self.pattern,) if self.pattern is not None else ()
        self.extra_citations = compiler.pattern("citations")
        self.citation_scope = params.get("citation-scope") or "sentence"
        self.cited_document_scope = params.get("cited-document-scope")

    def _cited(self, view: UnitView) -> bool:
        scope = self.citation_scope
        # Clinical writers cite once per paragraph; in a document that cites
        # its sources throughout, a claim may lean on its paragraph's source.
        if self.cited_document_scope and self.context.well_cited(view.doc):
            scope = self.cited_document_scope
        text = view.scope_text(scope)
        if self.context.view_cited(view, scope):
            return True
        return self.extra_citations is not None and search(self.extra_citations, text) is not None

    def check(self, view: UnitView) -> Iterator[Match]:
        if self.pattern is None or not self.applies(view):
            return
        found = list(self.matches(self.pattern, view))
        if found and not self._cited(view):
            yield from found
