"""HTML front end: visible text, title, meta description and alt -> regions.

Uses the stdlib HTMLParser with convert_charrefs=False, so every entity
arrives as its own event and becomes one decoded chunk mapped to its source.
Block elements start and end regions; inline elements are transparent.
Never prose: script, style, code and the other elements in `HIDDEN_TAGS`, the
head (apart from <title> and <meta name="description">), navigation menus,
and every attribute value except alt and the meta description.
"""
from __future__ import annotations

from dataclasses import replace

import html
import re
from bisect import bisect_right
from html.parser import HTMLParser
from typing import NamedTuple, Sequence

from .model import (
    ALT, BLOCKQUOTE, DESCRIPTION, HEADING, HIDDEN_TAGS, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE,
    Comment, Region, RegionBuilder, comment_end,
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
_CHARREF = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


class _Open(NamedTuple):
    tag: str
    kind: str
    hidden: bool
    head: bool


def extract(source: str, lines: LineIndex) -> tuple[tuple[Region, ...], tuple[Comment, ...]]:
    """Regions and comments of an HTML source, regions in source order."""
    parser = HtmlSource(source).parse(0, len(source))
    return tuple(parser.regions), tuple(sorted(parser.comments, key=lambda c: c.start))


class HtmlSource:
    """An HTML source made ready for HTMLParser once, then read whole (a
    page) or piece by piece (the HTML blocks of a Markdown file); positions
    are always offsets into the whole source."""

    def __init__(self, source: str) -> None:
        self.source = source
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
        parser = _Extractor(self, hidden)
        # Start HTMLParser's own line and column count at `lo`.
        line = bisect_right(self.nl_starts, lo)
        parser.lineno, parser.offset = line, lo - self.nl_starts[line - 1]
        parser.read(self.fed[lo:hi])
        return parser


class _Extractor(HTMLParser):
    def __init__(self, page: HtmlSource, hidden: Sequence[tuple[int, int]] = ()) -> None:
        super().__init__(convert_charrefs=False)
        self.source, self.fed, self.nl_starts = page.source, page.fed, page.nl_starts
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
        elif tag in ("img", "area", "input"):
            self._alt(tag, attrs, pos)
        elif tag == "meta":
            self._meta(attrs, pos)

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
        if tag in _BLOCKS:
            self.flush()
        self._pop_to(tag)

    def _alt(self, tag: str, attrs: list[tuple[str, str | None]], pos: int) -> None:
        top = self._top
        if top.hidden or top.head:
            return
        if tag == "input" and (dict(attrs).get("type") or "").lower() != "image":
            return
        self._attribute_region(pos, "alt", ALT)

    def _meta(self, attrs: list[tuple[str, str | None]], pos: int) -> None:
        if self._top.hidden or (dict(attrs).get("name") or "").lower() != "description":
            return
        self._attribute_region(pos, "content", DESCRIPTION)

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
        if self.fed.startswith("<!--", pos) and not self.rest_hidden:
            # An unterminated comment, which the parser hands over as text:
            # as in a browser, it hides the rest of the file.
            self.comments.append(Comment(pos, len(self.source), self.source[pos + 4:].strip()))
            self.rest_hidden = True
        target = self._target()
        if target is None:
            return
        if not self.fed.startswith(data, pos):
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
        if not self.fed.startswith(raw, pos):
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
        if not self.fed.startswith("<!--", pos):
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
    head = _TAG_NAME.match(tag_text)
    start = head.end() if head else 0
    for m in _ATTR.finditer(tag_text, start):
        if m.group(1).lower() == name:
            for group in (2, 3, 4):
                if m.group(group) is not None:
                    return pos + m.start(group), pos + m.end(group)
            return None
    return None


def _add_with_entities(builder: RegionBuilder, source: str, start: int, end: int) -> None:
    """Add source[start:end] with each character reference decoded into a chunk."""
    pos = start
    for m in _CHARREF.finditer(source, start, end):
        builder.add_source(pos, m.start())
        builder.add_mapped(html.unescape(m.group()), m.start(), m.end() - m.start())
        pos = m.end()
    builder.add_source(pos, end)
