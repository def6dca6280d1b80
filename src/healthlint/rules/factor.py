"""Rewrite big alternations as prefix trees, so `regex` tries fewer
alternatives at every position.

`regex` tries the alternatives of a group one after another; the packs'
`{condition}` fragment has three hundred. Alternatives that start with the
same letter are pulled together under it (`anxiety|acne|...` ->
`a(?:nxiety|cne)|...`), recursively, and a group that is a whole
alternative joins its parent (`(?:a|b)|c` -> `a|b|c`).

The rewrite keeps every match the same, including which alternative wins.
An alternative moves ahead of another only when the two cannot start with
the same character (their possible first characters, case folded, do not
meet); alternatives that share a first letter keep their order. Sources
with capturing groups, backreferences, conditionals, branch resets or
inline flags are compiled as written: moving alternatives would renumber or
change them.
"""
from __future__ import annotations

import re
from typing import Optional

# Alternations with fewer alternatives are left as they are.
MIN_ALTERNATIVES = 6
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_UNSAFE = re.compile(r"\((?!\?)|\(\?P?<(?![=!])|\(\?\(|\(\?\||\\[1-9g]|\(\?P[=>]|\(\?&|\(\?R|\(\?\d")
_ESCAPE_OR_CLASS = re.compile(r"\\[^1-9g]|\[\^?\]?(?:\\.|[^\]\\])*\]")
_OPENING = re.compile(r"\(\?(?::|[=!>]|<[=!]|[a-zA-Z]*-?[a-zA-Z]+:)")
_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*,?\d*\})[?+]?")
_SPECIAL = re.compile(r"[\\\[()|?*+{]")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
# Zero-width items: they consume nothing, so what follows them starts.
_ZERO_WIDTH = frozenset(["\\b", "\\B", "\\A", "\\Z", "\\G", "\\m", "\\M", "^", "$"])
# Escapes longer than two characters, which this module does not read.
_LONG_ESCAPES = frozenset("NpPxuUL0123456789")

_ANY = None  # first characters: could be anything
Firsts = Optional[frozenset]


class _Bail(Exception):
    """Source this module does not follow; it is compiled as written."""


class _Item:
    """A character, an escape, a class or a group, with its quantifier.
    Never changed once built (groups are shared between sources)."""

    __slots__ = ("text", "quantifier", "body", "_source", "_firsts")

    def __init__(self, text: str, quantifier: str = "", body: "list[list[_Item]] | None" = None) -> None:
        self.text = text
        self.quantifier = quantifier
        self.body = body  # a group's alternatives
        self._source: str | None = None
        self._firsts: tuple[Firsts, bool] | None = None

    def render(self) -> str:
        if self._source is None:
            self._source = (self.text if self.body is None else self.text + _render(self.body) + ")") + self.quantifier
        return self._source

    def firsts(self) -> tuple[Firsts, bool]:
        """The case-folded characters a match can start with, and whether
        it can match empty (consume nothing)."""
        if self._firsts is None:
            self._firsts = self._compute_firsts()
        return self._firsts

    def _compute_firsts(self) -> tuple[Firsts, bool]:
        optional = self.quantifier[:1] in ("?", "*") or self.quantifier.startswith(("{0", "{,"))
        if self.body is not None:
            if self.text in _LOOKAROUNDS:
                return frozenset(), True
            chars: set[str] = set()
            empty = False
            for seq in self.body:
                f, e = _seq_firsts(seq)
                if f is _ANY:
                    return _ANY, True
                chars |= f
                empty = empty or e
            return frozenset(chars), empty or optional
        if self.text in _ZERO_WIDTH:
            return frozenset(), True
        if self.text in _LETTERS:
            return frozenset(self.text.lower()), optional
        return _ANY, True


_Seq = list[_Item]


def _render(alternatives: list[_Seq]) -> str:
    return "|".join("".join(item.render() for item in seq) for seq in alternatives)


def _seq_firsts(seq: _Seq) -> tuple[Firsts, bool]:
    chars: set[str] = set()
    for item in seq:
        f, empty = item.firsts()
        if f is _ANY:
            return _ANY, True
        chars |= f
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


# The same fragment (`{condition}`) is expanded into hundreds of branches:
# each distinct group is parsed and rewritten once per process.
_GROUPS: dict[str, _Item] = {}
_GROUPS_MAX = 50_000


