"""Pattern text in packs -> compiled `regex` patterns.

Pack authors write patterns the way they read: a space matches any run of
whitespace (prose wraps across lines and markup removal leaves double
spaces), a straight apostrophe also matches a curly one, and `{name}`
expands a named fragment. Regex quantifiers like `{2,3}` are left alone.
"""
from __future__ import annotations

from typing import Mapping

import regex

from ..errors import PackError

_FRAGMENT = regex.compile(r"\{([A-Za-z_][A-Za-z0-9_-]*)\}")
FLAGS = regex.IGNORECASE | regex.VERSION0


def _normalise(pattern: str) -> str:
    """Rewrite spaces and apostrophes outside character classes and escapes."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            elif ch == "'":
                ch = "'’"
        elif ch == "[":
            in_class = True
        elif ch == " ":
            while i + 1 < len(pattern) and pattern[i + 1] == " ":
                i += 1
            # "x ?y" means an optional space: quantify the whole run.
            quantified = i + 1 < len(pattern) and pattern[i + 1] in "?*+{"
            ch = r"(?:\s+)" if quantified else r"\s+"
        elif ch == "'":
            ch = "['’]"
        out.append(ch)
        i += 1
    return "".join(out)


def expand(pattern: str, fragments: Mapping[str, str], _stack: tuple[str, ...] = ()) -> str:
    """Expand `{name}` references (recursively) and normalise the result.

    Raises KeyError(name) for an unknown fragment and ValueError for a
    cycle; callers turn both into PackErrors with a position.
    """

    def replace(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name in _stack:
            raise ValueError("fragment cycle: " + " -> ".join(_stack + (name,)))
        if name not in fragments:
            raise KeyError(name)
        inner = expand(fragments[name], fragments, _stack + (name,))
        return f"(?:{inner})"

    return _FRAGMENT.sub(replace, _normalise(pattern))


def compile_pattern(pattern: str, fragments: Mapping[str, str], *, where: tuple[str, int | None],
                    case_sensitive: bool = False) -> regex.Pattern[str]:
    """Expand and compile one pattern; errors become PackErrors at `where`."""
    path, line = where
    try:
        source = expand(pattern, fragments)
    except KeyError as exc:
        known = ", ".join(sorted(fragments)) or "none"
        raise PackError(f"unknown fragment {{{exc.args[0]}}} in pattern {pattern!r}",
                        path, line, hint=f"defined fragments: {known}") from None
    except ValueError as exc:
        raise PackError(str(exc), path, line) from None
    try:
        return regex.compile(source, 0 if case_sensitive else FLAGS)
    except regex.error as exc:
        raise PackError(f"invalid regex {pattern!r}: {exc}", path, line) from None


def compile_alternation(patterns: list[str], fragments: Mapping[str, str], *, where: tuple[str, int | None],
                        case_sensitive: bool = False) -> regex.Pattern[str] | None:
    """One pattern matching any of `patterns` (each checked on its own first,
    so an error names the faulty entry)."""
    if not patterns:
        return None
    for p in patterns:
        compile_pattern(p, fragments, where=where, case_sensitive=case_sensitive)
    joined = "|".join(f"(?:{p})" for p in patterns)
    return compile_pattern(joined, fragments, where=where, case_sensitive=case_sensitive)
