"""The approved-claims register (issue 5): claims medical/legal review has
signed off, so healthlint lists them as approved instead of reporting them.

    # approved-claims.yaml (path set by `approved-claims:` in the config)
    claims:
      - reference: MLR-2024-017
        wording: "Magnesium contributes to the reduction of tiredness and fatigue."
        approved-by: Dr A. Patel, medical-legal review
        jurisdictions: [UK, EU]
        expires: 2026-06-30
        rules: [EU101]                 # optional: only these rules (selectors)
      - reference: MLR-2024-031
        pattern: 'reduced nighttime waking by \\d+% in a 2023 trial'
        example: "It reduced nighttime waking by 31% in a 2023 trial [1]."
        approved-by: Legal (J. Ortiz)
        jurisdictions: [ALL]
        expires: 2025-12-31

A finding is approved when, inside the prose region (paragraph, list item,
cell, heading) that holds it, an entry's wording (exact words; case, whitespace and
quote style may differ) or pattern matches a span that contains the whole
finding, the entry covers the finding's rule, and the entry's jurisdictions
cover every market in the project's `context` (`ALL` covers any, including
a project that names none: markets are never guessed). A live approval
moves the finding to FileReport.approved; an expired one (the day after
`expires`) reports it again as HL004 approval-expired, with the rule's
severity. Document-level findings are never approved: a register approves
wording, not the absence of a notice.

Loading is strict, like the config: each mistake is a ConfigError at
file:line:col (unknown keys, missing fields, bad dates or regexes, unknown
markets or rules, duplicate references, wordings or patterns, an example
its pattern does not match). `healthlint claims check` adds what is not a
syntax error but needs a person: expired entries, and entries whose own
wording no rule flags any more.
"""
from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import regex

from .errors import ConfigError
from .findings import Approval, Finding

if TYPE_CHECKING:
    from .document.model import Document
    from .runner import Plan
    from .selection import Universe

EXPIRED_CODE = "HL004"
EXPIRED_NAME = "approval-expired"
ALL_MARKETS = "ALL"
# key -> (required, kind)
KEYS: Mapping[str, tuple[bool, str]] = {
    "reference": (True, "string"),
    "wording": (False, "string"),
    "pattern": (False, "string"),
    "approved-by": (True, "string"),
    "jurisdictions": (True, "markets"),
    "expires": (True, "date"),
    "rules": (False, "strings"),
    "example": (False, "string"),
    "note": (False, "string"),
}
_QUOTES = {"'": "['’‘]", "’": "['’‘]", "‘": "['’‘]", '"': "[\"“”]", "“": "[\"“”]", "”": "[\"“”]",
           "-": "[-–—]", "–": "[-–—]", "—": "[-–—]"}
_FLAGS = regex.IGNORECASE | regex.VERSION0


def today() -> datetime.date:
    """The date expiry is judged on (tests replace it)."""
    return datetime.date.today()


@dataclass(frozen=True, eq=False)
class Claim:
    reference: str
    approver: str
    jurisdictions: tuple[str, ...]
    expires: datetime.date
    compiled: regex.Pattern[str]
    wording: str | None = None
    pattern: str | None = None
    codes: frozenset[str] | None = None  # None: every rule
    example: str | None = None
    note: str | None = None
    line: int = 1
    col: int = 1

    @property
    def approval(self) -> Approval:
        return Approval(self.reference, self.approver, self.jurisdictions, self.expires.isoformat())

    def expired(self, on: datetime.date) -> bool:
        return on > self.expires

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    def applies_in(self, markets: Sequence[str]) -> bool:
        """Whether the approval holds for a project publishing in `markets`."""
        if ALL_MARKETS in self.jurisdictions:
            return True
        return bool(markets) and set(markets) <= set(self.jurisdictions)

    @property
    def text(self) -> str | None:
        """The words the entry stands for: its wording, else its example."""
        return self.wording or self.example


@dataclass(frozen=True, eq=False)
class Register:
    path: str  # as displayed in messages
    claims: tuple[Claim, ...] = ()


# -- loading -------------------------------------------------------------------

def wording_regex(wording: str) -> str:
    """Exact words; any whitespace between them; either quote or dash style."""
    parts = []
    for word in wording.split():
        parts.append("".join(_QUOTES.get(ch, regex.escape(ch)) for ch in word))
    body = r"\s+".join(parts)
    lead = r"(?<!\w)" if wording.strip()[:1].isalnum() else ""
    tail = r"(?!\w)" if wording.strip()[-1:].isalnum() else ""
    return lead + body + tail


def _pos(node: Any, how: str, key: Any) -> tuple[int | None, int | None]:
    lc = getattr(node, "lc", None)
    try:
        line, col = getattr(lc, how)(key)
    except (KeyError, IndexError, TypeError, AttributeError):
        return None, None
    return line + 1, col + 1


def _item_pos(node: Any, key: str, index: int) -> tuple[int | None, int | None]:
    """Where item `index` of the list at node[key] is; the value's position
    when it is one string (`jurisdictions: US`) or the item has no mark."""
    where = _pos(node[key], "item", index) if isinstance(node[key], list) else (None, None)
    return where if where[0] is not None else _pos(node, "value", key)


