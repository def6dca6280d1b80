"""Fast matching of pack patterns with results identical to one alternation.

A rule's `patterns:` list used to be joined into one `(?:p1)|(?:p2)|...`
pattern. With fragments like `{condition}` expanded, that is one huge
alternation the `regex` module cannot optimise: it tries every branch at
every position, and compiling it is what made start-up slow (issue 6).

A `Scanner` keeps the same meaning with two changes:

1. **Split**: every top-level branch is compiled on its own, where `regex`
   can use its required-string and first-character optimisations, and the
   alternation's leftmost-first semantics are rebuilt exactly: the next
   match is the leftmost start among the branches' next matches, ties going
   to the earlier branch. This is only done when every branch is parsed by
   `parse` below and none can match the empty string; otherwise the pattern
   is compiled whole, as before.
2. **Prefilter**: from each branch's syntax, `parse` derives literal strings
   that any match must contain (an AND of OR-sets, e.g. "a claim verb and a
   condition word"). One Aho-Corasick pass per text over the literals of
   every rule (`LiteralIndex`) tells which branches can match at all; the
   others are skipped, and so is a rule none of whose branches can match.

The prefilter is sound by construction: text and literals are compared
after the same folding (`fold`), which merges at least every pair of
characters the `regex` module's IGNORECASE merges; anything the parser does
not fully understand gives "no literal requirement" (always run).
"""
from __future__ import annotations

import io
import pickle
import zlib
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Sequence

import re

import regex

# Non-ASCII characters that `regex` (VERSION0, IGNORECASE) matches to an
# ASCII letter, and the first code point of each run of ten decimal digits
# `\d` matches; tests/rules/test_scanner.py checks both against the
# installed regex module. Folding maps them to the ASCII letter or digit;
# `str.lower()` does the rest (and, after this, changes no string's length).
_LETTERS = {"\u0130": "i", "\u017f": "s", "\u212a": "k"}
_DIGIT_RUNS = (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50,
    0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730,
    0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0,
    0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0,
    0x1E5F1, 0x1E950, 0x1FBF0,
)
# Whitespace `\s` matches beyond ASCII (\t \n \v \f \r and space), folded
# to a space for the RE2 check (relax.py).
_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
FOLD = str.maketrans({**_LETTERS, **{chr(z + k): str(k) for z in _DIGIT_RUNS for k in range(10)},
                      **{c: " " for c in _SPACES}})
DIGITS = frozenset("0123456789")

# Caps that keep compile-time work and literal sets small.
_MAX_EXACT = 64       # strings in an exact set
_MAX_FACTORS = 4000   # strings in one OR-set of required factors
_MAX_CONJUNCTS = 3    # OR-sets ANDed for one branch
_USELESS = 0.99       # an OR-set this likely to hit anyway is not worth a bit


def fold(text: str) -> str:
    """The case-folded form both texts and literals are compared in."""
    return (text if text.isascii() else text.translate(FOLD)).lower()


class Unsupported(Exception):
    """Syntax the literal analysis does not model; the pattern is used whole."""


# -- analysis ----------------------------------------------------------------------

# An OR-set: (case_sensitive, strings). A match contains at least one string.
OrSet = tuple[bool, frozenset[str]]


@dataclass(frozen=True)
class Info:
    """What a piece of pattern can match.

    exact   every string it can match (folded unless `cs`), when few and all
            made of plain characters; None otherwise
    cs      the exact strings are case-sensitive
    need    OR-sets the text satisfies wherever this matches (an AND of
            them): one of each set's strings is in the match or, for a
            lookahead or lookbehind, in the text it looks at
    minlen  the shortest match length
    head    an OR-set one of whose strings every non-empty match starts
            with (derived from `exact` when that is known)
    """

    exact: frozenset[str] | None
    cs: bool = False
    need: tuple[OrSet, ...] = ()
    minlen: int = 0
    head: OrSet | None = None


def head_of(info: Info) -> OrSet | None:
    """What every non-empty match of `info` starts with, if known."""
    if info.exact is not None:
        strings = info.exact - {""}
        return (info.cs, strings) if strings else None
    return info.head


EMPTY = Info(frozenset({""}))
ANYCHAR = Info(None, minlen=1)
# `\d` in any case mode: folding maps every decimal digit to an ASCII one.
DIGIT = Info(DIGITS, False, minlen=1)


def _safe(ch: str) -> bool:
    """Characters a literal may contain: ASCII non-space, or caseless."""
    if ch.isspace() or ch in "\x1c\x1d\x1e\x1f\x85":
        return False
    if ch.isascii():
        return True
    return ch.lower() == ch and ch.upper() == ch and ch.casefold() == ch and ch.translate(FOLD) == ch


# The analysis meets some 200,000 characters in the default packs, and a
# few hundred distinct ones (Info is immutable, so they can be shared).
@lru_cache(maxsize=4096)
def _char(ch: str, cs: bool) -> Info:
    if not _safe(ch):
        return ANYCHAR
    return Info(frozenset({ch if cs else fold(ch)}), cs, minlen=1)


# Letter pairs and triples that occur in most English sentences: as
# literals they say little and cost a hit each (they only rank OR-sets).
_COMMON = frozenset("""
th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de
hi ri ro ic ne ea ra ce li ch ll be ma si om ur no so we do up by go us my am if
the and ing ion tio ent ati for her ter hat tha ere ate his con res ver all ons nce men ith ted ers
pro thi wit are ess not ive was ect rea com eve per int est sta cti ica ist ear ain one our iti rat
you can day see use any how who out has had may new way get our its
""".split())


@lru_cache(maxsize=65536)
def _rate(s: str, cs: bool) -> float:
    """About how often `s` occurs in a sentence of health copy."""
    n = len(s)
    if cs and any(c.isupper() for c in s):
        return 0.02 if n > 1 else 0.3
    if n == 1:
        return 3.0 if s.isalpha() else 0.03 if s.isdigit() else 0.2
    if s in _COMMON:
        return 1.5 if n == 2 else 0.6
    return 0.05 if n == 2 else 0.01 if n == 3 else 40.0 * 10.0 ** -n


# Ranking asks for the cost of each OR-set many times (a pack build asks
# 100,000 times about 11,000 sets); a set's hash is kept with it.
@lru_cache(maxsize=65536)
def _cost(orset: OrSet) -> float:
    """A rough chance that some string of the set occurs in a sentence (used
    to rank OR-sets; soundness never depends on it). A set with a single
    letter in it hits every sentence, and costs a hit per letter."""
    miss = 1.0
    for s in sorted(orset[1]):  # a fixed order: the same float in every process
        if len(s) == 1 and s.isalpha() and not (orset[0] and s.isupper()):
            return 1.0
        miss *= max(0.0, 1.0 - min(0.95, _rate(s, orset[0])))
    return 1.0 - miss


