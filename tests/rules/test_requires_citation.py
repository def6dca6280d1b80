import pytest

from conftest import spans

RULE = """
rules:
  - code: T201
    name: dose
    category: dose
    type: requires-citation
    message: "dose '{{match}}'"
    patterns: ['\\b\\d+ mg daily\\b']
    citation-scope: {scope}
    examples: {{flag: ["take 5 mg daily"], pass: ["take 5 mg daily [1]"]}}
"""


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Take 5 mg daily.", True),
        ("Take 5 mg daily [2].", False),
        ("Take 5 mg daily[^1].", False),
        ("Take 5 mg daily (Smith et al., 2020).", False),
        ("Take 5 mg daily, per the 2022 ASAM guideline.", False),
        ("Take 5 mg daily (doi:10.1000/xyz).", False),
        ("Take 5 mg daily. Trials used other doses [3].", False),  # neighbour scope
        ("Take 5 mg daily.\n\nTrials used other doses [3].", True),  # another paragraph
    ],
)
def test_citation_in_scope_silences(make_rules, text, found):
    rules = make_rules(RULE.format(scope="neighbours"))
    assert bool(spans(rules, text)) is found


def test_sentence_scope_ignores_the_next_sentence(make_rules):
    rules = make_rules(RULE.format(scope="sentence"))
    assert spans(rules, "Take 5 mg daily. Trials used other doses [3].") == [("T201", "5 mg daily")]


def test_paragraph_scope_sees_the_whole_paragraph(make_rules):
    rules = make_rules(RULE.format(scope="paragraph"))
    text = "Take 5 mg daily. It helps. Trials used other doses [3]."
    assert spans(rules, text) == []


def test_markdown_table_row_shares_its_citation(make_rules):
    rules = make_rules(RULE.format(scope="sentence"))
    text = "| Herb | Dose | Ref |\n| --- | --- | --- |\n| Valerian | 300 mg daily | [4] |\n| Hops | 50 mg daily | |\n"
    assert spans(rules, text, "t.md") == [("T201", "50 mg daily")]


