"""What every rule type shares: the Match it yields, the unit context it
reads, and regex search with a timeout.

Rule types only find matches. They never know codes, severities or paths;
the engine stamps those (the yamllint/Vale split).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Protocol, TypeVar

import re

import regex

from ..findings import Severity

if TYPE_CHECKING:
    from ..document.model import Document, Unit

# One search may not take longer than this many seconds; a pathological
# pattern then costs one timeout per unit, not a hung CI job.
SEARCH_TIMEOUT = 1.0


class RuleTimeout(Exception):
    """A pattern exceeded SEARCH_TIMEOUT on some unit."""


@dataclass(frozen=True, slots=True)
class Match:
    """A hit inside one unit's text (unit-relative offsets), or a
    document-level hit (start == end == 0, `document=True`)."""

    start: int
    end: int
    text: str
    replacement: str | None = None
    severity: Severity | None = None
    document: bool = False
    values: tuple[tuple[str, str], ...] = ()


def finditer(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    try:
        yield from pattern.finditer(text, timeout=SEARCH_TIMEOUT)
    except TimeoutError as exc:
        raise RuleTimeout(pattern.pattern) from exc


def search(pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
    try:
        if endpos is None:
            return pattern.search(text, pos, timeout=SEARCH_TIMEOUT)
        return pattern.search(text, pos, endpos, timeout=SEARCH_TIMEOUT)
    except TimeoutError as exc:
        raise RuleTimeout(pattern.pattern) from exc


def occurs(pattern: regex.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches anywhere in `text`, a long text searched
    once (a document's source)."""
    return next(matches_in(pattern, text), None) is not None