def forget_analysis() -> None:
    """Drop what the analysis kept while a rule set was built (the OR-sets
    it ranked hold the big lexicons' strings)."""
    _cost.cache_clear()
    _rate.cache_clear()
    _char.cache_clear()


# A branch is anchored on its head strings when they start, on average, at
# most this many times in a sentence (more, and `search` is cheaper).
ANCHOR_MAX = 1.5


def anchor_cost(orset: OrSet) -> float:
    """About how many times the strings of `orset` start in a sentence."""
    return sum(_rate(s, orset[0]) for s in orset[1])


def _as_orset(info: Info) -> OrSet | None:
    if info.exact is None or not info.exact or "" in info.exact:
        return None
    return (info.cs, info.exact)


def _best(needs: Sequence[OrSet]) -> tuple[OrSet, ...]:
    useful = sorted({n for n in needs if _cost(n) < _USELESS}, key=_rank)
    return tuple(useful[:_MAX_CONJUNCTS])


def _rank(orset: OrSet) -> tuple[float, int, int, tuple[str, ...]]:
    """Cheapest first; among equals, fewer and longer strings. Ties are
    common ("in line with" gives "line" and "with" the same cost) and must
    not fall to set iteration order, which changes with each process's hash
    seed: a pack compiled in one run would then gate differently from the
    same pack compiled in another (about 12 % apart in speed on corpus (a))."""
    strings = orset[1]
    return _cost(orset), len(strings), -min(map(len, strings), default=0), tuple(sorted(strings))


def _merge_cs(a: Info, b: Info) -> tuple[bool, frozenset[str], frozenset[str]]:
    """Both exact sets in one case mode: case-sensitive only if both are
    ({""} takes the other's mode)."""
    assert a.exact is not None and b.exact is not None
    if a.exact == {""}:
        return b.cs, a.exact, b.exact
    if b.exact == {""} or a.cs == b.cs:
        return a.cs, a.exact, b.exact
    fa = frozenset(fold(s) for s in a.exact) if a.cs else a.exact
    fb = frozenset(fold(s) for s in b.exact) if b.cs else b.exact
    return False, fa, fb


def _union(a: OrSet, b: OrSet) -> OrSet:
    if a[0] == b[0]:
        return a[0], a[1] | b[1]
    fa = frozenset(fold(x) for x in a[1]) if a[0] else a[1]
    fb = frozenset(fold(x) for x in b[1]) if b[0] else b[1]
    return False, fa | fb


def concat_head(parts: Sequence[Info]) -> OrSet | None:
    """What every non-empty match of the sequence `parts` starts with: the
    product of the leading exact parts, and where those can all be empty,
    what the next part (or, if it too can be empty, the rest) starts with."""
    run = EMPTY
    for k, p in enumerate(parts):
        if p.exact is not None:
            cs, ra, pa = _merge_cs(run, p)
            if len(ra) * len(pa) <= _MAX_EXACT:
                run = Info(frozenset(x + y for x in ra for y in pa), cs)
                continue
        lead = head_of(run)
        if "" not in run.exact:  # type: ignore[operator]
            return lead
        rest = head_of(p)
        if rest is None:
            return None
        out = rest if lead is None else _union(lead, rest)
        if p.minlen == 0:
            tail = concat_head(parts[k + 1:])
            if tail is None:
                return None
            out = _union(out, tail)
        return out
    return head_of(run)


def concat(parts: Sequence[Info]) -> Info:
    """A sequence: the product of neighbouring exact parts gives longer
    literals; every part's needs hold for the whole."""
    needs: list[OrSet] = []
    run = EMPTY
    exact_all = True
    minlen = 0
    for p in parts:
        minlen += p.minlen
        needs.extend(p.need)
        if p.exact is not None:
            cs, ra, pa = _merge_cs(run, p)
            if len(ra) * len(pa) <= _MAX_EXACT:
                run = Info(frozenset(x + y for x in ra for y in pa), cs)
                continue
        # The run of exact parts ends here.
        exact_all = False
        if (o := _as_orset(run)) is not None:
            needs.append(o)
        run = EMPTY if p.exact is None else p
    if (o := _as_orset(run)) is not None:
        needs.append(o)
    if exact_all:
        return Info(run.exact, run.cs, _best(needs), minlen)
    return Info(None, False, _best(needs), minlen, concat_head(parts))


def alternate(branches: Sequence[Info]) -> Info:
    minlen = min(b.minlen for b in branches)
    exact: frozenset[str] | None = None
    cs = False
    if all(b.exact is not None for b in branches):
        modes = {b.cs for b in branches if b.exact != {""}}
        cs = modes == {True}
        sets = [b.exact if b.cs == cs or b.exact == {""} else frozenset(fold(s) for s in b.exact)  # type: ignore[union-attr]
                for b in branches]
        union = frozenset().union(*sets)
        exact = union if len(union) <= _MAX_EXACT else None
    need: tuple[OrSet, ...] = ()
    firsts = []
    for b in branches:
        o = b.need[0] if b.need else _as_orset(b)
        if o is None:
            break
        firsts.append(o)
    else:
        mode = all(c for c, _ in firsts)
        strings = frozenset().union(*(s if c == mode else frozenset(fold(x) for x in s) for c, s in firsts))
        if len(strings) <= _MAX_FACTORS:
            need = _best([(mode, strings)])
    head: OrSet | None = None
    if exact is None:
        for b in branches:
            h = head_of(b)
            if h is None:
                if b.exact == {""}:
                    continue  # only ever empty: starts nothing
                head = None
                break
            head = h if head is None else _union(head, h)
            if len(head[1]) > _MAX_FACTORS:
                head = None
                break
    return Info(exact, cs, need, minlen, head)


def repeat(info: Info, lo: int, hi: int | None) -> Info:
    exact: frozenset[str] | None = None
    if info.exact is not None and hi is not None and hi <= 4:
        out: set[str] = set()
        layer = {""}
        for k in range(hi + 1):
            if k >= lo:
                out |= layer
            if len(out) > _MAX_EXACT:
                break
            layer = {a + b for a in layer for b in info.exact}
        else:
            exact = frozenset(out)
    need = info.need if lo >= 1 else ()
    if lo >= 1 and not need and (o := _as_orset(info)):
        need = (o,)
    # A non-empty match starts with the first non-empty repetition.
    return Info(exact, info.cs, need, info.minlen * lo, None if exact is not None else head_of(info))


# -- parsing -------------------------------------------------------------------------

_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_WORD_RUN = re.compile(r"[A-Za-z0-9]{2,}")
_FLAGS = re.compile(r"\?(i?)(?:-(i))?:")
_FRAGMENT = re.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_-]*)\}")  # as in patterns.py