class _Loader:
    def __init__(self, path: str, universe: Universe | None, fragments: Mapping[str, str]) -> None:
        self.path, self.universe, self.fragments = path, universe, fragments

    def fail(self, where: tuple[int | None, int | None], message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(message, self.path, where[0], where[1], hint)

    def claim(self, node: Any, index: int, parent: Any) -> Claim:
        where = _pos(parent, "item", index)
        if not isinstance(node, Mapping):
            raise self.fail(where, f"claim {index + 1} must be a mapping with reference, wording or pattern, "
                                   "approved-by, jurisdictions and expires")
        for key in node:
            if key not in KEYS:
                close = difflib.get_close_matches(str(key), list(KEYS), n=1)
                raise self.fail(_pos(node, "key", key), f"unknown key {str(key)!r} in a claim",
                                f"did you mean {close[0]!r}?" if close else "keys: " + ", ".join(KEYS))
        for key, (required, _) in KEYS.items():
            if required and key not in node:
                raise self.fail(where, f"claim {index + 1} is missing {key!r}")
        values = {k: self.value(node, k, KEYS[k][1]) for k in node}
        ref = values["reference"]
        if ("wording" in values) == ("pattern" in values):
            raise self.fail(where, f"claim {ref!r} needs exactly one of 'wording' and 'pattern'")
        compiled = self.compile(node, values)
        example = values.get("example")
        if example is not None and values.get("pattern") and compiled.search(example, timeout=1.0) is None:
            raise self.fail(_pos(node, "value", "example"), f"the example of claim {ref!r} does not match "
                                                            "its pattern", "fix the pattern or the example")
        return Claim(reference=ref, approver=values["approved-by"], jurisdictions=values["jurisdictions"],
                     expires=values["expires"], compiled=compiled, wording=values.get("wording"),
                     pattern=values.get("pattern"), codes=self.codes(node, values.get("rules")),
                     example=example, note=values.get("note"), line=where[0] or 1, col=where[1] or 1)

    def value(self, node: Any, key: str, kind: str) -> Any:
        value, where = node[key], _pos(node, "value", key)
        if kind == "string":
            if not isinstance(value, str) or not value.strip():
                raise self.fail(where, f"{key!r} must be a non-empty string")
            return value.strip()
        if kind == "date":
            return self.date(value, where)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(where, f"{key!r} must be a non-empty list of strings")
        items = tuple(v.strip() for v in value)
        if kind == "markets":
            from .packs import GATES

            allowed = (*GATES["market"], ALL_MARKETS)
            for i, item in enumerate(items):
                if item not in allowed:
                    close = difflib.get_close_matches(item, allowed, n=1)
                    raise self.fail(_item_pos(node, key, i), f"unknown jurisdiction {item!r}",
                                    f"did you mean {close[0]!r}?" if close else "use " + ", ".join(allowed))
        return items

    def date(self, value: Any, where: tuple[int | None, int | None]) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(where, f"'expires' must be a date like 2026-06-30, got {value!r}") from None

    def compile(self, node: Any, values: Mapping[str, Any]) -> regex.Pattern[str]:
        if "wording" in values:
            return regex.compile(wording_regex(values["wording"]), _FLAGS)
        from .rules.patterns import expand

        where = _pos(node, "value", "pattern")
        try:
            return regex.compile(expand(values["pattern"], self.fragments), _FLAGS)
        except KeyError as exc:
            raise self.fail(where, f"unknown fragment {{{exc.args[0]}}} in the pattern") from None
        except (ValueError, regex.error) as exc:
            raise self.fail(where, f"invalid pattern {values['pattern']!r}: {exc}") from None

    def codes(self, node: Any, tokens: tuple[str, ...] | None) -> frozenset[str] | None:
        if tokens is None or self.universe is None:
            return None
        codes: set[str] = set()
        for i, token in enumerate(tokens):
            sel = self.universe.resolve(token)
            if sel is None:
                raise self.fail(_item_pos(node, "rules", i), f"unknown rule code, name, prefix or category "
                                                              f"{token!r} in 'rules'", self.universe.suggest(token))
            codes |= sel.codes
        return frozenset(codes)


def _duplicates(loader: _Loader, claims: Sequence[Claim]) -> None:
    from .baseline import normalise

    seen: dict[tuple[str, str], Claim] = {}
    for c in claims:
        keys = [("reference", c.reference)]
        keys.append(("wording", normalise(c.wording)) if c.wording else ("pattern", c.pattern or ""))
        for kind, key in keys:
            first = seen.get((kind, key))
            if first is not None:
                what = f"duplicate reference {c.reference!r}" if kind == "reference" \
                    else f"claim {c.reference!r} has the same {kind} as {first.reference!r}"
                raise loader.fail((c.line, c.col), what, f"first at line {first.line}; merge the entries")
            seen[(kind, key)] = c


def load_register(path: str, display: str | None = None, universe: Universe | None = None,
                  fragments: Mapping[str, str] | None = None) -> Register:
    """Read and validate the register at `path`; errors name `display`."""
    from . import yamltext

    name = display or path
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the approved-claims register: {exc}", name) from None
    data = yamltext.load(text, name, ConfigError)
    loader = _Loader(name, universe, fragments or {})
    if data is None:
        return Register(name)
    if not isinstance(data, Mapping) or set(data) - {"claims"}:
        raise ConfigError("the register must be a mapping with one key, 'claims'", name, 1, 1)
    items = data.get("claims") or []
    if not isinstance(items, list):
        raise loader.fail(_pos(data, "value", "claims"), "'claims' must be a list")
    claims = tuple(loader.claim(node, i, items) for i, node in enumerate(items))
    _duplicates(loader, claims)
    return Register(name, claims)


# -- applying -----------------------------------------------------------------

def _markets(plan: Plan) -> tuple[str, ...]:
    return tuple(dict(plan.config.context).get("market", ()))


def _spans(doc: Document, index: int, claims: Sequence[Claim],
           timed_out: dict[Claim, int]) -> list[tuple[Claim, int, int]]:
    """Source spans where each claim matches inside region `index` (so an
    approved wording may run over several sentences of one paragraph). A
    claim whose pattern times out approves nothing there; where it first
    did is kept in `timed_out`."""
    from .rules.base import RuleTimeout, finditer

    region = doc.regions[index]
    out = []
    for claim in claims:
        try:
            for m in finditer(claim.compiled, region.text):
                if m.end() > m.start():
                    out.append((claim, *region.source_span(m.start(), m.end())))
        except RuleTimeout:
            timed_out.setdefault(claim, region.to_source(0))
    return out


def review(doc: Document, plan: Plan, findings: Sequence[Finding],
           on: datetime.date | None = None) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(still reported, approved, expired as HL004) for one document."""
    register = getattr(plan, "register", None)
    if register is None or not register.claims or not findings:
        return list(findings), [], []
    from .baseline import UnitLocator
    from .selection import INTERNAL_CODES

    on = on or today()
    claims = [c for c in register.claims if c.applies_in(_markets(plan))]
    locator = UnitLocator(doc) if claims else None
    cache: dict[int, list[tuple[Claim, int, int]]] = {}
    timed_out: dict[Claim, int] = {}
    kept, approved, expired = [], [], []
    for f in findings:
        unit = None if locator is None or f.document_level or f.code in INTERNAL_CODES \
            else locator.index_at(f.start)
        index = None if unit is None else doc.units[unit].region
        if index is None:
            kept.append(f)
            continue
        if index not in cache:
            cache[index] = _spans(doc, index, claims, timed_out)
        hits = [c for c, s, e in cache[index] if s <= f.start and f.end <= e and c.covers(f.code)]
        live = [c for c in hits if not c.expired(on)]
        if live:
            approved.append(replace(f, approval=live[0].approval))
        elif hits:
            expired.append(expired_finding(f, hits[0]))
        else:
            kept.append(f)
    if timed_out:
        from .engine import timeout_finding

        kept.extend(timeout_finding(doc, f"approved claim {claim.reference} ({register.path}:{claim.line})", at)
                    for claim, at in timed_out.items())
    return kept, approved, expired


def expired_finding(f: Finding, claim: Claim) -> Finding:
    """The finding again, as HL004, saying which approval lapsed."""
    message = (f"approval {claim.reference} of this claim expired on {claim.expires.isoformat()} "
               f"({f.code}: {f.message})")
    return replace(f, code=EXPIRED_CODE, name=EXPIRED_NAME, category="internal", message=message,
                   approval=claim.approval)


# -- `healthlint claims check` -------------------------------------------------

@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str
    fails: bool = True


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)

    @property
    def failing(self) -> int:
        return sum(p.fails for p in self.problems)


def check_register(register: Register, plan: Plan, on: datetime.date | None = None) -> CheckResult:
    """Expired entries; entries no rule flags on their own words; entries
    that approve nothing in this project's markets (a note)."""
    on = on or today()
    out = CheckResult()
    markets = _markets(plan)
    for c in register.claims:
        if c.expired(on):
            out.problems.append(Problem(c.line, c.col, f"{c.reference} expired on {c.expires.isoformat()}; "
                                                       "renew the approval or remove the entry"))
        if c.text is not None and not _flagged(c, plan):
            out.problems.append(Problem(c.line, c.col, f"{c.reference}: no rule flags its wording any more, so "
                                                       "it approves nothing; remove the entry"))
        if not c.applies_in(markets):
            where = ", ".join(markets) or "no market (set context.market in the config)"
            out.problems.append(Problem(c.line, c.col, f"{c.reference} is approved for "
                                                       f"{', '.join(c.jurisdictions)} but this project "
                                                       f"publishes in {where}; it approves nothing here",
                                        fails=False))
    return out


def _flagged(claim: Claim, plan: Plan) -> bool:
    """Whether some selected rule flags the claim's own words."""
    from .document import parse_document
    from .engine import lint

    assert claim.text is not None
    doc = parse_document(claim.text, "approved-claim.txt", "text")
    return any(not f.document_level and f.code in plan.selected and claim.covers(f.code)
               for f in lint(doc, plan.active))  # type: ignore[arg-type]
