"""Hypothesis strategies for hostile health copy in Markdown, HTML and text.

Documents are built line by line from pieces that real articles hold
(claims the core rules flag, doses, citations, consult notices), the
markup of each syntax (containers, code, links, tables, front matter,
entities, comments and directives, including broken and deeply nested
forms) and characters that trip parsers (NUL, U+FFFD, a BOM mid-text, lone
CR, CRLF, tabs, NBSP, zero-width and bidi controls, combining marks, astral
characters). Shared by tests/properties and fuzz/fuzz_documents.py.
"""
from __future__ import annotations

from hypothesis import strategies as st

SYNTAXES = ("markdown", "html", "text")
EXTENSIONS = {"markdown": ".md", "html": ".html", "text": ".txt"}

# Phrases the core packs flag, and their usual company.
CLAIMS = (
    "Take 2-4 grams daily", "take 500 mg twice a day", "Kratom cures anxiety", "It treats insomnia",
    "This miracle herb", "guaranteed results", "100% effective", "completely safe", "no side effects",
    "natural, so it is harmless", "Studies show it works", "clinically proven", "doctors recommend it",
    "Stop taking your antidepressant", "taper off clonazepam on your own", "instant relief",
    "may help relieve withdrawal symptoms", "non-habit forming", "CBD oil relieves chronic pain",
    "Best for: sleep, anxiety", "Helps with:", "Melatonin 10 mg before bed",
)
COMPANIONS = (
    "Talk to your doctor first.", "Consult a health professional.", "(Smith et al., 2020)", "[1]", "[^1]",
    "according to the FDA", "Do not use if pregnant.", "It is not a miracle.", "Is it safe?",
    "Rest well.", "Vitamin D. Dr. Smith, 2.5 mg, e.g. tea, i.e. not.", "U.S. users", "No. 5",
)
WORDS = ("the", "and", "sleep", "dose", "kratom", "CBD", "tea", "works", "a", "of", "for", "is", "not")
NASTY = (
    "\x00", "\ufffd", "\ufeff", "\r", "\r\n", "\t", "\xa0", "\u200b", "\u200d", "\u202e", "\u2028", "\u2029",
    "\x0b", "\x0c", "\x1b", "\x85", "e\u0301", "\U0001f600", "\U0001d7d8", "ﬁ", "İ", "ß", "ǅ", "’", "“", "…",
    "\\", "`", "*", "_", "~", "[", "]", "(", ")", "<", ">", "&", "#", "|", "!", "-", "=", "{", "}", "%", ";",
)
ENTITIES = ("&amp;", "&lt;", "&nbsp;", "&#8217;", "&#x2019;", "&#0;", "&#x110000;", "&#99999999999;", "&bogus;",
            "&amp", "&#", "&#x", "&")
DIRECTIVES = (
    "healthlint-disable-next-line", "healthlint-disable", "healthlint-enable", "healthlint-disable-line",
    "healthlint-disable-file consult", "healthlint-disable-next-line HL101 -- quoted", "healthlint-bogus",
    "healthlint-disable NOPE9",
)

claim = st.sampled_from(CLAIMS)
word = st.sampled_from(WORDS)
nasty = st.sampled_from(NASTY)
# A little of any Unicode, without surrogates (files never decode to them).
stray = st.text(st.characters(exclude_categories=("Cs",)), max_size=4)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(claim, word, word, st.sampled_from(COMPANIONS), nasty, stray),
                          min_size=1, max_size=8))
    return " ".join(parts) + draw(st.sampled_from((".", ".", "!", "?", "", ":", "...", ". ")))


def _inline_md(draw: st.DrawFn) -> str:
    s = draw(sentence())
    wrap = draw(st.sampled_from((
        "{}", "{}", "{}", "*{}*", "**{}**", "_{}_", "~~{}~~", "`{}`", "[{}](https://example.org/x)",
        "[{}](<url with space> \"title\")", "![{}](img.png)", "<https://example.org/{}>",
        "{} https://www.example.org/a.",
        "<b>{}</b>", "{} <!-- note -->", "{}[^1]", "[{}][ref]", "\\*{}\\*", "{} &amp; &#8217;", "{}  ",
        "{}\\", "[{}", "{}]", "*{}", "<span class='x'>{}", "{} <!-- {} -->",
    )))
    return wrap.replace("{}", s) if wrap.count("{}") > 1 else wrap.format(s)