def letter_run(s: str, i: int) -> int:
    """Where a run of two or more ASCII letters and digits starting at `i`
    ends, short of a last one a quantifier takes; `i` if there is none.
    Such a run stands for itself in both the analysis and the relaxation,
    which read it at once rather than character by character."""
    run = _WORD_RUN.match(s, i)
    if run is None:
        return i
    end = run.end()
    if end < len(s) and s[end] in "?*+{" and (s[end] != "{" or _FRAGMENT.match(s, end) is None):
        end -= 1
    return end if end - i > 1 else i


_SIMPLE_ESCAPES = {"b": EMPTY, "B": EMPTY, "A": EMPTY, "Z": EMPTY}
_CLASS_ESCAPES = frozenset("dDwWsS")
_SPACE_ESCAPES = frozenset("ntrfv")


@dataclass
class Branch:
    """One top-level alternative: its source text and what it can match."""

    source: str
    info: Info


@dataclass
class _Group:
    """A parsed group atom: its inner branches (for flattening)."""

    branches: list[Branch] = field(default_factory=list)
    plain: bool = False  # `(?:...)` with no flags


class Parser:
    """Recursive descent over the subset of `regex` syntax the packs use.

    Anything outside it raises Unsupported: backreferences, global inline
    flags, scoped flags other than i, fuzzy matching, POSIX classes, named
    lists, \\p{...}, \\G, \\K, atomic groups, conditionals, recursion.
    """

    def __init__(self, source: str, case_sensitive: bool, analyser: "Analyser | None" = None) -> None:
        self.s = source
        self.i = 0
        self.cs0 = case_sensitive
        self.analyser = analyser

    def _fragment_at(self, i: int) -> str | None:
        """The name of a `{name}` fragment reference starting at `i`."""
        m = _FRAGMENT.match(self.s, i)
        return m.group(1) if m is not None else None

    def parse(self) -> list[Branch]:
        branches = self._alternation(self.cs0)
        if self.i != len(self.s):
            raise Unsupported(f"unbalanced ) at {self.i}")
        return branches

    def _peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def _alternation(self, cs: bool) -> list[Branch]:
        out = []
        while True:
            start = self.i
            info, group = self._sequence(cs)
            if group is not None and group.plain:
                out.extend(group.branches)  # (?:a|b) alone in a branch: a, b
            else:
                out.append(Branch(self.s[start:self.i], info))
            if self._peek() != "|":
                return out
            self.i += 1

    def _sequence(self, cs: bool) -> tuple[Info, _Group | None]:
        parts: list[Info] = []
        groups: list[_Group | None] = []
        s = self.s
        while self.i < len(s) and self._peek() not in "|)":
            end = letter_run(s, self.i)
            if end > self.i:  # one part, as concat would join its letters
                text = s[self.i:end]
                parts.append(Info(frozenset({text if cs else text.lower()}), cs, minlen=len(text)))
                groups.append(None)
                self.i = end
                continue
            atom, group = self._atom(cs)
            quantified = self._quantifier(atom)
            parts.append(quantified)
            groups.append(group if quantified is atom else None)
        only = groups[0] if len(parts) == 1 else None
        return (concat(parts) if parts else EMPTY), only

    def _quantifier(self, atom: Info) -> Info:
        ch = self._peek()
        if ch == "?":
            lo, hi = 0, 1
            self.i += 1
        elif ch == "*":
            lo, hi = 0, None
            self.i += 1
        elif ch == "+":
            lo, hi = 1, None
            self.i += 1
        elif ch == "{":
            if self._fragment_at(self.i) is not None:
                return atom  # a fragment follows; not a quantifier
            m = _QUANT.match(self.s, self.i)
            if m is None or not (m.group(1) or m.group(3)):
                raise Unsupported("a { that is not a plain quantifier")
            lo = int(m.group(1) or 0)
            hi = None if m.group(2) and not m.group(3) else int(m.group(3) or m.group(1))
            self.i = m.end()
        else:
            return atom
        if self._peek() in ("?", "+"):
            self.i += 1  # lazy or possessive: same strings
        if self._peek() in ("?", "*", "+") or (self._peek() == "{" and self._fragment_at(self.i) is None):
            raise Unsupported("stacked quantifiers")
        return repeat(atom, lo, hi)

    def _atom(self, cs: bool) -> tuple[Info, _Group | None]:
        ch = self._peek()
        self.i += 1
        if ch == "(":
            return self._group(cs)
        if ch == "[":
            return self._class(cs), None
        if ch == "\\":
            return self._escape(cs), None
        if ch in "^$":
            return EMPTY, None
        if ch == ".":
            return ANYCHAR, None
        if ch == "{" and (name := self._fragment_at(self.i - 1)) is not None:
            if self.analyser is None:
                raise Unsupported("fragment reference without fragments")
            self.i += len(name) + 1
            info, branches = self.analyser.fragment(name, cs)
            return info, _Group(branches, plain=True)
        if ch in "*+?{":
            raise Unsupported("quantifier without an atom")
        return _char(ch, cs), None

    def _escape(self, cs: bool) -> Info:
        ch = self._peek()
        self.i += 1
        if not ch:
            raise Unsupported("trailing backslash")
        if ch in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[ch]
        if ch == "d":
            return DIGIT
        if ch in _CLASS_ESCAPES or ch in _SPACE_ESCAPES:
            return ANYCHAR
        if ch.isalnum() or ch == "_":
            raise Unsupported(f"escape \\{ch}")
        if ch == "{" and self._fragment_at(self.i - 1) is not None:
            raise Unsupported("an escaped brace before a fragment name is expanded anyway")
        return _char(ch, cs)

    def _class(self, cs: bool) -> Info:
        chars: set[str] = set()
        digits = False
        plain = True
        if self._peek() == "^":
            plain = False
            self.i += 1
        if self._peek() == "]":
            raise Unsupported("] first in a set")
        while True:
            ch = self._peek()
            self.i += 1
            if not ch:
                raise Unsupported("unterminated set")
            if ch == "]":
                break
            if ch == "[":
                raise Unsupported("[ inside a set")
            if ch == "{" and self._fragment_at(self.i - 1) is not None:
                raise Unsupported("a fragment inside a set")
            if ch in "&|~-" and self._peek() == ch:
                raise Unsupported("set operation")
            if ch == "\\":
                esc = self._peek()
                self.i += 1
                if not esc or esc.isalnum() or esc == "_":
                    if esc == "d":
                        digits = True
                        continue
                    if esc and (esc in _CLASS_ESCAPES or esc in _SPACE_ESCAPES):
                        plain = False
                        continue
                    raise Unsupported(f"escape \\{esc} in a set")
                ch = esc
            if ch == "0" and self.s.startswith("-9", self.i) and self._peek(2) != "":
                self.i += 2
                digits = True
                continue
            if self._peek() == "-" and self._peek(1) not in ("]", ""):
                # A range: skip its end (which may be an escaped symbol).
                self.i += 1
                end = self._peek()
                self.i += 1
                if end == "\\":
                    if not self._peek() or self._peek().isalnum() or self._peek() == "_":
                        raise Unsupported("escaped range end")
                    self.i += 1
                elif end == "[":
                    raise Unsupported("[ inside a set")
                plain = False
                continue
            chars.add(ch)
        if not plain or not (chars or digits) or not all(_safe(c) for c in chars):
            return ANYCHAR
        if digits:  # digits are compared folded, so the whole set is
            return Info(frozenset(fold(c) for c in chars) | DIGITS, False, minlen=1)
        return Info(frozenset(c if cs else fold(c) for c in chars), cs, minlen=1)

    def _group(self, cs: bool) -> tuple[Info, _Group | None]:
        s = self.s
        if s.startswith("?:", self.i):
            self.i += 2
            return self._group_body(cs, plain=True)
        for look in ("?=", "?!", "?<=", "?<!"):
            if s.startswith(look, self.i):
                self.i += len(look)
                inner, _ = self._group_body(cs, plain=False)
                if "!" in look:
                    return EMPTY, None  # zero-width, and requires nothing
                # Zero-width, but what it looks at is in the text searched.
                own = _as_orset(inner)
                needs = inner.need + ((own,) if own is not None else ())
                return (Info(EMPTY.exact, need=_best(needs)) if needs else EMPTY), None
        if s.startswith("?P<", self.i) or (s.startswith("?<", self.i) and self._peek(2) not in "=!"):
            end = s.find(">", self.i)
            name = s[self.i + (3 if s.startswith("?P<", self.i) else 2):end]
            if end < 0 or not name.isidentifier():
                raise Unsupported("group name")
            self.i = end + 1
            return self._group_body(cs, plain=False)
        if s.startswith("?", self.i):
            m = _FLAGS.match(s, self.i)
            if m is None or not (m.group(1) or m.group(2)):
                raise Unsupported("inline flags other than scoped (?i:) and (?-i:)")
            self.i = m.end()
            return self._group_body(bool(m.group(2)), plain=False)
        return self._group_body(cs, plain=False)  # a capturing group

    def _group_body(self, cs: bool, plain: bool) -> tuple[Info, _Group]:
        branches = self._alternation(cs)
        if self._peek() != ")":
            raise Unsupported("unterminated group")
        self.i += 1
        info = alternate([b.info for b in branches]) if len(branches) > 1 else branches[0].info
        return info, _Group(branches, plain)


