"""Sentence segmentation over regions."""
import pytest

from healthlint.document import parse_document
from healthlint.document.model import FOOTNOTE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Region, RegionBuilder
from healthlint.document.segment import MAX_UNIT, segment


def region(text, kind=PARAGRAPH):
    builder = RegionBuilder(text)
    builder.add_source(0, len(text))
    return builder.build(kind)


def sentences(text, kind=PARAGRAPH):
    return [u.text for u in segment([region(text, kind)])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Another one! A third? Yes.", ["One sentence.", "Another one!", "A third?", "Yes."]),
        ("Ask Dr. Smith and Mrs. Jones first. Then rest.", ["Ask Dr. Smith and Mrs. Jones first.", "Then rest."]),
        ("Take 2.5 mg daily. Stop after 3.5 weeks.", ["Take 2.5 mg daily.", "Stop after 3.5 weeks."]),
        ("Use herbs, e.g. Ginger, i.e. Root. Then stop.", ["Use herbs, e.g. Ginger, i.e. Root.", "Then stop."]),
        ("Vitamins, minerals, etc. Are fine.", ["Vitamins, minerals, etc. Are fine."]),
        ("Per J. Smith and A. B. Jones. Next.", ["Per J. Smith and A. B. Jones.", "Next."]),
        ("Most U.S. Adults do. Most U.K. Adults too.", ["Most U.S. Adults do.", "Most U.K. Adults too."]),
        ("Dose at 8 a.m. Or at 6 p.m. Daily.", ["Dose at 8 a.m. Or at 6 p.m. Daily."]),
        ("Smith et al. Found it. See Fig. 2 and No. 5 here.", ["Smith et al. Found it.", "See Fig. 2 and No. 5 here."]),
        ("Made by Acme Inc. For adults.", ["Made by Acme Inc. For adults."]),
        ("Take 500 mg. Twice daily.", ["Take 500 mg. Twice daily."]),
        ("Get enough vitamin D. It helps bones.", ["Get enough vitamin D.", "It helps bones."]),
        ("So do I. Then we rest.", ["So do I.", "Then we rest."]),
        ("Just say no. Then leave.", ["Just say no.", "Then leave."]),
        ('He said "Stop now." Then he left.', ['He said "Stop now."', "Then he left."]),
        ("It works (mostly.) Try it.", ["It works (mostly.)", "Try it."]),
        ("Wait for it… Then go.", ["Wait for it…", "Then go."]),
        ("Wait... Then go.", ["Wait...", "Then go."]),
        ("It is cited.[^2] Next claim.", ["It is cited.[^2]", "Next claim."]),
        ("It is cited.[3] Next claim.", ["It is cited.[3]", "Next claim."]),
        ("It works. 2 of 3 agree.", ["It works.", "2 of 3 agree."]),
        ("It ends. “Quoted” start.", ["It ends.", "“Quoted” start."]),
        ("Visit example.test/a.b for more. Then rest.", ["Visit example.test/a.b for more.", "Then rest."]),
        ("lowercase after. does not split", ["lowercase after. does not split"]),
        ("Intake line (8 a.m. to 6 p.m.). In an emergency, call.", ["Intake line (8 a.m. to 6 p.m.).", "In an emergency, call."]),
        ("No final punctuation", ["No final punctuation"]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great stuff. 👍 Take 2 grams daily.", ["Great stuff. 👍", "Take 2 grams daily."]),
        ("It works! 🙌🏽 💯 Try it.", ["It works! 🙌🏽 💯", "Try it."]),
        # the region leaves the ZWJ out of its text
        ("Loved it. 👩\u200d⚕️ ✔️ → Order now.", ["Loved it. 👩⚕️ ✔️ →", "Order now."]),
        ("Sleep well. 😴\nTake it at night.", ["Sleep well. 😴", "Take it at night."]),
        ("Great stuff. 👍 and more.", ["Great stuff. 👍 and more."]),  # no sentence opener after it
        ("Great stuff. 👍Take it.", ["Great stuff. 👍Take it."]),  # glued to the word
        ("Dose 5 mg. + Rest.", ["Dose 5 mg. + Rest."]),  # ASCII symbols stay as they were
        ("Ask Dr. ⭐ Smith.", ["Ask Dr. ⭐ Smith."]),  # an abbreviation still does not end a sentence
    ],
)
def test_emoji_between_sentences_end_the_first(text, expected):
    assert sentences(text) == expected


def test_numbered_prefix_is_not_a_sentence():
    assert sentences("1. Kratom", HEADING) == ["1. Kratom"]
    assert sentences("Steps:\n1. Take it.\n2. Rest.", PARAGRAPH) == ["Steps:", "1. Take it.", "2. Rest."]


def test_blank_line_splits():
    assert sentences("No stop here\n\nnew paragraph") == ["No stop here", "new paragraph"]


