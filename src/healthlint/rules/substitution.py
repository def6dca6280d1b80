"""`substitution`: a term with a preferred wording, kept on the finding as
its replacement (for suggestions and, later, fixes).

    type: substitution
    swap:
      '\\bclinically proven\\b': studied in [citation]   # pattern: suggested wording
    message: "Use '{replacement}' instead of '{match}'"
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping

from .base import Match, UnitView, finditer
from .common import COMMON_PARAMS, Compiler, UnitRule
from .scanner import Scanner


class Substitution(UnitRule):
    PARAMS = {**COMMON_PARAMS, "swap": ("mapping", True, None)}

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        super().__init__(params, compiler)
        self.pairs: list[tuple[Scanner, str]] = [
            (compiler.compile(pattern), str(wording)) for pattern, wording in params["swap"].items()
        ]
        self.prefilter = tuple(pattern for pattern, _ in self.pairs)

    def check(self, view: UnitView) -> Iterator[Match]:
        if not self.applies(view):
            return
        if "cited" in self.unless and self.context.view_cited(view):
            return
        found: list[Match] = []
        for pattern, wording in self.pairs:
            for m in finditer(pattern, view.text):
                start, end = m.span()
                if end > start and self.accept(view, start, end):
                    found.append(Match(start, end, m.group(), replacement=wording,
                                       severity=self.severity_for(view, start)))
        # "#1 pediatrician-recommended" is one badge, not two findings: where
        # swaps overlap, the longest wins (the earlier swap on a tie).
        kept: list[Match] = []
        for match in sorted(found, key=lambda m: m.start - m.end):
            if all(match.end <= k.start or match.start >= k.end for k in kept):
                kept.append(match)
        yield from sorted(kept, key=lambda m: m.start)
