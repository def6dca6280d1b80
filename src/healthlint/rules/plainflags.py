"""Faster `regex` compiling: its parser's flag constants as plain ints.

The `regex` module parses a pattern in Python and keeps its flags as
`enum.IntFlag` members. Every `flags & IGNORECASE` the parser does (one or
more per character of the pattern) then goes through `enum`'s Python-level
operators; for the default packs' big branches that is 40 % of compiling
them, most of a first run's start (issue 6). The parser's own module-level
constants, and the tables keyed by them, are swapped here for the same
values as plain ints. Nothing public changes (`regex.IGNORECASE` is still
the enum member) and the compiled program is the same: before the swap
is kept, a set of probe patterns is compiled both ways and compared, and
if anything differs the originals are put back. tests/rules/test_plainflags.py
compares every branch of the default packs.
"""
from __future__ import annotations

import enum
import pickle
import sys
from typing import Any

import regex

# Probes covering the flag paths the parser takes: case folding (simple and
# full), sets, lookarounds, both versions, ASCII, reverse, verbose, fuzzy.
_PROBES: tuple[tuple[str, int], ...] = (
    (r"(?<!\bnot\s)(?:caf[eé]|stra(?:ss|ß)e|[^\W\d_]+ing)\b", regex.IGNORECASE),
    (r"(?i:Ǆ|ﬀ|K|ſ)(?-i:AbC)[a-zß-ÿ]", regex.FULLCASE | regex.IGNORECASE),
    (r"(?<=\d{1,3}\s*)(?:mg|grams?)\b(?=\s*(?:a|per)\s+day)", regex.IGNORECASE | regex.VERSION1),
    (r"[[a-z]--[aeiou]]+\p{Lu}\X", regex.VERSION1 | regex.IGNORECASE),
    (r"^\w+ \d+ (?#comment) $", regex.MULTILINE | regex.VERBOSE | regex.ASCII),
    (r"(?:dose){e<=1}|(?r)abc|(?s:.)", regex.BESTMATCH),
    (r"(?P<n>a)(?(n)b|c)\g<n>[[:alpha:]]", regex.IGNORECASE | regex.DOTALL),
)

# Whether apply() has run, and whether the swap was kept.
_DONE = False
_swapped = False


def _modules() -> list[Any]:
    # `_main` in current releases, `regex.regex` in older ones.
    names = ("regex._regex_core", "regex._main", "regex.regex")
    return [sys.modules[n] for n in names if n in sys.modules]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum) and isinstance(value, int):
        return int(value)
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _compiled(patterns: tuple[tuple[str, int], ...]) -> list[bytes]:
    regex.purge()
    return [pickle.dumps(regex.compile(source, flags)) for source, flags in patterns]


def apply() -> bool:
    """Swap the parser's flag constants for ints (once per process).
    True if they are swapped; False where the check found a difference or
    the module is not laid out as expected (compiling is then as before)."""
    global _DONE
    if _DONE:
        return _swapped
    _DONE = True
    return _swap()


def _swap() -> bool:
    global _swapped
    try:
        modules = _modules()
        if not modules:
            return False
        before = _compiled(_PROBES)
        undo: list[tuple[Any, str, Any]] = []
        for module in modules:
            for name, value in list(vars(module).items()):
                if not name.isupper():
                    continue
                if isinstance(value, enum.Enum) and isinstance(value, int):
                    undo.append((module, name, value))
                    setattr(module, name, int(value))
                elif isinstance(value, dict) and any(_plain(k) is not k or _plain(v) is not v
                                                     for k, v in value.items()):
                    undo.append((module, name, value))
                    setattr(module, name, {_plain(k): _plain(v) for k, v in value.items()})
        if _compiled(_PROBES) == before:
            _swapped = True
            return True
        for module, name, value in reversed(undo):
            setattr(module, name, value)
        regex.purge()
        return False
    except Exception:  # noqa: BLE001 - a layout we do not know: leave regex as it is
        return False
