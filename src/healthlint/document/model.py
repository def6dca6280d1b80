"""The document model: prose regions that map every character to the source.

A markup front end (markdown.py, html.py, text.py) turns a file into
`Region`s: runs of prose with markup removed and entities decoded. Each
region carries `Chunk`s that map its text back to source offsets, built while
extracting (never by searching the source for matched words afterwards).
`segment.py` then cuts regions into `Unit`s (sentences, headings, list items,
cells), which is what most rules look at.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterator, Sequence

from .sourcemap import LineIndex

# Region kinds. A unit inherits the kind of its region.
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
TABLE_CELL = "table_cell"
BLOCKQUOTE = "blockquote"
TITLE = "title"              # front-matter title, HTML <title>
DESCRIPTION = "description"  # front-matter description, <meta name=description>
ALT = "alt"                  # HTML alt text outside running prose
FOOTNOTE = "footnote"        # a footnote definition's text
TEXT = "text"                # plain-text paragraph

REGION_KINDS = frozenset(
    {HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, BLOCKQUOTE, TITLE, DESCRIPTION, ALT, FOOTNOTE, TEXT}
)

# Elements whose content is not prose, in an HTML page or inline in
# Markdown: nav is site chrome (menus), not copy; the others are code,
# scripts or fallback content that is not rendered as text.
HIDDEN_TAGS = frozenset(
    """script style code pre kbd samp var tt xmp plaintext listing template noscript svg math textarea select
    iframe object canvas audio video nav""".split()
)

# A bare URL in prose ("see https://example.org/miracle-cure") is an address,
# not a claim: no front end passes one on as prose. Copy often drops the
# scheme ("visit example.com/miracle-cure", "shop at MiracleTea.com",
# "email cure@tea.example.com"): a host with a path, a host under a common
# top-level domain, and an email address are addresses too. The top-level
# domains are listed, not guessed, so that "works.It" (a missing space) and
# "Node.js" stay prose.
_TLDS = ("com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|tv|ly|fm|to|us|uk|ca|au|nz|ie|in|de|fr|es|it|"
         "nl|be|ch|at|se|no|dk|fi|pl|pt|br|mx|jp|cn|kr|sg|hk|za|eu|ru|health|shop|store|online|site|life|care|clinic|"
         "news|blog|xyz|club|world|pro|media|global|green|bio|fit|fitness|guru|coach|doctor|pharmacy|vet|dental")
# Without a path, only domains no sentence ends in by accident.
_TLDS_ALONE = r"com|org|net|edu|gov|io|info|biz|health|shop|store|online|clinic|co\.uk|org\.uk|com\.au|co\.nz"
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
_URL_TAIL = r"[^\s<>]*[^\s<>.,;:!?'\")\]}*_~]"
URL = re.compile(r"(?i:(?:https?|ftp)://|mailto:|(?<![\w.@/])www\.)" + _URL_TAIL)
_BARE = re.compile(
    r"(?<![\w.@/-])" + _HOST + r"(?i:" + _TLDS + r")(?::\d{1,5})?/(?:" + _URL_TAIL + r")?"
    + r"|(?<![\w.@/-])" + _HOST + r"(?:" + _TLDS_ALONE + r")(?![\w-]|\.\w)"
    + r"|(?<![\w.+-])[\w.+-]+@" + _HOST + r"[A-Za-z]{2,24}(?![\w-])")
# Where a bare address may end its host: tried from there, not at every
# word of the text (a tenth of the time on a 10 MB file).
_BARE_HINT = re.compile(r"\.(?i:" + _TLDS + r")(?![\w-])|@")
_URL_HINT = re.compile(r"://|[mM][aA][iI][lL][tT][oO]:|[wW][wW][wW]\.|@|\.(?i:" + _TLDS + r")\b")
# Where URL may match: its alternatives' letters spelt out, led by a set
# of first letters `re` skips through in C (URL.finditer tried every
# alternative, case-blind, at every character of a document). re's
# IGNORECASE also reads "ſ" as s and "ı", "İ" as i.
_URL_START = re.compile(r"[hHfFmMwW](?:(?<=[hH])[tT][tT][pP][sSſ]?://|(?<=[fF])[tT][pP]://"
                        r"|(?<=[mM])[aA][iIıİ][lL][tT][oO]:|(?<=[wW])[wW][wW]\.)")


def url_spans(source: str) -> list[tuple[int, int]]:
    """Source spans of the bare URLs and addresses in `source`, in order:
    of all the URLs with a scheme and the bare addresses found, sorted, each
    that starts after the last one kept."""
    if _URL_HINT.search(source) is None:
        return []
    scheme = _scheme_urls(source)
    spans: list[tuple[int, int]] = []
    i = 0  # the next of `scheme`

    def keep(span: tuple[int, int]) -> None:
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)

    seen = -1  # the last hint: a host reaching back past it was tried then
    for hint in _BARE_HINT.finditer(source):
        # Back to where the host (or the mailbox) starts.
        at = start = hint.start()
        low = max(seen + 1, at - 320)
        seen = at
        while start > low and _in_host(source[start - 1]):
            start -= 1
        if start > 0 and _in_host(source[start - 1]):
            continue  # not a start: tried from the hint before, or too long
        while i < len(scheme) and scheme[i][0] < start:
            keep(scheme[i])
            i += 1
        if spans and start < spans[-1][1]:
            # It could only be dropped, and an address's path runs to the
            # end of its run of non-spaces: matching it from every ".com"
            # of "a.com/,a.com/,…" took quadratic time.
            continue
        m = _BARE.match(source, start)
        if m is None or m.end() <= at:
            continue
        while i < len(scheme) and scheme[i] < m.span():  # the shorter of two from one start first
            keep(scheme[i])
            i += 1
        keep(m.span())
    for span in scheme[i:]:
        keep(span)
    return spans


def _scheme_urls(source: str) -> list[tuple[int, int]]:
    """[m.span() for m in URL.finditer(source)], tried only where a scheme,
    "mailto:" or "www." starts."""
    found = []
    pos = 0
    while (start := _URL_START.search(source, pos)) is not None:
        at = start.start()
        m = URL.match(source, at)
        if m is None:
            pos = at + 1
        else:
            found.append(m.span())
            pos = m.end()
    return found


def _in_host(c: str) -> bool:
    """Whether `c` can be part of a host name or a mailbox."""
    return c.isalnum() or c in "_.+-"


def outside(spans: Sequence[tuple[int, int]], ends: Sequence[int], a: int, b: int) -> Iterator[tuple[int, int]]:
    """The pieces of [a, b) outside `spans` (sorted, disjoint; `ends`
    their ends), in order; some may be empty."""
    i = bisect_right(ends, a)
    while i < len(spans) and spans[i][0] < b:
        u0, u1 = spans[i]
        yield a, max(a, min(b, u0))
        a = max(a, u1)
        i += 1
    yield a, b


_URLS: list[tuple[str, list[tuple[int, int]], list[int]]] = []

# Format characters that are invisible inside a word and would split it for
# every rule: soft hyphen (also "&shy;"), zero-width space, ZWNJ, ZWJ, word
# joiner, and a BOM that is not at the start of the file. Region text leaves
# them out; the chunks either side keep their own source offsets, so a match
# across one reports the whole source span, the character included. Dropping
# a ZWJ splits an emoji sequence into its emoji, which no rule minds.
# Control characters are left out too ("cures\x1c anxiety" read as no claim:
# `regex` takes no control for a space, and Python takes \x1c-\x1f for one),
# all but tab, line breaks and NUL (which markdown-it reads as U+FFFD and a
# file holding it is binary).
INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff\x01-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]+")


class MaskedSource(str):
    """Source text with spans that are not prose: MDX's JavaScript and JSX,
    blanked to spaces (line breaks kept, so every offset holds) before
    markdown-it reads it (mdx.py), and template markup, left as written
    (`template_spans`). Region builders leave `hidden` out of region text,
    as they leave out bare URLs, so region text is still the source's own."""

    hidden: tuple[tuple[int, int], ...]

    def __new__(cls, text: str, hidden: tuple[tuple[int, int], ...]) -> MaskedSource:
        self = super().__new__(cls, text)
        self.hidden = hidden
        return self


