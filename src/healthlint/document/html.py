"""HTML front end: visible text, title, meta descriptions, shown attributes
and JSON-LD descriptions -> regions.

Uses the stdlib HTMLParser with convert_charrefs=False, so every entity
arrives as its own event and becomes one decoded chunk mapped to its source.
Block elements start and end regions; inline elements are transparent.
Never prose: script, style, code and the other elements in `HIDDEN_TAGS`, the
head (apart from <title>, the description and title metas in `_META_KINDS`
and JSON-LD), navigation menus, and every attribute value except those a
reader sees (`shown_attributes`: alt, title, aria-label, placeholder, button
labels) and the metas' content.
"""
from __future__ import annotations

from dataclasses import replace

import html
import re
from bisect import bisect_right
from html.parser import HTMLParser
from typing import Iterator, Mapping, NamedTuple, Sequence

from .model import (
    ALT, BLOCKQUOTE, DESCRIPTION, HEADING, HIDDEN_TAGS, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE,
    Comment, MaskedSource, Region, RegionBuilder, comment_end, template_spans,
)
from .sourcemap import LineIndex

_KINDS = {
    "li": LIST_ITEM, "td": TABLE_CELL, "th": TABLE_CELL, "blockquote": BLOCKQUOTE,
    **{f"h{i}": HEADING for i in range(1, 7)},
}
_BLOCKS = frozenset(
    """p li td th blockquote dd dt figcaption caption div section article h1 h2 h3 h4
    h5 h6 ul ol dl table thead tbody tfoot tr header footer main aside figure form
    fieldset legend address details summary dialog hr body html center hgroup menu
    dir pre title head option""".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEAD_CONTENT = frozenset("title meta link style script base noscript template".split())
_AUTO_CLOSE = frozenset("p li dt dd tr td th option".split())
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_TAG_NAME = re.compile(r"</?[^\s/>]*")
# An "&" that HTMLParser would take for the start of a reference it cannot
# complete ("&#;", "&#x", "&name" at the end). With convert_charrefs=False the
# stdlib parser stops there and later emits the rest of the file, tags
# included, as text; such an "&" is literal text anyway.
_STUCK_AMPERSAND = re.compile(
    r"&(?=[a-zA-Z#])(?!#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F])(?![a-zA-Z][-.a-zA-Z0-9]*[^a-zA-Z0-9])"
)
CHARREF = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_START_TAG = re.compile(r"<([A-Za-z][^\s/>]*)")
# Metas whose content search results and social cards show as the page's
# description or title: linted as <meta name=description> and <title> are.
_META_KINDS = {
    "description": DESCRIPTION, "og:description": DESCRIPTION, "twitter:description": DESCRIPTION,
    "og:title": TITLE, "twitter:title": TITLE,
}
# Elements in HIDDEN_TAGS whose own attributes are still shown: a form
# control's placeholder, tooltip and label are, though its content is not prose.
_SHOWN_CONTROLS = frozenset({"textarea", "select"})
_BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# JSON-LD keys holding copy that search results show; names, URLs and ids are not copy.
_JSON_LD_KEYS = frozenset({"description", "reviewBody", "text"})
_JSON_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|[{}\[\]:,]', re.DOTALL)
_JSON_ESCAPE = re.compile(r'\\(?:u([0-9a-fA-F]{4})|(.))', re.DOTALL)
_LOW_SURROGATE = re.compile(r'\\u([dD][c-fC-F][0-9a-fA-F]{2})')
_JSON_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


class _Open(NamedTuple):
    tag: str
    kind: str
    hidden: bool
    head: bool


def extract(source: str, lines: LineIndex, metadata: bool = False) -> tuple[tuple[Region, ...], tuple[Comment, ...]]:
    """Regions and comments of an HTML source, regions in source order;
    `metadata`: also social-card metas, JSON-LD and shown attributes."""
    template = template_spans(source)
    if template:  # shortcodes and template tags in the text: region text leaves them out
        source = MaskedSource(source, tuple(template))
    parser = HtmlSource(source, metadata).parse(0, len(source))
    return tuple(parser.regions), tuple(sorted(parser.comments, key=lambda c: c.start))


class HtmlSource:
    """An HTML source made ready for HTMLParser once, then read whole (a
    page) or piece by piece (the HTML blocks of a Markdown file); positions
    are always offsets into the whole source."""

    def __init__(self, source: str, metadata: bool = False) -> None:
        self.source = source
        # Off by default: the category contract's prose units are sentences,
        # headings, list items and table cells; social-card metas, JSON-LD
        # and attributes other than alt are copy only some projects review
        # (`html-metadata: true`).
        self.metadata = metadata
        # What the parser reads: same length as the source, so every offset
        # it reports holds; region text is still copied from the source.
        self.fed = _STUCK_AMPERSAND.sub("\0", source)
        # HTMLParser counts lines by "\n" only (a "\r" is part of the line
        # before), so its (line, col) converts through "\n" starts, not LineIndex.
        self.nl_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def parse(self, lo: int, hi: int, hidden: Sequence[tuple[int, int]] = ()) -> _Extractor:
        """The parser after reading source[lo:hi]: its regions, in source
        order, and comments. `hidden` spans (sorted) are never text: the
        container prefixes of a Markdown HTML block."""
        text = without_hopeless_openers(self.fed[lo:hi])
        parser = _Extractor(self, text, lo, hidden)
        # Start HTMLParser's own line and column count at `lo`.
        line = bisect_right(self.nl_starts, lo)
        parser.lineno, parser.offset = line, lo - self.nl_starts[line - 1]
        parser.read(text)
        return parser


def without_hopeless_openers(text: str) -> str:
    """`text` with every "<" after its last ">" made a NUL, but for the
    first "<!--" there. No tag, comment or declaration opened there can
    close, and HTMLParser, at the end of its input, scans from each such
    "<" to the end before it gives the "<" up as text: 100 KB of "<a "
    took a minute. Once it gives up, the "<" is text like any other, and
    region text is copied from the source, so only the parser's time
    changes. The first "<!--" stays: an unclosed comment hides the rest
    of the page (`_Extractor.handle_data`)."""
    tail = text.rfind(">") + 1
    if text.find("<", tail) < 0:
        return text
    before, comment, after = text[tail:].partition("<!--")
    return text[:tail] + before.replace("<", "\0") + comment + after.replace("<", "\0")


class _Extractor(HTMLParser):
    def __init__(self, page: HtmlSource, text: str, lo: int, hidden: Sequence[tuple[int, int]] = ()) -> None:
        super().__init__(convert_charrefs=False)
        self.source, self.fed, self.nl_starts = page.source, page.fed, page.nl_starts
        # What this parser reads, from source offset `lo` on.
        self.text, self.lo = text, lo
        self.metadata = page.metadata
        self.hidden = hidden
        self.stack: list[_Open] = []
        self.open_counts: dict[str, int] = {}
        self.regions: list[Region] = []
        self.comments: list[Comment] = []
        self.headers: list[str] = []
        self.headers_done = False
        self.row = -1
        self.col = -1
        self.builder = self._builder()
        self.title: RegionBuilder | None = None
        self.rest_hidden = False
        self.json_ld = -1  # where the open JSON-LD script's text starts, or -1

    def read(self, data: str) -> None:
        """Parse `data`, leaving the regions found in source order."""
        try:
            self.feed(data)
            self.close()
        except Exception:  # HTMLParser is tolerant; keep what was read if it is not
            self.flush()
        self.regions.sort(key=lambda r: r.to_source(0))

    def _builder(self) -> RegionBuilder:
        return RegionBuilder(self.source, self.hidden)

    # -- positions ------------------------------------------------------

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.nl_starts[line - 1] + col if line - 1 < len(self.nl_starts) else len(self.source)

    def _read_at(self, s: str, pos: int) -> bool:
        """Whether the parser read `s` at source offset `pos`."""
        return pos >= self.lo and self.text.startswith(s, pos - self.lo)

    # -- state ------------------------------------------------------------

    @property
    def _top(self) -> _Open:
        return self.stack[-1] if self.stack else _Open("", PARAGRAPH, False, False)

    def _push(self, tag: str) -> None:
        top = self._top
        self.stack.append(_Open(tag, _KINDS.get(tag, top.kind), top.hidden or tag in HIDDEN_TAGS,
                                top.head or tag == "head"))
        self.open_counts[tag] = self.open_counts.get(tag, 0) + 1

    def _pop_to(self, tag: str) -> None:
        """Close the innermost open `tag` and everything opened inside it."""
        if not self.open_counts.get(tag):
            return
        while self.stack:
            entry = self.stack.pop()
            self.open_counts[entry.tag] -= 1
            if entry.tag == tag:
                return

    def flush(self) -> None:
        """End the running prose region (at a block boundary)."""
        region = self.builder.build(self._top.kind)
        if region is not None and region.kind == TABLE_CELL:
            region = self._cell(region)
        if region is not None:
            self.regions.append(region)
        self.builder = self._builder()

    def _cell(self, region: Region) -> Region:
        col = max(self.col, 0)
        if self._top.tag == "th" and (self.open_counts.get("thead") or not self.headers_done):
            self.headers.extend([""] * (col + 1 - len(self.headers)))
            self.headers[col] = region.text
        header = self.headers[col] if col < len(self.headers) else ""
        return replace(region, header=header, row=self.row)

    def _end_title(self) -> None:
        if self.title is not None:
            region = self.title.build(TITLE)
            if region is not None:
                self.regions.append(region)
            self.title = None

    def _target(self) -> RegionBuilder | None:
        """Where text goes now: the title, the running region, or nowhere."""
        if self.rest_hidden:
            return None
        if self.title is not None:
            return self.title
        top = self._top
        return None if top.hidden or top.head else self.builder

    # -- tags -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag == "script" and self.metadata:
            self._json_ld_open(attrs)
        if tag not in _VOID:
            self._push(tag)
            if tag == "title" and not self._top.hidden:
                self.title = self._builder()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._end_title()
        if self.open_counts.get("head") and tag not in _HEAD_CONTENT:
            self._pop_to("head")  # body content implies </head>
        if tag in _BLOCKS:
            self.flush()
            top = self._top.tag
            if top == "p" or (top == tag and tag in _AUTO_CLOSE):
                self._pop_to(top)  # <p>a<p>b, <li>a<li>b: the new block closes the open one
        self._table_tag(tag)
        pos = self._pos()
        if tag == "br":
            target = self._target()
            if target is not None:
                target.add_mapped("\n", pos, self._tag_length(pos))
        elif tag == "meta":
            self._meta(attrs, pos)
        else:
            self._shown_attributes(tag, attrs, pos)

    def _table_tag(self, tag: str) -> None:
        """Track rows and columns so cells know their header and row."""
        if tag == "table":
            self.headers, self.headers_done = [], False
        elif tag == "tr":
            if self.row >= 0 and self.headers:
                self.headers_done = True
            self.row += 1
            self.col = -1
        elif tag in ("td", "th"):
            self.col += 1

    def handle_endtag(self, tag: str) -> None:
        self._end_title()
        if tag == "script":
            self._json_ld_close()
        if tag in _BLOCKS:
            self.flush()
        self._pop_to(tag)

    def _shown_attributes(self, tag: str, attrs: list[tuple[str, str | None]], pos: int) -> None:
        top = self._top
        if top.hidden or top.head:
            return
        for name, kind in shown_attributes(tag, _first_values(attrs), self.metadata):
            self._attribute_region(pos, name, kind)

    def _meta(self, attrs: list[tuple[str, str | None]], pos: int) -> None:
        if self._top.hidden:
            return
        values = _first_values(attrs)
        for key in ("name", "property"):
            meta = (values.get(key) or "").strip().lower()
            kind = _META_KINDS.get(meta)
            if kind is not None and (self.metadata or meta == "description"):
                self._attribute_region(pos, "content", kind)
                return

    # -- JSON-LD ------------------------------------------------------------

    def _json_ld_open(self, attrs: list[tuple[str, str | None]]) -> None:
        """Note where a JSON-LD block's text starts. Structured data in the
        head is what search results show, so only a hidden ancestor (a
        <template>, <noscript>) keeps it from being read."""
        self.json_ld = -1
        kind = (_first_values(attrs).get("type") or "").strip().lower()
        if kind == "application/ld+json" and not self._top.hidden and not self.rest_hidden:
            pos = self._pos()
            self.json_ld = pos + self._tag_length(pos)

    def _json_ld_close(self) -> None:
        start, self.json_ld = self.json_ld, -1
        if start < 0 or not self.open_counts.get("script"):
            return
        end = self._pos()
        for a, b in json_ld_strings(self.source, start, end):
            builder = self._builder()
            _add_json_string(builder, self.source, a, b)
            region = builder.build(DESCRIPTION)
            if region is not None:
                self.regions.append(region)

    def _attribute_region(self, pos: int, name: str, kind: str) -> None:
        span = _attribute_span(self.fed, pos, self.get_starttag_text() or "", name)
        if span is None:
            return
        builder = self._builder()
        _add_with_entities(builder, self.source, *span)
        region = builder.build(kind)
        if region is not None:
            self.regions.append(region)

    def _tag_length(self, pos: int) -> int:
        text = self.get_starttag_text()
        if text and self.fed.startswith(text, pos):
            return len(text)
        end = self.fed.find(">", pos)
        return end + 1 - pos if end >= 0 else 1

    # -- text -------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        pos = self._pos()
        if self.cdata_elem is None and self._read_at("<!--", pos) and not self.rest_hidden:
            # An unterminated comment, which the parser hands over as text:
            # as in a browser, it hides the rest of the file. (Inside a
            # <script> or <style>, "<!--" is their text: old pages wrap
            # inline scripts in it.)
            self.comments.append(Comment(pos, len(self.source), self.source[pos + 4:].strip()))
            self.rest_hidden = True
        target = self._target()
        if target is None:
            return
        if not self._read_at(data, pos):
            target.add_mapped(data, pos, 0)  # not expected from HTMLParser; position approximate
        elif self.source.find("&", pos, pos + len(data)) >= 0:
            # References the parser did not report: an "&" we kept from it, or
            # raw text elements (<title> is one in newer Pythons).
            _add_with_entities(target, self.source, pos, pos + len(data))
        else:
            target.add_source(pos, pos + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

    def _reference(self, raw: str) -> None:
        target = self._target()
        if target is None:
            return
        pos = self._pos()
        if not self._read_at(raw, pos):
            target.add_mapped(html.unescape(raw), pos, 0)  # position approximate, as above
            return
        if self.source.startswith(";", pos + len(raw)):
            raw += ";"
        target.add_mapped(html.unescape(raw), pos, len(raw))

    def parse_comment(self, i: int, report: int = 1) -> int:
        """HTMLParser's comment scanner, closing comments as the HTML
        tokenizer does: "<!-->", "<!--->" and "--!>" close one (Python 3.11
        reads all three as unclosed, which hid the rest of the page), and
        "-- >" does not. Returns the offset after the comment, or -1."""
        span = comment_end(self.rawdata, i + 4)
        if span is None:
            return -1
        if report:
            self.handle_comment(self.rawdata[i + 4:span[0]])
        return span[1]

    def handle_comment(self, data: str) -> None:
        pos = self._pos()
        if not self._read_at("<!--", pos):
            return  # a bogus comment ("</ x>", "<!x>"): not where directives live
        span = comment_end(self.fed, pos + 4)
        inner_end, end = span if span else (pos + 4 + len(data), len(self.source))
        self.comments.append(Comment(pos, end, self.source[pos + 4:inner_end].strip()))

    def close(self) -> None:
        super().close()
        self._end_title()
        self.flush()


def _attribute_span(source: str, pos: int, tag_text: str, name: str) -> tuple[int, int] | None:
    """Source span of attribute `name`'s value in the start tag at `pos`."""
    if not source.startswith(tag_text, pos):
        return None
    span = attribute_value_span(tag_text, name)
    return None if span is None else (pos + span[0], pos + span[1])


def attribute_value_span(tag_text: str, name: str) -> tuple[int, int] | None:
    """Span of attribute `name`'s value within the start tag `tag_text`;
    the first one, as browsers read a repeated attribute."""
    head = _TAG_NAME.match(tag_text)
    start = head.end() if head else 0
    for m in _ATTR.finditer(tag_text, start):
        if m.group(1).lower() == name:
            for group in (2, 3, 4):
                if m.group(group) is not None:
                    return m.start(group), m.end(group)
            return None
    return None


def start_tag(tag_text: str) -> tuple[str, dict[str, str | None]] | None:
    """The lowercased name and attribute values (decoded) of a start tag's
    text, as HTMLParser reports them; None when it is not a start tag."""
    head = _START_TAG.match(tag_text)
    if head is None:
        return None
    values: dict[str, str | None] = {}
    for m in _ATTR.finditer(tag_text, head.end()):
        raw = next((m.group(g) for g in (2, 3, 4) if m.group(g) is not None), None)
        values.setdefault(m.group(1).lower(), None if raw is None else html.unescape(raw))
    return head.group(1).lower(), values


def _first_values(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for name, value in attrs:
        values.setdefault(name, value)  # a repeated attribute: browsers keep the first
    return values


def shown_attributes(tag: str, attrs: Mapping[str, str | None], metadata: bool = False) -> list[tuple[str, str]]:
    """(attribute, kind) for the attributes of a `tag` start tag whose values a
    reader sees or hears as text: alt, a placeholder, a button's label, an
    accessible label, a tooltip. All are ALT: short texts outside running
    prose, which rules looking for a sentence around a claim do not take for one."""
    if (tag in HIDDEN_TAGS and tag not in _SHOWN_CONTROLS) or _hides_itself(tag, attrs):
        return []
    input_type = (attrs.get("type") or "").strip().lower() if tag == "input" else ""
    names = ["alt"] if tag in ("img", "area", "amp-img") or input_type == "image" else []
    if metadata:
        if tag in ("input", "textarea"):
            names.append("placeholder")
        if input_type in _BUTTON_INPUTS:
            names.append("value")
        if (attrs.get("aria-hidden") or "").strip().lower() != "true":
            names.append("aria-label")  # an aria-hidden element's label is never read out
        names.append("title")
    return [(name, ALT) for name in names if (attrs.get(name) or "").strip()]


def _hides_itself(tag: str, attrs: Mapping[str, str | None]) -> bool:
    """An element not rendered at all, so none of its attributes is shown.
    Its content is still read as text: only the element's own attributes are
    left out here."""
    if "hidden" in attrs or _HIDING_STYLE.search(attrs.get("style") or ""):
        return True
    return tag == "input" and (attrs.get("type") or "").strip().lower() == "hidden"


def json_ld_strings(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """Source spans of the insides of the JSON strings that are values of
    `_JSON_LD_KEYS` (at any depth, or items of an array that is such a
    value) in the JSON text source[start:end]; none unless it is valid JSON."""
    import json  # only pages with JSON-LD need it

    try:
        # strict=False: CMSs put raw line breaks inside strings; browsers
        # and search engines read those blocks.
        json.loads(source[start:end], strict=False)
    except Exception:  # ValueError, or RecursionError on deep nesting: lint nothing
        return []
    return list(_json_values(source, start, end))


def _json_values(source: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """What json_ld_strings returns, from a token scan of text known to be
    valid JSON. Each open container is [is_object, key, expecting_a_key]:
    an object's key is its latest key, an array's the key it is the value of."""
    stack: list[list[object]] = []
    for m in _JSON_TOKEN.finditer(source, start, end):
        token = m.group()
        top = stack[-1] if stack else None
        if token in "{[":
            owner = top[1] if top is not None and top[0] and token == "[" else None
            stack.append([token == "{", owner, token == "{"])
        elif token in "}]":
            if stack:
                stack.pop()
        elif top is None:
            continue  # a bare string at the top level belongs to no key
        elif token == ":":
            top[2] = False
        elif token == ",":
            top[2] = top[0]
        elif top[2]:
            top[1] = _json_key(m.group(1))
        elif top[1] in _JSON_LD_KEYS:
            yield m.span(1)


def _json_key(inner: str) -> str:
    if "\\" not in inner:
        return inner
    import json

    try:
        return json.loads(f'"{inner}"', strict=False)
    except ValueError:
        return inner


def _add_json_string(builder: RegionBuilder, source: str, start: int, end: int) -> None:
    """Add the inside of a JSON string, source[start:end], with each escape
    decoded into a chunk of its own (a surrogate pair is one character)."""
    pos = start
    while (slash := source.find("\\", pos, end)) >= 0:
        builder.add_source(pos, slash)
        m = _JSON_ESCAPE.match(source, slash, end)
        if m is None:
            break  # a backslash ending the text: not in valid JSON; keep it as it is
        text, pos = _json_escape(source, m, end)
        builder.add_mapped(text, slash, pos - slash)
    builder.add_source(pos, end)


def _json_escape(source: str, m: re.Match[str], end: int) -> tuple[str, int]:
    """The text of the escape `m` and where it ends (after a low surrogate
    that pairs with it)."""
    if m.group(1) is None:
        return _JSON_SIMPLE.get(m.group(2), m.group(2)), m.end()
    code = int(m.group(1), 16)
    if 0xD800 <= code < 0xDC00:
        low = _LOW_SURROGATE.match(source, m.end(), end)
        if low is not None:
            return chr(0x10000 + ((code - 0xD800) << 10) + (int(low.group(1), 16) - 0xDC00)), low.end()
    if 0xD800 <= code < 0xE000:
        return "\ufffd", m.end()  # a lone surrogate cannot be region text
    return chr(code), m.end()


def _add_with_entities(builder: RegionBuilder, source: str, start: int, end: int) -> None:
    """Add source[start:end] with each character reference decoded into a chunk."""
    pos = start
    for m in CHARREF.finditer(source, start, end):
        builder.add_source(pos, m.start())
        builder.add_mapped(html.unescape(m.group()), m.start(), m.end() - m.start())
        pos = m.end()
    builder.add_source(pos, end)
