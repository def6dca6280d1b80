"""Markdown front end: what is prose, what is not, and where every word is."""
import re

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import healthlint.document.markdown as markdown
from healthlint.document import parse_document
from healthlint.document.model import (
    ALT, BLOCKQUOTE, DESCRIPTION, FOOTNOTE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE,
)


@pytest.fixture(autouse=True)
def no_block_fallback(monkeypatch):
    """The crude per-block fallback must never be what makes a test pass."""
    original = markdown._Inline.walk

    def strict_walk(self, children):
        try:
            return original(self, children)
        except Exception as exc:  # pragma: no cover - only on a regression
            raise AssertionError(f"inline walk failed: {exc!r}") from exc

    monkeypatch.setattr(markdown._Inline, "walk", strict_walk)


def parse(source):
    return parse_document(source, "doc.md")


def texts(doc, kind=None):
    return [r.text for r in doc.regions if kind is None or r.kind == kind]


def prose(doc):
    return "\n".join(texts(doc))


def where(doc, word, occurrence=0):
    """1-based (line, column) of `word` found in region text, mapped to the source."""
    seen = 0
    for region in doc.regions:
        start = region.text.find(word)
        while start >= 0:
            if seen == occurrence:
                src = region.to_source(start)
                end = region.to_source_end(start + len(word))
                assert doc.source[src:end] == word
                return doc.lines.position(src)
            seen += 1
            start = region.text.find(word, start + 1)
    raise AssertionError(f"{word!r} is not prose")


# -- what is prose --------------------------------------------------------

def test_emphasis_markers_are_removed():
    doc = parse("Take **two** _tablets_ ~~daily~~ *now*.\n")
    assert texts(doc) == ["Take two tablets daily now."]


def test_code_is_not_prose():
    doc = parse("Use `rm -rf` here.\n\n```python\nfenced = 1\n```\n\n    indented = 2\n\nAfter.\n")
    assert texts(doc) == ["Use  here.", "After."]
    assert "fenced" not in prose(doc) and "indented" not in prose(doc) and "rm" not in prose(doc)


def test_link_text_is_prose_destination_is_not():
    doc = parse('See [the **label**](https://ex.com/dose "Dose title") and [ref][r].\n\n[r]: https://ref.example\n')
    assert texts(doc) == ["See the label and ref."]
    assert "ex.com" not in prose(doc) and "Dose title" not in prose(doc)


def test_image_alt_is_prose_source_is_not():
    doc = parse("Look: ![Two *blue* capsules](img/caps.png \"cap title\") here.\n")
    assert texts(doc) == ["Look: Two blue capsules here."]


def test_urls_are_not_prose():
    doc = parse("Visit https://shop.example/buy?x=1, www.example.org or <https://auto.example>. Done.\n")
    assert texts(doc) == ["Visit ,  or . Done."]


def test_urls_in_any_case_and_scheme_and_in_front_matter_are_not_prose():
    doc = parse("---\ntitle: Sleep\ndescription: see https://x.example/miracle\n---\n"
                "Try HTTPS://x.example/miracle, ftp://x.example/miracle or WWW.miracle.example now.\n")
    assert texts(doc) == ["Sleep", "see", "Try ,  or  now."]


@pytest.mark.parametrize(("source", "expected"), [
    ("Visit example.com/miracle-cure-for-diabetes today.", "Visit  today."),
    ("Go to shop.example.co.uk/miracle-tea?x=1 now.", "Go to  now."),
    ("Shop at MiracleTea.com or miracle-tea.co.uk today.", "Shop at  or  today."),
    ("Email cure@miracle-tea.com for a miracle.", "Email  for a miracle."),
    ("Read nhs.uk/conditions/insomnia/, then sleep.", "Read , then sleep."),
    # Not addresses: a missing space, a file name, abbreviations, a dose.
    ("It works.It is a miracle. Node.js and e.g. this. Take 2.5mg/day.",
     "It works.It is a miracle. Node.js and e.g. this. Take 2.5mg/day."),
])
def test_addresses_without_a_scheme_are_not_prose(source, expected):
    # "Visit example.com/miracle-cure" used to be linted for 'miracle'.
    assert prose(parse(source + "\n")) == expected


