"""Keys every unit rule type shares: header, previous, scope, references."""
import pytest
from conftest import spans

BASE = """
rules:
  - code: T601
    name: t
    category: dose
    type: requires-citation
    message: "'{{match}}'"
    patterns: ['\\b\\d+ mg\\b']
{extra}
    examples: {{flag: ["x"], pass: ["y"]}}
"""


def rules_with(make_rules, extra):
    return make_rules(BASE.format(extra=extra))


def test_header_limits_a_rule_to_a_column(make_rules):
    rules = rules_with(make_rules, "    header: ['^\\W*daily dose\\W*$']")
    text = ("| Herb | Per capsule | Daily dose |\n| --- | --- | --- |\n"
            "| Valerian | 300 mg | 600 mg |\n")
    assert spans(rules, text, "t.md") == [("T601", "600 mg")]


def test_reference_column_cites_the_row(make_rules):
    rules = rules_with(make_rules, "")
    text = ("| Herb | Dose | Ref. |\n| --- | --- | --- |\n| Valerian | 600 mg | 4 |\n"
            "| Hops | 50 mg | |\n")
    assert spans(rules, text, "t.md") == [("T601", "50 mg")]


def test_previous_unit_gates_the_rule(make_rules):
    rules = rules_with(make_rules, "    previous: ['\\bhow much\\b.*\\?']")
    text = "How much should I take?\n\n500 mg.\n\nSome take 500 mg.\n"
    assert spans(rules, text, "t.md") == [("T601", "500 mg")]


def test_scope_limits_unit_kinds(make_rules):
    rules = rules_with(make_rules, "    scope: [heading]")
    assert spans(rules, "# Take 5 mg\n\nTake 5 mg.\n", "t.md") == [("T601", "5 mg")]


def test_bibliography_entries_are_not_claims(make_rules):
    rules = rules_with(make_rules, "")
    text = "Trials used other amounts.[^1]\n\n[^1]: Smith J, Lee K. Valerian 600 mg for sleep. Sleep. 2020;3:1-9.\n"
    assert spans(rules, text, "t.md") == []


def test_a_bibliography_entry_cut_into_sentences_is_not_a_claim(make_rules):
    # The sentence splitter cuts an entry at the authors' initials; its
    # title, later on the same line, is still part of the entry.
    rules = rules_with(make_rules, "")
    text = ("References\n(4) Siervo M, Lara J, Ogbonmwan I. Nitrate at 500 mg a day lowers pressure. "
            "J Nutr. 2013;143:818.\n")
    assert spans(rules, text, "t.txt") == []
    # A numbered heading that looks like a name and an initial does not
    # excuse the advice after it.
    advice = "**5. Vitamin D.** Most patients do well on 500 mg a day.\n"
    assert spans(rules, advice, "t.md") == [("T601", "500 mg")]


def test_a_name_and_capitals_alone_are_not_an_author(make_rules):
    # "Eases PMS." looks like "Smith AB." but is a claim; an entry has a
    # second author, "et al" or a year.
    rules = make_rules(BASE.format(extra="").replace("\\b\\d+ mg\\b", "\\beases\\b"))
    assert spans(rules, "- Eases PMS.\n- Eases IBS, fast.\n", "t.md") == [("T601", "Eases"), ("T601", "Eases")]
    assert spans(rules, "Lee AB. Eases cramps. Pain. 2019;4:2.\n", "t.txt") == []


def test_links_to_studies_count_as_citations(make_rules):
    rules = rules_with(make_rules, "")
    cited = "Take 5 mg, as in [a 2019 trial](https://example.org/studies/x)."
    affiliate = "Take 5 mg from [our shop](https://example.org/go/shop?aff=1)."
    assert spans(rules, cited, "t.md") == []
    assert spans(rules, affiliate, "t.md") == [("T601", "5 mg")]


@pytest.mark.parametrize("address", [
    "pubmed.ncbi.nlm.nih.gov/31234567", "https://pubmed.ncbi.nlm.nih.gov/31234567/", "www.nice.org.uk/guidance/ng215",
    "doi.org/10.1136/bmj.m1", "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD0",
])
def test_a_bare_address_of_a_study_counts_as_a_citation(make_rules, address):
    # Bare addresses are not prose, so the citation cues on the text never
    # saw them; "(https://pubmed...)" pasted after a claim went uncounted.
    rules = rules_with(make_rules, "")
    for path in ("t.md", "t.txt", "t.html"):
        assert spans(rules, f"Take 5 mg daily ({address}).", path) == [], (address, path)
    assert spans(rules, "Take 5 mg daily (shop.example.com/p/31234567).", "t.md") == [("T601", "5 mg")]


def test_document_unless_silences_the_rule_for_the_whole_document(make_rules):
    rules = rules_with(make_rules, "    document-unless: ['\\byour prescriber will\\b']")
    steps = "Week 1: 40 mg.\n\nWeek 2: 30 mg.\n"
    assert spans(rules, steps, "t.md") == [("T601", "40 mg"), ("T601", "30 mg")]
    supervised = steps + "\nYour prescriber will set the pace of each step.\n"
    assert spans(rules, supervised, "t.md") == []
    # The answer belongs to one document, not to the rule: the next one is linted again.
    assert spans(rules, steps, "u.md") == [("T601", "40 mg"), ("T601", "30 mg")]


FOOTNOTE_RULES = r"""
rules:
  - code: T101
    name: t-miracle
    category: hype
    type: existence
    message: "'{match}'"
    patterns: ['\bmiracle\b']
    examples: {flag: ["x"], pass: ["y"]}
  - code: T301
    name: t-cure
    category: efficacy
    type: requires-citation
    message: "'{match}'"
    patterns: ['\bcures? anxiety\b']
    examples: {flag: ["x"], pass: ["y"]}
  - code: T402
    name: t-proven
    category: evidence
    type: substitution
    message: "'{match}'"
    swap: {'\bclinically proven\b': studied}
    examples: {flag: ["x"], pass: ["y"]}
"""


def test_a_claim_in_a_footnote_definition_is_linted_by_every_unit_rule(make_rules):
    """Every unit rule skipped footnote definitions, so "[^2]: This tea cures
    anxiety." was never linted. A footnote that reads as a source is still
    left alone, and a marker still cites the sentence it follows."""
    rules = make_rules(FOOTNOTE_RULES)
    text = ("Chamomile eases stress.[^1] It cures anxiety.[^2]\n\n"
            "[^1]: Amsterdam JD, et al. A miracle? Chamomile cures anxiety. J Clin Psychopharmacol. 2009;29:378.\n"
            "[^2]: This clinically proven miracle tea cures anxiety.\n")
    assert spans(rules, text, "t.md") == [("T402", "clinically proven"), ("T101", "miracle"),
                                          ("T301", "cures anxiety")]


def test_in_references_also_looks_at_sources(make_rules):
    rules = rules_with(make_rules, "    in-references: true")
    text = "Trials used other amounts.[^1]\n\n[^1]: Smith J, Lee K. Valerian 600 mg for sleep. Sleep. 2020;3:1-9.\n"
    assert spans(rules, text, "t.md") == [("T601", "600 mg")]


def test_a_unit_introduces_what_follows_as_the_old_regex_said():
    import itertools
    import re

    from healthlint.rules.common import introduces

    old = re.compile(r"[:—–-][\W_]*$")  # searched: quadratic on a run of colons
    alphabet = [":", "—", "-", "_", " ", ".", "\n", "a", "7", "é", "…"]
    for text in ("".join(p) for n in range(5) for p in itertools.product(alphabet, repeat=n)):
        assert introduces(text) == bool(old.search(text)), repr(text)
