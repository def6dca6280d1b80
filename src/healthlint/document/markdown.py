"""Markdown front end: markdown-it-py tokens -> prose regions and comments.

markdown-it gives block tokens a line range but inline tokens no position at
all. Each block's inline content is therefore aligned to its own source lines
first (content line i is the tail of source line map[0]+i once the container
prefix is gone), and the inline children are then walked with a cursor that
only moves forward through that content. Nothing is searched for outside the
block's lines.

Prose: headings, paragraphs (list items, blockquotes, footnotes by their
container), table cells, link text, image alt text, the front-matter
values readers see (title, description, summary, SEO and FAQ keys, at any
depth, in YAML `---` or TOML `+++`), footnote reference markers ("[^1]",
kept for the citation rules), the visible text of raw HTML blocks, read by
the HTML front end, and the shown attributes of inline HTML tags (an
<img>'s alt, a title tooltip; regions of their own). Not prose: code, tags
and other attributes, comments (collected as `Comment`s), link
destinations and titles, autolinks, bare URLs and addresses, emphasis
markers, other front-matter keys and values; in `.mdx`, ESM, `{…}`
expressions and JSX tags (mdx.py blanks them before markdown-it reads the
text).
"""
from __future__ import annotations

from dataclasses import replace

import html
import re
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from .model import (
    BLOCKQUOTE, DESCRIPTION, FOOTNOTE, HEADING, HIDDEN_TAGS, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE,
    ADMONITION_HEAD, Comment, MaskedSource, Region, RegionBuilder, html_comments, outside, template_spans,
    union_spans, url_spans,
)
from .sourcemap import LineIndex

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

# (content start, source start, content length, source length, verbatim)
Segment = tuple[int, int, int, int, bool]

# As model.COMMENT_END reads comments ("<!-->" and "<!--->" are empty ones).
_COMMENT = re.compile(r"<!--(?:-?>|(.*?)--!?>)", re.S)
# Inline HTML whose content is not prose, as in the HTML front end.
# Inline "<br>" is a line break, as in the HTML front end ("</br>" too, as
# browsers read it); "<wbr>" and other tags join the words around them.
_BREAK_TAG = re.compile(r"</?br(?=[\s/>])[^>]*>\Z", re.IGNORECASE)
_MUTED_TAG = re.compile(r"<(/?)(" + "|".join(sorted(HIDDEN_TAGS)) + r")\b[^>]*?(/?)>\Z", re.IGNORECASE)
_CONTAINERS = {
    "blockquote_open": BLOCKQUOTE,
    "list_item_open": LIST_ITEM,
    "footnote_reference_open": FOOTNOTE,
    "footnote_open": FOOTNOTE,
}
_CLOSERS = {"blockquote_close", "list_item_close", "footnote_reference_close", "footnote_close"}
# markdown-it stops parsing below this many nested block tokens and drops
# what is deeper (its limit guards its own recursion). The commonmark
# preset's 20 is ten nested lists; 100 is what its default preset uses and
# costs a few hundred stack frames. Anything deeper still is read line by
# line as plain prose (`_deep_regions`), so no words are lost (issue 7).
MAX_NESTING = 100
# Inline nesting (links in links, emphasis) only turns deeper markup into
# literal text, never drops it, but every "[" costs time in proportion to
# this limit: a 5 MB run of brackets takes 40 s at 20 and 3 minutes at 100.
INLINE_NESTING = 20
# Container markers at the start of a line: blockquote ">", bullets, "1." / "1)".
_LINE_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
_BACKTICKS: dict[int, re.Pattern[str]] = {}
# A MkDocs / Python-Markdown admonition header: its indented body is prose.
_ADMONITION = re.compile(ADMONITION_HEAD)
_MAX_ADMONITIONS = 20
# A GFM task-list marker opening a list item's first paragraph: markup (a
# checkbox), not the start of the sentence.
_TASK_MARKER = re.compile(r"\[[ \txX]\](?=[ \t\n])")


def _configured(max_nesting: int, mdx: bool = False) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # Inline footnotes ("^[...]") stay literal text: their tokens are moved to
    # the end of the stream with no position to map them back.
    md.use(footnote_plugin, inline=False)
    # text_join would fold escapes and entities into plain text and lose the
    # source length of each one.
    md.disable("text_join")
    if mdx:
        # MDX has no indented code: text indented under a component (its
        # tags blanked by mdx.py) is prose.
        md.disable("code")
    md.options["maxNesting"] = max_nesting
    return md