def analyse(source: str, case_sensitive: bool = False) -> list[Branch] | None:
    """The top-level branches of `source` (nested plain groups that make up
    a whole branch are flattened), or None when the syntax is outside the
    modelled subset."""
    return Analyser({}, lambda text: text).analyse(source, case_sensitive)


class Analyser:
    """Analyses normalised pattern text with `{name}` fragment references
    left in, so each fragment is parsed once per case mode however many
    patterns use it. Branch sources stay unexpanded (`expand` them to
    compile)."""

    def __init__(self, fragments: Mapping[str, str], normalise: Callable[[str], str]) -> None:
        self.fragments = fragments
        self.normalise = normalise
        self.memo: dict[tuple[str, bool], tuple[Info, list[Branch]] | None] = {}
        self.patterns: dict[tuple[str, bool], list[Branch] | None] = {}

    def analyse(self, normalised: str, case_sensitive: bool = False) -> list[Branch] | None:
        key = (normalised, case_sensitive)
        if key not in self.patterns:
            try:
                self.patterns[key] = Parser(normalised, case_sensitive, self).parse()
            except (Unsupported, IndexError, ValueError, RecursionError):
                self.patterns[key] = None
        done = self.patterns[key]
        return None if done is None else list(done)

    def fragment(self, name: str, cs: bool) -> tuple[Info, list[Branch]]:
        key = (name, cs)
        if key in self.memo:
            done = self.memo[key]
            if done is None:
                raise Unsupported(f"fragment {name} (unsupported or cyclic)")
            return done
        if name not in self.fragments:
            raise Unsupported(f"unknown fragment {name}")
        self.memo[key] = None
        branches = Parser(self.normalise(self.fragments[name]), cs, self).parse()
        info = alternate([b.info for b in branches]) if len(branches) > 1 else branches[0].info
        self.memo[key] = (info, branches)
        return info, branches


# -- the literal index -------------------------------------------------------------------

class _Piece:
    """The head starts of a text cut from the focused one: the focused
    text's, filtered and shifted when asked for."""

    __slots__ = ("starts", "off", "length")

    def __init__(self, starts: list[tuple[int, int]], off: int, length: int) -> None:
        self.starts, self.off, self.length = starts, off, length


# A scanned text: (text, mask, [(start, head bits)] or _Piece, folded text)
_Scan = tuple[str, int, Any, str]
# RE2 checks start after this many texts: compiling a big pattern for RE2
# costs milliseconds, which a run of one small file would not win back.
RE2_AFTER = 200
# A branch's RE2 check is compiled once the branch has been live on one
# text per this many characters of its relaxed source.
RE2_CHARS_PER_TRY = 400
# Pattern text longer than this is kept compressed in pickles (of rule sets,
# in the pack cache) and in memory until it is read.
PACK_OVER = 4096


def packed(text: str | bytes) -> str | bytes:
    """`text` as pickled: compressed when longer than PACK_OVER."""
    if type(text) is str and len(text) > PACK_OVER:
        return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
    return text


def unpacked(text: str | bytes) -> str:
    """The text `packed` gave."""
    if type(text) is bytes:
        return zlib.decompress(text).decode("utf-8", "surrogatepass")
    return text  # type: ignore[return-value]


# Entries in a memo keyed by a restricted literal mask (a scanner's live
# branches, a rule's gates), which is then emptied. Such a key is an int of
# some 1,300 bits, 200 bytes: at 4,096 entries the memos of one worker over
# 2,000 articles held 11 MB. Only a few scanners fill one (they see
# thousands of different masks), and at 512 the run was as fast within
# this machine's noise.
MASK_MEMO = 512
# The literal scans one index keeps: at most this many texts, of at most
# this many characters in all.
MEMO_TEXTS = 4096
MEMO_CHARS = 2_000_000


