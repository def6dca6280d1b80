"""HTML front end: visible prose, title/meta/alt, comments, and positions."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.document import parse_document
from healthlint.document.model import (
    ALT, BLOCKQUOTE, DESCRIPTION, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE,
)


def parse(source):
    return parse_document(source, "page.html")


def kinds_and_texts(doc):
    return [(r.kind, r.text) for r in doc.regions]


def prose(doc):
    return "\n".join(r.text for r in doc.regions)


def where(doc, word):
    for region in doc.regions:
        start = region.text.find(word)
        if start >= 0:
            src, end = region.to_source(start), region.to_source_end(start + len(word))
            assert doc.source[src:end] == word
            return doc.lines.position(src)
    raise AssertionError(f"{word!r} is not prose")


PAGE = """<!doctype html>
<html><head>
<title>Calm &amp; Rest | Shop</title>
<meta name="description" content="Sleep &quot;better&quot; tonight">
<meta property="og:title" content="Not prose">
<style>p { color: red }</style>
<script>var claim = "cures everything";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/cures">Cures</a></nav>
<h1>Sleep <em>Better</em></h1>
<p>Take <strong>two</strong> capsules<sup>1</sup>. <code>dose=2</code> <img src="a.png" alt="A calm bedroom" title="no"></p>
<ul><li>First item</li><li>Second <a href="https://x.example">linked</a> item</li></ul>
<blockquote><p>Quoted claim.</p></blockquote>
<table><tr><th>Dose</th><td>5 mg</td></tr></table>
<div>Loose div text<p>Inner para</p>tail text</div>
<pre>preformatted</pre>
<!-- healthlint-disable HL101 -->
<template><p>template text</p></template>
</body></html>
"""


def test_page_regions():
    doc = parse(PAGE)
    assert kinds_and_texts(doc) == [
        (TITLE, "Calm & Rest | Shop"),
        (DESCRIPTION, 'Sleep "better" tonight'),
        (HEADING, "Sleep Better"),
        (PARAGRAPH, "Take two capsules1."),
        (ALT, "A calm bedroom"),
        (LIST_ITEM, "First item"),
        (LIST_ITEM, "Second linked item"),
        (BLOCKQUOTE, "Quoted claim."),
        (TABLE_CELL, "Dose"),
        (TABLE_CELL, "5 mg"),
        (PARAGRAPH, "Loose div text"),
        (PARAGRAPH, "Inner para"),
        (PARAGRAPH, "tail text"),
    ]


@pytest.mark.parametrize(
    "hidden", ["cures everything", "color", "Not prose", "dose=2", "preformatted", "template text",
               "Home", "a.png", "https://x.example", "healthlint-disable"],
)
def test_not_prose(hidden):
    assert hidden not in prose(parse(PAGE))


@pytest.mark.parametrize("tag", ["tt", "xmp", "kbd", "samp", "var", "code"])
def test_code_like_elements_are_not_prose(tag):
    assert prose(parse(f"<p>Run <{tag}>miracle --cure</{tag}> now.</p>")) == "Run  now."


def test_urls_in_text_are_not_prose():
    doc = parse("<p>See https://x.example/miracle-cure or www.miracle.example now.</p>")
    assert prose(doc) == "See  or  now."
    assert [(c.src_start, c.src_len) for c in doc.regions[0].chunks] == [(3, 4), (37, 4), (60, 5)]


def test_comments():
    doc = parse(PAGE)
    (comment,) = doc.comments
    assert comment.text == "healthlint-disable HL101"
    assert doc.source[comment.start:comment.end] == "<!-- healthlint-disable HL101 -->"
    assert doc.lines.position(comment.start) == (18, 1)


@pytest.mark.parametrize("comment", ["<!-->", "<!--->", "<!-- x --!>", "<!-- x -- > y -->"])
def test_comments_close_as_a_browser_closes_them(comment):
    # Python 3.11's HTMLParser reads the first three as unclosed (the rest of
    # the page was hidden) and closes the last at "-- >", which a browser does not.
    source = f"<p>a</p>{comment}<p>This tea cures anxiety.</p><!-- healthlint-disable -->"
    doc = parse(source)
    assert [r.text for r in doc.regions] == ["a", "This tea cures anxiety."]
    assert [source[c.start:c.end] for c in doc.comments] == [comment, "<!-- healthlint-disable -->"]
    assert [c.text for c in doc.comments] == [comment[4:].rstrip("!->").strip(), "healthlint-disable"]


def test_invisible_format_characters_are_not_prose():
    source = "<p>This tea cu&shy;res anx&#173;i\u200dety.</p><p>Con&shy;sult your doctor.</p>"
    doc = parse(source)
    assert [r.text for r in doc.regions] == ["This tea cures anxiety.", "Consult your doctor."]
    region = doc.regions[0]
    at = region.text.index("cures")
    start, end = region.source_span(at, at + len("cures anxiety"))
    assert source[start:end] == "cu&shy;res anx&#173;i\u200dety"


def test_entities_are_one_chunk_each():
    doc = parse("<p>5&nbsp;mg &amp; &#181;g &#x3bc;g &copy2024 &unknown;</p>")
    (region,) = doc.regions
    assert region.text == "5\xa0mg & µg μg ©2024 &unknown;"
    decoded = [(c.text_len, c.src_len) for c in region.chunks if not c.linear]
    # "&copy2024" is a legacy reference without ";": one chunk "©2024" for 9 source chars
    assert decoded == [(1, 6), (1, 5), (1, 6), (1, 7), (5, 9)]


def test_attribute_entities_are_mapped():
    doc = parse('<img alt="Caf&eacute; &amp; tea">')
    (region,) = doc.regions
    assert region.text == "Café & tea"
    assert region.source_span(5, 6) == (22, 27)
    assert where(doc, "tea") == (1, 29)


def test_positions_with_crlf_tabs_and_non_ascii():
    source = "<html>\r\n<body>\r\n<p>\tTake 500 µg – “daily” 😀 with <b>water</b>.</p>\r\n<p>Next &amp; <i>last</i></p>\r\n"
    doc = parse(source)
    assert where(doc, "Take") == (3, 5)
    assert where(doc, "daily") == (3, 20)
    assert where(doc, "water") == (3, 37)
    assert where(doc, "last") == (4, 18)


def test_br_is_a_line_break_mapped_to_the_tag():
    doc = parse("<p>one<br/>two</p>")
    (region,) = doc.regions
    assert region.text == "one\ntwo"
    assert region.source_span(3, 4) == (6, 11)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>unclosed <b>bold", ["unclosed bold"]),
        ("<p>one<p>two</p></p>stray", ["one", "two", "stray"]),
        ("<p>a < b and c > d</p>", ["a < b and c > d"]),
        ("<p>broken &#; ref</p><p>next</p>", ["broken &#; ref", "next"]),
        ("<p>broken &#xZZ; ref</p><p>next</p>", ["broken &#xZZ; ref", "next"]),
        ("<p>end &amp", ["end &"]),  # as a browser reads it
        ("<p>a</p><!-- never closed <p>hidden</p>", ["a"]),
        ("<head><title>T</title><p>body without a body tag</p>", ["T", "body without a body tag"]),
        ("<svg><title>icon</title></svg><p>after</p>", ["after"]),
        ("</div></p></li>text", ["text"]),
        ("<input type=image alt=go><input alt=no>", ["go"]),
    ],
)
def test_malformed_html(source, expected):
    doc = parse(source)
    assert [r.text for r in doc.regions] == expected
    check_invariants(doc)


def test_deep_nesting_does_not_crash():
    doc = parse("<div>" * 20_000 + "deep" + "</span>" * 20_000)
    assert [r.text for r in doc.regions] == ["deep"]


def check_invariants(doc):
    source = doc.source
    for region in doc.regions:
        for c in region.chunks:
            assert 0 <= c.src_start <= c.src_start + c.src_len <= len(source)
            if c.linear:
                a, b = c.text_start, c.text_start + c.text_len
                for x, y in ((a, b), (a, (a + b) // 2), ((a + b) // 2, b), (a + 1, b)):
                    if x <= y:
                        assert source[region.to_source(x):region.to_source_end(y)] == region.text[x:y]
    for unit in doc.units:
        start, end = doc.unit_source_span(unit)
        assert 0 <= start <= end <= len(source)
    starts = [doc.unit_source_span(u)[0] for u in doc.units]
    assert starts == sorted(starts)
    for comment in doc.comments:
        assert source[comment.start:comment.end].startswith("<!--")


ATOMS = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<li>", "<ul>", "</ul>", "<td>", "<tr>", "<br>", "<img alt='a &amp; b'>",
    '<meta name=description content="d &lt;">', "<title>", "</title>", "<head>", "<body>", "<script>",
    "</script>", "<!--", "-->", "<!-- c -->", "&amp;", "&#65;", "&#x41", "&#;", "&", "<", ">", "</", "<!",
    "<![CDATA[", "word", " ", "\n", "\r\n", "\r", "\t", "µg", "“q”", "😀", "<div>", "</div>", "<code>", "'", '"',
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ATOMS, st.text(max_size=5)), max_size=40).map("".join))
def test_property_mapping_holds_for_generated_html(source):
    check_invariants(parse(source))
