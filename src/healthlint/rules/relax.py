"""A lookaround-free superset of a pattern, for RE2's linear-time check.

The heaviest pack patterns (a dose: an amount, then within a few words a
frequency) cost the `regex` module tens of microseconds per sentence even
where they do not match, because it tries every branch at every position.
RE2 (google-re2, when installed) decides whether a pattern *could* match in
a microsecond or two with a DFA, but lacks lookarounds and Unicode-aware
`\\b`, `\\w`, `\\s`.

`relax(source)` rewrites a pattern into RE2 syntax that matches wherever the
original matches (a superset): lookarounds and word boundaries are dropped,
`\\w`/`\\W` widened to every non-ASCII character, case-sensitive groups made
insensitive; it runs on `scanner.fold(text)`, where case, Unicode digits
and whitespace are already folded to ASCII. If RE2 finds no match, neither
would the original, and the `regex` search is skipped. Anything outside the
modelled syntax returns None (no RE2 check).

RE2 reads the folded text as Latin-1 bytes, every character beyond U+00FF
written as the byte 0xFF (`scanner.re2_bytes`), so a pattern's characters
beyond U+00FF are 0xFF too. Over UTF-8, a `\\w` widened to all of Unicode
is an automaton of multi-byte sequences; over single bytes the checks of a
run over 2,000 articles take 15 % fewer instructions, and one worker holds
about 8 MB less.
"""
from __future__ import annotations

import re

import regex

from .scanner import Unsupported, fold

_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_FLAGS = re.compile(r"\?(i?)(?:-(i))?:")
# Inside a set: superset expansions of the class escapes (folded text has
# only ASCII digits and ASCII whitespace), and subsets for negated sets.
_WIDE = {"d": r"0-9", "w": r"0-9A-Za-z_\x80-\xff", "s": r"\t\n\x0b\f\r ",
         "D": r"\x00-/:-\xff", "W": r"\x00-/:-@\[-^`{-\xff", "S": r"\x00-\x08\x0e-\x1f!-\xff"}
_NARROW = {"d": r"0-9", "w": r"0-9A-Za-z_", "s": r"\t\n\x0b\f\r "}
_OUTSIDE = {"d": r"[0-9]", "w": r"[0-9A-Za-z_\x80-\xff]", "s": r"[\t\n\x0b\f\r ]",
            "D": r"[^0-9]", "W": r"[^0-9A-Za-z_]", "S": r"[^\t\n\x0b\f\r ]"}
_SPACE_ESCAPES = {"n": r"[\t\n\x0b\f\r ]", "t": r"[\t\n\x0b\f\r ]", "r": r"[\t\n\x0b\f\r ]", "f": r"[\t\n\x0b\f\r ]",
                  "v": r"[\t\n\x0b\f\r ]"}
# Counted repeats up to this many are kept; longer ones are left open-ended.
_MAX_COUNT = 4
_META = set(".^$*+?{}[]()|\\-")
# Folded text has every regex-\s character as an ASCII one, so a literal
# whitespace character in a pattern may stand for any of them.
_WS = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                "\u200a\u2028\u2029\u202f\u205f\u3000")


def _lit(ch: str) -> str:
    if ch in _WS:
        return r"[\t\n\x0b\f\r ]"
    folded = fold(ch)
    if folded != ch.lower():
        return _lit(folded)  # a character folding maps (a Unicode digit)
    if not ch.isascii():
        return "[" + _latin(ch) + "]"
    if ch in _META or not ch.isprintable() or ch == "#":
        return f"\\x{{{ord(ch):x}}}"
    return ch


def _set_lit(ch: str) -> str:
    if ch in _WS:
        return r"\t\n\x0b\f\r "
    if not ch.isascii():
        return _latin(ch)
    if ch in "]\\^-[" or not ch.isprintable():
        return f"\\x{{{ord(ch):x}}}"
    return ch


# Characters beyond Latin-1 that `regex` (VERSION0, IGNORECASE) matches to
# Latin-1 ones; tests/rules/test_scanner.py checks this against the
# installed regex module.
_LATIN_KIN = {"\u0178": "\xff", "\u039c": "\xb5", "\u03bc": "\xb5", "\u1e9e": "\xdf", "\u212b": "\xc5\xe5",
              "\U0001df95": "\xdf"}


def _latin(ch: str) -> str:
    """Set items for a non-ASCII character: the bytes its folded text may
    hold. Its case forms within Latin-1, and 0xFF for every form beyond it:
    the "µ" of "µg" also matches Greek mu, which reaches RE2 as 0xFF, and
    Greek mu matches "µ", which does not."""
    forms = {c for c in (ch, ch.lower(), ch.upper(), fold(ch), *_LATIN_KIN.get(ch, ""))
             if len(c) == 1 and ord(c) < 0xFF}
    return "".join(f"\\x{{{ord(c):x}}}" for c in sorted(forms)) + r"\xff"


