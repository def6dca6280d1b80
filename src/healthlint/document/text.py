"""Plain-text front end: paragraphs and bullet lines -> prose regions.

Blank lines separate paragraphs; a bullet line ("- ", "* ", "• ", "1. ")
starts a list-item region without its marker. Email quoting ("> ", "> > ")
is markup too: each quoted line's text is prose, and consecutive lines
quoted to the same depth form one paragraph. Directive lines
(`# healthlint-disable ...`) and `<!-- ... -->` comments are not prose: they
become `Comment`s and end the paragraph they interrupt.
"""
from __future__ import annotations

import re

from .model import LIST_ITEM, TEXT, Comment, Region, RegionBuilder, html_comments
from .sourcemap import LineIndex

# One run of spaces is one \s* (two side by side try every split of a run:
# a line of 100,000 spaces took half a minute).
_OPENERS = ("#", "//", "<!--")
_DIRECTIVE = re.compile(r"^\s*(?:(?:" + "|".join(_OPENERS) + r")\s*)?healthlint-(disable|enable)[\w-]*\b.*$",
                        re.IGNORECASE)
# Plain-text bullets: ASCII and typographic markers, check marks, arrows and
# the emoji that social posts and product pages use as bullets.
_BULLET = re.compile(
    r"[ \t]*(?:[-*+•‣◦▪✔✓✅☑★☆→➤▶►✗✘❌✖]|[\U0001F300-\U0001FAFF]\ufe0f?|\d{1,3}[.)])[ \t]+(?=\S)"
)

# Email quote markers opening a line: each ">" followed by a space, another
# ">" or the end of the line (">50%" is prose, not a quote).
_QUOTE = re.compile(r"[ \t]*(?:>[ \t]*)*>(?=[ \t]|$)[ \t]*")


def extract(source: str, lines: LineIndex) -> tuple[tuple[Region, ...], tuple[Comment, ...]]:
    """Regions (TEXT paragraphs, LIST_ITEM bullets) and comments of a plain-text source."""
    comments_html = html_comments(source)
    walker = _Walker(source, lines, [(c.start, c.end) for c in comments_html])
    for n in range(1, lines.line_count + 1):
        walker.line(n)
    walker.flush()
    comments = sorted(comments_html + walker.directives, key=lambda c: c.start)
    return tuple(walker.regions), tuple(comments)


class _Walker:
    """Line-by-line paragraph builder; `hidden` are comment spans to leave out."""

    def __init__(self, source: str, lines: LineIndex, hidden: list[tuple[int, int]]) -> None:
        self.source = source
        self.lines = lines
        self.hidden = hidden
        self.next_hidden = 0
        self.regions: list[Region] = []
        self.directives: list[Comment] = []
        self.builder: RegionBuilder | None = None
        self.kind = TEXT
        self.depth = 0  # quote depth of the running paragraph
        self.eol = (0, 0)

    def line(self, n: int) -> None:
        start, end = self.lines.line_span(n, self.source)
        eol = (end, self.lines.starts[n] if n < self.lines.line_count else self.lines.length)
        pieces = self._visible(start, end)
        depth = self._unquote(start, pieces)
        if depth != self.depth:
            self.flush()
            self.depth = depth
        if not any(self.source[a:b].strip() for a, b in pieces):
            self.flush()
        elif self._directive(start, end, pieces):
            self.flush()
        else:
            self._prose(pieces)
        self.eol = eol

    def _visible(self, start: int, end: int) -> list[tuple[int, int]]:
        """The parts of [start, end) outside comment spans."""
        hidden = self.hidden
        i = self.next_hidden
        while i < len(hidden) and hidden[i][1] <= start:
            i += 1
        self.next_hidden = i
        pieces = []
        pos = start
        while i < len(hidden) and hidden[i][0] < end:
            if hidden[i][0] > pos:
                pieces.append((pos, hidden[i][0]))
            pos = max(pos, hidden[i][1])
            i += 1
        if pos < end:
            pieces.append((pos, end))
        return pieces

    def _unquote(self, start: int, pieces: list[tuple[int, int]]) -> int:
        """Take the quote markers off the line's first piece; their count."""
        if not pieces or pieces[0][0] != start:
            return 0
        m = _QUOTE.match(self.source, start, pieces[0][1])
        if m is None:
            return 0
        pieces[0] = (m.end(), pieces[0][1])
        return m.group().count(">")

    def _directive(self, start: int, end: int, pieces: list[tuple[int, int]]) -> bool:
        text = self.source[start:end]
        m = _DIRECTIVE.match(text)
        if m is None:
            return False
        at = start + m.start(1) - len("healthlint-")
        if not any(a <= at < b for a, b in pieces):
            return True  # an HTML comment on this line already holds the directive
        lead = len(text) - len(text.lstrip())
        visible = "".join(self.source[a:b] for a, b in pieces)
        self.directives.append(Comment(start + lead, start + len(text.rstrip()), unwrap(visible)))
        return True

    def _prose(self, pieces: list[tuple[int, int]]) -> None:
        first = pieces[0][0]
        bullet = _BULLET.match(self.source, first, pieces[0][1])
        if bullet:
            self.flush()
            self.kind = LIST_ITEM
            pieces[0] = (bullet.end(), pieces[0][1])
        if self.builder is None:
            self.builder = RegionBuilder(self.source)
            if not bullet:
                self.kind = TEXT
        else:
            self.builder.add_mapped("\n", self.eol[0], self.eol[1] - self.eol[0])
        for a, b in pieces:
            self.builder.add_source(a, b)

    def flush(self) -> None:
        if self.builder is not None:
            region = self.builder.build(self.kind)
            if region is not None:
                self.regions.append(region)
        self.builder = None


def unwrap(line: str) -> str:
    """A directive line without its comment markers: what lies between an
    opening "#", "//" or "<!--" and a closing "-->", stripped. (As a regex
    it tried every split of a run of spaces three ways: a 4 KB line took a
    minute.)"""
    inner = line.strip()
    for opener in _OPENERS:
        if inner.startswith(opener):
            inner = inner[len(opener):].lstrip()
            break
    if inner.endswith("-->"):
        inner = inner[:-3].rstrip()
    return inner