class LiteralIndex:
    """Every literal OR-set of one rule set, each a bit. One pass over a text
    gives its mask (the bits of the need OR-sets that occur in it) and where
    the head OR-sets occur (candidate starts for anchored branches)."""

    def __init__(self) -> None:
        # literal -> [need bits, head bits]; case-insensitive and -sensitive
        self.ci: dict[str, list[int]] = {}
        self.cs: dict[str, list[int]] = {}
        self._bits: dict[OrSet, int] | None = {}
        self._heads: dict[OrSet, int] = {}
        self._tables: bytes | None = None
        self._matchers: tuple[Any, Any] | None = None
        self._memo: dict[str, _Scan] = {}
        self._memo_chars = 0
        self._focus: _Scan | None = None
        self._encoded: tuple[str | None, bytes] = (None, b"")
        self._bit_costs: dict[int, float] | None = None
        self._scans = 0
        # Nothing above but the tables survives pickling.

    def __getstate__(self) -> dict[str, Any]:
        # The bit costs are pickled with the tables: working them out again
        # would cost a single-file run tens of milliseconds. Which OR-set
        # has which bit is only needed to add rules to the index, so it
        # stays a blob until then (unpickling it cost every run 4 ms).
        tables = self._tables
        if tables is None:
            tables = pickle.dumps((self._bits, self._heads), protocol=5)
        return {"ci": self.ci, "cs": self.cs, "tables": tables, "costs": self._costs()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        self.ci, self.cs, self._tables = state["ci"], state["cs"], state["tables"]
        self._bits = None
        self._bit_costs = state.get("costs")

    @property
    def bits(self) -> dict[OrSet, int]:
        """The need bit of each OR-set."""
        if self._bits is None:
            assert self._tables is not None
            self._bits, self._heads = _DataUnpickler(io.BytesIO(self._tables)).load()
            self._tables = None
        return self._bits

    @property
    def heads(self) -> dict[OrSet, int]:
        """The head bit of each OR-set."""
        self.bits  # noqa: B018 - unpacks both tables
        return self._heads

    def _add(self, orset: OrSet, slot: int, bit: int) -> None:
        table = self.cs if orset[0] else self.ci
        for literal in orset[1]:
            entry = table.setdefault(literal, [0, 0])
            entry[slot] |= bit
        # Scans made before this literal existed do not know of it.
        self._matchers = None
        self.forget()

    def forget(self) -> None:
        """Drop the remembered scans (their texts with them)."""
        self._memo.clear()
        self._memo_chars = 0
        self._focus = None
        self._encoded = (None, b"")

    def bit(self, orset: OrSet) -> int:
        """The need bit of `orset`, allocated the first time it is seen."""
        if orset not in self.bits:
            self.bits[orset] = 1 << len(self.bits)
            self._bit_costs = None
            # A text holding "treats" holds "treat": the longer string adds
            # nothing but hits to count.
            self._add((orset[0], _without_superstrings(orset[1])), 0, self.bits[orset])
        return self.bits[orset]

    def _costs(self) -> dict[int, float]:
        costs = self._bit_costs
        if costs is None:
            costs = self._bit_costs = {bit: _cost(orset) for orset, bit in self.bits.items()}
        return costs

    def rarest(self, need: int) -> int:
        """The bit of `need` whose OR-set is least likely to occur in a
        sentence (the one worth testing first)."""
        costs = self._costs()
        best, best_cost = 0, 2.0
        while need:
            low = need & -need
            c = costs.get(low, 1.0)
            if c < best_cost:
                best, best_cost = low, c
            need ^= low
        return best

    def head_bit(self, orset: OrSet) -> int:
        """The head bit of `orset` (where its strings start is recorded)."""
        if orset not in self.heads:
            self.heads[orset] = 1 << len(self.heads)
            # "treat" starts wherever "treats" does.
            self._add((orset[0], _without_extensions(orset[1])), 1, self.heads[orset])
        return self.heads[orset]

    def focus(self, text: str) -> int:
        """Scan `text` (a unit) and let texts cut from it reuse the scan; its
        mask."""
        self._focus = self._scan(text)
        return self._focus[1]

    def _scan(self, text: str) -> _Scan:
        memo = self._memo.get(text)
        if memo is not None:
            return memo
        focus = self._focus
        if focus is not None and len(text) < len(focus[0]) and (off := focus[0].find(text)) >= 0:
            # A piece of the focused text (a clause, the words after a
            # match): its literals are among the focused text's, at the same
            # places shifted by `off` (its starts are cut out when asked for).
            # Extra candidates only cost a try.
            found = focus[2]
            piece = (_Piece(found.starts, found.off + off, len(text)) if isinstance(found, _Piece)
                     else _Piece(found, off, len(text)))
            memo = (text, focus[1], piece, focus[3][off:off + len(text)])
            self._remember(text, memo)
            return memo
        if self._matchers is None:
            self._matchers = (_matcher(self.ci), _matcher(self.cs))
        ci, cs = self._matchers
        self._scans += 1
        starts: list[tuple[int, int]] = []
        folded = fold(text)
        m = ci(folded, starts) | cs(text, starts)
        memo = (text, m, starts, folded)
        self._remember(text, memo)
        return memo

    def folded(self, text: str) -> str:
        return self._scan(text)[3]

    def encoded(self, text: str) -> bytes:
        """The folded text as RE2 reads it (`re2_bytes`)."""
        last, data = self._encoded
        if last is not text:
            data = re2_bytes(self._scan(text)[3])
            self._encoded = (text, data)
        return data

    def re2_ready(self) -> bool:
        return self._scans > RE2_AFTER and re2_available()

    def _remember(self, text: str, memo: _Scan) -> None:
        # Large enough to hold a document's units (a document-wide check
        # scans them before the engine reaches each one), and bounded in
        # characters too: each sentence of a 100 KB table cell is checked
        # against its whole row, and the scans of those rows held 300 MB.
        memos = self._memo
        if len(memos) >= MEMO_TEXTS or self._memo_chars + len(text) > MEMO_CHARS:
            for key in list(memos)[:len(memos) // 2 + 1]:  # the oldest half
                del memos[key]
                self._memo_chars -= len(key)
        memos[text] = memo
        self._memo_chars += len(text)

    def mask(self, text: str) -> int:
        return self._scan(text)[1]

    def starts(self, text: str, head: int) -> list[int]:
        """Sorted offsets in `text` where a string of the head OR-set `head`
        starts."""
        found = self._scan(text)[2]
        if isinstance(found, _Piece):
            off, end = found.off, found.off + found.length
            return sorted({s - off for s, h in found.starts if h & head and off <= s < end})
        return sorted({s for s, h in found if h & head})


def _without_extensions(strings: frozenset[str]) -> frozenset[str]:
    """`strings` less those another of them is a prefix of."""
    kept: list[str] = []
    for s in sorted(strings):
        if not kept or not s.startswith(kept[-1]):
            kept.append(s)
    return frozenset(kept)


def _without_superstrings(strings: frozenset[str]) -> frozenset[str]:
    """`strings` less those containing another of them."""
    if len(strings) < 2:
        return strings
    ordered = sorted(strings, key=len)
    try:
        import ahocorasick
    except ImportError:
        if len(ordered) > 300:
            return strings
        return frozenset(s for i, s in enumerate(ordered) if not any(t in s for t in ordered[:i] if t != s))
    automaton = ahocorasick.Automaton()
    for s in ordered:
        automaton.add_word(s, len(s))
    automaton.make_automaton()
    return frozenset(s for s in ordered if all(n == len(s) for _, n in automaton.iter(s)))


def _matcher(table: dict[str, list[int]]) -> Any:
    """A function (text, starts) -> OR of the need bits of the strings of
    `table` in text, appending (start, head bits) for head strings."""
    if not table:
        return lambda text, starts: 0
    try:
        import ahocorasick
    except ImportError:
        return _DictMatcher(table)
    automaton = ahocorasick.Automaton()
    for literal, (bits, heads) in table.items():
        automaton.add_word(literal, (bits, heads, len(literal) - 1))
    automaton.make_automaton()
    iterate = automaton.iter

    def scan(text: str, starts: list[tuple[int, int]]) -> int:
        m = 0
        for end, (bits, heads, back) in iterate(text):
            m |= bits
            if heads:
                starts.append((end - back, heads))
        return m

    return scan


class _DictMatcher:
    """Without pyahocorasick: a dictionary of the literals by their first
    three characters (shorter ones whole), looked up at every position.
    Slower than the automaton, same answers."""

    def __init__(self, table: dict[str, list[int]]) -> None:
        self.short: dict[str, tuple[int, int]] = {}
        self.long: dict[str, list[tuple[str, int, int]]] = {}
        for literal, (bits, heads) in table.items():
            if len(literal) < 3:
                self.short[literal] = (bits, heads)
            else:
                self.long.setdefault(literal[:3], []).append((literal, bits, heads))
        self.lengths = sorted({len(k) for k in self.short})

    def __call__(self, text: str, starts: list[tuple[int, int]]) -> int:
        m = 0
        short, long, lengths = self.short, self.long, self.lengths
        for i in range(len(text)):
            for n in lengths:
                hit = short.get(text[i:i + n])
                if hit is not None:
                    m |= hit[0]
                    if hit[1]:
                        starts.append((i, hit[1]))
            for literal, bits, heads in long.get(text[i:i + 3], ()):
                if text.startswith(literal, i):
                    m |= bits
                    if heads:
                        starts.append((i, heads))
        return m


# -- the scanner -------------------------------------------------------------------------

class Scanner:
    """Quacks like a compiled `regex` pattern for `finditer` and `search`,
    with the results of the single alternation `pattern`.

    Branch k runs only on texts whose literal mask has all of `needs[k]`;
    with `anchors[k]` set it is tried (`match`) only where its head strings
    start, which finds the same matches as `search` because every match
    starts with one of them. Compiled branches are unpickled on first use.

    `search` is exact whatever the branches match; `finditer` merges them
    only when none can match the empty string (how `regex` steps past an
    empty match depends on the whole alternation). Otherwise `whole` holds
    the flags the alternation is compiled with when finditer is first
    called (then the compiled pattern).
    """

    __slots__ = ("_pattern", "_alternatives", "needs", "anchors", "always", "index", "relevant", "_lives",
                 "relaxed", "_re2", "_last", "_verdicts", "_by_rare", "_whole")

    def __init__(self, pattern: str, alternatives: Sequence[regex.Pattern[str]], needs: Sequence[int],
                 index: LiteralIndex | None, anchors: Sequence[int] | None = None,
                 relaxed: Sequence[str | bool | None] | None = None, whole: int | None = None) -> None:
        self._pattern: str | bytes = pattern
        self._whole: Any = whole
        self.relaxed = tuple(relaxed) if relaxed is not None and index is not None else (None,) * len(needs)
        self._alternatives: list[Any] = list(alternatives)
        self._re2: list[Any] = self._new_re2()
        self._last: tuple[str | None, list[tuple[regex.Pattern[str], int]]] = (None, [])
        self._verdicts: tuple[str | None, dict[int, bool]] = (None, {})
        self.needs = tuple(needs)
        self.anchors = tuple(anchors) if anchors is not None and index is not None else (0,) * len(self.needs)
        self.always = any(n == 0 for n in self.needs) or index is None
        self.index = index
        self.relevant = 0
        for n in self.needs:
            self.relevant |= n
        self._lives: dict[int, tuple[int, ...]] = {}
        self._by_rare: tuple[int, tuple[int, ...], dict[int, tuple[int, ...]]] | None = None

    def __getstate__(self) -> tuple[Any, ...]:
        blobs = [p if type(p) in (bytes, Uncompiled) else pickle.dumps(p, protocol=5) for p in self._alternatives]
        # The whole alternation is only read for messages and checks, and
        # the default packs' come to 7 MB of text in every process (the
        # `{condition}` fragment repeated); compressed, a few hundred KB.
        pattern = packed(self._pattern)
        whole = self._whole
        if whole is not None and type(whole) is not int:
            whole = whole.flags
        return (pattern, blobs, self.needs, self.anchors, self.always, self.index, self.relaxed, whole)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (self._pattern, self._alternatives, self.needs, self.anchors, self.always, self.index, self.relaxed,
         self._whole) = state
        self._re2 = self._new_re2()
        self._last = (None, [])
        self._verdicts = (None, {})
        self.relevant = 0
        for n in self.needs:
            self.relevant |= n
        self._lives = {}
        self._by_rare = None

    def __repr__(self) -> str:
        return f"Scanner({len(self._alternatives)} branches)"

    @property
    def pattern(self) -> str:
        """The alternation this scanner matches like."""
        return unpacked(self._pattern)

    def _branch(self, k: int) -> regex.Pattern[str]:
        p = self._alternatives[k]
        if type(p) is bytes:
            p = self._alternatives[k] = _load_pattern(p)
        elif type(p) is Uncompiled:
            p = self._alternatives[k] = p.compiled()
        return p  # type: ignore[no-any-return]

    @property
    def alternatives(self) -> tuple[regex.Pattern[str], ...]:
        return tuple(self._branch(k) for k in range(len(self._alternatives)))

    def live(self, mask: int, restricted: bool = False) -> tuple[int, ...]:
        """The branches that can match a text whose literal mask is `mask`
        (memoised on the bits this scanner looks at; `restricted`: `mask`
        has no other bits)."""
        key = mask if restricted else mask & self.relevant
        lives = self._lives.get(key)
        if lives is None:
            if len(self._lives) >= MASK_MEMO:
                self._lives.clear()
            lives = self._lives[key] = self._compute_lives(key)
        return lives

    def _compute_lives(self, key: int) -> tuple[int, ...]:
        # A scanner of many branches tests only those whose rarest need
        # bit is set: a sentence sets a hundred or so of thousands of bits.
        needs = self.needs
        if len(needs) < 8 or self.index is None:
            return tuple(k for k, n in enumerate(needs) if key & n == n)
        if self._by_rare is None:
            by_rare: dict[int, list[int]] = {}
            always = []
            for k, n in enumerate(needs):
                if n:
                    by_rare.setdefault(self.index.rarest(n), []).append(k)
                else:
                    always.append(k)
            union = 0
            for bit in by_rare:
                union |= bit
            self._by_rare = (union, tuple(always), {bit: tuple(ks) for bit, ks in by_rare.items()})
        union, always, by_rare = self._by_rare
        hits = key & union
        out = list(always)
        while hits:
            low = hits & -hits
            for k in by_rare[low]:
                n = needs[k]
                if key & n == n:
                    out.append(k)
            hits ^= low
        out.sort()
        return tuple(out)

    def may_match(self, ks: tuple[int, ...], text: str) -> bool:
        """False only if RE2 rules out every one of the live branches `ks`
        on `text`."""
        index = self.index
        if index is None or not index.re2_ready():
            return True
        relaxed = self.relaxed
        for k in ks:
            if relaxed[k] is None or self._re2_allows(k, text):
                return True
        return False

    def _re2_allows(self, k: int, text: str) -> bool:
        """RE2's verdict (memoised per text) on whether branch k may match."""
        last, verdicts = self._verdicts
        if last is not text:
            verdicts = {}
            self._verdicts = (text, verdicts)
        verdict = verdicts.get(k)
        if verdict is None:
            check = self._re2[k]
            if check is None:
                check = self._compile_re2(k)
            if type(check) is int:
                # Not compiled yet: this branch has not been live often
                # enough to repay RE2's compile and its DFA's warm-up.
                self._re2[k] = check - 1 if check > 1 else None
                verdict = True
            elif check is _NO_RE2:
                verdict = True
            else:
                data = self.index.encoded(text)  # type: ignore[union-attr]
                verdict = check.Match(_ANCHOR, data, 0, len(data))[0] != _NULL_SPAN
            verdicts[k] = verdict
        return verdict

    def _live(self, text: str) -> list[tuple[regex.Pattern[str], int]]:
        last, result = self._last
        if last is text:
            return result
        result = self._compute_live(text)
        self._last = (text, result)
        return result

    def _compute_live(self, text: str, checked: bool = True) -> list[tuple[regex.Pattern[str], int]]:
        """The (branch, anchor) pairs that may match `text`: by its literals
        and, when `checked`, RE2's verdicts on the whole of it."""
        index = self.index
        if index is None:
            return [(self._branch(k), 0) for k in range(len(self._alternatives))]
        out = []
        ready = checked and index.re2_ready()
        relaxed = self.relaxed
        for k in self.live(index.mask(text)):
            if ready and relaxed[k] is not None and not self._re2_allows(k, text):
                continue  # RE2 proves the branch cannot match here
            out.append((self._branch(k), self.anchors[k]))
        return out

    def _compile_re2(self, k: int) -> Any:
        relaxed = self.relaxed[k]
        if relaxed is RELAX:
            p = self._alternatives[k]
            relaxed = _relaxed(p.source if type(p) is Uncompiled else self._branch(k).pattern)
        check = _re2_compile(relaxed) if relaxed is not None else _NO_RE2  # type: ignore[arg-type]
        self._re2[k] = check
        return check

    def _new_re2(self) -> list[Any]:
        """Per branch, how many texts it is live on before RE2 is compiled
        for it (None: compile at the next). A big relaxed pattern (a claim
        verb before any of a thousand condition names) costs RE2 several
        milliseconds to compile and warm up, about what a hundred `regex`
        searches of a sentence cost; a branch live on a handful of texts in
        a run never wins that back."""
        out: list[Any] = []
        for k, r in enumerate(self.relaxed):
            if r is None:
                out.append(None)
                continue
            if r is RELAX:  # not relaxed yet: about as long as its source
                p = self._alternatives[k]
                size = p.length if type(p) is Uncompiled else len(getattr(p, "pattern", b""))
            else:
                size = len(r)
            out.append(size // RE2_CHARS_PER_TRY or None)
        return out

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[regex.Match[str]]:
        whole = self._whole
        if whole is not None:
            if type(whole) is int:
                whole = self._whole = Uncompiled(self.pattern, whole).compiled()
            yield from whole.finditer(text, timeout=timeout)
            return
        live = self._live(text)
        if len(live) == 1 and not live[0][1]:
            yield from live[0][0].finditer(text, timeout=timeout)
        elif live:
            yield from _merged(live, text, self.index, timeout)

    def search(self, text: str, pos: int = 0, endpos: int | None = None,
               timeout: float | None = None) -> regex.Match[str] | None:
        best = None
        end = len(text) if endpos is None else endpos
        # RE2's verdicts are on the whole text, where a \b at `endpos` may
        # not hold; a shorter search goes by the literals alone.
        live = self._live(text) if end >= len(text) else self._compute_live(text, checked=False)
        for p, anchor in live:
            m = _find(p, anchor, text, pos, end, self.index, timeout)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


class Uncompiled:
    """A branch not compiled yet: its source and flags. Compiling every
    branch of the default packs takes seconds (the `regex` module parses
    `{condition}`, some 20,000 characters, once per branch that uses it),
    and a run meets only the branches its text makes live; so trusted
    branches are compiled at first use, and each compiled branch is kept in
    the store (below) for later runs. Branches of user packs are compiled
    when loaded, so that an error points at its pack line."""

    __slots__ = ("_source", "flags", "length")

    def __init__(self, source: str | bytes, flags: int, length: int | None = None) -> None:
        # bytes: the source compressed (as pickled, below).
        self._source, self.flags = source, int(flags)
        self.length = len(source) if length is None else length

    @property
    def source(self) -> str:
        return unpacked(self._source)

    def __reduce__(self) -> tuple[Any, ...]:
        # Most branches are never compiled in a run, and their sources (the
        # `{condition}` fragment again and again) were 5 MB of every
        # process that loads the default packs; compressed, under 1 MB.
        return (Uncompiled, (packed(self._source), self.flags, self.length))

    def key(self, source: str | None = None) -> str:
        from ..cache import key_of

        return key_of(self.flags, self.source if source is None else source)

    def compiled(self) -> regex.Pattern[str]:
        source = self.source
        store = _STORE
        if store is None:
            return compile_regex(source, self.flags)
        path = f"{store}/{self.key(source)}.pickle"
        try:
            with open(path, "rb") as fh:
                p = _load_pattern(fh.read())
            if p.pattern == source:
                return p
        except Exception:  # noqa: BLE001 - missing or damaged: compile it again
            pass
        p = compile_regex(source, self.flags)
        from .. import cache

        cache.write(path, p)
        return p


# The folder of compiled branches (<cache>/<code>/regex), one file per
# branch named by a digest of its source and flags; None: nothing is kept
# (no cache folder). Entries are content-addressed, so every rule set and
# process can share them, and concurrent writers write the same bytes.
_STORE: str | None = None


def use_store(folder: str | None) -> None:
    global _STORE
    _STORE = folder


def _relaxed(source: str) -> str | None:
    """relax(source), kept in the store too: working it out for the big
    branches a run over varied copy meets costs about half a second."""
    from .relax import relax

    store = _STORE
    if store is None:
        return relax(source)
    from .. import cache

    path = f"{store}/relaxed-{cache.key_of(source)}.pickle"
    entry = cache.read(path)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == source:
        return entry[1]  # type: ignore[no-any-return]
    relaxed = relax(source)
    cache.write(path, (source, relaxed))
    return relaxed


# Compiled patterns are pure functions of the source. A process that builds
# several rule sets (the language server on a config change, a test suite
# with many projects) compiles the big pack patterns once.
@lru_cache(maxsize=8192)
def compile_regex(source: str, flags: int) -> regex.Pattern[str]:
    # `regex` parses in Python, making hundreds of thousands of small
    # objects for a big branch; the collector would walk everything the
    # run holds each time (a third of the compile time, mid-run).
    from ..cache import gc_paused
    from . import plainflags

    plainflags.apply()
    with gc_paused():
        return regex.compile(source, flags)


_NO_RE2 = object()
# In `Scanner.relaxed`: relax the branch's source when RE2 is first wanted
# for it (relaxing every big branch of the default packs up front takes
# half a second of a first run). True, not a new object: it must come back
# from the pack cache as itself.
RELAX = True
# RE2's anchor for the checks (below); None: not looked up yet, False:
# RE2 cannot be used.
_ANCHOR: Any = None
_NULL_SPAN = (-1, -1)
# Every check pattern starts with this and is matched anchored at the
# start: the same verdict as an unanchored search, but RE2 then knows where
# a match starts and never builds the reverse program and DFA it needs to
# find that out (a fifth of RE2's memory, and a little of its time).
_ANY_PREFIX = b"(?s:.*?)"


def re2_available() -> bool:
    """Whether google-re2's compiled matcher can be called (its binding's
    RE2 objects take UTF-8 bytes; the Python wrapper around them costs a few
    microseconds a call, the call itself well under one)."""
    global _ANCHOR
    if _ANCHOR is None:
        try:
            import re2

            _ANCHOR = re2._Anchor.ANCHOR_START
            re2._re2.RE2(_ANY_PREFIX + b"a", re2.Options()).Match(_ANCHOR, b"ba", 0, 2)
        except Exception:  # noqa: BLE001 - not installed, or a binding we do not know
            _ANCHOR = False
    return _ANCHOR is not False


# Like compiled patterns, a pure function of the source: rules that share a
# branch (a claim pattern in two rules) share its check, about a megabyte
# each for the big lexicon branches.
@lru_cache(maxsize=4096)
def _re2_compile(source: str) -> Any:
    """RE2's compiled `source`, or _NO_RE2 when RE2 is not installed or
    rejects it (then the branch is always searched)."""
    if not re2_available():
        return _NO_RE2
    import re2

    options = re2.Options()
    options.max_mem = 16 << 20
    options.log_errors = False
    options.encoding = re2.Options.Encoding.LATIN1
    try:
        compiled = re2._re2.RE2(_ANY_PREFIX + source.encode("latin-1"), options)
    except Exception:  # noqa: BLE001 - any RE2 refusal means: no check
        return _NO_RE2
    return compiled if compiled.ok() else _NO_RE2


# What RE2 reads for a character beyond ASCII: "_" for a word character
# (`regex`'s Unicode \w), DEL for any other. Folding has already made ASCII
# of whatever `regex` matches to an ASCII letter, digit or space, so the
# bytes keep every character's word-ness, and with it \b and \B, which the
# checks then keep (relax.py).
WORD_STAND_IN, OTHER_STAND_IN = "_", "\x7f"


class _StandIns(dict):  # type: ignore[type-arg]
    """str.translate table: code point -> its stand-in, filled as met."""

    def __missing__(self, code: int) -> str:
        if len(self) >= 1 << 16:
            self.clear()  # a file of every character must not keep them all
        ch = chr(code)
        if ch.isascii():
            read = ch
        else:
            read = WORD_STAND_IN if _word_character(ch) else OTHER_STAND_IN
        self[code] = read
        return read


_STAND_INS = _StandIns()
_WORD: Any = None


def _word_character(ch: str) -> bool:
    global _WORD
    if _WORD is None:
        _WORD = regex.compile(r"\w")
    return _WORD.match(ch) is not None


def stand_in(ch: str) -> str:
    """The ASCII character RE2 reads for `ch` (itself if ASCII)."""
    return _STAND_INS[ord(ch)]  # type: ignore[no-any-return]


def re2_bytes(folded: str) -> bytes:
    """`folded` as the ASCII bytes RE2's checks read: each character beyond
    ASCII as its stand-in."""
    if folded.isascii():
        return folded.encode("ascii")
    return folded.translate(_STAND_INS).encode("ascii")


def _load_pattern(blob: bytes) -> regex.Pattern[str]:
    return _PatternUnpickler(io.BytesIO(blob)).load()  # type: ignore[no-any-return]


class _DataUnpickler(pickle.Unpickler):
    """Unpickles plain data (containers, strings, numbers) and no class."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in a literal table")


class _PatternUnpickler(pickle.Unpickler):
    """Unpickles a compiled `regex` pattern and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("regex._regex", "compile"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in a compiled pattern")


def _find(p: regex.Pattern[str], anchor: int, text: str, pos: int, endpos: int, index: LiteralIndex | None,
          timeout: float | None) -> regex.Match[str] | None:
    """The leftmost match of `p` in text[pos:endpos] (as `p.search`)."""
    if not anchor or index is None:
        return p.search(text, pos, endpos, timeout=timeout)
    starts = index.starts(text, anchor)
    for k in range(bisect_left(starts, pos), len(starts)):
        s = starts[k]
        if s >= endpos:
            break
        m = p.match(text, s, endpos, timeout=timeout)
        if m is not None:
            return m
    return None


def _merged(live: Sequence[tuple[regex.Pattern[str], int]], text: str, index: LiteralIndex | None,
            timeout: float | None) -> Iterator[regex.Match[str]]:
    """finditer of the alternation of the `live` branches (none matches
    empty): repeatedly the leftmost next match, the earlier branch on a tie."""
    end = len(text)
    heads: list[regex.Match[str] | None] = [_find(p, a, text, 0, end, index, timeout) for p, a in live]
    pos = 0
    while True:
        best = None
        for k, m in enumerate(heads):
            if m is None:
                continue
            if m.start() < pos:
                p, a = live[k]
                m = heads[k] = _find(p, a, text, pos, end, index, timeout)
                if m is None:
                    continue
            if best is None or m.start() < best.start():
                best = m
        if best is None:
            return
        yield best
        pos = best.end()
