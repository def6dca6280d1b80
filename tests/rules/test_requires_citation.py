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



def test_the_sentences_of_a_paragraph_share_one_copy_of_its_source():
    # Cut per sentence, a 2,000-sentence paragraph was copied and hashed
    # (by the citation memo) once per sentence: 21 s for a 186 KB file. One
    # shared string keeps a paragraph-scope check linear in its length.
    from healthlint.document import parse_document
    from healthlint.rules.base import UnitView

    doc = parse_document(" ".join(["Take 5 mg daily."] * 300) + "\n\nTrials used other doses [3].\n", "a.md")
    scopes = [UnitView(doc, i).scope_source("paragraph") for i in range(len(doc.units))]
    assert len(scopes) == 301
    assert len({id(s) for s in scopes[:300]}) == 1
    assert scopes[0].count("Take 5 mg daily.") == 300 and scopes[300] == "Trials used other doses [3]."