@lru_cache(maxsize=2)
def _parser(mdx: bool = False) -> MarkdownIt:
    """The block parser, whose inline pass runs with the lower inline limit:
    markdown-it has one `maxNesting` for both, so a twin parser configured
    the same way but for that limit parses every inline token."""
    md = _configured(MAX_NESTING, mdx)
    inline_md = _configured(INLINE_NESTING, mdx)

    def inline(state: StateCore) -> None:  # markdown-it's core "inline" rule, with inline_md
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                inline_md.inline.parse(token.content, inline_md, state.env, token.children)

    md.core.ruler.at("inline", inline)
    return md


def extract(source: str, lines: LineIndex, mdx: bool = False,
            metadata: bool = False) -> tuple[tuple[Region, ...], tuple[Comment, ...]]:
    """Regions and comments of a Markdown source, regions in source order;
    `mdx`: the source is MDX, whose JavaScript and JSX tags are not prose;
    `metadata`: HTML in it yields its metas, JSON-LD and shown attributes."""
    if mdx:
        from .mdx import mask

        source = mask(source)  # same length and lines; region text skips what it blanked
    template = template_spans(source, markdown=True)
    if template:
        # Liquid, shortcodes, attribute lists: markdown-it still reads them
        # (same text), region text leaves them out.
        source = MaskedSource(str(source), tuple(union_spans(list(getattr(source, "hidden", ())), template)))
    toml_end = _fenced_end(source, _TOML_FENCE)
    try:
        # TOML front matter (Hugo's `+++`) goes to markdown-it as blank lines.
        tokens = _parser(mdx).parse(source if not toml_end else re.sub(r"[^\r\n]", " ", source[:toml_end])
                                    + source[toml_end:])
    except Exception:  # markdown-it documents no failure mode; never fail a file on it
        from . import text
        return text.extract(source, lines)
    blocks = _Blocks(source, lines, metadata)
    if toml_end:
        blocks.regions.extend(toml_front_matter_regions(source, toml_end))
    blocks.walk(tokens)
    regions = sorted(blocks.regions, key=lambda r: r.to_source(0))
    return tuple(regions), tuple(sorted(blocks.comments, key=lambda c: c.start))


