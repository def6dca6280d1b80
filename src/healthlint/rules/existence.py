"""`existence`: a phrase from a pattern set appears in the unit.

    type: existence
    patterns: ['\\bmiracle (?:cure|pill)s?\\b', '\\bguaranteed\\b']
    unless: [negated]
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping

from .base import Match, UnitView
from .common import COMMON_PARAMS, Compiler, UnitRule


class Existence(UnitRule):
    PARAMS = {**COMMON_PARAMS, "patterns": ("patterns", True, None)}

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        super().__init__(params, compiler)
        self.pattern = compiler.pattern("patterns")
        self.prefilter = (self.pattern,) if self.pattern is not None else ()

    def check(self, view: UnitView) -> Iterator[Match]:
        if self.pattern is None or not self.applies(view):
            return
        if "cited" in self.unless and self.context.view_cited(view):
            return
        yield from self.matches(self.pattern, view)