def test_a_bare_address_keeps_the_positions_of_the_words_after_it():
    doc = parse("Buy at example.com/x-cure then a miracle.\n")
    assert where(doc, "miracle") == (1, 34)


def test_raw_html_is_not_prose_but_text_between_tags_is():
    doc = parse("A <span class=\"x\">tagged</span> word.\n\n<div>\nblock html\n</div>\n\nEnd.\n")
    assert texts(doc) == ["A tagged word.", "block html", "End."]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_toml_front_matter_gives_title_and_description_only(newline):
    # Hugo's `+++` front matter: its other keys (slugs, image paths) are not prose.
    source = newline.join(['+++', 'title = "Kratom: a miracle?"', 'slug = "kratom-miracle-cure"',
                           "description = 'Take 5 mg'", "+++", "", "Body.", ""])
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        ("title", "Kratom: a miracle?"), ("description", "Take 5 mg"), ("paragraph", "Body.")]
    assert texts(parse("+++\nnot closed\n\nText.\n")) == ["+++\nnot closed", "Text."]


def test_inline_code_like_html_is_not_prose():
    doc = parse("Use <code>It is a miracle</code>, press <KBD>cure</KBD>, see <b>this</b> miracle.\n")
    assert texts(doc) == ["Use , press , see this miracle."]


def test_inline_br_is_a_line_break_and_wbr_joins():
    # Very common inside GFM table cells, where a newline cannot go.
    source = ("This tea cures<br>anxiety. Tea<BR/>helps.\n\n"
              "| Note |\n|---|\n| Read the label before use.<br />Take 2 grams daily. |\n\n"
              "A mir<wbr>acle cure.\n")
    doc = parse(source)
    assert texts(doc) == ["This tea cures\nanxiety. Tea\nhelps.", "Note",
                          "Read the label before use.\nTake 2 grams daily.", "A miracle cure."]
    assert [u.text for u in doc.units if u.kind == TABLE_CELL][1:] == ["Read the label before use.",
                                                                       "Take 2 grams daily."]
    region = doc.regions[0]
    at = region.text.index("cures")
    start, end = region.source_span(at, at + len("cures\nanxiety"))
    assert source[start:end] == "cures<br>anxiety"
    assert texts(parse("Use `a<br>b` and <code>c<br>d</code> here.\n")) == ["Use  and  here."]


def test_invisible_format_characters_are_not_prose():
    # "cu&shy;res" renders as "cures" and must match as it; a match across an
    # invisible character reports the whole source span, the character included.
    source = "This tea cu&shy;res anxi\u00adety.\nCon&shy;sult\u200b your\u2060 doc\u200ctor\ufeff.\n"
    doc = parse(source)
    assert [u.text for u in doc.units] == ["This tea cures anxiety.", "Consult your doctor."]
    region = doc.regions[0]
    at = region.text.index("cures")
    start, end = region.source_span(at, at + len("cures anxiety"))
    assert source[start:end] == "cu&shy;res anxi\u00adety"
    assert where(doc, "res") == (1, 17)
    assert region.source_span(0, len(region.text)) == (0, len(source) - 1)


def test_html_blocks_are_read_as_a_page_is():
    # Copy pasted from a CMS: its visible text is what readers see.
    source = ("# Guide\n\n<p>Take 2-4 grams before bed. It is a <b>miracle</b>.</p>\n\n"
              "<script>\nvar miracle = 1;\n</script>\n\n<table><tr><td>A cure</td></tr></table>\n")
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        ("heading", "Guide"), ("paragraph", "Take 2-4 grams before bed. It is a miracle."), ("table_cell", "A cure")]
    region = doc.regions[1]
    at = region.text.index("miracle")
    start, end = region.source_span(at, at + len("miracle"))
    assert source[start:end] == "miracle"