class _Blocks:
    """Walks block tokens, tracking the container each paragraph sits in."""

    def __init__(self, source: str, lines: LineIndex, metadata: bool = False) -> None:
        self.metadata = metadata
        self.source = source
        # markdown-it turns NUL into U+FFFD; align against the same text
        # (same offsets) but copy region text from the real source.
        self.norm = source.replace("\0", "\ufffd") if "\0" in source else source
        self.lines = lines
        self.regions: list[Region] = []
        self.comments: list[Comment] = []
        self.html: Any = None  # html.HtmlSource, made for the first HTML block
        self.containers: list[str] = []
        self.row_cursor = 0
        self.row = -1
        self.col = 0
        self.headers: list[str] = []
        self.nested = 0  # admonition bodies being read

    def walk(self, tokens: list[Token]) -> None:
        prev = before = ""
        for tok in tokens:
            kind = tok.type
            if kind in _CONTAINERS:
                self.containers.append(_CONTAINERS[kind])
                if tok.level + 1 >= MAX_NESTING and tok.map:
                    self._too_deep(tok.map, _CONTAINERS[kind])
            elif kind in _CLOSERS:
                if self.containers:
                    self.containers.pop()
            elif kind == "inline":
                self._inline(tok, prev, task=prev == "paragraph_open" and before == "list_item_open")
            elif kind == "tr_open":
                if tok.map:
                    self.row_cursor = self.lines.starts[tok.map[0]]
                self.row += 1
                self.col = 0
            elif kind == "table_open":
                self.headers = []
            elif kind in ("th_close", "td_close"):
                self.col += 1
            elif kind == "html_block" and tok.map:
                self._html_block(tok)
            elif kind == "code_block" and tok.map and self._admonition_body(tok):
                self._nested(tok)
            elif kind == "front_matter" and tok.map:
                # map spans the fences; the YAML lines are those between them
                first, last = tok.map[0] + 2, tok.map[1] - 1
                self.regions.extend(front_matter_regions(self.source, self.lines, first, last))
            prev, before = kind, prev

    def _inline(self, tok: Token, prev: str, task: bool = False) -> None:
        if not tok.map or not tok.content:
            return
        if prev in ("th_open", "td_open"):
            kind, segments = TABLE_CELL, self._cell_segments(tok)
        else:
            kind = HEADING if prev == "heading_open" else (self.containers[-1] if self.containers else PARAGRAPH)
            segments = align_lines(tok.content, tok.map[0] + 1, self.norm, self.lines, tok.map[1])
        builder = RegionBuilder(self.source)
        comments: list[Comment] = []
        marker = _TASK_MARKER.match(tok.content) if task else None
        walker = _Inline(tok.content, segments, builder, comments, marker.end() if marker else 0, self.metadata)
        try:
            walker.walk(tok.children or [])
        except Exception:  # a block we cannot walk must not fail the file: keep its raw text
            builder, comments = RegionBuilder(self.source), []
            walker = _Inline(tok.content, segments, builder, comments, metadata=self.metadata)
            walker.emit_range(marker.end() if marker else 0, len(tok.content))
        self.comments.extend(comments)
        self.regions.extend(walker.attributes)
        region = builder.build(kind)
        if region is not None and kind == TABLE_CELL:
            region = self._cell(region, prev == "th_open")
        if region is not None:
            self.regions.append(region)

    def _cell(self, region: Region, is_header: bool) -> Region:
        if is_header:
            self.headers.extend([""] * (self.col + 1 - len(self.headers)))
            self.headers[self.col] = region.text
        header = self.headers[self.col] if self.col < len(self.headers) else ""
        return replace(region, header=header, row=self.row)

    def _cell_segments(self, tok: Token) -> list[Segment]:
        # The table rule drops the backslash of an escaped pipe ("\|" -> "|").
        content = tok.content
        start, end = self.lines.line_span(tok.map[0] + 1, self.source)
        raw = content.replace("|", "\\|")
        pos = self.norm.find(raw, max(self.row_cursor, start), end)
        if pos < 0:
            return [(0, start, len(content), end - start, False)]
        self.row_cursor = pos + len(raw)
        segments: list[Segment] = []
        c = 0
        for i, piece in enumerate(content.split("|")):
            if i:
                segments.append((c, pos, 1, 2, False))
                c, pos = c + 1, pos + 2
            segments.append((c, pos, len(piece), len(piece), True))
            c, pos = c + len(piece), pos + len(piece)
        return segments

    def _admonition_body(self, tok: Token) -> bool:
        """An indented block under a MkDocs/Python-Markdown admonition
        header ("!!! note", "??? tip"), blank lines between allowed: the
        admonition's body, which readers see as prose, not indented code."""
        n = tok.map[0]  # 1-based number of the line before the block
        while n >= 1:
            start, end = self.lines.line_span(n, self.norm)
            start = _LINE_PREFIX.match(self.norm, start, end).end()  # "> " of a quoted admonition
            if self.norm[start:end].strip():
                return _ADMONITION.match(self.norm, start, end) is not None and self.nested < _MAX_ADMONITIONS
            n -= 1
        return False

    def _nested(self, tok: Token) -> None:
        """Read an admonition body (a code block's content, its indent
        removed) as Markdown; its tokens' lines are offset to the block's,
        and each content line is the tail of its source line, so text is
        aligned to the source as any block's is."""
        try:
            tokens = _parser().parse(tok.content)
        except Exception:  # as in extract: never fail a file on markdown-it
            return
        for t in tokens:
            if t.map:
                t.map = [t.map[0] + tok.map[0], t.map[1] + tok.map[0]]
        self.nested += 1
        try:
            self.walk(tokens)
        finally:
            self.nested -= 1

    def _too_deep(self, line_map: list[int], kind: str) -> None:
        """A container markdown-it left empty because it nests too deeply:
        its lines become regions as plain text, container markers removed."""
        regions, comments = _deep_regions(self.source, self.lines, line_map[0] + 1, line_map[1], kind)
        self.regions.extend(regions)
        self.comments.extend(comments)

    def _html_block(self, tok: Token) -> None:
        start = self.lines.starts[tok.map[0]]
        end = self.lines.starts[tok.map[1]] if tok.map[1] < self.lines.line_count else self.lines.length
        self.comments.extend(html_comments(self.source, start, end))
        # The visible text of raw HTML (`<p>…</p>` pasted from a CMS) is
        # prose a reader sees, read as the HTML front end reads a page.
        if self.html is None:
            from .html import HtmlSource

            self.html = HtmlSource(self.source, self.metadata)
        hidden = self._container_prefixes(tok) if self.containers else []
        self.regions.extend(self.html.parse(start, end, hidden).regions)

    def _container_prefixes(self, tok: Token) -> list[tuple[int, int]]:
        """Source spans of the container prefixes ("> ", list markers and
        indentation) on an HTML block's lines: markdown-it's content for the
        block is each source line without them, which is what the HTML reader
        must see as text (it read "cures\n> anxiety")."""
        spans = []
        parts = tok.content.split("\n")
        for k in range(tok.map[1] - tok.map[0]):
            n = tok.map[0] + k + 1
            if n > self.lines.line_count:
                break
            start, end = self.lines.line_span(n, self.norm)
            line, body = self.norm[start:end], parts[k].lstrip(" \t") if k < len(parts) else ""
            if not body.strip():
                cut = end  # nothing but markers and blanks
            elif line.endswith(body):
                cut = end - len(body)
            else:
                cut = _LINE_PREFIX.match(self.norm, start, end).end()
            if cut > start:
                spans.append((start, cut))
        return spans


