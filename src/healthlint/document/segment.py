"""Sentence segmentation: regions -> units (sentences, headings, items, cells).

Every region is cut at sentence boundaries, so a list item or cell holding
several sentences yields several units of the region's kind. Footnote
definitions are the exception: they are bibliography entries, one unit each
(as are plain-text lines that start with a "[n]" reference marker).

A boundary is sentence-final punctuation (with trailing closing quotes,
brackets and attached citation markers such as "[^2]" or "[3]") followed by
whitespace and a sentence opener, or by emoji or symbols standing alone
between spaces and then a sentence opener (they stay with the sentence
before); a blank line; or a line break after a
short heading-like line. Abbreviations, initials, decimals and list numbers
do not end sentences.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

from .model import FOOTNOTE, Region, Unit

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«¿¡"
_ENDERS = ".!?:…" + _CLOSERS
# The lookbehind makes a run of dots match once, at its first dot, so a long
# run not followed by whitespace cannot cost quadratic backtracking.
_TERMINATOR = re.compile(
    r"(?<![.!?])(?:[.!?]+|…)[\"'”’)\]»]*"
    r"(?:\[\^?[\w-]{1,20}\]|\[\d{1,3}(?:[,–-]\d{1,3})*\])*(?=\s)"
)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_NEWLINE = re.compile(r"\n")
_REFERENCE_LINE = re.compile(r"^[^\S\n]*\[\^?\d{1,3}\][^\S\n]", re.M)
# Line breaks that end a unit without punctuation: before a "Q:"/"A:" line
# of a FAQ or thread, and after a line that ends in an emoji (social copy
# ends sentences with them) when the next line opens a sentence.
_LINE_BREAKS = re.compile(
    r"\n(?=[^\S\n]*(?:Q|A|Question|Answer)[^\S\n]*\d{0,3}[^\S\n]*[:.)][^\S\n])"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?[^\S\n]*(\n)(?=[^\S\n]*[A-Z0-9\"'“‘(])"
)
_PREV_WORD = re.compile(r"[^\s(\[\"“‘'«]+$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")

ABBREVIATIONS = frozenset(
    """dr mr mrs ms prof st vs e.g i.e etc approx incl min max vol fig al u.s u.k
    a.m p.m inc ltd co mg jr sr dept cf viz oz lb lbs tbsp tsp hr hrs pp""".split()
)
# Abbreviations that are also everyday words: only before a number ("No. 5").
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos"})
# A capital letter after these words is a name ("vitamin D."), not an initial.
_NOT_INITIAL_AFTER = frozenset(
    "vitamin hepatitis type group grade stage class phase part plan schedule appendix section level size".split()
)
# A heading-like line never ends with a word that needs a continuation.
_CONTINUES = frozenset(
    """a an the and or but nor of to for in on at by from with without your our their
    his her its my than as that which who is are was were be been has have had will
    can may might should would could not no into onto per via""".split()
)


def segment(regions: Sequence[Region]) -> tuple[Unit, ...]:
    """Cut `regions` into units, in source order; empty units are dropped."""
    units: list[Unit] = []
    for index, region in enumerate(regions):
        units.extend(_units(index, region))
    if not _ordered(regions):
        units.sort(key=lambda u: (regions[u.region].to_source(u.start), u.region))
    return tuple(units)


def _ordered(regions: Sequence[Region]) -> bool:
    """True when regions already follow each other in the source (no sort needed)."""
    end = -1
    for region in regions:
        if region.to_source(0) < end:
            return False
        end = max(end, region.to_source_end(len(region.text)))
    return True


# No sentence is this long; text that segments into one (a lowercase dump,
# a log, a minified blob) is cut into pieces of at most this many
# characters, so the rules' work on a unit stays bounded.
MAX_UNIT = 1200
# As in _TERMINATOR, a run of dots is tried once, from its first dot.
_SOFT_END = re.compile(r"(?<![.!?])(?:[.!?]+|…)[\"'”’)\]»]*(?=\s)|\n")


def _units(index: int, region: Region) -> Iterator[Unit]:
    text = region.text
    cuts = [len(text)] if region.kind == FOOTNOTE else boundaries(text)
    start = 0
    for cut in cuts:
        if cut - start > MAX_UNIT:
            cuts_within = _long_cuts(text, start, cut)
        else:
            cuts_within = (cut,)
        for end in cuts_within:
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                yield Unit(index, start + lead, start + lead + len(stripped), region.kind, stripped)
            start = end


def _long_cuts(text: str, start: int, end: int) -> list[int]:
    """Cuts of text[start:end] into pieces of at most MAX_UNIT characters:
    at the last sentence-final punctuation or line break of each window
    (whatever follows it), else at its last space, else at its end."""
    cuts = []
    while end - start > MAX_UNIT:
        limit = start + MAX_UNIT
        cut = -1
        for m in _SOFT_END.finditer(text, start + MAX_UNIT // 4, limit):
            cut = m.end()
        if cut <= start:
            space = max(text.rfind(" ", start + 1, limit), text.rfind("\t", start + 1, limit))
            cut = space + 1 if space > start else limit
        cuts.append(cut)
        start = cut
    cuts.append(end)
    return cuts


def boundaries(text: str) -> list[int]:
    """Sorted cut offsets in `text`; the last one is always len(text)."""
    cuts = set(_terminator_cuts(text))
    cuts.update(m.start() for m in _BLANK_LINE.finditer(text))
    if "\n" in text:
        cuts.update(m.start(1) if m.group(1) else m.start() for m in _LINE_BREAKS.finditer(text))
    cuts.update(_heading_line_cuts(text, cuts))
    if "[" in text:
        cuts = _keep_reference_lines(text, cuts)
    cuts.discard(0)
    cuts.add(len(text))
    return sorted(cuts)


def _terminator_cuts(text: str) -> Iterator[int]:
    for m in _TERMINATOR.finditer(text):
        cut = m.end()
        nxt = _next_visible(text, cut)
        if nxt is not None and not nxt.isascii() and unicodedata.category(nxt) in _SYMBOL_START:
            cut, nxt = _after_symbols(text, cut) or (cut, nxt)
        if nxt is None or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        if text[m.start()] == "." and not _ends_sentence(text, m.start(), nxt):
            continue
        yield cut


# Emoji and other symbols between sentences ("Great stuff. 👍 Take 2 grams"):
# a run of them starts with a symbol and may hold the marks, joiners and
# variation selectors of emoji sequences.
_SYMBOL_START = frozenset({"So", "Sk", "Sm"})
_SYMBOL_PART = _SYMBOL_START | {"Mn", "Me", "Cf"}


def _after_symbols(text: str, pos: int) -> tuple[int, str | None] | None:
    """For a sentence end at `pos`: the end of the non-ASCII symbols standing
    alone (space on each side) after it, and the character after them; None
    when a symbol is glued to a word or nothing follows."""
    n = len(text)
    end = -1
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n or text[pos].isascii() or unicodedata.category(text[pos]) not in _SYMBOL_START:
            break
        while pos < n and not text[pos].isascii() and unicodedata.category(text[pos]) in _SYMBOL_PART:
            pos += 1
        if pos < n and not text[pos].isspace():
            return None
        end = pos
    return (end, text[pos]) if end >= 0 and pos < n else None


def _next_visible(text: str, pos: int) -> str | None:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return text[pos] if pos < n else None


def _ends_sentence(text: str, dot: int, nxt: str) -> bool:
    """Whether the "." at `dot` ends a sentence rather than an abbreviation,
    an initial, or a list number at the start of a line."""
    if dot == 0 or text[dot - 1] in _CLOSERS or text.startswith("..", dot):
        return True
    m = _PREV_WORD.search(text, max(0, dot - 40), dot)
    if not m:
        return True
    word = m.group()
    lower = word.lower()
    if lower in ABBREVIATIONS or _INITIALS.fullmatch(word):
        return False
    if lower in _NUMBER_ABBREVIATIONS:
        return not nxt.isdigit()
    if len(word) == 1 and word.isupper() and word != "I":
        return _previous_word(text, m.start()).lower() in _NOT_INITIAL_AFTER
    if word.isdigit() and len(word) <= 3:
        return not _at_line_start(text, m.start())
    return True


def _previous_word(text: str, end: int) -> str:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    m = _PREV_WORD.search(text, max(0, end - 40), end)
    return m.group() if m else ""


def _at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _heading_line_cuts(text: str, cuts: set[int]) -> Iterator[int]:
    """Line breaks after a heading-like line (plain-text headings, labels)."""
    line_start = 0
    last = -1  # the last non-space character before the current line
    prev_heading = False
    blank_since = True
    for m in _NEWLINE.finditer(text):
        nl = m.start()
        line = text[line_start:nl].rstrip()
        if line.strip():
            starts = blank_since or prev_heading or text[last] in _ENDERS or last + 1 in cuts
            prev_heading = starts and _heading_like(line) and _opens_sentence(text, nl + 1)
            if prev_heading:
                yield nl
            last = line_start + len(line) - 1
            blank_since = False
        else:
            blank_since = True
        line_start = nl + 1


def _heading_like(line: str) -> bool:
    line = line.strip()
    if len(line) > 70 or line[-1] in ".!?,;…":
        return False
    words = line.split()
    if len(words) > 10 or words[-1].lower().strip(_CLOSERS) in _CONTINUES:
        return False
    if line[-1] == ":" or len(words) <= 3 or line.isupper():
        return True
    alpha = [w for w in words if w[0].isalpha() and len(w) > 3]
    return bool(alpha) and sum(w[0].isupper() for w in alpha) >= 0.6 * len(alpha)


def _opens_sentence(text: str, pos: int) -> bool:
    nxt = _next_visible(text, pos)
    return nxt is not None and (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt in "-*•")


def _keep_reference_lines(text: str, cuts: Iterable[int]) -> set[int]:
    """Keep a line that starts with a "[n]" reference marker whole: a
    bibliography entry is one unit, not the sentences of a citation."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _REFERENCE_LINE.finditer(text):
        end = text.find("\n", m.end())
        starts.append(m.start())
        ends.append(len(text) if end < 0 else end)
    kept = set(starts) | set(ends)
    for cut in cuts:
        i = bisect_right(starts, cut) - 1
        if i < 0 or not starts[i] < cut < ends[i]:
            kept.add(cut)
    return kept
