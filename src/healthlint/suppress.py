"""Inline suppression directives -> a filter over one document's findings.

Directives are comments (HTML comments in Markdown and HTML; in plain text
also `# ...`, `// ...` or bare directive lines) whose text starts with
`healthlint-`:

    healthlint-disable [CODES]            from here to a matching enable (or the end)
    healthlint-enable [CODES]             ends a disable for CODES (all when bare)
    healthlint-disable-line [CODES]       the comment's own line(s), widened to the
                                          whole of any prose unit on them
    healthlint-disable-next-line [CODES]  every line of the next prose unit after
                                          the comment (blank lines in between are fine)
    healthlint-disable-file [CODES]       the whole file

CODES are codes, rule names, code prefixes or categories, separated by commas
or spaces; none means every rule. Anything after ` -- ` is the reason.

Document-level findings (the missing consult notice) belong to no passage:
they are silenced by `disable-file` (bare or naming them) or by any other
disable directive that names them explicitly, wherever it sits. A bare
passage directive never hides them.

Problems with directives are findings too: HL003 (invalid-suppression) for an
unknown directive or code, always; HL001 (unused-suppression) for a directive
or a code in it that silenced nothing, when asked for.
"""
from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .document.model import Document
from .findings import Finding, Severity
from .selection import INTERNAL_RULES, Selector, Universe

PREFIX = "healthlint-"
KINDS = ("disable", "enable", "disable-line", "disable-next-line", "disable-file")
# HL003 reports this many unknown codes of one directive, then how many
# more; it quotes a directive up to this many characters.
UNKNOWN_SHOWN = 10
SHOWN = 120
UNUSED = INTERNAL_RULES[0]
INVALID = INTERNAL_RULES[2]

