"""`document-requires`: when a document does something (has findings of
some categories, or contains a trigger), it must also contain a notice
somewhere; otherwise one document-level finding.

    type: document-requires
    when-categories: [dose, efficacy, self-treatment]
    when-patterns: []
    requires: ['{consult}']
    fix: consult-notice          # optional: `--fix` inserts the config's notice
"""
from __future__ import annotations

from typing import TYPE_CHECKING, AbstractSet, Any, Iterator, Mapping

from .base import Match, search
from .common import Compiler

if TYPE_CHECKING:
    from ..document.model import Document


class DocumentRequires:
    PARAMS: Mapping[str, tuple[str, bool, Any]] = {
        "when-categories": ("categories", False, []),
        "when-patterns": ("patterns", False, []),
        "requires": ("patterns", True, None),
        # Issue 5: the notice from the project config that `--fix` inserts
        # (a safe fix); read by fixes.py from the rule's params.
        "fix": ("choice:consult-notice|dshea-disclaimer", False, None),
    }
    document_level = True

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        self.categories = frozenset(params.get("when-categories") or ())
        self.triggers = compiler.pattern("when-patterns")
        self.requires = compiler.pattern("requires")

    def _triggered(self, doc: "Document", categories: AbstractSet[str]) -> bool:
        if self.categories & categories:
            return True
        if self.triggers is None:
            return False
        return any(search(self.triggers, region.text) for region in doc.regions)

    def check_document(self, doc: "Document", categories: AbstractSet[str]) -> Iterator[Match]:
        if self.requires is None or not self._triggered(doc, categories):
            return
        if any(search(self.requires, region.text) for region in doc.regions):
            return
        yield Match(0, 0, "", document=True)
