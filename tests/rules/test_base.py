"""UnitView: what a rule sees around its unit, worked out once per
paragraph or line however many sentences share it."""
from healthlint.document import parse_document
from healthlint.rules.base import UnitView


def test_the_sentences_of_a_paragraph_share_one_copy_of_its_source():
    # Cut per sentence, a 2,000-sentence paragraph was copied and hashed
    # (by the citation memo) once per sentence: 21 s for a 186 KB file. One
    # shared string keeps a paragraph-scope check linear in its length.
    doc = parse_document(" ".join(["Take 5 mg daily."] * 300) + "\n\nTrials used other doses [3].\n", "a.md")
    scopes = [UnitView(doc, i).scope_source("paragraph") for i in range(len(doc.units))]
    assert len(scopes) == 301
    assert len({id(s) for s in scopes[:300]}) == 1
    assert scopes[0].count("Take 5 mg daily.") == 300 and scopes[300] == "Trials used other doses [3]."


def test_the_sentences_of_one_long_line_share_one_copy_of_it():
    # A line of thousands of short sentences ("Cure. ✅ ★ ") was searched
    # back and copied once per sentence: 18.6 s for 2.4 MB, now 4.7 s.
    line = "Lee K. Sleep and magnesium. J Sleep Res. 2019. " * 200
    doc = parse_document("Intro here.\n" + line + "\nOutro.\n", "refs.txt")
    views = [UnitView(doc, i) for i in range(len(doc.units))]
    # Units 0 and -1 are alone on their lines; unit 1 starts the long one.
    middle = [v.line_around() for v in views[2:-1]]
    assert len(middle) > 500
    assert len({id(m) for m in middle}) == 1
    assert middle[0] == line
    # A unit that starts its line gets "".
    assert [v.line_around() for v in (views[0], views[1], views[-1])] == ["", "", ""]