def test_html_blocks_in_quotes_and_list_items_leave_out_the_container_prefixes():
    source = ("> <p>Studies show this tea cures\n> anxiety.</p>\n\n"
              "- <div>Take 2 grams\n  <b>daily</b>.</div>\n\n"
              "> - <p>Nested\n>   quote\n>   <img alt=\"a\n>   calm > tea\"></p>\n")
    doc = parse(source)
    assert texts(doc) == ["Studies show this tea cures\nanxiety.", "Take 2 grams\ndaily.", "Nested\nquote",
                          "a\ncalm > tea"]
    region = doc.regions[0]
    at = region.text.index("cures")
    start, end = region.source_span(at, at + len("cures\nanxiety"))
    assert source[start:end] == "cures\n> anxiety"
    assert where(doc, "anxiety") == (2, 3)
    assert where(doc, "daily") == (5, 6)
    assert where(doc, "calm") == (10, 5)


def test_html_comments_become_comments():
    source = "Text <!-- healthlint-disable HL101 --> more.\n\n<!-- healthlint-enable\nall -->\n\nTail.\n"
    doc = parse(source)
    assert texts(doc) == ["Text  more.", "Tail."]
    assert [c.text for c in doc.comments] == ["healthlint-disable HL101", "healthlint-enable\nall"]
    for comment in doc.comments:
        assert doc.source[comment.start:comment.end].startswith("<!--")
        assert doc.source[comment.start:comment.end].endswith("-->")


@pytest.mark.parametrize("comment", ["<!-->", "<!--->", "<!-- x --!>"])
def test_comments_close_as_a_browser_closes_them(comment):
    # "--!>" does not end CommonMark's HTML block, which runs to the end of the
    # file; the HTML reader then closes the comment there, as a browser does.
    source = f"{comment}\n\nThis tea cures anxiety.\n\nTea <!-->calms<!---> you.\n"
    doc = parse(source)
    assert prose(doc).split() == "This tea cures anxiety. Tea calms you.".split()
    assert [source[c.start:c.end] for c in doc.comments] == [comment, "<!-->", "<!--->"]


def test_multi_line_inline_comment_maps_to_its_source():
    source = "Take it <!-- healthlint-disable-line\r\n  dose --> daily.\r\n"
    doc = parse(source)
    (comment,) = doc.comments
    assert source[comment.start:comment.end] == "<!-- healthlint-disable-line\r\n  dose -->"
    assert comment.text == "healthlint-disable-line\n  dose"
    assert where(doc, "daily") == (2, 12)


def test_comment_in_code_is_not_a_comment():
    doc = parse("```\n<!-- healthlint-disable -->\n```\n\n`<!-- x -->`\n")
    assert doc.comments == ()


def test_footnotes():
    source = "Shown in trials[^1] and reviews.[^rev]\n\n[^1]: Smith J. *Trial*. 2020.\n[^rev]: A review.\n"
    doc = parse(source)
    assert texts(doc, PARAGRAPH) == ["Shown in trials[^1] and reviews.[^rev]"]
    assert texts(doc, FOOTNOTE) == ["Smith J. Trial. 2020.", "A review."]
    assert where(doc, "[^1]") == (1, 16)


def test_footnote_definition_keeps_source_order():
    doc = parse("First[^a].\n\n[^a]: The note.\n\nLast paragraph.\n")
    assert [u.text for u in doc.units] == ["First[^a].", "The note.", "Last paragraph."]


def test_block_kinds():
    source = (
        "# Heading\n\nPara.\n\n- item one\n- item two\n\n> quoted\n\n"
        "> - listed in quote\n\n1. first\n\n   > quote in list\n"
    )
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (HEADING, "Heading"), (PARAGRAPH, "Para."), (LIST_ITEM, "item one"), (LIST_ITEM, "item two"),
        (BLOCKQUOTE, "quoted"), (LIST_ITEM, "listed in quote"), (LIST_ITEM, "first"),
        (BLOCKQUOTE, "quote in list"),
    ]


