import pytest

from conftest import spans

RULE = """
rules:
  - code: T101
    name: miracle
    category: hype
    type: existence
    message: "'{match}' is hype"
    patterns: ['\\bmiracle (?:cure|herb)s?\\b', '\\bguaranteed\\b']
    exceptions: ['\\bmoney-back\\b']
    unless: [negated, attributed, question]
    examples: {flag: [a miracle cure], pass: [no miracle cure]}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A miracle cure for stress.", ["miracle cure"]),
        ("A miracle\n  herb for you.", ["miracle\n  herb"]),  # wraps across lines
        ("MIRACLE HERBS and guaranteed results.", ["MIRACLE HERBS", "guaranteed"]),
        ("There is no miracle cure.", []),  # negated in its clause
        ("It is not a miracle cure, but it helps.", []),
        ("The seller claims it is a miracle cure.", []),  # attributed
        ("That said, it is a miracle cure.", ["miracle cure"]),  # no one is quoted
        ("Sold in the United States as a miracle cure.", ["miracle cure"]),
        ("Is this a miracle cure?", []),  # a question asserts nothing
        ('"Is this a miracle cure?" - Graham, Leeds', []),  # a reader's question, signed
        ("A miracle cure - Graham, Leeds", ["miracle cure"]),  # a signed claim is still a claim
        ("A guaranteed money-back offer.", []),  # unit exception
        ("Miraculous", []),
    ],
)
def test_existence_spans(make_rules, text, expected):
    rules = make_rules(RULE)
    assert [m for _, m in spans(rules, text)] == expected


def test_negation_does_not_reach_across_a_contrast(make_rules):
    rules = make_rules(RULE)
    assert spans(rules, "It is not cheap, but it is a miracle cure.") == [("T101", "miracle cure")]


def test_message_quotes_the_match(make_rules):
    from conftest import run

    rules = make_rules(RULE)
    (finding,) = run(rules, "Try this miracle herb today.")
    assert finding.message == "'miracle herb' is hype"
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 10, 1, 22)


@pytest.mark.parametrize(
    "text",
    [
        "It is not sold in shops, and it is a miracle cure.",  # a new subject ends the negation
        "These are sold in Europe as a licensed medicine, and they are a miracle cure.",
        "It is not cheap, because it is a miracle cure.",  # a reason is a clause of its own
        "No one sells it here, which is why it is a miracle cure.",
    ],
)
def test_a_clause_with_its_own_subject_is_asserted(make_rules, text):
    rules = make_rules(RULE)
    assert spans(rules, text) == [("T101", "miracle cure")]


@pytest.mark.parametrize(
    "text",
    [
        "It is not cheap, and not a miracle cure.",  # no new subject: still negated
        "The seller claims: a miracle cure.",  # a colon does not end an attribution
    ],
)
def test_negation_and_attribution_reach_within_the_clause(make_rules, text):
    rules = make_rules(RULE)
    assert spans(rules, text) == []


def test_a_warning_that_introduces_a_list_covers_all_its_items(make_rules):
    rules = make_rules(RULE)
    items = "".join(f"- item {k}: a miracle cure\n" for k in range(40))
    assert spans(rules, "Be wary of any product sold as:\n\n" + items, "t.md") == []


def test_a_warning_before_a_list_does_not_silence_it(make_rules):
    # "Keep out of reach of children." warns, but does not introduce the
    # list after it: its items are the page's own claims.
    rules = make_rules(RULE)
    text = "> **Warning:** keep out of reach of children.\n\n- A miracle cure.\n- Guaranteed results.\n"
    assert [m for _, m in spans(rules, text, "t.md")] == ["miracle cure", "Guaranteed"]
