from conftest import run

RULE = """
rules:
  - code: T301
    name: proof
    category: evidence
    type: substitution
    message: "use '{replacement}' instead of '{match}'"
    swap:
      '\\bclinically proven\\b': studied in [cite the trial]
      '\\bscience[- ]backed\\b': supported by [cite the studies]
    unless: [negated]
    examples: {flag: [clinically proven], pass: [not clinically proven]}
"""


def test_each_swap_keeps_its_replacement(make_rules):
    rules = make_rules(RULE)
    found = run(rules, "A clinically proven, science-backed blend.")
    assert [(f.match, f.replacement) for f in found] == [
        ("clinically proven", "studied in [cite the trial]"),
        ("science-backed", "supported by [cite the studies]"),
    ]
    assert found[0].message == "use 'studied in [cite the trial]' instead of 'clinically proven'"


def test_negated_swap_is_silent(make_rules):
    rules = make_rules(RULE)
    assert run(rules, "The blend is not clinically proven.") == []


OVERLAPPING = """
rules:
  - code: T302
    name: badge
    category: evidence
    type: substitution
    message: "'{match}': {replacement}"
    swap:
      '\\b\\w+-recommended\\b': name the clinician
      '(?<!\\w)#1 \\w+-recommended\\b': cite the survey
    examples: {flag: [doctor-recommended], pass: [recommended]}
"""


def test_overlapping_swaps_give_one_finding_for_the_longest(make_rules):
    rules = make_rules(OVERLAPPING)
    found = run(rules, "The #1 pediatrician-recommended gummy, and doctor-recommended too.")
    assert [(f.match, f.replacement) for f in found] == [
        ("#1 pediatrician-recommended", "cite the survey"),
        ("doctor-recommended", "name the clinician"),
    ]