def test_task_list_markers_are_not_prose():
    source = ("- [x] Take 2 grams daily.\n- [ ] Rest.\n- [X]\tSleep.\n\n"
              "1. [x] [x] Stays.\n\n* [ ]: not a marker\n\nA [x] in a paragraph.\n\n- [x]\n")
    doc = parse(source)
    assert texts(doc, LIST_ITEM) == ["Take 2 grams daily.", "Rest.", "Sleep.", "[x] Stays.", "[ ]: not a marker",
                                     "[x]"]
    assert texts(doc, PARAGRAPH) == ["A [x] in a paragraph."]
    assert where(doc, "Take") == (1, 7)
    assert where(doc, "Sleep") == (3, 7)
    # a marker that is also a link to a reference definition is still a marker
    assert texts(parse("- [x] Linked label.\n\n[x]: https://example.org\n")) == ["Linked label."]


def test_table_cells_one_region_each_header_included():
    source = "| Dose | Note |\n|---|:-:|\n| 5 mg | a \\| b |\n| `code` | **x** |\n"
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TABLE_CELL, "Dose"), (TABLE_CELL, "Note"), (TABLE_CELL, "5 mg"), (TABLE_CELL, "a | b"), (TABLE_CELL, "x"),
    ]
    assert where(doc, "b") == (3, 15)
    assert where(doc, "x") == (4, 14)


def test_escapes_and_entities_are_decoded_as_single_chunks():
    doc = parse("5 \\* 2 &amp; &copy; &#181;g\n")
    (region,) = doc.regions
    assert region.text == "5 * 2 & © µg"
    decoded = [(region.text[c.text_start:c.text_start + c.text_len], c.src_len)
               for c in region.chunks if not c.linear]
    assert decoded == [("*", 2), ("&", 5), ("©", 6), ("µ", 6)]


def test_soft_breaks_and_container_prefixes():
    source = "> line one\n> line *two*\nlazy three\n\n- item\n  continued\n"
    doc = parse(source)
    assert texts(doc) == ["line one\nline two\nlazy three", "item\ncontinued"]
    assert where(doc, "two") == (2, 9)
    assert where(doc, "lazy") == (3, 1)
    assert where(doc, "continued") == (6, 3)


def test_front_matter_values_are_prose_keys_are_not():
    source = (
        "---\n"
        'title: "Sleep \\"well\\" tonight"\n'
        "description: 'It''s gentle'\n"
        "summary: >\n  Folded one\n  folded two\n"
        "layout: post\n"
        "excerpt: plain text # a comment\n"
        "---\n\n# Body\n"
    )
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TITLE, 'Sleep "well" tonight'), (DESCRIPTION, "It's gentle"),
        (DESCRIPTION, "Folded one folded two"), (DESCRIPTION, "plain text"), (HEADING, "Body"),
    ]
    assert "layout" not in prose(doc) and "post" not in prose(doc) and "title" not in prose(doc)
    assert where(doc, "Sleep") == (2, 9)
    assert where(doc, "gentle") == (3, 21)
    assert where(doc, "folded") == (6, 3)


