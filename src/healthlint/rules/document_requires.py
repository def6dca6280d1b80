"""`document-requires`: when a document does something (has findings of
some categories, or contains a trigger), it must also contain a notice
somewhere; otherwise one document-level finding.

    type: document-requires
    when-categories: [dose, efficacy, self-treatment]
    when-patterns: []
    requires: ['{consult}']
    notice-unless: [negated, question]
    fix: consult-notice          # optional: `--fix` inserts the config's notice
"""
from __future__ import annotations

from typing import TYPE_CHECKING, AbstractSet, Any, Iterator, Mapping

import re

from .base import Match, search
from .common import Compiler

if TYPE_CHECKING:
    from ..document.model import Document


# A consult notice that is waved away rather than given: "no need to tell
# your doctor", "don't bother asking your GP".
_WAVED_AWAY = re.compile(
    r"\b(?:no need to|there's no need to|don't need to|do not need to|don't have to|do not have to|"
    r"don't bother(?: to)?|needn't|never|not necessary to|"
    # A story of not telling them is no notice either: "I didn't tell my doctor".
    r"(?:i|we|she|he|they) (?:didn['’]t|did not|never|haven['’]t|have not|hadn['’]t|wouldn['’]t))\s+(?:\w+\s+)?"
    r"(?:tell|telling|ask|asking|see|seeing|consult|consulting|involve|involving|inform|informing|check|checking|bother)\b",
    re.IGNORECASE,
)


class DocumentRequires:
    PARAMS: Mapping[str, tuple[str, bool, Any]] = {
        "when-categories": ("categories", False, []),
        "when-patterns": ("patterns", False, []),
        "requires": ("patterns", True, None),
        # Issue 5: the notice from the project config that `--fix` inserts
        # (a safe fix); read by fixes.py from the rule's params.
        "fix": ("choice:consult-notice|dshea-disclaimer", False, None),
        # A notice asked about or waved away ("Do I need to tell my
        # doctor?", "no need to tell the prescriber") is not a notice.
        "notice-unless": ("conditions", False, []),
    }
    document_level = True

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        self.categories = frozenset(params.get("when-categories") or ())
        self.triggers = compiler.pattern("when-patterns")
        self.requires = compiler.pattern("requires")
        self.context = compiler.context
        self.notice_unless = frozenset(params.get("notice-unless") or ())

    def _triggered(self, doc: "Document", categories: AbstractSet[str]) -> bool:
        if self.categories & categories:
            return True
        if self.triggers is None:
            return False
        return any(search(self.triggers, region.text) for region in doc.regions)

    def check_document(self, doc: "Document", categories: AbstractSet[str]) -> Iterator[Match]:
        if self.requires is None or not self._triggered(doc, categories):
            return
        if not self.notice_unless:
            if any(search(self.requires, region.text) for region in doc.regions):
                return
        elif any(self._notice(unit.text) for unit in doc.units):
            return
        yield Match(0, 0, "", document=True)

    def _notice(self, text: str) -> bool:
        """A notice that is given, not asked about or waved away ("Do I
        need to tell my doctor?", "no need to tell the prescriber")."""
        m = search(self.requires, text)  # type: ignore[arg-type]
        if m is None:
            return False
        if "question" in self.notice_unless and self.context.question(text):
            return False
        return not ("negated" in self.notice_unless and _WAVED_AWAY.search(text[:m.end()]))