def _deep_regions(source: str, lines: LineIndex, first: int, last: int,
                  kind: str) -> tuple[list[Region], list[Comment]]:
    """One region per source line first..last (1-based), without container
    markers and HTML comments; the comments are returned for directives."""
    first = max(1, first)
    last = min(last, lines.line_count)
    if first > last:
        return [], []
    lo = lines.starts[first - 1]
    hi = lines.line_span(last, source)[1]
    comments = html_comments(source, lo, hi)
    hidden = [(c.start, c.end) for c in comments]
    regions = []
    i = 0
    for n in range(first, last + 1):
        start, end = lines.line_span(n, source)
        builder = RegionBuilder(source)
        pos = _LINE_PREFIX.match(source, start, end).end()
        while i < len(hidden) and hidden[i][1] <= pos:
            i += 1
        j = i
        while j < len(hidden) and hidden[j][0] < end:
            builder.add_source(pos, max(pos, hidden[j][0]))
            pos = max(pos, hidden[j][1])
            j += 1
        builder.add_source(pos, end)
        region = builder.build(kind)
        if region is not None:
            regions.append(region)
    return regions, comments


def align_lines(content: str, first_line: int, norm: str, lines: LineIndex,
                end_line: int | None = None) -> list[Segment]:
    """Segments mapping `content` (a block's inline content, one content line
    per source line from 1-based `first_line`) to the source. With the
    block's last line `end_line`, leading source lines the content lost are
    skipped: markdown-it strips a paragraph with str.strip, which also takes
    lines holding only a form feed or another Unicode space."""
    segments: list[Segment] = []
    c = 0
    parts = content.split("\n")
    if end_line is not None:
        while end_line - first_line + 1 > len(parts) and first_line <= lines.line_count:
            start, end = lines.line_span(first_line, norm)
            if norm[_LINE_PREFIX.match(norm, start, end).end():end].strip():
                break
            first_line += 1
    for k, cline in enumerate(parts):
        n = first_line + k
        if n > lines.line_count:
            break
        start, end = lines.line_span(n, norm)
        body = cline.strip(" \t")
        if body:
            lead = len(cline) - len(cline.lstrip(" \t"))
            pos = _locate(norm, start, end, body)
            if pos >= 0:
                segments.append((c + lead, pos, len(body), len(body), True))
            else:
                segments.append((c + lead, start, len(body), end - start, False))
        c += len(cline)
        if k + 1 < len(parts):
            eol_end = lines.starts[n] if n < lines.line_count else lines.length
            segments.append((c, end, 1, eol_end - end, False))
            c += 1
    return segments


def _locate(norm: str, start: int, end: int, body: str) -> int:
    """Source offset of a content line's text within its source line."""
    line = norm[start:end]
    trimmed = line.rstrip(" \t")
    if trimmed.endswith(body):
        return start + len(trimmed) - len(body)
    i = line.find(body)
    return start + i if i >= 0 else -1