def test_shown_front_matter_keys_are_prose_at_any_depth():
    source = (
        "---\n"
        "layout: post\n"
        "seo:\n"
        "  title: Sleep tea\n"
        "  description: >-\n"
        "    This tea cures\n"
        "    insomnia.\n"
        "  slug: tea-cures-insomnia\n"
        "meta_description: Calms nerves fast.\n"
        "faq:\n"
        "  - question: Does it work?\n"
        "    answer: It cures\n"
        "      anxiety.\n"
        "image:\n"
        "  src: img/cure.png\n"
        "  alt: A miracle cure\n"
        "---\n\nBody.\n"
    )
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TITLE, "Sleep tea"), (DESCRIPTION, "This tea cures insomnia."), (DESCRIPTION, "Calms nerves fast."),
        (DESCRIPTION, "Does it work?"), (DESCRIPTION, "It cures anxiety."), (DESCRIPTION, "A miracle cure"),
        (PARAGRAPH, "Body."),
    ]
    assert where(doc, "insomnia") == (7, 5)
    assert where(doc, "anxiety") == (13, 7)
    assert "slug" not in prose(doc) and "img" not in prose(doc)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_toml_multi_line_strings_and_tables(newline):
    source = newline.join(['+++', 'title = "Sleep"', 'description = """', 'Our tea cures insomnia.', 'Guaranteed."""',
                           "[params]", "  summary = '''Calms", "nerves'''  # a comment",
                           'seo.description = "Fast relief"', 'slug = """not-prose"""', "+++", "", "Body.", ""])
    doc = parse(source)
    assert [(r.kind, r.text) for r in doc.regions] == [
        (TITLE, "Sleep"), (DESCRIPTION, f"Our tea cures insomnia.{newline}Guaranteed."),
        (DESCRIPTION, f"Calms{newline}nerves"), (DESCRIPTION, "Fast relief"), (PARAGRAPH, "Body."),
    ]
    assert where(doc, "Guaranteed") == (5, 1)
    assert where(doc, "nerves") == (8, 1)


def test_front_matter_positions_with_crlf():
    doc = parse("---\r\nauthor: x\r\ntitle:   Calm “sleep” 😀 now\r\n---\r\nBody.\r\n")
    assert [(r.kind, r.text) for r in doc.regions] == [(TITLE, "Calm “sleep” 😀 now"), (PARAGRAPH, "Body.")]
    assert where(doc, "now") == (3, 25)
    assert where(doc, "Body") == (5, 1)


def test_unterminated_front_matter_does_not_crash():
    doc = parse("---\ntitle: x\nbody text\n")
    assert "body text" in prose(doc)


# -- positions --------------------------------------------------------------

def test_positions_crlf_tabs_and_non_ascii():
    source = "# Dose\r\n\r\n Take\t500 µg – “daily” 😀 with **water** and [food](x).\r\n"
    doc = parse(source)
    assert where(doc, "Dose") == (1, 3)
    assert where(doc, "Take") == (3, 2)
    assert where(doc, "500") == (3, 7)  # a tab is one column
    assert where(doc, "daily") == (3, 17)
    assert where(doc, "with") == (3, 26)
    assert where(doc, "water") == (3, 33)
    assert where(doc, "food") == (3, 46)


def test_crlf_soft_break_maps_to_the_whole_line_break():
    doc = parse("one\r\ntwo\r\n")
    (region,) = doc.regions
    assert region.text == "one\ntwo"
    assert region.source_span(3, 4) == (3, 5)


# -- robustness ---------------------------------------------------------------

@pytest.mark.parametrize(
    "source",
    [
        ">" * 5000 + " deep",
        "- " * 3000 + "deep",
        "[" * 5000 + "x" + "]" * 5000,
        "*" * 5000 + "x",
        "|a|\n|-|\n" + "|b|c|d|\n" * 50 + "| unterminated",
        "| a |\n|---|---|\n| b |",
        "---\n" * 50,
        "\0\r\r\n\u2028\x85",
        "`" * 1000,
        "<!--" + "x" * 100,
        "![" * 500 + "x",
    ],
)
def test_pathological_input_does_not_crash(source):
    doc = parse(source)
    check_invariants(doc)


def check_invariants(doc):
    source = doc.source
    for region in doc.regions:
        assert region.chunks
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
        assert unit.text == doc.regions[unit.region].text[unit.start:unit.end]
    starts = [doc.unit_source_span(u)[0] for u in doc.units]
    assert starts == sorted(starts)
    for comment in doc.comments:
        assert source[comment.start:comment.end].startswith("<!--")


ATOMS = st.sampled_from([
    "*", "**", "_", "`", "[", "]", "(", ")", "![", "<", ">", "\\", "&amp;", "&#x41;", "&", "#", "- ", "1. ",
    "|", "~~", "\n", "\n\n", "\r\n", " ", "\t", "> ", "---", "```", "    ", "http://a.example/x", "www.x.org",
    "[^1]", "[^1]: ", "<!-- c -->", "<b>", "</b>", "title: ", "word", "µg", "“q”", "😀", "|---|", "=",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ATOMS, st.text(max_size=5)), max_size=40).map("".join))
