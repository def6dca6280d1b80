"""A lookaround-free superset of a pattern, for RE2's linear-time check.

The heaviest pack patterns (a dose: an amount, then within a few words a
frequency) cost the `regex` module tens of microseconds per sentence even
where they do not match, because it tries every branch at every position.
RE2 (google-re2, when installed) decides whether a pattern *could* match in
a microsecond or two with a DFA, but lacks lookarounds and Unicode-aware
`\\w`, `\\s`, `\\b`.

`relax(source)` rewrites a pattern into RE2 syntax that matches wherever the
original matches (a superset): lookarounds, `$` and `\\Z` are dropped,
case-sensitive groups made insensitive. It runs on `scanner.fold(text)`,
where case, Unicode digits and whitespace are already folded to ASCII, and
RE2 reads every character left beyond ASCII as a stand-in: "_" for a word
character, DEL for any other (`scanner.re2_bytes`). A pattern's characters
beyond ASCII become those of their case forms. Every character keeps its
word-ness, so `\\b` and `\\B` are kept as RE2's ASCII ones. Dropping them
let "ring" match in "during" and "no" in "know": with them kept, 60 % of the
`regex` searches that 200 benchmark articles let through (65 % on the test
corpus) would have been ruled out, none of which matched. If
RE2 finds no match, neither would the original, and the `regex` search is
skipped. Anything outside the modelled syntax returns None (no RE2 check).
"""
from __future__ import annotations

import re

from .scanner import OTHER_STAND_IN, WORD_STAND_IN, Unsupported, fold, letter_run, stand_in

_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_FLAGS = re.compile(r"\?(i?)(?:-(i))?:")
_SPACE = r"\t\n\x0b\f\r "
# The class escapes over the checked text, which is all ASCII: inside a set
# and outside one. Folded text has only ASCII digits and whitespace, and a
# word character beyond ASCII reads as "_", so these are exact.
_IN_SET = {"d": r"0-9", "w": r"0-9A-Za-z_", "s": _SPACE,
           "D": r"\x00-/:-\x7f", "W": r"\x00-/:-@\[-^`{-\x7f", "S": r"\x00-\x08\x0e-\x1f!-\x7f"}
_OUTSIDE = {"d": r"[0-9]", "w": r"[0-9A-Za-z_]", "s": f"[{_SPACE}]",
            "D": r"[^0-9]", "W": r"[^0-9A-Za-z_]", "S": f"[^{_SPACE}]"}
# Which stand-ins a class escape in a negated set rules out (as it rules
# out the characters they stand for).
_EXCLUDES = {"w": WORD_STAND_IN, "W": OTHER_STAND_IN, "S": WORD_STAND_IN + OTHER_STAND_IN,
             "D": WORD_STAND_IN + OTHER_STAND_IN}
_SPACE_ESCAPES = frozenset("ntrfv")
# Counted repeats up to this many are kept; longer ones are left open-ended.
_MAX_COUNT = 4
_META = set(".^$*+?{}[]()|\\-")
# Folded text has every regex-\s character as an ASCII one, so a literal
# whitespace character in a pattern may stand for any of them.
_WS = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                "\u200a\u2028\u2029\u202f\u205f\u3000")


def _ascii(ch: str) -> str:
    """The character RE2 reads where the text holds `ch`: folded, then its
    stand-in."""
    return stand_in(fold(ch))


def forms(ch: str) -> str:
    """What RE2 may read where `regex` matches the pattern character `ch`:
    each of its case forms as RE2 reads it. Dotless "ı" also matches "I",
    which folds to "i"."""
    return "".join(sorted({_ascii(c) for c in (ch, ch.lower(), ch.upper(), ch.casefold()) if len(c) == 1}))


def _escaped(ch: str, special: str) -> str:
    if ch in special or not ch.isprintable():
        return f"\\x{{{ord(ch):x}}}"
    return ch


def _lit(ch: str) -> str:
    if ch in _WS:
        return f"[{_SPACE}]"
    if ch.isascii():
        return _escaped(ch, _META | {"#"})
    read = forms(ch)
    if len(read) == 1:
        return _escaped(read, _META | {"#"})
    return "[" + "".join(_escaped(c, "]\\^-[") for c in read) + "]"


def _set_lit(ch: str) -> str:
    if ch in _WS:
        return _SPACE
    return "".join(_escaped(c, "]\\^-[") for c in (ch if ch.isascii() else forms(ch)))


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
        s = self.s
        while self.i < len(s) and self._peek() not in "|)":
            end = letter_run(s, self.i)
            if end > self.i:
                out.append(s[self.i:end])
                self.i = end
                continue
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
        if ch in "bB":
            return "\\" + ch  # exact: the checked text keeps every character's word-ness
        if ch in "AZ":
            return ""  # zero-width: dropping it matches a superset
        if ch in _OUTSIDE:
            return _OUTSIDE[ch]
        if ch in _SPACE_ESCAPES:
            return f"[{_SPACE}]"
        if ch.isalnum() or ch == "_":
            raise Unsupported(f"escape \\{ch}")
        return _lit(ch)

    def _class(self) -> str:
        negated = self._peek() == "^"
        if negated:
            self.i += 1
        if self._peek() == "]":
            raise Unsupported("] first in a set")
        items = []
        # In a negated set: the stand-ins its class escapes rule out, and
        # those its literal characters and ranges would rule out with them.
        by_class, by_literal = "", ""
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
                if esc in _IN_SET:
                    items.append(_IN_SET[esc])
                    by_class += _EXCLUDES.get(esc, "")
                    continue
                if not esc or esc.isalnum() or esc == "_":
                    if esc in _SPACE_ESCAPES:
                        # Folding leaves \t \n \f \r alone and makes \v a
                        # space: a negated set excludes exactly what it names.
                        if not negated:
                            items.append(_SPACE)
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
                if negated:
                    by_literal += "".join(c for c in (WORD_STAND_IN, OTHER_STAND_IN) if ch <= c <= end)
                items.append(f"{_set_lit(ch)}-{_set_lit(end)}")
                continue
            if negated:
                # "[^’]" excludes one character, its stand-in a thousand:
                # it is left out, and so matched. "_" and DEL are read for
                # themselves and for stand-ins alike.
                if not ch.isascii():
                    continue
                if ch in (WORD_STAND_IN, OTHER_STAND_IN):
                    by_literal += ch
            items.append(_set_lit(ch))  # with a letter's case forms, a digit's ASCII one
        if not negated:
            return "[" + "".join(items) + "]"
        readmit = "".join(sorted({c for c in by_literal if c not in by_class}))
        out = "[^" + "".join(items) + "]" if items else "[\\x00-\\x7f]"
        if readmit:
            out = "(?:" + out + "|[" + "".join(f"\\x{{{ord(c):x}}}" for c in readmit) + "])"
        return out

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
