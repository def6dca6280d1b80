"""Plain-text front end: paragraphs, bullets, directive lines and comments."""
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.document import parse_document
from healthlint.document import text as text_front
from healthlint.document.model import LIST_ITEM, TEXT


def parse(source):
    return parse_document(source, "notes.txt")


def where(doc, word):
    for region in doc.regions:
        start = region.text.find(word)
        if start >= 0:
            src, end = region.to_source(start), region.to_source_end(start + len(word))
            assert doc.source[src:end] == word
            return doc.lines.position(src)
    raise AssertionError(f"{word!r} is not prose")


def test_paragraphs_split_on_blank_lines():
    doc = parse("First line\nsame paragraph.\n\n  \nSecond paragraph.\n")
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TEXT, "First line\nsame paragraph."), (TEXT, "Second paragraph."),
    ]


def test_bullets_start_list_items_without_their_marker():
    source = "Symptoms include:\n- runny nose\n* chills and\n  aches\n• cravings\n1. first\n2) second\n"
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TEXT, "Symptoms include:"), (LIST_ITEM, "runny nose"), (LIST_ITEM, "chills and\n  aches"),
        (LIST_ITEM, "cravings"), (LIST_ITEM, "first"), (LIST_ITEM, "second"),
    ]
    assert where(doc, "aches") == (4, 3)


def test_email_quote_markers_are_not_prose():
    source = ("On Monday Ann wrote:\n> Studies show this tea cures\n> anxiety.\n> > Take 2 grams\n>> daily.\n"
              ">\n> - a bullet\n  > Indented quote.\nBack to the reply.\n>50% of users agree.\n")
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TEXT, "On Monday Ann wrote:"), (TEXT, "Studies show this tea cures\nanxiety."),
        (TEXT, "Take 2 grams\ndaily."), (LIST_ITEM, "a bullet\nIndented quote."),
        (TEXT, "Back to the reply.\n>50% of users agree."),
    ]
    region = doc.regions[1]
    at = region.text.index("cures")
    start, end = region.source_span(at, at + len("cures\nanxiety"))
    assert source[start:end] == "cures\n> anxiety"
    assert where(doc, "Take") == (4, 5)
    assert where(doc, "Indented") == (8, 5)


@pytest.mark.parametrize(
    ("line", "inner"),
    [
        ("# healthlint-disable HL101", "healthlint-disable HL101"),
        ("// healthlint-disable-next-line dose -- cited below", "healthlint-disable-next-line dose -- cited below"),
        ("healthlint-enable", "healthlint-enable"),
        ("   #healthlint-disable-line", "healthlint-disable-line"),
    ],
)
def test_directive_lines_are_comments_not_prose(line, inner):
    source = f"Before.\n{line}\nAfter.\n"
    doc = parse(source)
    assert [r.text for r in doc.regions] == ["Before.", "After."]
    (comment,) = doc.comments
    assert comment.text == inner
    assert source[comment.start:comment.end] == line.strip()
    assert doc.lines.position(comment.start)[0] == 2


# The regexes the plain-text front end used until they were found to take
# cubic and quadratic time on runs of spaces; kept as the reference.
_OLD_DIRECTIVE = re.compile(r"^\s*(?:#|//|<!--)?\s*healthlint-(disable|enable)[\w-]*\b.*$", re.IGNORECASE)
_OLD_WRAPPER = re.compile(r"^\s*(?:#|//|<!--)?\s*(.*?)\s*(?:-->)?\s*$")


def test_directive_lines_are_read_as_the_old_regexes_read_them():
    alphabet = [" ", "\t", "#", "/", "<!--", "-->", "-", ">", "x", "healthlint-disable"]
    for line in ("".join(p) for n in range(5) for p in itertools.product(alphabet, repeat=n)):
        old = _OLD_WRAPPER.match(line)
        assert text_front.unwrap(line) == (old.group(1) if old else line), line
        assert bool(text_front._DIRECTIVE.match(line)) == bool(_OLD_DIRECTIVE.match(line)), line


def test_a_directive_line_padded_with_a_long_run_of_spaces_is_still_one_comment():
    # Both used to take minutes here (a run of spaces split every way).
    line = "# healthlint-disable HL101" + " " * 20000 + "x"
    doc = parse(f"{line}\nText.\n" + " " * 50000 + "More text.\n")
    assert [c.text for c in doc.comments] == ["healthlint-disable HL101" + " " * 20000 + "x"]
    assert [r.text.split() for r in doc.regions] == [["Text.", "More", "text."]]


def test_directive_line_with_a_trailing_html_comment():
    source = "# healthlint-disable HL101 <!-- note -->\nText.\n"
    doc = parse(source)
    assert [r.text for r in doc.regions] == ["Text."]
    assert [c.text for c in doc.comments] == ["healthlint-disable HL101", "note"]


def test_a_line_mentioning_healthlint_is_prose():
    doc = parse("Run healthlint-disable to turn it off.\n")
    assert [r.text for r in doc.regions] == ["Run healthlint-disable to turn it off."]
    assert doc.comments == ()