def test_heading_like_lines_split():
    text = "OPIOID WITHDRAWAL FACTS\nCommunity Health Network - Addiction Medicine\nReviewed March 2025\nWhat to do:\nTalk to a doctor."
    assert sentences(text) == [
        "OPIOID WITHDRAWAL FACTS", "Community Health Network - Addiction Medicine", "Reviewed March 2025",
        "What to do:", "Talk to a doctor.",
    ]


def test_wrapped_prose_does_not_split_at_line_breaks():
    text = "We recommend that adults take\nVitamin D daily with food and\nWater as needed."
    assert sentences(text) == ["We recommend that adults take\nVitamin D daily with food and\nWater as needed."]


def test_faq_lines_and_emoji_line_ends_split():
    text = "Start with a tablespoon and listen to your body 💛\nQ: Does it taste fishy?\nA: not at all"
    assert sentences(text, LIST_ITEM) == [
        "Start with a tablespoon and listen to your body 💛", "Q: Does it taste fishy?", "A: not at all",
    ]
    # An emoji mid-sentence, or a wrapped line that goes on in lower case, is not an end.
    assert len(sentences("So good 💛\nand cheap too.")) == 1


def test_reference_lines_are_one_unit_each():
    text = "References\n[1] World Health Organization. Guidelines. Geneva: WHO; 2009.\n[2] U.S. FDA. Kratom. 2024."
    assert sentences(text) == [
        "References", "[1] World Health Organization. Guidelines. Geneva: WHO; 2009.", "[2] U.S. FDA. Kratom. 2024.",
    ]


def test_footnote_is_one_unit():
    assert sentences("Kruegel AC, Grundmann O. The chemistry of kratom. Neuropharmacology. 2018.", FOOTNOTE) == [
        "Kruegel AC, Grundmann O. The chemistry of kratom. Neuropharmacology. 2018."
    ]


def test_list_items_and_cells_with_several_sentences_are_split_and_keep_their_kind():
    source = "No approved use. Neither is safe.|Bad night? Take more."
    item, cell = RegionBuilder(source), RegionBuilder(source)
    item.add_source(0, 33)
    cell.add_source(34, len(source))
    units = segment([item.build(LIST_ITEM), cell.build(TABLE_CELL)])
    assert [(u.kind, u.text) for u in units] == [
        (LIST_ITEM, "No approved use."), (LIST_ITEM, "Neither is safe."),
        (TABLE_CELL, "Bad night?"), (TABLE_CELL, "Take more."),
    ]


def test_unit_offsets_are_trimmed_and_slice_the_region():
    r = region("  First one.   Second one.  ")
    units = segment([r])
    assert [(u.start, u.end) for u in units] == [(0, 10), (13, 24)]
    assert all(r.text[u.start:u.end] == u.text for u in units)


def test_empty_units_are_skipped():
    assert sentences("...\n\n\n\nText.") == ["...", "Text."]


def test_units_follow_source_order_across_regions():
    doc = parse_document('<p>Before. <img alt="Alt text."> After.</p>', "a.html")
    assert [u.text for u in doc.units] == ["Before.", "Alt text.", "After."]


def test_units_map_to_the_source():
    source = "# 1. Kratom\n\nIt is *strong*. Dr. Lee agrees. Take 2.5 mg.\n"
    doc = parse_document(source, "a.md")
    spans = [doc.source[slice(*doc.unit_source_span(u))] for u in doc.units]
    assert spans == ["1. Kratom", "It is *strong*.", "Dr. Lee agrees.", "Take 2.5 mg."]


def test_long_runs_stay_linear():
    text = "a" + "." * 50_000 + "b " + "x. " * 20_000 + "\n" * 20_000
    units = segment([Region(PARAGRAPH, text, region(text).chunks)])
    assert units


def test_run_on_text_is_cut_into_bounded_units_without_losing_a_character():
    # A lowercase dump never "opens" a sentence, so the normal rules find
    # no boundary; the rules' work per unit must not grow with the file.
    line = "take two grams of kratom before bed. it cures anxiety naturally\n"
    text = line * 400 + "x" * 3000 + " tail"
    units = segment([region(text)])
    assert len(units) > 20
    assert all(len(u.text) <= MAX_UNIT for u in units)
    # Every non-space character is in exactly one unit, in order.
    assert "".join(u.text for u in units).replace(" ", "").replace("\n", "") == \
        text.replace(" ", "").replace("\n", "")
    # Cuts fall after sentence punctuation or at line ends where there is one.
    assert all(u.text.endswith(("bed.", "naturally")) for u in units[:-3])


def test_a_claim_deep_in_a_run_on_dump_is_reported_where_it_is():
    from healthlint import lint_text

    filler = "the of and to a in is it you that it was and so on\n" * 400
    found = lint_text(filler + "we say this tea cures anxiety for good\n" + filler, "dump.txt")
    claims = [f for f in found if f.category == "efficacy"]
    assert [(f.line, f.column, f.match) for f in claims] == [(401, 17, "cures anxiety")]