class _Relaxer:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def _peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def run(self) -> str:
        out = self._alternation()
        if self.i != len(self.s):
            raise Unsupported("unbalanced )")
        return out

    def _alternation(self) -> str:
        parts = [self._sequence()]
        while self._peek() == "|":
            self.i += 1
            parts.append(self._sequence())
        return "|".join(parts)

    def _sequence(self) -> str:
        out = []
        while self.i < len(self.s) and self._peek() not in "|)":
            atom = self._atom()
            out.append(self._quantifier(atom))
        return "".join(out)

    def _quantifier(self, atom: str) -> str:
        ch = self._peek()
        if ch in ("?", "*", "+"):
            self.i += 1
            q = ch
        elif ch == "{":
            m = _QUANT.match(self.s, self.i)
            if m is None or not (m.group(1) or m.group(3)):
                raise Unsupported("a { that is not a quantifier")
            lo, hi = m.group(1) or "0", m.group(3)
            if int(lo) > 1000 or (hi and int(hi) > 1000):
                raise Unsupported("a repeat count RE2 rejects")
            if hi and int(hi) > _MAX_COUNT:
                # "Within sixty characters" as "anywhere after": a superset
                # whose DFA does not track sixty positions per start.
                q = "{" + lo + ",}"
            else:
                q = "{" + lo + (m.group(2) or "") + (hi or "") + "}"
            self.i = m.end()
        else:
            return atom
        if self._peek() == "?":
            self.i += 1  # lazy: the same strings can match
        elif self._peek() == "+":
            self.i += 1  # possessive matches a subset of greedy
        if self._peek() in ("?", "*", "+", "{"):
            raise Unsupported("stacked quantifiers")
        return f"(?:{atom}){q}"

    def _atom(self) -> str:
        ch = self._peek()
        self.i += 1
        if ch == "(":
            return self._group()
        if ch == "[":
            return self._class()
        if ch == "\\":
            return self._escape()
        if ch == "^":
            return "^"
        if ch == "$":
            return ""  # end, or before a final newline: drop (superset)
        if ch == ".":
            return "[^\\n]"
        if ch in "*+?{":
            raise Unsupported("quantifier without an atom")
        return _lit(ch)

    def _escape(self) -> str:
        ch = self._peek()
        self.i += 1
        if not ch:
            raise Unsupported("trailing backslash")
        if ch in "bBAZ":
            return ""  # zero-width: dropping it matches a superset
        if ch in _OUTSIDE:
            return _OUTSIDE[ch]
        if ch in _SPACE_ESCAPES:
            return _SPACE_ESCAPES[ch]
        if ch.isalnum() or ch == "_":
            raise Unsupported(f"escape \\{ch}")
        return _lit(ch)

    def _class(self) -> str:
        negated = self._peek() == "^"
        if negated:
            self.i += 1
        if self._peek() == "]":
            raise Unsupported("] first in a set")
        table = _NARROW if negated else _WIDE
        items = []
        while True:
            ch = self._peek()
            self.i += 1
            if not ch:
                raise Unsupported("unterminated set")
            if ch == "]":
                break
            if ch == "[" or (ch in "&|~-" and self._peek() == ch):
                raise Unsupported("nested set or set operation")
            if ch == "\\":
                esc = self._peek()
                self.i += 1
                if esc in table:
                    items.append(table[esc])
                    continue
                if not esc or esc.isalnum() or esc == "_":
                    if esc in _SPACE_ESCAPES:
                        # Folding leaves \t \n \f \r alone and makes \v a
                        # space: a negated set excludes exactly what it names.
                        if not negated:
                            items.append(r"\t\n\x0b\f\r ")
                        elif esc != "v":
                            items.append("\\" + esc)
                        continue
                    raise Unsupported(f"escape \\{esc} in a set")
                ch = esc
            if negated and ch in _WS:
                if ch not in "\t\n\f\r":
                    raise Unsupported("a negated set naming a folded space")
                items.append(f"\\x{{{ord(ch):x}}}")
                continue
            if self._peek() == "-" and self._peek(1) not in ("]", ""):
                self.i += 1
                end = self._peek()
                self.i += 1
                if end == "\\":
                    end = self._peek()
                    self.i += 1
                    if not end or end.isalnum() or end == "_":
                        raise Unsupported("escaped range end")
                if end == "[" or ord(end) < ord(ch):
                    raise Unsupported("odd range")
                if ch in _WS or end in _WS or not (ch.isascii() and end.isascii()):
                    raise Unsupported("a range RE2 may fold differently")
                items.append(f"{_set_lit(ch)}-{_set_lit(end)}")
                continue
            if negated and not ch.isascii():
                raise Unsupported("a negated set with non-ASCII characters")
            items.append(_set_lit(ch))  # with a letter's case forms, a digit's ASCII one
        return "[" + ("^" if negated else "") + "".join(items) + "]"

    def _group(self) -> str:
        s = self.s
        for look in ("?=", "?!", "?<=", "?<!"):
            if s.startswith(look, self.i):
                self.i += len(look)
                self._body()
                return ""  # a lookaround only restricts: drop it
        if s.startswith("?:", self.i):
            self.i += 2
        elif s.startswith("?P<", self.i) or (s.startswith("?<", self.i) and self._peek(2) not in "=!"):
            end = s.find(">", self.i)
            if end < 0:
                raise Unsupported("group name")
            self.i = end + 1
        elif s.startswith("?", self.i):
            m = _FLAGS.match(s, self.i)
            if m is None or not (m.group(1) or m.group(2)):
                raise Unsupported("inline flags")
            self.i = m.end()  # case-sensitive parts are relaxed to insensitive
        return f"(?:{self._body()})"

    def _body(self) -> str:
        inner = self._alternation()
        if self._peek() != ")":
            raise Unsupported("unterminated group")
        self.i += 1
        return inner


def relax(source: str) -> str | None:
    """RE2 syntax matching a superset of `source` (run on folded text,
    case-insensitively), or None."""
    try:
        return "(?i)(?:" + _Relaxer(source).run() + ")"
    except (Unsupported, IndexError, ValueError, RecursionError):
        return None