def test_html_comments_anywhere_are_comments():
    source = "Take 5 mg <!-- healthlint-disable-line dose --> daily.\n<!-- healthlint-disable -->\nNext <!-- a\nmulti-line --> tail.\n"
    doc = parse(source)
    # a comment inside a paragraph hides only itself; the paragraph goes on
    assert [r.text for r in doc.regions] == ["Take 5 mg  daily.", "Next \n tail."]
    assert [c.text for c in doc.comments] == ["healthlint-disable-line dose", "healthlint-disable", "a\nmulti-line"]
    for comment in doc.comments:
        assert source[comment.start:comment.end].startswith("<!--")


@pytest.mark.parametrize("comment", ["<!-->", "<!--->", "<!-- x --!>"])
def test_comments_closed_as_the_html_spec_closes_them(comment):
    # Each used to open a comment that ran to the next "-->", hiding the claim.
    source = f"Intro {comment} text.\nThis tea cures anxiety.\n<!-- a -->\n"
    doc = parse(source)
    assert [r.text for r in doc.regions] == [f"Intro  text.\nThis tea cures anxiety."]
    assert [source[c.start:c.end] for c in doc.comments] == [comment, "<!-- a -->"]


def test_invisible_format_characters_are_not_prose():
    # Pasted from a CMS or a chat app: invisible inside words, splitting them for every rule.
    source = "This tea cu\u200bres anx\u00adiety. Con\u2060sult your doc\ufefftor.\n\n👩\u200d⚕️ says so.\n"
    doc = parse(source)
    assert [u.text for u in doc.units] == ["This tea cures anxiety.", "Consult your doctor.", "👩⚕️ says so."]
    region = doc.regions[0]
    at = region.text.index("cures")
    start, end = region.source_span(at, at + len("cures anxiety"))
    assert source[start:end] == "cu\u200bres anx\u00adiety"
    assert where(doc, "sult") == (1, 31)


def test_positions_crlf_tabs_and_non_ascii():
    source = "Intro\r\n\r\nTake\t500 µg – “daily” 😀 now.\r\nSecond line here.\r\n"
    doc = parse(source)
    assert where(doc, "500") == (3, 6)
    assert where(doc, "daily") == (3, 16)
    assert where(doc, "now") == (3, 25)
    assert where(doc, "Second") == (4, 1)
    region = doc.regions[1]
    newline = region.text.index("\n")
    assert region.source_span(newline, newline + 1) == (37, 39)  # "\n" stands for "\r\n"


def test_cr_only_line_endings():
    doc = parse("one\rtwo\r\rthree")
    assert [r.text for r in doc.regions] == ["one\ntwo", "three"]
    assert where(doc, "three") == (4, 1)


def check_invariants(doc):
    source = doc.source
    for region in doc.regions:
        for c in region.chunks:
            if c.linear:
                a, b = c.text_start, c.text_start + c.text_len
                for x, y in ((a, b), (a, (a + b) // 2), ((a + b) // 2, b), (a + 1, b)):
                    if x <= y:
                        assert source[region.to_source(x):region.to_source_end(y)] == region.text[x:y]
    for unit in doc.units:
        start, end = doc.unit_source_span(unit)
        assert 0 <= start <= end <= len(source)


ATOMS = st.sampled_from([
    "word", " ", "\n", "\n\n", "\r\n", "\r", "\t", "- ", "* ", "• ", "1. ", "# healthlint-disable\n",
    "// healthlint-enable x\n", "<!--", "-->", "<!-- c -->", "µg", "“q”", "😀", ".", "Dr.", "2.5",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ATOMS, st.text(max_size=5)), max_size=40).map("".join))
def test_property_mapping_holds_for_generated_text(source):
    check_invariants(parse(source))


def test_urls_are_not_prose():
    doc = parse("Visit https://x.example/miracle or www.miracle.example, a miracle.\n")
    assert [u.text for u in doc.units] == ["Visit  or , a miracle."]


def test_addresses_without_a_scheme_are_not_prose():
    doc = parse("Visit miracle.example.com/cure or write to cure@miracle.example.org, a miracle.\n")
    assert [u.text for u in doc.units] == ["Visit  or write to , a miracle."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", "-", ">", "<", "!", "a", " ", "\n"]), max_size=40).map("".join))
def test_html_comments_are_what_the_non_greedy_pattern_finds(source):
    # found in one pass: an unclosed "<!--" repeated 50,000 times took
    # a regex half a minute
    import re

    from healthlint.document.model import html_comments

    # as the HTML tokenizer closes them: "<!-->" and "<!--->" are empty, "--!>" closes too
    expected = [(m.start(), m.end(), (m.group(1) or "").strip())
                for m in re.finditer(r"<!--(?:-?>|(.*?)--!?>)", source, re.S)]
    assert [(c.start, c.end, c.text) for c in html_comments(source)] == expected