@st.composite
def markdown_line(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 3))
    prefix = "".join(draw(st.sampled_from(("> ", "- ", "* ", "1. ", "  ", "    ", "\t", ">", "+ ", "10) ")))
                     for _ in range(depth))
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return prefix + "#" * draw(st.integers(1, 7)) + " " + draw(sentence())
    if kind == 1:
        return prefix + "| " + " | ".join(_inline_md(draw) for _ in range(draw(st.integers(1, 3)))) + " |"
    if kind == 2:
        return prefix + draw(st.sampled_from(("|---|---|", "| --- | :-: |", "---", "***", "===", "```", "~~~",
                                              "```python", "<div>", "</div>", "<!--", "-->", "[ref]: https://x.org",
                                              "[^1]: Smith 2020.", "")))
    if kind == 3:
        return prefix + "<!-- " + draw(st.sampled_from(DIRECTIVES)) + " -->"
    if kind == 4:
        return prefix + draw(nasty) + draw(sentence())
    return prefix + " ".join(_inline_md(draw) for _ in range(draw(st.integers(1, 3))))


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    title = draw(st.sampled_from(("title", "description", "summary", "tags")))
    value = draw(st.sampled_from(('{}', '"{}"', "'{}'", "|\n  {}", ">\n  {}\n  {}", '"{} \\u00e9 \\x41')))
    body = value.replace("{}", draw(sentence()))
    closing = draw(st.sampled_from(("---\n", "---\n", "...\n", "")))  # sometimes never closed
    return f"---\n{title}: {body}\nauthor: x\n{closing}"


@st.composite
def markdown(draw: st.DrawFn) -> str:
    lines = draw(st.lists(markdown_line(), min_size=0, max_size=14))
    head = draw(front_matter()) if draw(st.booleans()) and draw(st.booleans()) else ""
    deep = draw(st.sampled_from(("", "", "", "> " * 120 + "A miracle cure.", "- " * 80 + "Take 5 mg.",
                                 "[" * 60 + "miracle" + "]" * 60, "*" * 50 + "safe" + "*" * 50)))
    return head + _join(draw, lines + ([deep] if deep else []))


def _join(draw: st.DrawFn, lines: list[str]) -> str:
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(st.sampled_from(("\n", "\n", "\n", "\n\n", "\r\n", "\r"))))
    return "".join(out)


_TAGS = ("p", "div", "li", "td", "th", "h1", "h3", "blockquote", "span", "b", "em", "a", "code", "pre",
         "script", "style", "nav", "title", "textarea", "section", "tr", "table", "ul", "ol", "figcaption")


@st.composite
def html_line(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 15))
    if kind == 0:
        return "<!-- " + draw(st.sampled_from(DIRECTIVES)) + " -->"
    if kind == 1:
        return draw(st.sampled_from((
            "<!DOCTYPE html>", "<html><head>", "</head><body>", "</body></html>", "<table><tr><th>Dose</th>"
            "<th>Best for</th></tr>", "</table>", "<ul>", "</ul>", "<br>", "<br/>", "<hr>", "<![CDATA[ x ]]>",
            "<?php echo 1 ?>", "<!-- unclosed", "-->", "</p></p></div>", "<", "</", "<p", "<a href='x", "<<<",
        )))
    if kind == 2:
        alt = draw(sentence()).replace('"', "")
        return draw(st.sampled_from(('<img src="x.png" alt="{}">', '<meta name="description" content="{}">',
                                     "<input type=image alt='{}'>", '<img alt={}>'))).format(alt)
    tag = draw(st.sampled_from(_TAGS))
    close = draw(st.sampled_from((f"</{tag}>", f"</{tag}>", "", "</p>")))
    text = draw(sentence())
    if draw(st.booleans()):
        text += " " + draw(st.sampled_from(ENTITIES))
    if draw(st.booleans()):
        inner = draw(st.sampled_from(("b", "i", "a href='https://example.org'", "span", "code")))
        text = f"{text} <{inner}>{draw(sentence())}</{inner.split()[0]}>"
    return f"<{tag}>{text}{close}"


@st.composite
def html(draw: st.DrawFn) -> str:
    lines = draw(st.lists(html_line(), min_size=0, max_size=14))
    deep = draw(st.sampled_from(("", "", "<div>" * 300 + "A miracle cure." + "</div>" * 300,
                                 "<p>" * 200 + "safe", "</li>" * 100 + "Take 5 mg.")))
    return _join(draw, lines + ([deep] if deep else []))


@st.composite
def text_line(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(("# ", "// ", "", "<!-- "))) + draw(st.sampled_from(DIRECTIVES)) + \
            draw(st.sampled_from(("", " -->")))
    if kind == 1:
        return draw(st.sampled_from(("- ", "* ", "• ", "1. ", "12) ", "[1] ", "  "))) + draw(sentence())
    if kind == 2:
        return ""
    return " ".join(draw(sentence()) for _ in range(draw(st.integers(1, 3))))


@st.composite
def text(draw: st.DrawFn) -> str:
    return _join(draw, draw(st.lists(text_line(), min_size=0, max_size=14)))


DOCUMENTS = {"markdown": markdown(), "html": html(), "text": text()}


@st.composite
def document(draw: st.DrawFn, syntax: str | None = None) -> tuple[str, str]:
    """(syntax, source)."""
    syntax = syntax or draw(st.sampled_from(SYNTAXES))
    return syntax, draw(DOCUMENTS[syntax])