class _Inline:
    """Walks one block's inline children with a forward-only cursor."""

    def __init__(self, content: str, segments: list[Segment], builder: RegionBuilder,
                 comments: list[Comment], floor: int = 0, metadata: bool = False) -> None:
        self.content = content
        self.metadata = metadata
        self.floor = floor  # content before it is markup (a task-list marker)
        self.segments = segments
        self.seg_starts = [s[0] for s in segments]
        self.builder = builder
        self.comments = comments
        self.cur = 0
        # Regions of their own for the shown attributes of inline tags (an
        # <img>'s alt), as the HTML front end makes them.
        self.attributes: list[Region] = []
        self.links: list[bool] = []  # per open link: is it an autolink?
        self.muted: list[str] = []  # open inline tags whose content is not prose
        self.urls = url_spans(content)
        self.url_ends = [end for _, end in self.urls]

    def walk(self, children: list[Token]) -> None:
        for tok in children:
            handler = _HANDLERS.get(tok.type)
            if handler is not None:
                handler(self, tok)
            elif tok.markup and tok.type.endswith(("_open", "_close")):
                self._skip(tok.markup)  # emphasis and strikethrough delimiters

    # -- token handlers -------------------------------------------------

    def _text(self, tok: Token) -> None:
        if self.in_autolink or self.muted or not tok.content:
            return
        p = self.content.find(tok.content, self.cur)
        if p < 0:
            self.builder.add_mapped(tok.content, self.src(self.cur), 0)
            return
        self.cur = p + len(tok.content)
        self.emit_range(p, self.cur)

    def _special(self, tok: Token) -> None:
        """An escape or entity: decoded text mapped to its source as a whole."""
        p = self.content.find(tok.markup, self.cur)
        if p < 0 or self.in_autolink:
            return
        self.cur = p + len(tok.markup)
        if not self.muted and not self._in_url(p, self.cur):
            start = self.src(p)
            self.builder.add_mapped(tok.content, start, self.src_end(self.cur) - start)

    def _break(self, tok: Token) -> None:
        p = self.content.find("\n", self.cur)
        if p >= 0:
            self.cur = p + 1
            self.emit_range(p, p + 1)

    def _code(self, tok: Token) -> None:
        p = self.content.find(tok.markup, self.cur)
        if p < 0:
            return
        n = len(tok.markup)
        pattern = _BACKTICKS.get(n) or _BACKTICKS.setdefault(n, re.compile(f"(?<!`)`{{{n}}}(?!`)"))
        m = pattern.search(self.content, p + n)
        self.cur = m.end() if m else p + n

    def _link_open(self, tok: Token) -> None:
        auto = tok.markup == "autolink"
        self.links.append(auto)
        self._skip("<" if auto else "[")

    def _link_close(self, tok: Token) -> None:
        auto = self.links.pop() if self.links else False
        if auto:
            self._skip(">")
        else:
            self._close_label()

    def _image(self, tok: Token) -> None:
        p = self.content.find("![", self.cur)
        if p < 0:
            return
        self.cur = p + 2
        self.walk(tok.children or [])
        self._close_label()

    def _close_label(self) -> None:
        """Skip a link or image label's "]" and the destination after it."""
        p = self.content.find("]", self.cur)
        if p >= 0:
            self.cur = skip_link_tail(self.content, p + 1)

    def _html(self, tok: Token) -> None:
        p = self.content.find(tok.content, self.cur)
        if p < 0:
            return
        self.cur = p + len(tok.content)
        m = _COMMENT.fullmatch(tok.content)
        if m:
            self.comments.append(Comment(self.src(p), self.src_end(self.cur), (m.group(1) or "").strip()))
            return
        if not (self.muted or self.in_autolink):
            self._tag_attributes(tok.content, p)
        if _BREAK_TAG.match(tok.content):
            if not (self.muted or self.in_autolink):
                start = self.src(p)
                self.builder.add_mapped("\n", start, self.src_end(self.cur) - start)
            return
        tag = _MUTED_TAG.match(tok.content)
        if tag is None or tag.group(3):
            return
        name = tag.group(2).lower()
        if not tag.group(1):
            self.muted.append(name)
        elif name in self.muted:
            del self.muted[len(self.muted) - 1 - self.muted[::-1].index(name):]

    def _tag_attributes(self, tag_text: str, p: int) -> None:
        """A region for each shown attribute (alt, title, aria-label, …) of
        the inline start tag `tag_text` at content offset `p`; the
        paragraph's own text goes on around the tag."""
        from .html import attribute_value_span, shown_attributes, start_tag

        parsed = start_tag(tag_text)
        if parsed is None:
            return
        for name, kind in shown_attributes(*parsed, self.metadata):
            span = attribute_value_span(tag_text, name)
            if span is None:
                continue
            builder = RegionBuilder(self.builder.source)
            self._emit_decoded(builder, p + span[0], p + span[1])
            region = builder.build(kind)
            if region is not None:
                self.attributes.append(region)

    def _emit_decoded(self, builder: RegionBuilder, a: int, b: int) -> None:
        """Emit content[a:b] (an attribute value) into `builder`, each
        character reference decoded into a chunk mapped to its source."""
        from .html import CHARREF

        for m in CHARREF.finditer(self.content, a, b):
            self._emit(a, m.start(), builder)
            start = self.src(m.start())
            builder.add_mapped(html.unescape(m.group()), start, self.src_end(m.end()) - start)
            a = m.end()
        self._emit(a, b, builder)

    def _footnote_ref(self, tok: Token) -> None:
        p = self.content.find("[^", self.cur)
        q = self.content.find("]", p + 2) if p >= 0 else -1
        if q >= 0:
            self.cur = q + 1
            self.emit_range(p, q + 1)

    # -- helpers ----------------------------------------------------------

    @property
    def in_autolink(self) -> bool:
        return bool(self.links) and self.links[-1]

    def _skip(self, markup: str) -> None:
        p = self.content.find(markup, self.cur)
        if p >= 0:
            self.cur = p + len(markup)

    def _in_url(self, a: int, b: int) -> bool:
        i = bisect_right(self.url_ends, a)
        return i < len(self.urls) and self.urls[i][0] < b

    def emit_range(self, a: int, b: int) -> None:
        """Emit content[a:b] as region text, leaving out bare URLs."""
        a = max(a, self.floor)
        if not self.urls:
            self._emit(a, b)
            return
        for lo, hi in outside(self.urls, self.url_ends, a, b):
            self._emit(lo, hi)

    def _emit(self, a: int, b: int, builder: RegionBuilder | None = None) -> None:
        """Emit content[a:b] into `builder` (default: the block's own)."""
        builder = self.builder if builder is None else builder
        segments = self.segments
        i = max(0, bisect_right(self.seg_starts, a) - 1)
        while i < len(segments) and segments[i][0] < b:
            c0, s0, cl, sl, verbatim = segments[i]
            lo, hi = max(a, c0), min(b, c0 + cl)
            if lo < hi:
                if verbatim:
                    builder.add_source(s0 + lo - c0, s0 + hi - c0)
                else:
                    builder.add_mapped(self.content[lo:hi], s0, sl)
            i += 1

    def src(self, a: int) -> int:
        """Source offset of content offset `a` (a start)."""
        if not self.segments:
            return 0
        i = bisect_right(self.seg_starts, a) - 1
        if i < 0:
            return self.segments[0][1]
        c0, s0, cl, sl, verbatim = self.segments[i]
        if a < c0 + cl:
            return s0 + (a - c0) if verbatim else s0
        return s0 + sl

    def src_end(self, b: int) -> int:
        """Source offset just after content offset `b - 1` (an exclusive end)."""
        if b <= 0 or not self.segments:
            return self.src(0)
        i = bisect_right(self.seg_starts, b - 1) - 1
        if i < 0:
            return self.segments[0][1]
        c0, s0, cl, sl, verbatim = self.segments[i]
        if b - 1 < c0 + cl and verbatim:
            return s0 + (b - c0)
        return s0 + sl


