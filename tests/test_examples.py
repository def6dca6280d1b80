"""Every built-in rule documents itself with text it must flag and text it
must pass; those examples are run through the real engine here."""
import pytest

from healthlint.examples import example_failures
from healthlint.packs import builtin_packs, load_ruleset

PACKS = tuple(builtin_packs())
RULESET = load_ruleset(PACKS)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.spec.code)
def test_rule_examples_behave(rule):
    assert list(example_failures(rule, RULESET)) == []


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.spec.code)
def test_rule_is_documented(rule):
    spec = rule.spec
    assert spec.examples_flag and spec.examples_pass
    assert spec.explanation, f"{spec.code} has no explanation"
    assert spec.basis, f"{spec.code} names no regulatory or professional basis"
    assert spec.rewrite, f"{spec.code} offers no compliant rewrite"


def test_no_rule_suggests_hedging_as_a_fix():
    # Regulators read "may help" as a claim; a fix must never add "may".
    for rule in RULESET.rules:
        for wording in (rule.spec.params.get("swap") or {}).values():
            assert " may " not in f" {wording.lower()} ", rule.spec.code