def factor(source: str) -> str:
    """`source` with its big alternations rewritten as prefix trees (the
    same source when nothing is worth rewriting or it is not safe to)."""
    if source.count("|") + 1 < MIN_ALTERNATIVES:
        return source
    if _UNSAFE.search(_ESCAPE_OR_CLASS.sub("_", source)):
        return source
    try:
        parser = _Parser(source)
        alternatives, end = parser.alternation(0)
    except (_Bail, RecursionError):
        return source
    if end != len(source):
        return source
    return _render(_rewrite(alternatives))


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.ends = _group_ends(source)

    def alternation(self, i: int) -> tuple[list[_Seq], int]:
        """The alternatives from `i` to the `)` closing the enclosing group
        (or the end), and where they stop."""
        source = self.source
        alternatives: list[_Seq] = []
        seq: _Seq = []
        n = len(source)
        while i < n:
            ch = source[i]
            if ch == ")":
                break
            if ch == "|":
                alternatives.append(seq)
                seq = []
                i += 1
                continue
            if ch == "\\":
                if source[i + 1:i + 2] in _LONG_ESCAPES or i + 1 >= n:
                    raise _Bail
                item = _Item(source[i:i + 2])
                i += 2
            elif ch == "[":
                j = _class_end(source, i)
                item = _Item(source[i:j])
                i = j
            elif ch == "(":
                item, i = self.group(i)
            elif ch in "?*+{":
                raise _Bail  # a quantifier with nothing before it
            else:
                # A run of plain characters, each its own item.
                m = _SPECIAL.search(source, i)
                j = m.start() if m is not None else n
                if j < n and source[j] in "?*+{" and j - i > 1:
                    j -= 1  # the last one carries the quantifier
                if j - i > 1:
                    seq.extend(_Item(c) for c in source[i:j - 1])
                    i = j - 1
                item = _Item(source[i])
                i += 1
            q = _QUANTIFIER.match(source, i)
            if q is not None and q.end() > i:
                item = _Item(item.text, q.group(), item.body)
                i = q.end()
            elif source[i:i + 1] == "{":
                raise _Bail  # fuzzy constraints and other braces
            seq.append(item)
        alternatives.append(seq)
        return alternatives, i

    def group(self, i: int) -> tuple[_Item, int]:
        """The group opening at `i`, rewritten, and the index after it."""
        end = self.ends.get(i)
        if end is None:
            raise _Bail
        key = self.source[i:end + 1]
        item = _GROUPS.get(key)
        if item is None:
            m = _OPENING.match(self.source, i)
            if m is None:
                raise _Bail  # inline flags, comments, anything unusual
            body, j = self.alternation(m.end())
            if j != end:
                raise _Bail
            item = _Item(m.group(), body=_rewrite(body))
            if len(_GROUPS) >= _GROUPS_MAX:
                _GROUPS.clear()
            _GROUPS[key] = item
        return item, end + 1


def _group_ends(source: str) -> dict[int, int]:
    """Where the group opening at each `(` closes."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    scan = re.compile(r"[\\\[()]").search
    while True:
        m = scan(source, i)
        if m is None:
            break
        i = m.start()
        ch = source[i]
        if ch == "\\":
            i += 2
        elif ch == "[":
            i = _class_end(source, i)
        elif ch == "(":
            stack.append(i)
            i += 1
        else:
            if not stack:
                raise _Bail
            ends[stack.pop()] = i
            i += 1
    if stack:
        raise _Bail
    return ends


def _class_end(source: str, i: int) -> int:
    """The index just after the character class opening at `i`."""
    j = i + 1
    if source[j:j + 1] == "^":
        j += 1
    if source[j:j + 1] == "]":
        j += 1
    while j < len(source):
        ch = source[j]
        if ch == "\\":
            j += 2
        elif ch == "[":
            raise _Bail  # a nested set (VERSION1) or a POSIX class
        elif ch == "]":
            return j + 1
        else:
            j += 1
    raise _Bail


def _rewrite(alternatives: list[_Seq]) -> list[_Seq]:
    """The alternation with nested plain groups flattened into it and, when
    it is big, alternatives merged on their first letters."""
    flat: list[_Seq] = []
    for seq in alternatives:
        if len(seq) == 1 and seq[0].text == "(?:" and not seq[0].quantifier and seq[0].body is not None:
            flat.extend(seq[0].body)  # tried in the same order either way
        else:
            flat.append(seq)
    return _merged(flat) if len(flat) >= MIN_ALTERNATIVES else flat


def _head(seq: _Seq) -> str | None:
    """The letter `seq` must start with, when its first item is one."""
    if seq and seq[0].body is None and not seq[0].quantifier and seq[0].text in _LETTERS:
        return seq[0].text
    return None


class _Bucket:
    __slots__ = ("letter", "firsts", "members")

    def __init__(self, letter: str | None, firsts: Firsts, members: list[_Seq]) -> None:
        self.letter = letter  # None: an alternative that stays on its own
        self.firsts = firsts
        self.members = members


def _merged(alternatives: list[_Seq]) -> list[_Seq]:
    """The alternation with alternatives that start with the same letter
    gathered where the first of them stood, when nothing between could
    start with that letter too."""
    buckets: list[_Bucket] = []
    last: dict[str, _Bucket] = {}  # the newest bucket of each letter
    for seq in alternatives:
        letter = _head(seq)
        if letter is None:
            firsts, empty = _seq_firsts(seq)
            buckets.append(_Bucket(None, _ANY if empty else firsts, [seq]))
            continue
        folded = letter.lower()
        home = last.get(letter)
        if home is not None:
            # Nothing after it may start with this letter in any case.
            for bucket in reversed(buckets):
                if bucket is home:
                    break
                if bucket.firsts is _ANY or folded in bucket.firsts:
                    home = None
                    break
        if home is None:
            home = last[letter] = _Bucket(letter, frozenset(folded), [])
            buckets.append(home)
        home.members.append(seq)
    out: list[_Seq] = []
    for bucket in buckets:
        if bucket.letter is None or len(bucket.members) == 1:
            out.extend(bucket.members)
            continue
        rests = _merged([seq[1:] for seq in bucket.members])
        head = _Item(bucket.letter)
        out.append([head, *rests[0]] if len(rests) == 1 else [head, _Item("(?:", body=rests)])
    return out
