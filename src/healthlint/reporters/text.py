"""`--format text`: one header line per finding, the source line with the
match underlined, and a summary (ruff's `full` format, flake8's
`--show-source`).

    guide.md:5:1: HL101 [dose] Dose 'Take 2-4 grams' is presented as what to take, ...
     5 | Take 2-4 grams of kratom before bed.
       | ^^^^^^^^^^^^^^

    Found 1 problem (0 errors, 1 warning, 0 info) in 1 file.

Columns count code points; carets allow for wide (CJK) characters. A long
line is shown as a window around the match. Tabs are expanded to TAB_SIZE on the source line
and on the caret line alike, so the carets stay under the match; a match
that spans lines is underlined to the end of its first line. Document-level
findings have no excerpt: they are about the whole file.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Sequence

from ..document.sourcemap import LineIndex
from ..findings import FileReport, Finding, Severity

if TYPE_CHECKING:
    from . import RunContext

TAB_SIZE = 4
_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


# Control characters (escape sequences, line breaks, bidi overrides) in a
# file's text or name reach the terminal as one visible character each: the
# file cannot clear the screen, retitle the window, forge a line or reorder
# what is shown, and carets stay under the match.
_UNPRINTABLE = {c: "\ufffd" for c in [*range(0x20), 0x7f, *range(0x80, 0xa0), 0x2028, 0x2029,
                                      *range(0x202a, 0x202f), *range(0x2066, 0x206a)] if c != 0x09}


_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_UNPRINTABLE)) + "]")


def printable(text: str) -> str:
    # Nearly every line has none: a search is far cheaper than translate.
    return text.translate(_UNPRINTABLE) if _CONTROL.search(text) else text


def header(f: Finding, color: bool = False) -> str:
    """`path:line:col: CODE [category] message`."""
    where = _paint(f"{printable(f.path)}:{f.line}:{f.column}:", "1", color)
    code = _paint(f.code, "1;" + _COLORS[f.severity], color)
    category = _paint(f"[{f.category}]", "2", color)
    message = printable(" ".join(f.message.splitlines()))  # one finding, one line, whatever the message holds
    return f"{where} {code} {category} {message}"


# A line longer than this (minified HTML, a paragraph on one line) is shown
# as a window around the match, so each finding prints a few hundred
# characters, not the whole line again.
LONG_LINE = 240
_AROUND = 60


def _width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide characters take two,
    combining marks and zero-width characters none."""
    width = len(text)
    if text.isascii():
        return width
    # Only the non-ASCII characters can differ from one column; looking up
    # every character made the text output of a cached run over 20,000
    # files a third of its time.
    for c in _NON_ASCII.findall(text):
        if unicodedata.combining(c) or c in _ZERO_WIDTH:
            width -= 1
        elif unicodedata.east_asian_width(c) in "WF":
            width += 1
    return width


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f\u00ad")


def excerpt(f: Finding, source: str, lines: LineIndex, color: bool = False) -> list[str]:
    """The finding's first source line (or a window of it) and a caret line
    under the match."""
    start, end = lines.line_span(f.line, source)
    first = f.column - 1
    last = f.end_column - 1 if f.end_line == f.line else end - start
    before = after = ""
    if end - start > LONG_LINE:
        lo = max(0, first - _AROUND)
        hi = min(end - start, max(last, first + 1) + _AROUND, lo + LONG_LINE)
        before, after = ("…" if lo else ""), ("…" if start + hi < end else "")
        start, end, first, last = start + lo, start + hi, first - lo, min(last, hi) - lo
    text = printable(source[start:end])
    lead = _width(before + text[:first].expandtabs(TAB_SIZE))
    width = max(1, _width(before + text[:last].expandtabs(TAB_SIZE)) - lead)
    gutter = " " * len(str(f.line))
    carets = _paint("^" * width, "1;" + _COLORS[f.severity], color)
    out = [f" {f.line} | {before}{text.expandtabs(TAB_SIZE).rstrip()}{after}", f" {gutter} | {' ' * lead}{carets}"]
    if f.replacement:
        out.append(f" {gutter} = suggestion: {printable(f.replacement)}")
    return out


def _file_lines(r: FileReport, ctx: RunContext) -> list[str]:
    out: list[str] = []
    index = LineIndex(r.source) if r.source is not None and not ctx.quiet else None
    for f in r.findings:
        out.append(header(f, ctx.color))
        if index is not None and r.source is not None:
            if not f.document_level:
                out.extend(excerpt(f, r.source, index, ctx.color))
            out.append("")
    return out


class Tally:
    """The counts the summary line needs, kept as reports stream past."""

    def __init__(self) -> None:
        self.reports = self.unreadable = self.noted = self.files = 0
        self.by: Counter[Severity] = Counter()

    def add(self, r: FileReport) -> None:
        self.reports += 1
        # A file with a note and a source was read (e.g. as Windows-1252)
        # and linted; only one without a source went unchecked.
        self.unreadable += bool(r.error) and r.source is None
        self.noted += bool(r.error) and r.source is not None
        self.files += bool(r.findings)
        self.by.update(f.severity for f in r.findings)

    def summary(self) -> str:
        total = sum(self.by.values())
        tail = f"; {_plural(self.unreadable, 'file')} could not be read" if self.unreadable else ""
        if self.noted:
            tail += f"; {_plural(self.noted, 'file')} read with a warning"
        if not total:
            if not self.reports:
                return "No files to check."
            return f"No problems found in {_plural(self.reports - self.unreadable, 'file')}{tail}."
        by = self.by
        counts = ", ".join(_plural(by[s], str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        return f"Found {_plural(total, 'problem')} ({counts}) in {_plural(self.files, 'file')}{tail}."


def summary(reports: Sequence[FileReport]) -> str:
    tally = Tally()
    for r in reports:
        tally.add(r)
    return tally.summary()


def statistics(reports: Sequence[FileReport]) -> list[str]:
    """One line per code: count, code, [category] name; most frequent first."""
    findings = [f for r in reports for f in r.findings]
    counts = Counter(f.code for f in findings)
    names = {f.code: (f.name, f.category) for f in findings}
    width = max((len(str(n)) for n in counts.values()), default=1)
    code_width = max((len(c) for c in counts), default=5)
    return [f"{n:>{width}}  {code:<{code_width}}  [{names[code][1]}] {names[code][0]}"
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    has_findings = any(r.findings for r in reports)
    if ctx.statistics:
        lines = statistics(reports)
    else:
        lines = [line for r in reports for line in _file_lines(r, ctx)]
    if ctx.quiet and not has_findings:
        return ""
    if lines and lines[-1] != "":
        lines.append("")
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


class Stream:
    """`report` one file at a time (statistics excepted): each file's lines
    as soon as it is linted, the summary at the end."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.tally = Tally()
        self.last = ""

    def file(self, r: FileReport) -> str:
        self.tally.add(r)
        lines = _file_lines(r, self.ctx)
        if not lines:
            return ""
        self.last = lines[-1]
        return "\n".join(lines) + "\n"

    def end(self) -> str:
        if self.ctx.quiet and not self.tally.files:
            return ""
        return ("\n" if self.tally.files and self.last != "" else "") + self.tally.summary() + "\n"