# A line holding only a form feed (or a vertical tab) that markdown-it's
# paragraph strip drops: the content lines no longer start at the block's
# first source line.
@example("\x0c\n*<!-- c -->")
@example("> \x0b\n> word <!-- c --> more")
def test_property_mapping_holds_for_generated_markdown(source):
    check_invariants(parse(source))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_property_any_text_as_markdown(source):
    check_invariants(parse(source))


def _markdown_it_text(source):
    """What markdown-it itself says each inline block's text is (URLs aside)."""
    texts = []

    def walk(children, autolinks):
        out = ""
        for tok in children:
            if tok.type == "link_open":
                autolinks.append(tok.markup == "autolink")
            elif tok.type == "link_close":
                autolinks.pop()
            elif autolinks and autolinks[-1]:
                continue
            elif tok.type in ("text", "text_special"):
                out += tok.content
            elif tok.type in ("softbreak", "hardbreak"):
                out += "\n"
            elif tok.type == "image":
                out += walk(tok.children or [], autolinks)
            elif tok.type == "footnote_ref":
                out += "[^" + tok.meta["label"] + "]"
        return out

    tokens = markdown._parser().parse(source)
    for i, tok in enumerate(tokens):
        if tok.type == "inline" and tok.map:
            text = walk(tok.children or [], [])
            if i >= 2 and (tokens[i - 2].type, tokens[i - 1].type) == ("list_item_open", "paragraph_open"):
                # A GFM task-list checkbox (markdown-it has no core rule for it).
                text = re.sub(r"^\[[ \txX]\](?=[ \t\n])", "", text)
            texts.append(text)
    return texts


def _normalized(texts):
    # whitespace before a line break is not mapped (markdown drops it too)
    return sorted(t for t in (re.sub(r"[ \t]+\n", "\n", x.replace("\r", "")).strip() for x in texts) if t)


