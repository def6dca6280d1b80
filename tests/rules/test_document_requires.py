from conftest import run

RULES = """
rules:
  - code: T401
    name: dose
    category: dose
    type: existence
    message: dose
    patterns: ['\\b\\d+ mg\\b']
    examples: {flag: [5 mg], pass: [five]}
  - code: T402
    name: consult
    category: consult
    type: document-requires
    message: no consult notice
    when-categories: [dose]
    when-patterns: ['\\bdetox\\b']
    requires: ['\\btalk to your doctor\\b']
    examples: {flag: [take 5 mg], pass: [take 5 mg. talk to your doctor]}
"""


def codes(rules, text, path="t.md"):
    return [f.code for f in run(rules, text, path)]


def test_advice_without_notice_gives_one_document_finding(make_rules):
    rules = make_rules(RULES)
    found = run(rules, "# Sleep\n\nTake 5 mg. Then 10 mg.\n", "t.md")
    doc_level = [f for f in found if f.code == "T402"]
    assert len(doc_level) == 1
    assert doc_level[0].document_level
    assert (doc_level[0].line, doc_level[0].column) == (1, 1)


def test_notice_anywhere_satisfies_it(make_rules):
    rules = make_rules(RULES)
    text = "Take 5 mg.\n\n---\n\n*Please talk to your doctor first.*\n"
    assert codes(rules, text) == ["T401"]


def test_trigger_pattern_alone_is_enough(make_rules):
    rules = make_rules(RULES)
    assert codes(rules, "A gentle detox plan.") == ["T402"]


def test_no_advice_no_finding(make_rules):
    rules = make_rules(RULES)
    assert codes(rules, "Magnesium is a mineral.") == []


def test_notice_in_a_code_block_does_not_count(make_rules):
    rules = make_rules(RULES)
    text = "Take 5 mg.\n\n```\ntalk to your doctor\n```\n"
    assert sorted(codes(rules, text)) == ["T401", "T402"]