_HANDLERS: dict[str, Callable[[_Inline, Token], None]] = {
    "text": _Inline._text, "text_special": _Inline._special, "softbreak": _Inline._break,
    "hardbreak": _Inline._break, "code_inline": _Inline._code, "link_open": _Inline._link_open,
    "link_close": _Inline._link_close, "image": _Inline._image, "html_inline": _Inline._html,
    "footnote_ref": _Inline._footnote_ref,
}


def skip_link_tail(content: str, pos: int) -> int:
    """Offset after a link's destination part ("(url "title")", "[ref]" or
    nothing), parsed as markdown-it's link rule does."""
    n = len(content)
    if pos < n and content[pos] == "(":
        end = _inline_destination_end(content, pos + 1)
        if end >= 0:
            return end
    if pos < n and content[pos] == "[":
        i = pos + 1
        while i < n and content[i] != "]":
            i += 2 if content[i] == "\\" else 1
        if i < n:
            return i + 1
    return pos


def _inline_destination_end(content: str, pos: int) -> int:
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    n = len(content)
    pos = _skip_space(content, pos)
    if pos >= n:
        return -1
    res = parseLinkDestination(content, pos, n)
    if res.ok:
        pos = res.pos
        start = pos
        pos = _skip_space(content, pos)
        title = parseLinkTitle(content, pos, n)
        if pos < n and start != pos and title.ok:
            pos = _skip_space(content, title.pos)
    return pos + 1 if pos < n and content[pos] == ")" else -1