def matches_in(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """The matches of `pattern` in a long text searched once (a document's
    source), branch by branch, so not in text order. A split pattern's
    branches are searched directly: the literal scan that pays off on a
    sentence many rules ask about costs more than the search on a text
    asked about once or twice (and would keep a folded copy of it)."""
    branches = getattr(pattern, "alternatives", None)
    try:
        for p in (pattern,) if branches is None else branches:
            yield from p.finditer(text, timeout=SEARCH_TIMEOUT)
    except TimeoutError as exc:
        raise RuleTimeout(pattern.pattern) from exc


class UnitView:
    """One unit as a rule sees it, with lazy access to its neighbourhood."""

    __slots__ = ("doc", "index", "unit", "text", "_scopes")

    def __init__(self, doc: "Document", index: int) -> None:
        self.doc = doc
        self.index = index
        self.unit: Unit = doc.units[index]
        self.text: str = self.unit.text
        # scope_text/scope_source results: every rule asks for the same ones,
        # and the same string objects let the literal prefilter reuse its
        # scan (issue 6).
        self._scopes: dict[tuple[bool, str], str] = {}

    @property
    def kind(self) -> str:
        return self.unit.kind

    def scope_source(self, scope: str) -> str:
        """The raw source behind `scope_text` (markup included), where link
        destinations to studies and guidelines are visible."""
        key = (True, scope)
        if key not in self._scopes:
            self._scopes[key] = self._scope_source(scope)
        return self._scopes[key]

    def _scope_source(self, scope: str) -> str:
        doc = self.doc
        if self.unit.kind == "table_cell":
            units = self._row()
        elif scope == "sentence":
            units = [self.unit]
        elif scope == "neighbours":
            lo, hi = self.index - 1, self.index + 2
            units = [u for u in doc.units[max(0, lo):hi] if u.region == self.unit.region]
        else:
            # Cut once per region and shared by its units: cut per unit, a
            # paragraph of thousands of sentences was copied (and hashed
            # by the citation memo) once per sentence, quadratic.
            sources = _per_document("region-sources", doc, _new_dict)
            region = self.unit.region
            if region not in sources:
                sources[region] = _source_of(doc, [doc.units[i] for i in _region_units(doc)[region]])
            return sources[region]
        return _source_of(doc, units)

    def scope_text(self, scope: str) -> str:
        """The text a companion (e.g. a citation) may sit in: `sentence`,
        `neighbours` (the units just before and after in the same region) or
        `paragraph` (the whole region)."""
        key = (False, scope)
        if key not in self._scopes:
            self._scopes[key] = self._scope_text(scope)
        return self._scopes[key]

    def _scope_text(self, scope: str) -> str:
        if self.unit.kind == "table_cell":
            # A table row is cited when any of its cells carries the citation.
            return "\n".join(u.text for u in self._row())
        if scope == "sentence":
            return self.text
        if scope == "paragraph":
            return self.doc.regions[self.unit.region].text
        units = self.doc.units
        parts = [self.text]
        for j in (self.index - 1, self.index + 1):
            if 0 <= j < len(units) and units[j].region == self.unit.region:
                parts.append(units[j].text)
        return "\n".join(parts)


    def line_around(self) -> str:
        """The whole line of the region the unit sits on, when the unit does
        not start it (a bibliography entry the sentence splitter cut at
        "Lee K.": its title and journal); "" otherwise."""
        key = (False, "line")
        line = self._scopes.get(key)
        if line is None:
            region = self.unit.region
            text = self.doc.regions[region].text
            start = self.unit.start
            # Line ends found once per region and bisected, and one string
            # per line shared by its units: searching back and copying per
            # unit was quadratic on a line of thousands of sentences (and
            # the reference check's memo keys on the string).
            breaks = _per_document("line-breaks", self.doc, _new_dict)
            ends = breaks.get(region)
            if ends is None:
                ends = breaks[region] = [m.start() for m in _NEWLINE.finditer(text)]
            i = bisect_left(ends, start)
            lo = ends[i - 1] + 1 if i else 0
            if _VISIBLE.search(text, lo, start) is None:
                line = ""
            else:
                lines = _per_document("lines", self.doc, _new_dict)
                line = lines.get((region, lo))
                if line is None:
                    j = bisect_left(ends, self.unit.end, i)
                    line = lines[(region, lo)] = text[lo:ends[j] if j < len(ends) else len(text)]
            self._scopes[key] = line
        return line

    def lead_in(self) -> str | None:
        """For a list item, the unit that introduces its list ("Helps
        with:", "Be wary of any product that:"); None elsewhere."""
        if self.unit.kind != "list_item":
            return None
        j = _lead_ins(self.doc)[self.index]
        return self.doc.units[j].text if j >= 0 else None

    @property
    def header(self) -> str:
        """The column header of a table cell ("" elsewhere)."""
        return self.doc.regions[self.unit.region].header

    def row_label(self) -> str:
        """The first cell of this cell's row, when the table is laid out
        sideways ("Side effects | None reported"); "" for the first cell."""
        row = self._row()
        if not row or row[0] is self.unit or row[0] == self.unit:
            return ""
        return row[0].text

    def labels(self) -> tuple[str, ...]:
        """What names this cell: its column header and its row label."""
        return (self.header, self.row_label())

    def row_headers(self) -> list[str]:
        regions = self.doc.regions
        return [regions[u.region].header for u in self._row()]

    def row_has_reference(self) -> bool:
        """Whether this cell's row fills a reference column ("Ref.",
        "Source", "Evidence")."""
        regions = self.doc.regions
        for u in self._row():
            region = regions[u.region]
            if region.text.strip() and region.text != region.header and _REF_HEADER.match(region.header):
                return True
        return False

    def _row(self) -> list["Unit"]:
        """The units of this cell's table row."""
        doc, units = self.doc, self.doc.units
        row = doc.regions[self.unit.region].row
        if row < 0:
            return [self.unit]
        lo, hi = max(0, self.index - 40), min(len(units), self.index + 41)
        return [u for u in units[lo:hi] if u.kind == "table_cell" and doc.regions[u.region].row == row]


T = TypeVar("T")
_PER_DOCUMENT: dict[tuple[str, int], tuple["Document", Any]] = {}


def _per_document(name: str, doc: "Document", build: Callable[["Document"], T]) -> T:
    """build(doc), worked out once per document: every rule of every unit
    asks (kept by identity for the last few documents)."""
    key = (name, id(doc))
    cached = _PER_DOCUMENT.get(key)
    if cached is not None and cached[0] is doc:
        return cached[1]  # type: ignore[no-any-return]
    value = build(doc)
    if len(_PER_DOCUMENT) >= 16:
        _PER_DOCUMENT.clear()
    _PER_DOCUMENT[key] = (doc, value)
    return value


def _source_of(doc: "Document", units: list["Unit"]) -> str:
    """The source from the first of `units` to the end of the last."""
    spans = [doc.unit_source_span(u) for u in units]
    return doc.source[min(s for s, _ in spans):max(e for _, e in spans)] if spans else ""


def _new_dict(doc: "Document") -> dict[Any, Any]:
    return {}


_VISIBLE = re.compile(r"\S")
_NEWLINE = re.compile(r"\n")


def _region_units(doc: "Document") -> dict[int, list[int]]:
    """Region number -> indexes of its units in `doc.units`, in order."""
    return _per_document("regions", doc, _index_regions)


def _index_regions(doc: "Document") -> dict[int, list[int]]:
    index: dict[int, list[int]] = {}
    for i, unit in enumerate(doc.units):
        index.setdefault(unit.region, []).append(i)
    return index


def _lead_ins(doc: "Document") -> list[int]:
    """Per unit, the index of the last unit before it that is not a list
    item or table cell (-1 if none): a list's lead-in, however long the
    list, found in one pass per document."""
    return _per_document("lead-ins", doc, _index_lead_ins)


def _index_lead_ins(doc: "Document") -> list[int]:
    out, last = [], -1
    for i, unit in enumerate(doc.units):
        out.append(last)
        if unit.kind not in ("list_item", "table_cell"):
            last = i
    return out


_REF_HEADER = re.compile(
    r"^\W*(?:refs?|references?|sources?|citations?|cited|evidence|studies|study|trials?|key (?:trial|study))\W*$",
    re.IGNORECASE,
)


class RuleType(Protocol):
    """A compiled rule of one type. `PARAMS` (on the class) declares the
    type's own YAML keys: name -> (kind, required, default)."""

    PARAMS: Mapping[str, tuple[str, bool, Any]]
    document_level: bool

    def check(self, view: UnitView) -> Iterator[Match]: ...
