"""Every rule documents itself with text it must flag and text it must
pass; this runs those examples through the real document model and engine."""
from __future__ import annotations

from typing import Iterator

from .engine import lint
from .packs import CompiledRule, RuleSet


def _codes(text: str, rules: tuple[CompiledRule, ...]) -> set[str]:
    from .document import parse_document

    doc = parse_document(text, "example.md", "markdown")
    return {f.code for f in lint(doc, rules)}


def example_failures(rule: CompiledRule, ruleset: RuleSet) -> Iterator[str]:
    """One line per example that does not behave as documented."""
    # Document-level rules depend on what the unit rules find.
    rules = ruleset.rules if rule.impl.document_level else (rule,)
    code = rule.spec.code
    where = f"{rule.spec.path}:{rule.spec.line}: {code}"
    for text in rule.spec.examples_flag:
        if code not in _codes(text, rules):
            yield f"{where} should flag: {text!r}"
    for text in rule.spec.examples_pass:
        if code in _codes(text, rules):
            yield f"{where} should pass: {text!r}"


def all_example_failures(ruleset: RuleSet) -> list[str]:
    return [line for rule in ruleset.rules for line in example_failures(rule, ruleset)]