def _skip_space(content: str, pos: int) -> int:
    n = len(content)
    while pos < n and content[pos] in " \t\n":
        pos += 1
    return pos


# -- front matter --------------------------------------------------------

# Keys whose values readers see: on the page, in search results and link
# previews (`seo:`/`og:` blocks, `meta_description`), in FAQ blocks. At any
# depth: `seo:` then an indented `description:`, or in a list item.
_SHOWN_KEYS = (r"(?:(?:meta|seo|og|twitter)[_-]?)?(?:title|description)|(?:meta|seo|og|twitter)(?:Title|Description)"
               r"|summary|excerpt|subtitle|teaser|lead|lede|intro|abstract|tagline|caption|alt|question|answer")
_FM_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?(" + _SHOWN_KEYS + r")[ \t]*:(?=[ \t]|$)")
_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
_DQ_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_DQ_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", " ": " ", "/": "/", "\\": "\\", '"': '"', "\t": "\t"}


_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*(?:\r\n|\r|\n|\Z)", re.MULTILINE)
_YAML_FENCE = re.compile(r"^---[ \t]*(?:\r\n|\r|\n|\Z)", re.MULTILINE)
# A shown key (dotted keys too: `params.description`) with a string on one
# line, or a multi-line string in triple quotes.
_TOML_KEY = re.compile(r"^[ \t]*(?:[\w-]+\.)*(" + _SHOWN_KEYS + r")[ \t]*=[ \t]*"
                       r'(?:"""(?:\r?\n)?((?:[^"\\]|\\.|"(?!""))*)"""'
                       r"|'''(?:\r?\n)?((?:[^']|'(?!''))*)'''"
                       r'|"((?:[^"\\\r\n]|\\.)*)"'
                       r"|'([^'\r\n]*)')[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)


def _fenced_end(source: str, fence: re.Pattern[str]) -> int:
    """Where a block opening the source with `fence` ends (after its
    closing fence line), or 0."""
    opening = fence.match(source)
    closing = fence.search(source, opening.end()) if opening else None
    return closing.end() if closing else 0


def front_matter_end(source: str) -> int:
    """Where the front matter (YAML `---` or TOML `+++`) opening a Markdown
    source ends, or 0: an editor puts a file-wide comment after it."""
    return _fenced_end(source, _TOML_FENCE) or _fenced_end(source, _YAML_FENCE)


def toml_front_matter_regions(source: str, end: int) -> list[Region]:
    """TITLE/DESCRIPTION regions for the title, description and summary
    strings of TOML front matter in source[:end]."""
    regions = []
    for m in _TOML_KEY.finditer(source, 0, end):
        group = next(g for g in (2, 3, 4, 5) if m.group(g) is not None)
        builder = RegionBuilder(source)
        builder.add_source(m.start(group), m.end(group))
        region = builder.build(_shown_kind(m.group(1)))
        if region is not None:
            regions.append(region)
    return regions


def front_matter_regions(source: str, lines: LineIndex, first: int, last: int) -> list[Region]:
    """TITLE/DESCRIPTION regions for the shown keys (at any depth) on
    1-based lines first..last (the lines between the front-matter fences)."""
    regions: list[Region] = []
    n = first
    while n <= last:
        start, end = lines.line_span(n, source)
        m = _FM_KEY.match(source, start, end)
        n += 1
        if not m:
            continue
        # The value goes on over the lines indented deeper than its key
        # (and blank lines).
        indent = m.start(1) - start
        pieces = [(_skip_blanks(source, m.end(), end), end)]
        while n <= last:
            s, e = lines.line_span(n, source)
            text_at = _skip_blanks(source, s, e)
            if text_at < e and text_at - s <= indent:
                break
            pieces.append((text_at, e))
            n += 1
        region = _scalar(source, pieces, _shown_kind(m.group(1)))
        if region is not None:
            regions.append(region)
    return regions


def _shown_kind(key: str) -> str:
    return TITLE if key.lower().endswith("title") else DESCRIPTION


def _skip_blanks(source: str, pos: int, end: int) -> int:
    while pos < end and source[pos] in " \t":
        pos += 1
    return pos


def _scalar(source: str, pieces: list[tuple[int, int]], kind: str) -> Region | None:
    """One YAML scalar spread over (start, end) line pieces."""
    builder = RegionBuilder(source)
    a, b = pieces[0]
    head = source[a:b]
    if _BLOCK_INDICATOR.match(head):
        _block_scalar(builder, pieces[1:], folded=head[0] == ">")
    elif head.startswith('"'):
        _quoted(builder, [(a + 1, b)] + pieces[1:], _double_piece)
    elif head.startswith("'"):
        _quoted(builder, [(a + 1, b)] + pieces[1:], _single_piece)
    else:
        _plain(builder, pieces)
    return builder.build(kind)


def _block_scalar(builder: RegionBuilder, pieces: list[tuple[int, int]], folded: bool) -> None:
    prev_end = -1
    for a, b in pieces:
        if a >= b:
            continue  # blank lines fold into the line break that follows
        if prev_end >= 0:
            breaks = builder.source.count("\n", prev_end, a) or 1
            # YAML folding: one break becomes a space, n breaks keep n - 1
            joiner = ("\n" * (breaks - 1) or " ") if folded else "\n" * breaks
            builder.add_mapped(joiner, prev_end, a - prev_end)
        builder.add_source(a, _rstrip(builder.source, a, b))
        prev_end = _rstrip(builder.source, a, b)


def _plain(builder: RegionBuilder, pieces: list[tuple[int, int]]) -> None:
    prev_end = -1
    for a, b in pieces:
        hash_at = builder.source.find(" #", a, b)
        b = _rstrip(builder.source, a, hash_at if hash_at >= 0 else b)
        if a >= b:
            continue
        if prev_end >= 0:
            builder.add_mapped(" ", prev_end, a - prev_end)
        builder.add_source(a, b)
        prev_end = b


def _quoted(builder: RegionBuilder, pieces: list[tuple[int, int]],
            piece: Callable[[RegionBuilder, int, int], int]) -> None:
    """Pieces of a quoted scalar; `piece` emits one and returns where the
    closing quote is (or -1 to continue on the next line)."""
    prev_end = -1
    for a, b in pieces:
        if prev_end >= 0 and a < b:
            builder.add_mapped(" ", prev_end, a - prev_end)
        close = piece(builder, a, b)
        if close >= 0:
            return
        prev_end = _rstrip(builder.source, a, b)


def _double_piece(builder: RegionBuilder, a: int, b: int) -> int:
    source = builder.source
    pos = a
    while pos < b:
        quote = source.find('"', pos, b)
        slash = source.find("\\", pos, b)
        if slash >= 0 and (quote < 0 or slash < quote):
            builder.add_source(pos, slash)
            m = _DQ_ESCAPE.match(source, slash, b)
            if not m:
                return -1
            builder.add_mapped(_dq_decode(m.group(1)), slash, m.end() - slash)
            pos = m.end()
            continue
        if quote >= 0:
            builder.add_source(pos, quote)
            return quote
        builder.add_source(pos, _rstrip(source, pos, b))
        return -1
    return -1


def _dq_decode(escape: str) -> str:
    if len(escape) > 1:
        try:
            return chr(int(escape[1:], 16))
        except (ValueError, OverflowError):
            return escape
    return _DQ_SIMPLE.get(escape, escape)


def _single_piece(builder: RegionBuilder, a: int, b: int) -> int:
    source = builder.source
    pos = a
    while pos < b:
        quote = source.find("'", pos, b)
        if quote < 0:
            builder.add_source(pos, _rstrip(source, pos, b))
            return -1
        builder.add_source(pos, quote)
        if source.startswith("''", quote) and quote + 1 < b:
            builder.add_mapped("'", quote, 2)
            pos = quote + 2
            continue
        return quote
    return -1


def _rstrip(source: str, a: int, b: int) -> int:
    while b > a and source[b - 1] in " \t":
        b -= 1
    return b
