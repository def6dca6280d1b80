"""MDX (`.mdx`): the JavaScript in it is not prose.

MDX is Markdown with JavaScript and JSX in it. Read as plain Markdown, an
`export const meta = {claim: 'cures anxiety'}` block was an efficacy claim
and `<Chart label="guaranteed results" />` was hype. `mask` finds what MDX
adds and blanks it, one space per character with line breaks kept, so that
markdown-it reads blank space there and every other offset stays where it
is; the spans go with the text (`MaskedSource.hidden`), and region builders
leave them out of region text as they leave out bare URLs:

- ESM: a top-level block whose first line starts with `import` or `export`
  at column 0, up to the next blank line, as MDX reads it;
- expressions: `{…}`, balanced, inline or as a block of their own
  (`{/* a comment */}` too), with JavaScript strings and comments skipped;
- JSX tags: a component's tag whole (`<Callout type="warn">`, `</Callout>`,
  `<Chart data={[1, 2]} />`, `<>`); in a lowercase (HTML) tag only its `{…}`
  attribute values, so the tag still reads as HTML (an `alt` stays prose).

The text between a component's tags stays prose. Fenced code, code spans,
HTML comments and front matter are left as they are. An unclosed `{` or
tag is text, as is every `{` or tag after one that runs to the end of the
file (MDX would refuse the file; this keeps the scan linear). MDX has no
indented code, so markdown.py parses `.mdx` with it off: content indented
under a component stays prose.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .model import MaskedSource

Span = tuple[int, int]

_ESM = re.compile(r"(?:import|export)(?=[ \t{*\"'])")
# A fence opening a code block: up to three spaces in, after any blockquote
# or list markers (four spaces in is a paragraph line, as MDX has no
# indented code). Anything fence-like at all, for `_crosses_fence`.
_FENCE = re.compile(r"(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])[ \t]*)*[ ]{0,3}(`{3,}|~{3,})")
_FENCE_LIKE = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(?:`{3,}|~{3,})", re.MULTILINE)
_BLANK = re.compile(r"^[ \t]*\r?$", re.MULTILINE)
_NEXT = re.compile(r"[\\`<{\r\n]")
_CODE_TOKEN = re.compile(r"[{}'\"`/]")
_TAG_NAME = re.compile(r"[A-Za-z_$][\w$-]*(?:[.:][A-Za-z_$][\w$-]*)*")
_ATTR_NAME = re.compile(r"[A-Za-z_$:][\w$:.-]*")
_SPACE = re.compile(r"\s*")
_BACKTICKS = re.compile(r"`+")
_EOL = re.compile(r"[\r\n]")
# Where a JavaScript string ends: its quote, or (a quoted one) its line's end.
_STRING_END = {q: re.compile(r"\\.|" + ("`" if q == "`" else f"{q}|[\r\n]"), re.S) for q in "'\"`"}

__all__ = ["mask"]


def mask(source: str) -> MaskedSource:
    """`source` with its MDX-only constructs blanked (see the module docstring)."""
    spans = _Scanner(source).spans()
    if not spans:
        return MaskedSource(source, ())
    out, pos = [], 0
    for a, b in spans:
        out.append(source[pos:a])
        out.append(re.sub(r"[^\r\n]", " ", source[a:b]))
        pos = b
    out.append(source[pos:])
    return MaskedSource("".join(out), tuple(spans))


class _Scanner:
    """One forward pass over the lines; constructs may run over several."""

    def __init__(self, source: str) -> None:
        from .markdown import front_matter_end

        self.source = source
        self.n = len(source)
        # The line-structure patterns (`^`, `$`) run on a copy whose lone
        # "\r" line breaks are "\n": same length, so every offset holds.
        self.lf = re.sub(r"\r(?!\n)", "\n", source)
        self.start = front_matter_end(self.lf)
        self.out: list[Span] = []
        self.blanks = [m.start() for m in _BLANK.finditer(self.lf)]
        # Where each length of backtick run occurs, to pair code spans with
        # a bisect instead of a search per run (markdown-it does the same).
        self.runs: dict[int, list[int]] = {}
        for m in _BACKTICKS.finditer(source):
            self.runs.setdefault(len(m.group()), []).append(m.start())
        # Set once a `{` or a tag ran to the end of the file unclosed.
        self.braces_open = self.tags_open = self.comments_open = False

    def spans(self) -> list[Span]:
        pos, blank_before = self.start, True
        while pos < self.n:
            eol = self._eol(pos)
            line = self.source[pos:eol]
            if not line.strip():
                pos, blank_before = self._next_line(eol), True
                continue
            fence = _FENCE.match(line)
            if fence:
                pos = self._after_fence(self._next_line(eol), fence.group(1))
            elif blank_before and _ESM.match(line):
                end = self._paragraph_end(pos)
                self.out.append((pos, end))
                pos = end
            else:
                pos = self._inline(pos)
            blank_before = False
        return self.out

    # -- lines ----------------------------------------------------------------

    def _eol(self, pos: int) -> int:
        m = _EOL.search(self.source, pos)
        return m.start() if m else self.n

    def _next_line(self, eol: int) -> int:
        return eol + 2 if self.source.startswith("\r\n", eol) else eol + 1

    def _paragraph_end(self, pos: int) -> int:
        """The start of the first blank line after `pos` (or the end)."""
        i = bisect_right(self.blanks, pos)
        return self.blanks[i] if i < len(self.blanks) else self.n

    def _after_fence(self, pos: int, fence: str) -> int:
        closing = re.compile(rf"^[ \t>]*(?:(?:[-+*]|\d{{1,9}}[.)])[ \t]+)?{re.escape(fence[0])}{{{len(fence)},}}"
                             r"[ \t]*\r?$", re.MULTILINE)
        m = closing.search(self.lf, pos)
        return self._next_line(m.end()) if m else self.n

    # -- within a line ----------------------------------------------------------

    def _inline(self, pos: int) -> int:
        """Scan from `pos` to the end of its line (past any construct that
        runs over it); return where the next line starts."""
        src = self.source
        while True:
            m = _NEXT.search(src, pos)
            if m is None:
                return self.n
            pos, c = m.start(), m.group()
            if c in "\r\n":
                return self._next_line(pos)
            if c == "\\":  # an escape; a backslash before a line break is a hard break
                pos += 1 if self.source[pos + 1:pos + 2] in ("", "\r", "\n") else 2
            elif c == "`":
                pos = self._code_span(pos)
            elif c == "<":
                pos = self._angle(pos)
            else:
                pos = self._brace(pos)

    def _code_span(self, pos: int) -> int:
        run = _BACKTICKS.match(self.source, pos).end() - pos  # type: ignore[union-attr]
        starts = self.runs.get(run, [])  # after "\`" the run is shorter than any found
        i = bisect_right(starts, pos)
        if i < len(starts) and starts[i] < self._paragraph_end(pos):
            return starts[i] + run
        return pos + run  # no closing run in the paragraph: literal backticks

    def _angle(self, pos: int) -> int:
        src = self.source
        if src.startswith("<!--", pos):
            end = -1 if self.comments_open else src.find("-->", pos + 4)
            self.comments_open = end < 0
            return end + 3 if end >= 0 else pos + 4
        tag = None if self.tags_open else self._tag(pos)
        if tag is None or self._crosses_fence(pos, tag[0]):
            return pos + 1
        end, component, values = tag
        self.out.extend([(pos, end)] if component else values)
        return end

    def _brace(self, pos: int) -> int:
        end = self._expression_end(pos)
        if end < 0 or self._crosses_fence(pos, end):
            return pos + 1
        self.out.append((pos, end))
        return end

    def _crosses_fence(self, start: int, end: int) -> bool:
        """Whether source[start:end] holds a line that looks like a code
        fence: blanking one (a `<Tag a="` in code, closed by a quote after
        the block) would leave the block open to the end of the file."""
        return self.lf.find("\n", start, end) >= 0 and _FENCE_LIKE.search(self.lf, start, end) is not None

    # -- JavaScript ---------------------------------------------------------------

    def _expression_end(self, pos: int) -> int:
        """Where the `{…}` at `pos` ends, or -1 if it is not closed."""
        if self.braces_open:
            return -1
        src, depth = self.source, 0
        while True:
            m = _CODE_TOKEN.search(src, pos)
            if m is None:
                self.braces_open = True  # every later `{` would run to the end too
                return -1
            pos, c = m.start(), m.group()
            if c == "{":
                depth, pos = depth + 1, pos + 1
            elif c == "}":
                depth, pos = depth - 1, pos + 1
                if depth == 0:
                    return pos
            elif c == "/":
                pos = self._comment_end(pos)
            else:
                pos = self._string_end(pos, c)

    def _string_end(self, pos: int, quote: str) -> int:
        # A quoted string ends at its line's end even unclosed (JSX text in an
        # expression, "it's", is not a string); a template may span lines.
        stop = _STRING_END[quote]
        pos += 1
        while (m := stop.search(self.source, pos)) is not None:
            if m.group()[0] != "\\":
                return m.end() if m.group() == quote else m.start()
            pos = m.end()
        return self.n

    def _comment_end(self, pos: int) -> int:
        src = self.source
        if src.startswith("//", pos):
            return self._eol(pos)
        if src.startswith("/*", pos):
            end = src.find("*/", pos + 2)
            return end + 2 if end >= 0 else self.n
        return pos + 1

    # -- JSX tags -------------------------------------------------------------------

    def _tag(self, pos: int) -> tuple[int, bool, list[Span]] | None:
        """(end, is a component, `={…}` spans) of a JSX tag at `pos`, or None."""
        src = self.source
        closing = src.startswith("/", pos + 1)
        j = pos + 2 if closing else pos + 1
        if src.startswith(">", j):
            return j + 1, True, []  # a fragment, <> or </>
        name = _TAG_NAME.match(src, j)
        if name is None:
            return None
        component = not name.group()[0].islower() or "." in name.group()
        return self._attributes(name.end(), closing, component)

    def _attributes(self, j: int, closing: bool, component: bool) -> tuple[int, bool, list[Span]] | None:
        src, values = self.source, []
        while True:
            j = _SPACE.match(src, j).end()  # type: ignore[union-attr]
            if j >= self.n:
                self.tags_open = True
                return None
            if src[j] == ">" or src.startswith("/>", j):
                return j + (1 if src[j] == ">" else 2), component, values
            if closing:
                return None
            if src[j] == "{":  # a spread, {...props}
                end = self._expression_end(j)
                if end < 0:
                    return None
                values.append((j, end))
                j = end
                continue
            attr = _ATTR_NAME.match(src, j)
            if attr is None:
                return None
            j = self._value(attr.end(), values)
            if j < 0:
                return None

    def _value(self, j: int, values: list[Span]) -> int:
        """After an attribute name: past its `="…"` or `={…}` value, if any."""
        src = self.source
        eq = _SPACE.match(src, j).end()  # type: ignore[union-attr]
        if not src.startswith("=", eq):
            return j
        v = _SPACE.match(src, eq + 1).end()  # type: ignore[union-attr]
        if v < self.n and src[v] in "\"'":
            end = src.find(src[v], v + 1)
            if end < 0:
                self.tags_open = True
            return end + 1 if end >= 0 else -1
        if v < self.n and src[v] == "{":
            end = self._expression_end(v)
            if end >= 0:
                values.append((eq, end))  # `={…}` goes; the name stays, an HTML boolean attribute
            return end
        return -1