# Template and shortcode syntax that a site generator or CMS expands before
# anyone reads the page: markup, never prose. A construct may run over
# several lines but never past a blank one, and at most `_TEMPLATE_MAX`
# characters (an unclosed "{%" is text). Liquid/Jinja comments hide their
# content too; the tags of `{% raw %}` and of shortcodes wrapping text
# (`[caption]…[/caption]`, `{{% notice %}}…{{% /notice %}}`) hide only
# themselves, and a `caption="…"` value, which the reader sees under the
# figure, stays prose.
_TEMPLATE_MAX = 2000
# No "{" inside: each scan stops at the next one, so a run of unclosed
# openers costs linear time.
_SPAN_BODY = r"(?:[^{\n]|\n(?![ \t]*\r?\n)){0,%d}?" % _TEMPLATE_MAX
_TEMPLATE = re.compile(
    r"\{%-?\s*comment\s*-?%\}" + _SPAN_BODY + r"\{%-?\s*endcomment\s*-?%\}"  # Liquid comment
    r"|\{\{[<%]" + _SPAN_BODY + r"[>%]\}\}"  # Hugo shortcodes {{< x >}}, {{% x %}}
    r"|\{\{" + _SPAN_BODY + r"\}\}"  # Liquid/Jinja output {{ page.title }}
    r"|\{%" + _SPAN_BODY + r"%\}"  # Liquid/Jinja tags {% include x.html %}
    r"|\{#" + _SPAN_BODY + r"#\}"  # Jinja comments
    # WordPress shortcodes: "[name attr=…]" (a bracket with no attribute is
    # one only when "[/name]" closes it, so "[sic]" stays prose), "[/name]".
    # An unquoted value holds no "[" (nor "{" below): each try then stops at
    # the next opener, so a run of unclosed ones costs linear time.
    r"""|\[([A-Za-z][\w-]*)(?:[ \t]+[\w-]+[ \t]*=[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[^\s\[\]"']+))+[ \t]*/?\]"""
    r"|\[/[A-Za-z][\w-]*\]",
    re.IGNORECASE,
)
_WP_BARE = re.compile(r"\[([A-Za-z][\w-]*)\]")
_WP_CLOSE = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_CAPTION = re.compile(r"""\bcaption[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')""", re.IGNORECASE)
# A MkDocs / Python-Markdown admonition header ("!!! note", "??? tip"),
# up to its quoted title or the end of the line.
ADMONITION_HEAD = r"[ \t>]*(?:!!!|\?\?\?\+?)[ \t]+[a-z][\w-]*(?:[ \t]+[a-z][\w-]*)*(?=[ \t]*(?:\"|\r?$))"
# Markdown only: attribute lists (kramdown "{: .lead}", Pandoc "{#id .class}"),
# admonition fences (":::warning") and headers.
_MD_MARKUP = re.compile(
    r"\{:[^{}\n]*\}"
    r"|\{[ \t]*[#.][\w-]+(?:[ \t]+(?:[#.][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|[^\s{}]+)))*[ \t]*\}"
    r"|(?m:^(?:[ \t>]*:{3,}[ \t]*[\w-]*|" + ADMONITION_HEAD + "))"
)