OFFLINE_ATOMS = st.sampled_from([
    "*", "**", "_", "`", "``", "[", "]", "(", ")", "![", "<", ">", "\\", "&amp;", "&#x41;", "&", "#", "- ", "1. ",
    "|", "~~", "\n", "\n\n", "\r\n", " ", "  ", "\t", "> ", "```", "    ", "[^1]", "[^1]: ", "<!-- c -->",
    "<b>", "</b>", "word", "µg", "“q”", "(/u)", '"t"', "[x]", "[x]: /u", "|---|", "===",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(OFFLINE_ATOMS, max_size=30).map("".join))
@example(">- [x]\n**")  # a task-list checkbox, then a lazy line
def test_property_region_text_is_what_markdown_it_renders(source):
    assume(not source.startswith("-"))  # front matter has its own tests
    doc = parse(source)
    # Raw HTML blocks are read by the HTML front end (their own tests).
    blocks = [tok.map for tok in markdown._parser().parse(source) if tok.type == "html_block" and tok.map]
    lines = doc.lines
    spans = [(lines.starts[a], lines.starts[b] if b < lines.line_count else len(source)) for a, b in blocks]
    markdown_regions = [r for r in doc.regions if not any(lo <= r.to_source(0) < hi for lo, hi in spans)]
    assert _normalized(r.text for r in markdown_regions) == _normalized(_markdown_it_text(source))


# -- shown attributes of inline HTML --------------------------------------

def test_inline_html_attributes_are_regions_of_their_own():
    source = ('Our tea <img src="x.png" alt="cures anxiety fast"> is great. It <abbr title="Caf&eacute; tea">'
              'works</abbr>.\n\n> Ask <input type="submit"\n> value="Get relief"> <span aria-label="Soothes">now</span>.\n')
    # Without `html-metadata`, only the alt text.
    assert [(r.kind, r.text) for r in parse(source).regions] == [
        ("paragraph", "Our tea  is great. It works."), (ALT, "cures anxiety fast"), ("blockquote", "Ask  now.")]
    doc = parse_document(source, "doc.md", html_metadata=True)
    assert [(r.kind, r.text) for r in doc.regions] == [
        ("paragraph", "Our tea  is great. It works."), (ALT, "cures anxiety fast"), (ALT, "Café tea"),
        ("blockquote", "Ask  now."), (ALT, "Get relief"), (ALT, "Soothes"),
    ]
    assert where(doc, "anxiety") == (1, 37)
    assert where(doc, "relief") == (4, 14)
    region = doc.regions[2]
    assert source[slice(*region.source_span(0, len(region.text)))] == "Caf&eacute; tea"


def test_inline_img_alt_claim_is_found_at_its_column():
    from healthlint.engine import lint
    from healthlint.packs import load_ruleset

    source = "# Tea\n\nOur tea <img src=\"x.png\" alt=\"cures anxiety fast\"> is great.\n"
    findings = [(f.line, f.column, f.match) for f in lint(parse(source), load_ruleset().rules) if f.code == "HL301"]
    assert findings == [(3, 31, "cures anxiety")]


@pytest.mark.parametrize("source", [
    "Use <code title=\"cures anxiety\">x</code> or <kbd><img alt=\"cures anxiety\"></kbd> here.\n",
    "A <span hidden title=\"cures anxiety\">x</span> <b aria-hidden=\"true\" aria-label=\"cures anxiety\">y</b>.\n",
    "A <img src=\"cures-anxiety.png\" class=\"cures anxiety\" data-x=\"cures anxiety\"> b.\n",
    "See `<img alt=\"cures anxiety\">` and <https://x.example/cures> here.\n",
])
def test_inline_html_attributes_not_shown_are_not_prose(source):
    assert "cures anxiety" not in prose(parse_document(source, "doc.md", html_metadata=True))


def test_liquid_and_hugo_shortcodes_are_not_prose():
    # The shortcode's name ("warning") read as prose framed the claim in it
    # as a caution and the claim went unreported; Liquid tags and their
    # arguments were linted as sentences.
    doc = parse(
        '{% include cures-diabetes.html size="2" %}\n'
        "{{ page.title }} helps.\n\n"
        "{{% notice warning %}}\nThis tea cures anxiety.\n{{% /notice %}}\n\n"
        '{{< youtube id="x" title="tea cures colds" >}}\n\n'
        '{{< figure src="t.jpg" caption="Tea for calm." >}}\n\n'
        "{% comment %}cures cancer{% endcomment %} Shown.\n"
    )
    assert texts(doc) == ["helps.", "This tea cures anxiety.", "Tea for calm.", "Shown."]
    assert where(doc, "cures anxiety") == (5, 10)
    assert where(doc, "calm") == (10, 41)


def test_admonition_and_attribute_markup_is_not_prose():
    doc = parse(
        ":::warning Careful\nBody one.\n:::\n\n"
        '!!! note "Heads up"\nBody two.\n\n'
        "Para.\n{: .lead #intro}\n\n"
        "## Title {#id .class}\n"
    )
    assert texts(doc) == ["Careful\nBody one.", '"Heads up"\nBody two.', "Para.", "Title"]
    assert where(doc, "Body one") == (2, 1)


def test_mkdocs_admonition_body_after_a_blank_line_is_prose():
    # Indented four spaces after a blank line, the body read as indented
    # code: every claim in a MkDocs admonition went unlinted.
    doc = parse(
        "!!! warning\n\n    This tea cures anxiety.\n\n"
        "??? tip\n\n    - Item one\n\n            real code\n\n"
        "Outside.\n\n    plain indented code\n\n"
        "> !!! note\n>\n>     Quoted body.\n"
    )
    assert texts(doc) == ["This tea cures anxiety.", "Item one", "Outside.", "Quoted body."]
    assert where(doc, "cures anxiety") == (3, 14)
    assert where(doc, "Item one") == (7, 7)
