import pytest

from conftest import spans

RULE = """
rules:
  - code: T501
    name: list-claim
    category: efficacy
    type: list-claim
    message: "'{match}'"
    lead-in: ['\\bhelps? with\\b', '^\\W*best for\\W*$']
    items: ['\\b(?:insomnia|anxiety|joint pain)\\b']
    exceptions: ['\\bside effects?\\b']
    exempt-before: ['\\bibuprofen\\b']
    unless: [negated]
    examples: {flag: ["x"], pass: ["y"]}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our blend helps with:\n\n- Insomnia\n- Joint pain\n- Travel\n", ["Insomnia", "Joint pain"]),
        ("Side effects include:\n\n- Insomnia\n", []),  # the lead-in does not claim
        ("It helps with nothing.\n\n- Anxiety\n", []),  # negated lead-in
        ("Insomnia is common.\n\n- Anxiety\n", []),  # no claim lead-in
        ("Helps with:\n\n- Anxiety [2]\n", []),  # cited item
        ("Insomnia and anxiety often travel together.\n", []),  # not a list
    ],
)
def test_list_items_under_a_claim_lead_in(make_rules, text, expected):
    assert [m for _, m in spans(make_rules(RULE), text, "t.md")] == expected


def test_table_column_header_is_the_lead_in(make_rules):
    text = ("| Product | Best for |\n| --- | --- |\n| Calmroot | Anxiety |\n"
            "| Ibuprofen tablets | Joint pain |\n| Sleepwell | Travel |\n")
    # The header cell itself claims nothing; the ibuprofen row is its licensed use.
    assert [m for _, m in spans(make_rules(RULE), text, "t.md")] == ["Anxiety"]


def test_html_table_columns_too(make_rules):
    text = ("<table><thead><tr><th>Herb</th><th>Best for</th></tr></thead>"
            "<tbody><tr><td>Valerian</td><td>Insomnia</td></tr></tbody></table>")
    assert [m for _, m in spans(make_rules(RULE), text, "t.html")] == ["Insomnia"]