def template_spans(source: str, markdown: bool = False) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of template and shortcode markup in `source`
    (see `_TEMPLATE`); `markdown`: also Markdown extension markup
    (`_MD_MARKUP`). Region builders leave them out of region text."""
    if "{" not in source and "[" not in source and ":::" not in source and "!!!" not in source \
            and "???" not in source:
        return []
    spans: list[tuple[int, int]] = []
    for m in _TEMPLATE.finditer(source):
        a, b = m.span()
        comment = m.group().startswith("{%") and m.group()[2:].lstrip("- \t").lower().startswith("comment")
        cap = None if comment else _CAPTION.search(source, a, b)
        if cap is not None:
            g = 1 if cap.group(1) is not None else 2
            spans += [(a, cap.start(g)), (cap.end(g), b)]
        else:
            spans.append((a, b))
    closers = {m.group(1).lower(): m.start() for m in _WP_CLOSE.finditer(source)}  # last of each
    for m in _WP_BARE.finditer(source):
        if closers.get(m.group(1).lower(), -1) > m.start():
            spans.append(m.span())
    if markdown:
        spans.extend(m.span() for m in _MD_MARKUP.finditer(source) if m.end() > m.start())
    return union_spans([], sorted(s for s in spans if s[1] > s[0]))


def _left_out(source: str) -> list[tuple[int, int]]:
    """The spans of `source` no region text copies: bare URLs, and the
    hidden spans of a MaskedSource; sorted and disjoint."""
    return union_spans(url_spans(source), getattr(source, "hidden", ()))


def union_spans(spans: list[tuple[int, int]], more: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` and `more` (each sorted) as one sorted list of disjoint spans."""
    if not more:
        return spans
    out: list[tuple[int, int]] = []
    for a, b in sorted([*spans, *more]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


@dataclass(frozen=True, slots=True)
class Chunk:
    """region.text[text_start:text_start+text_len] came from
    source[src_start:src_start+src_len]. Equal lengths map char by char; a
    decoded entity or escape is a chunk of its own (text_len 1, src_len > 1).
    src_len 0 marks text standing for a point in the source (a lone "\r"
    read as "\n"), so that equal lengths always mean a verbatim copy.
    """

    text_start: int
    src_start: int
    text_len: int
    src_len: int

    @property
    def linear(self) -> bool:
        """True when the chunk is a verbatim copy of its source slice."""
        return self.text_len == self.src_len


_TEXT_START = attrgetter("text_start")


@dataclass(frozen=True, slots=True)
class Region:
    kind: str
    text: str
    chunks: tuple[Chunk, ...]
    # Table cells only: the column's header text, and a row number unique
    # within the document (a row shares its citation column; a "Best for"
    # column makes its cells claims).
    header: str = ""
    row: int = -1

    def _chunk_at(self, offset: int) -> Chunk:
        # Bisect the chunks themselves (key=, Python 3.10+): building a list of
        # starts on every lookup made each mapping O(chunks).
        i = max(0, bisect_right(self.chunks, offset, key=_TEXT_START) - 1)
        return self.chunks[i]

    def to_source(self, offset: int) -> int:
        """Source offset of the character at text `offset` (a start)."""
        c = self._chunk_at(offset)
        delta = offset - c.text_start
        if c.text_len == c.src_len:
            return c.src_start + min(delta, c.src_len)
        return c.src_start if delta < c.text_len else c.src_start + c.src_len

    def to_source_end(self, offset: int) -> int:
        """Source offset just after the character at text `offset - 1` (an exclusive end)."""
        if offset <= 0:
            return self.to_source(0)
        c = self._chunk_at(offset - 1)
        delta = offset - c.text_start
        if c.text_len == c.src_len:
            return c.src_start + delta
        return c.src_start + c.src_len

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            s = self.to_source(start)
            return s, s
        return self.to_source(start), self.to_source_end(end)


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence, heading, list item or cell: offsets into its region's text."""

    region: int
    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment the front end saw (HTML comment, or a plain-text directive
    line): the source span of the whole comment and its inner text."""

    start: int
    end: int
    text: str


# What closes a comment, as the HTML tokenizer reads one: "-->" or "--!>"
# after the opening "<!--", or a ">" or "->" right after it ("<!-->" and
# "<!--->" are whole, empty comments). Anything else leaves it open.
COMMENT_END = re.compile(r"-?>|.*?(--!?>)", re.DOTALL)


def comment_end(source: str, pos: int, hi: int | None = None) -> tuple[int, int] | None:
    """For a comment whose "<!--" ends at `pos`: (end of its inner text, end
    of the comment), or None when it is not closed before `hi`."""
    m = COMMENT_END.match(source, pos, len(source) if hi is None else hi)
    if m is None:
        return None
    return (m.start(1), m.end()) if m.group(1) else (pos, m.end())


def html_comments(source: str, lo: int = 0, hi: int | None = None) -> list[Comment]:
    """The `<!-- ... -->` comments in source[lo:hi], in order. Linear: once
    no closing follows an opening, no later opening can close either (a
    regex would search to the end from every one of them)."""
    hi = len(source) if hi is None else hi
    out = []
    pos = lo
    while (start := source.find("<!--", pos, hi)) >= 0:
        span = comment_end(source, start + 4, hi)
        if span is None:
            break
        out.append(Comment(start, span[1], source[start + 4:span[0]].strip()))
        pos = span[1]
    return out


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    source: str
    syntax: str  # "markdown" | "html" | "text"
    lines: LineIndex
    regions: tuple[Region, ...]
    units: tuple[Unit, ...]
    comments: tuple[Comment, ...]
    bom: bool = False

    def unit_source_span(self, unit: Unit) -> tuple[int, int]:
        return self.regions[unit.region].source_span(unit.start, unit.end)


class RegionBuilder:
    """Accumulates one region's text and chunks while a front end walks markup.

    Front ends only say where each piece came from; the builder merges
    contiguous verbatim pieces and guarantees the invariant rules rely on:
    a chunk whose lengths are equal is a verbatim copy of its source slice.
    """

    __slots__ = ("source", "parts", "chunks", "length", "skip", "skip_ends", "hidden", "hidden_ends")

    def __init__(self, source: str, hidden: Sequence[tuple[int, int]] = ()) -> None:
        """`hidden`: sorted, disjoint source spans that are never text (the
        container prefixes of an HTML block inside a Markdown list or quote),
        left out like the document's bare URLs."""
        self.source = source
        self.parts: list[str] = []
        self.chunks: list[tuple[int, int, int, int]] = []
        self.length = 0
        # A document makes many builders; what its text leaves out (URLs,
        # MDX's hidden spans) is found once. One read of the cache: the
        # language server parses in two threads (a lint in its worker, a
        # code action's check on the event loop).
        cached = _URLS[0] if _URLS else None
        if cached is None or cached[0] is not source:
            spans = _left_out(source)
            cached = (source, spans, [e for _, e in spans])
            _URLS[:] = [cached]
        _, self.skip, self.skip_ends = cached
        # Kept apart from the document's spans: merging them cost each
        # builder of an HTML block in a list the document's every URL.
        self.hidden = hidden
        self.hidden_ends = [e for _, e in hidden] if hidden else []

    def add_source(self, start: int, end: int) -> None:
        """Append source[start:end] verbatim, less any span it leaves out
        (bare URLs, MDX's hidden spans, `hidden`)."""
        if self.hidden:
            for a, b in outside(self.hidden, self.hidden_ends, start, end):
                self._add_outside_skip(a, b)
        else:
            self._add_outside_skip(start, end)

    def _add_outside_skip(self, start: int, end: int) -> None:
        if self.skip:
            for a, b in outside(self.skip, self.skip_ends, start, end):
                self._add(a, b)
        else:
            self._add(start, end)

    def _add(self, start: int, end: int) -> None:
        if end - start <= 0:
            return
        text = self.source[start:end]
        if not (text.isascii() and text.isprintable()) and INVISIBLE.search(text):
            pos = start
            for m in INVISIBLE.finditer(text):
                self._add_visible(pos, start + m.start())
                pos = start + m.end()
            self._add_visible(pos, end)
        else:
            self._add_visible(start, end, text)

    def _add_visible(self, start: int, end: int, text: str | None = None) -> None:
        n = end - start
        if n <= 0:
            return
        self.parts.append(self.source[start:end] if text is None else text)
        chunks = self.chunks
        if chunks:
            t0, s0, tl, sl = chunks[-1]
            if tl == sl and s0 + sl == start:
                chunks[-1] = (t0, s0, tl + n, sl + n)
                self.length += n
                return
        chunks.append((self.length, start, n, n))
        self.length += n

    def add_mapped(self, text: str, start: int, src_len: int) -> None:
        """Append `text` decoded from source[start:start+src_len] (an entity,
        escape or line break): the whole text maps to the whole span."""
        if not (text.isascii() and text.isprintable()):
            text = INVISIBLE.sub("", text)
        if not text:
            return
        if len(text) == src_len:
            if self.source[start:start + src_len] == text:
                self.add_source(start, start + src_len)
                return
            # Equal lengths would read as a verbatim copy (e.g. a lone "\r"
            # shown as "\n"); a zero-width span keeps offsets honest instead.
            src_len = 0
        self.parts.append(text)
        self.chunks.append((self.length, start, len(text), src_len))
        self.length += len(text)

    def build(self, kind: str) -> Region | None:
        """The region with surrounding whitespace trimmed, or None if empty."""
        text = "".join(self.parts)
        lo = len(text) - len(text.lstrip())
        hi = len(text.rstrip())
        if lo >= hi:
            return None
        lo, hi = _widen_to_chunks(self.chunks, lo, hi)
        return Region(kind, text[lo:hi], _cut_chunks(self.chunks, lo, hi))


def _widen_to_chunks(chunks: list[tuple[int, int, int, int]], lo: int, hi: int) -> tuple[int, int]:
    # A decoded chunk cannot be split, so trimming stops at its edge.
    for t0, _s0, tl, sl in chunks:
        if t0 + tl > lo:
            if tl != sl and t0 < lo:
                lo = t0
            break
    for t0, _s0, tl, sl in reversed(chunks):
        if t0 < hi:
            if tl != sl and t0 + tl > hi:
                hi = t0 + tl
            break
    return lo, hi


def _cut_chunks(chunks: list[tuple[int, int, int, int]], lo: int, hi: int) -> tuple[Chunk, ...]:
    out = []
    for t0, s0, tl, sl in chunks:
        a, b = max(t0, lo), min(t0 + tl, hi)
        if a >= b:
            continue
        if tl == sl:
            out.append(Chunk(a - lo, s0 + a - t0, b - a, b - a))
        else:
            out.append(Chunk(t0 - lo, s0, tl, sl))
    return tuple(out)