_DIRECTIVE = re.compile(r"healthlint-([A-Za-z][\w-]*)(.*)\Z", re.S | re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class Directive:
    """One parsed directive and the source span of its comment."""

    kind: str
    tokens: tuple[str, ...]
    selectors: tuple[Selector | None, ...]  # one per token; None when unknown
    reason: str | None
    start: int
    end: int

    @property
    def blanket(self) -> bool:
        return not self.tokens

    @property
    def spelled(self) -> str:
        return " ".join((PREFIX + self.kind, *self.tokens))

    def matching(self, code: str) -> list[int]:
        """Indexes of the tokens naming `code` ([-1] for a bare directive)."""
        if self.blanket:
            return [-1]
        return [i for i, s in enumerate(self.selectors) if s is not None and code in s.codes]


@dataclass
class _Use:
    """Which tokens of each directive silenced something."""

    used: dict[int, set[int]] = field(default_factory=dict)

    def credit(self, index: int, tokens: Iterable[int]) -> None:
        self.used.setdefault(index, set()).update(tokens)


def parse_directive(text: str, start: int, end: int, universe: Universe) -> Directive | str | None:
    """A Directive; an error message for a malformed `healthlint-` comment;
    None when the comment is not a directive at all."""
    text = text.strip()
    if text[:len(PREFIX)].lower() != PREFIX:  # HEALTHLINT-DISABLE works too
        return None
    m = _DIRECTIVE.match(text)
    if m is None or m[1].lower() not in KINDS:
        word = PREFIX + (m[1] if m else "")
        close = difflib.get_close_matches(word, [PREFIX + k for k in KINDS], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; use one of {', '.join(PREFIX + k for k in KINDS)}"
        return f"Unknown suppression directive {word!r}{hint}"
    codes, sep, reason = m[2].partition("--")
    tokens = tuple(t for t in _SEPARATORS.split(codes) if t)
    return Directive(m[1].lower(), tokens, tuple(universe.resolve(t) for t in tokens),
                     (reason.strip() or None) if sep else None, start, end)


def _internal(doc: Document, rule_code: str, name: str, severity: Severity, message: str,
              start: int, end: int) -> Finding:
    line, col = doc.lines.position(start)
    end_line, end_col = doc.lines.position(end)
    return Finding(path=doc.path, code=rule_code, name=name, category="internal", severity=severity,
                   message=message, start=start, end=end, line=line, column=col, end_line=end_line,
                   end_column=end_col, match=doc.source[start:end])


def _invalid(doc: Document, message: str, start: int, end: int) -> Finding:
    return _internal(doc, INVALID.code, INVALID.name, INVALID.severity, message, start, end)


class Suppressions:
    """The directives of one document and what each one covers."""

    def __init__(self, doc: Document, universe: Universe) -> None:
        self.doc = doc
        self.directives: list[Directive] = []
        self.problems: list[Finding] = []
        for comment in doc.comments:
            parsed = parse_directive(comment.text, comment.start, comment.end, universe)
            if isinstance(parsed, str):
                self.problems.append(_invalid(doc, parsed, comment.start, comment.end))
            elif parsed is not None:
                self._add(parsed, universe)
        self.units = list(self._unit_lines())
        self.sorted_units = sorted(self.units)
        lines = {i: self._lines(d) for i, d in enumerate(self.directives)
                 if d.kind in ("disable-line", "disable-next-line")}
        # What applies on each line, found by the line: looping over every
        # directive for every finding took quadratic time in a file of
        # thousands of them.
        self.whole_file = [i for i, d in enumerate(self.directives) if d.kind == "disable-file"]
        self.by_line: dict[int, list[int]] = {}
        for i, span in lines.items():
            for line in range(span[0], span[1] + 1) if span is not None else ():
                self.by_line.setdefault(line, []).append(i)
        # Region boundaries, latest first: a disable starts after its
        # comment, an enable at its comment.
        self.events = sorted(((d.end if d.kind == "disable" else d.start, i, d)
                              for i, d in enumerate(self.directives) if d.kind in ("disable", "enable")),
                             key=lambda e: (e[0], e[1]), reverse=True)
        self.event_order = [-pos for pos, _, _ in self.events]  # ascending, for bisect
        # Per code, the last walk back: (index in events it started from, its answer).
        self.walked: dict[str, tuple[int, bool]] = {}

    def _add(self, d: Directive, universe: Universe) -> None:
        unknown = [token for token, sel in zip(d.tokens, d.selectors, strict=True) if sel is None]
        # A finding per unknown code, each quoting the directive and
        # spanning its comment, grew with the square of a long directive
        # (5,000 unknown codes in a 25 KB comment: 250 MB of output).
        spelled = d.spelled if len(d.spelled) <= SHOWN else d.spelled[:SHOWN - 1] + "…"
        for token in unknown[:UNKNOWN_SHOWN]:
            self.problems.append(_invalid(
                self.doc, f"{token!r} in {spelled!r} names no rule; {universe.suggest(token)}", d.start, d.end))
        if len(unknown) > UNKNOWN_SHOWN:
            self.problems.append(_invalid(
                self.doc, f"{len(unknown) - UNKNOWN_SHOWN:,} more codes in {spelled!r} name no rule", d.start, d.end))
        self.directives.append(d)

    # -- what each directive covers -------------------------------------------

    def _line_of(self, offset: int) -> int:
        return self.doc.lines.position(offset)[0]

    def _unit_lines(self) -> Iterable[tuple[int, int, int]]:
        """(source start, first line, last line) of every unit."""
        for unit in self.doc.units:
            start, end = self.doc.unit_source_span(unit)
            yield start, self._line_of(start), self._line_of(max(start, end - 1))

    def _lines(self, d: Directive) -> tuple[int, int] | None:
        first, last = self._line_of(d.start), self._line_of(max(d.start, d.end - 1))
        if d.kind == "disable-next-line":
            k = bisect_left(self.sorted_units, (d.end,))  # the first unit after the comment
            if k == len(self.sorted_units):
                return None
            _, first, last = self.sorted_units[k]
            return first, last
        # disable-line: widen to every unit that shares a line with the
        # comment, so a trailing comment covers a whole multi-line list item.
        for _, a, b in self.units:
            if a <= last and b >= first:
                first, last = min(first, a), max(last, b)
        return first, last

    # -- matching ----------------------------------------------------------------

    def _file_or_lines(self, f: Finding, use: _Use) -> bool:
        hit = False
        for i in (*self.whole_file, *self.by_line.get(f.line, ())):
            tokens = self.directives[i].matching(f.code)
            if tokens:
                use.credit(i, tokens)
                hit = True
        return hit

    def _region(self, f: Finding, use: _Use) -> bool:
        # Walk back from the finding: every disable naming its code counts
        # until an enable naming it (or a bare enable) closes the region.
        # Findings mostly come in source order, so a walk stops where the
        # last one for the same code started, when that was no later: the
        # rest would credit the same directives and give its answer.
        start = bisect_left(self.event_order, -f.start)
        last = self.walked.get(f.code)
        stop = last[0] if last is not None and last[0] >= start else len(self.events)
        hit = False
        for _, i, d in self.events[start:stop]:
            tokens = d.matching(f.code)
            if not tokens:
                continue
            if d.kind == "enable":
                break
            use.credit(i, tokens)
            hit = True
        else:
            if stop < len(self.events):
                hit = hit or last[1]  # type: ignore[index]
        self.walked[f.code] = (start, hit)
        return hit

    def _document(self, f: Finding, use: _Use) -> bool:
        hit = False
        for i, d in enumerate(self.directives):
            if d.kind == "enable" or (d.blanket and d.kind != "disable-file"):
                continue
            tokens = d.matching(f.code)
            if tokens:
                use.credit(i, tokens)
                hit = True
        return hit

    def suppressed(self, f: Finding, use: _Use) -> bool:
        if f.document_level:
            return self._document(f, use)
        in_file = self._file_or_lines(f, use)
        return self._region(f, use) or in_file

    # -- unused -------------------------------------------------------------------

    def unused(self, use: _Use) -> list[Finding]:
        out = []
        for i, d in enumerate(self.directives):
            if d.kind == "enable":
                continue
            used = use.used.get(i, set())
            if d.blanket:
                if not used:
                    out.append(self._unused(d, f"Suppression {d.spelled!r} silenced nothing"))
                continue
            known = [j for j, s in enumerate(d.selectors) if s is not None]
            idle = [d.tokens[j] for j in known if j not in used]
            if known and len(idle) == len(known):
                out.append(self._unused(d, f"Suppression {d.spelled!r} silenced nothing"))
            elif idle:
                listed = ", ".join(repr(t) for t in idle)
                noun = "Code" if len(idle) == 1 else "Codes"
                out.append(self._unused(d, f"{noun} {listed} in {d.spelled!r} silenced nothing"))
        return out

    def _unused(self, d: Directive, message: str) -> Finding:
        return _internal(self.doc, UNUSED.code, UNUSED.name, UNUSED.severity, message, d.start, d.end)


def apply(doc: Document, findings: Sequence[Finding], universe: Universe,
          report_unused: bool = False) -> tuple[list[Finding], list[Finding]]:
    """(findings the directives leave, findings about the directives)."""
    if not doc.comments:
        return list(findings), []
    sup = Suppressions(doc, universe)
    use = _Use()
    kept = [f for f in findings if not sup.suppressed(f, use)]
    about = list(sup.problems)
    if report_unused:
        about.extend(sup.unused(use))
    return kept, about
