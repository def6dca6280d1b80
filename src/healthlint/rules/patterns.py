"""Pattern text in packs -> compiled `regex` patterns.

Pack authors write patterns the way they read: a space matches any run of
whitespace (prose wraps across lines and markup removal leaves double
spaces), a straight apostrophe also matches a curly one, and `{name}`
expands a named fragment. Regex quantifiers like `{2,3}` are left alone.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import re

import regex

from ..errors import PackError
from .scanner import (ANCHOR_MAX, RELAX, Analyser, Info, LiteralIndex, Scanner, Uncompiled, alternate, analyse,
                      anchor_cost, compile_regex, head_of)

# `{name}`, but not the braces of \p{Lu}, \P{Lu} or \N{BULLET}.
_FRAGMENT = re.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_-]*)\}")
FLAGS = regex.IGNORECASE | regex.VERSION0
# Split alternations into separately compiled branches with a literal
# prefilter (scanner.py); the tests turn this off to build the reference.
SPLIT = True
# Branches this long (expanded) cost `regex` enough per search that RE2,
# when installed, first checks a relaxed copy (relax.py). Since the checks
# keep word boundaries, shorter branches repay it too: 150 rather than 400
# took 2-6 % off linting. Anchored branches are not checked: that took
# another 19-25 % off, but one worker over 2,000 articles then held 19 MB
# more of RE2 automata (166 MB, against a 150 MB target).
RELAX_MIN = 150
# An anchored branch is only tried where its head strings start, which is
# cheap for most; but one try of a branch holding `{condition}` runs its
# thousand alternatives at every position the branch reaches them, 30-120
# microseconds a try. RE2 checks on the anchored branches over 5,000
# characters (41 were asked over 2,000 articles) took 5-7 % of CPU off one
# worker's run over them, for 14 MB more memory, which smaller mask memos
# (scanner.MASK_MEMO) win back. Checks on every anchored branch took 19-25 %
# off but held 19 MB more again.
ANCHORED_RELAX_MIN = 5000


@lru_cache(maxsize=16384)
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


# The longest a pattern may grow with its fragments expanded; the bundled
# packs' longest comes to about 25,000 characters. Fragments that each use
# the one before twice double at every level.
MAX_EXPANDED = 1_000_000


def expand(pattern: str, fragments: Mapping[str, str], _stack: tuple[str, ...] = (),
           _done: dict[str, str] | None = None) -> str:
    """Expand `{name}` references (recursively) and normalise the result.

    Raises KeyError(name) for an unknown fragment and ValueError for a
    cycle or an expansion over MAX_EXPANDED characters; callers turn them
    into PackErrors with a position.
    """
    return _substitute(_normalise(pattern), fragments, _stack, _done)


def _substitute(normalised: str, fragments: Mapping[str, str], _stack: tuple[str, ...] = (),
                _done: dict[str, str] | None = None) -> str:
    """Expand the `{name}` references of already normalised text. `_done`:
    the fragments expanded so far, each expanded once however often it is
    used."""
    done = {} if _done is None else _done

    def replace(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name in _stack:
            raise ValueError("fragment cycle: " + " -> ".join(_stack + (name,)))
        if name not in fragments:
            raise KeyError(name)
        inner = done.get(name)
        if inner is None:
            inner = done[name] = expand(fragments[name], fragments, _stack + (name,), done)
        return f"(?:{inner})"

    out = _FRAGMENT.sub(replace, normalised)
    if len(out) > MAX_EXPANDED:
        raise ValueError(f"with its fragments expanded the pattern is over {MAX_EXPANDED:,} characters "
                         f"({len(out):,}); fragments that use each other several times multiply")
    return out


def _expand(pattern: str, fragments: Mapping[str, str], where: tuple[str, int | None]) -> str:
    path, line = where
    try:
        return expand(pattern, fragments)
    except KeyError as exc:
        known = ", ".join(sorted(fragments)) or "none"
        raise PackError(f"unknown fragment {{{exc.args[0]}}} in pattern {pattern!r}",
                        path, line, hint=f"defined fragments: {known}") from None
    except ValueError as exc:
        raise PackError(str(exc), path, line) from None


def _compile(source: str, flags: int, pattern: str, where: tuple[str, int | None]) -> regex.Pattern[str]:
    try:
        return compile_regex(source, int(flags))
    except regex.error as exc:
        raise PackError(f"invalid regex {pattern!r}: {exc}", *where) from None
    except RecursionError:  # `regex` parses nested groups recursively
        raise PackError(f"invalid regex {_shown(pattern)}: groups nested too deeply", *where,
                        hint="a pattern needs only a few levels of groups") from None


def _shown(pattern: str) -> str:
    """`pattern` quoted, cut to its first 80 characters."""
    return repr(pattern) if len(pattern) <= 80 else repr(pattern[:80]) + "..."


def analyser(fragments: Mapping[str, str]) -> Analyser:
    """The pattern analyser for one fragment library (share it between the
    patterns of a rule set: each fragment is then analysed once). Rule sets
    built from the same library share one, with its memo."""
    return _shared_analyser(tuple(sorted(fragments.items())))


@lru_cache(maxsize=4)
def _shared_analyser(items: tuple[tuple[str, str], ...]) -> Analyser:
    return Analyser(dict(items), _normalise)


def compile_pattern(pattern: str, fragments: Mapping[str, str], *, where: tuple[str, int | None],
                    case_sensitive: bool = False, index: LiteralIndex | None = None,
                    analysis: Analyser | None = None, lazy: bool = False) -> Scanner:
    """Expand and compile one pattern; errors become PackErrors at `where`."""
    scanner = compile_alternation([pattern], fragments, where=where, case_sensitive=case_sensitive,
                                  index=index, analysis=analysis, lazy=lazy)
    assert scanner is not None
    return scanner


def compile_alternation(patterns: list[str], fragments: Mapping[str, str], *, where: tuple[str, int | None],
                        case_sensitive: bool = False, index: LiteralIndex | None = None,
                        analysis: Analyser | None = None, lazy: bool = False) -> Scanner | None:
    """A scanner matching exactly what the alternation `(?:p1)|(?:p2)|...`
    matches (each entry checked on its own first, so an error names the
    faulty one). With an `index`, branches carry a literal prefilter.
    `lazy` (trusted patterns only: the bundled packs, which the tests
    compile) leaves split branches to be compiled at first use."""
    if not patterns:
        return None
    flags = 0 if case_sensitive else FLAGS
    sources = [_expand(p, fragments, where) for p in patterns]
    joined = sources[0] if len(sources) == 1 else "|".join(f"(?:{s})" for s in sources)
    if SPLIT:
        analysis = analysis or analyser(fragments)
        branches: list[tuple[str, Info | None, str]] = []
        for pattern, source in zip(patterns, sources):
            parsed = analysis.analyse(_normalise(pattern), case_sensitive)
            if parsed is None:
                branches.append((source, None, pattern))
            else:
                branches.extend((_substitute(b.source, fragments), b.info, pattern) for b in parsed)
        scanner = _split(joined, _grouped(branches), flags, index, lazy)
        if scanner is not None:
            return scanner
    for pattern, source in zip(patterns, sources):
        if len(sources) > 1:
            _compile(source, flags, pattern, where)
    whole = _compile(joined, flags, patterns[0], where)
    return Scanner(joined, [whole], [_needs(_whole_info(branches) if SPLIT else None, index)], index)


def compile_source(source: str, *, case_sensitive: bool = False, index: LiteralIndex | None = None,
                   where: tuple[str, int | None] = ("<pattern>", None)) -> Scanner:
    """A scanner for a ready regex `source` (no fragments, spaces as written)."""
    flags = 0 if case_sensitive else FLAGS
    branches: list[tuple[str, Info | None, str]] = [(source, None, source)]
    if SPLIT:
        parsed = analyse(source, case_sensitive)
        if parsed is not None:
            branches = [(b.source, b.info, source) for b in parsed]
        scanner = _split(source, _grouped(branches), flags, index)
        if scanner is not None:
            return scanner
    whole = _compile(source, flags, source, where)
    return Scanner(source, [whole], [_needs(_whole_info(branches) if SPLIT else None, index)], index)


# A pattern list split into more branches than this is compiled as this
# many runs of consecutive branches instead, each run one alternation (a
# run's leftmost match, ties going to its earlier branch, is what the
# scanner's merge of those branches would give). A house pack's list of
# 100,000 words, compiled word by word, took 5 GB; the bundled packs' most
# is 189.
MAX_BRANCHES = 512


def _grouped(branches: list[tuple[str, Info | None, str]]) -> list[tuple[str, Info | None, str]]:
    """`branches`, or at most MAX_BRANCHES runs of them, each with the
    literal requirement of any of its branches."""
    if len(branches) <= MAX_BRANCHES:
        return branches
    size = -(-len(branches) // MAX_BRANCHES)
    out = []
    for i in range(0, len(branches), size):
        run = branches[i:i + size]
        infos = [info for _, info, _ in run]
        info = None if any(x is None for x in infos) else alternate(infos)  # type: ignore[arg-type]
        out.append(("|".join(f"(?:{source})" for source, _, _ in run), info, run[0][2]))
    return out


def _split(joined: str, branches: list[tuple[str, Info | None, str]], flags: int,
           index: LiteralIndex | None, lazy: bool = False) -> Scanner | None:
    """Each branch compiled alone, when all were analysed (else None: the
    caller compiles the alternation whole). If one can match the empty
    string, finditer still goes by the whole alternation (Scanner)."""
    if not all(info is not None for _, info, _ in branches):
        return None
    empty = any(info.minlen == 0 for _, info, _ in branches)  # type: ignore[union-attr]
    compiled: list[Any] = []
    for source, _, _ in branches:
        if lazy:
            compiled.append(Uncompiled(source, flags))
            continue
        try:
            compiled.append(compile_regex(source, int(flags)))
        except (regex.error, RecursionError):
            return None  # the whole entry reports its own error
    # A head is what every non-empty match starts with: a branch that can
    # match empty is searched.
    anchors = [_anchor(info, index) if info.minlen else 0 for _, info, _ in branches]  # type: ignore[union-attr]
    # RE2 checks the branches `regex` must search, and the long anchored
    # ones (below).
    relaxed: list[str | bool | None] = [
        None if len(source) < (ANCHORED_RELAX_MIN if anchor else RELAX_MIN) else RELAX if lazy else _relax(source)
        for (source, _, _), anchor in zip(branches, anchors)]
    return Scanner(joined, compiled, [_needs(info, index) for _, info, _ in branches], index, anchors, relaxed,
                   whole=int(flags) if empty else None)


# Relaxations, like compiled patterns (scanner.compile_regex), are pure
# functions of the source, worked out once per process.
@lru_cache(maxsize=8192)
def _relax(source: str) -> str | None:
    if len(source) < RELAX_MIN:
        return None
    from .relax import relax

    return relax(source)


def _whole_info(branches: list[tuple[str, Info | None, str]]) -> Info | None:
    infos = [info for _, info, _ in branches]
    if not infos or any(i is None for i in infos):
        return None
    return alternate(infos) if len(infos) > 1 else infos[0]  # type: ignore[arg-type]


def _anchor(info: Info | None, index: LiteralIndex | None) -> int:
    """The head bit of a branch worth trying only where its head strings
    start (0: search it normally)."""
    if index is None or info is None:
        return 0
    head = head_of(info)
    if head is None or anchor_cost(head) > ANCHOR_MAX:
        return 0
    return index.head_bit(head)


def _needs(info: Info | None, index: LiteralIndex | None) -> int:
    """The literal bits every match of `info` needs (0: none, always run)."""
    if index is None or info is None:
        return 0
    bits = 0
    for orset in info.need:
        bits |= index.bit(orset)
    return bits
