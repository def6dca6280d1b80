"""Which rules run, at what severity, for which file.

A *selector* names rules the way ruff and markdownlint users expect: a code
(`HL101`), a rule name (`unsupported-dose`), a code prefix (`HL1`, `HL`), a
category (`dose`) or `ALL`. When selectors disagree about a rule, the most
specific one wins: code or name > a prefix with digits (`HL10` > `HL1`) >
category > a letters-only prefix (`HL`, a whole namespace, like ruff's
linter prefixes) > ALL. At equal specificity `ignore` beats `select`.

Selection is layered like ruff's: the defaults (every rule whose pack does
not say `enabled: false`), then the config file, then the command line. A
layer with `select` starts over from its own list; a layer with only
`extend-select`/`ignore` adjusts what the layers before it chose.

A rule with `enabled: false` is only turned on by its exact code or name:
`select = ["dose"]` does not wake a dormant dose rule.

Internal findings (HL001-HL004) are about healthlint and its directives, not
about the copy: `select` never turns them off, `ignore` does.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple, Sequence

from .findings import CATEGORIES, Severity

ALL = "ALL"
INTERNAL = "internal"

# Specificity ranks; a prefix with digits ranks PREFIX + its length.
_ALL, _NAMESPACE, _CATEGORY, _PREFIX, _EXACT = 0, 1, 2, 10, 100


class RuleInfo(NamedTuple):
    """What selection needs to know about one rule."""

    code: str
    name: str
    category: str
    enabled: bool = True


class InternalRule(NamedTuple):
    """A finding healthlint itself emits (not from a pack)."""

    code: str
    name: str
    severity: Severity
    message: str
    explanation: str


INTERNAL_RULES: tuple[InternalRule, ...] = (
    InternalRule(
        "HL001", "unused-suppression", Severity.WARNING,
        "A suppression directive that silenced nothing",
        "A healthlint-disable directive (or one of its codes) matched no finding. Reported only "
        "with --report-unused-disables or `report-unused-disables: true`. Remove the directive, or "
        "the code from it, so stale suppressions do not hide future problems.",
    ),
    InternalRule(
        "HL002", "rule-timeout", Severity.ERROR,
        "A rule's pattern took too long on some text and was skipped",
        "A rule's regular expression exceeded the per-search time limit on one unit of prose, so "
        "that rule did not check the rest of the file. The message names the rule and where it is "
        "defined; simplify its pattern.",
    ),
    InternalRule(
        "HL003", "invalid-suppression", Severity.WARNING,
        "A suppression directive with an unknown directive name or rule code",
        "A comment starting with `healthlint-` is not one of disable, enable, disable-line, "
        "disable-next-line or disable-file, or names a code, rule name, prefix or category that "
        "no loaded rule has. The directive does nothing for that code; fix the typo.",
    ),
    InternalRule(
        "HL004", "approval-expired", Severity.WARNING,
        "A claim the approved-claims register covered, whose approval has expired",
        "The sentence matches an entry of the approved-claims register (approved-claims in the "
        "config), but the entry's expiry date has passed, so the claim is reported again. The "
        "finding carries the severity of the rule that flagged the claim. Have the claim reviewed "
        "again and extend the entry's expiry, or rewrite the claim. See docs/approved-claims.md.",
    ),
)
INTERNAL_CODES = frozenset(r.code for r in INTERNAL_RULES)


@dataclass(frozen=True, slots=True)
class Selector:
    """One resolved selector: the codes it names and how specific it is."""

    text: str
    codes: frozenset[str]
    specificity: int
    exact: bool


class Universe:
    """Every rule a selector may name: the loaded packs plus internal codes."""

    def __init__(self, rules: Iterable[RuleInfo]) -> None:
        internal = [RuleInfo(r.code, r.name, INTERNAL) for r in INTERNAL_RULES]
        self.rules: dict[str, RuleInfo] = {r.code: r for r in [*internal, *rules]}
        self.by_name = {r.name: r.code for r in self.rules.values()}
        self.categories = {*CATEGORIES, INTERNAL}

    @property
    def pack_codes(self) -> frozenset[str]:
        return frozenset(c for c in self.rules if c not in INTERNAL_CODES)

    def resolve(self, token: str) -> Selector | None:
        """The selector `token` spells, or None when it names nothing."""
        text = token.strip()
        upper, lower = text.upper(), text.lower()
        if upper == ALL:
            return Selector(text, frozenset(self.rules), _ALL, False)
        if upper in self.rules:
            return Selector(text, frozenset({upper}), _EXACT, True)
        if lower in self.by_name:
            return Selector(text, frozenset({self.by_name[lower]}), _EXACT, True)
        if lower in self.categories:
            codes = frozenset(c for c, r in self.rules.items() if r.category == lower)
            return Selector(text, codes, _CATEGORY, False)
        codes = frozenset(c for c in self.rules if upper and c.startswith(upper))
        if codes and upper[:1].isalpha():
            rank = _NAMESPACE if upper.isalpha() else _PREFIX + len(upper)
            return Selector(text, codes, rank, False)
        return None

    def suggest(self, token: str) -> str:
        """A did-you-mean hint for an unknown selector."""
        options = [*self.rules, *self.by_name, *sorted(self.categories)]
        close = difflib.get_close_matches(token, options, n=1) or difflib.get_close_matches(
            token.upper(), list(self.rules), n=1)
        if close:
            return f"did you mean {close[0]!r}?"
        return "see `healthlint rules` for codes, names and categories"


@dataclass(frozen=True, slots=True)
class Layer:
    """One source of selection: the defaults, a config file, or the CLI."""

    select: tuple[Selector, ...] | None = None
    extend_select: tuple[Selector, ...] = ()
    ignore: tuple[Selector, ...] = ()


def _layer_updates(layer: Layer, universe: Universe) -> dict[str, bool]:
    # Walk specificities upwards so the most specific selector writes last;
    # at each level ignores come after selects, so ignore wins a tie.
    chosen = [*(layer.select or ()), *layer.extend_select]
    levels = sorted({s.specificity for s in [*chosen, *layer.ignore]})
    updates: dict[str, bool] = {}
    for level in levels:
        for sel in chosen:
            if sel.specificity == level:
                for code in sel.codes:
                    if sel.exact or universe.rules[code].enabled:
                        updates[code] = True
        for sel in layer.ignore:
            if sel.specificity == level:
                updates.update(dict.fromkeys(sel.codes, False))
    return updates


def selected_codes(universe: Universe, layers: Sequence[Layer]) -> frozenset[str]:
    """The pack codes that run after applying `layers` in order over the
    defaults, plus the internal codes no layer ignores."""
    enabled = {c for c, r in universe.rules.items() if r.enabled}
    for layer in layers:
        updates = _layer_updates(layer, universe)
        if layer.select is not None:
            enabled = {c for c, on in updates.items() if on}
        else:
            enabled |= {c for c, on in updates.items() if on}
            enabled -= {c for c, on in updates.items() if not on}
    ignored = {c for layer in layers for sel in layer.ignore for c in sel.codes}
    internal = INTERNAL_CODES - ignored
    return frozenset((enabled & universe.pack_codes) | internal)


def most_specific(selectors: Iterable[tuple[Selector, object]], code: str) -> object | None:
    """The value paired with the most specific selector naming `code`; the
    later one wins a tie (file order)."""
    best: tuple[int, object] | None = None
    for sel, value in selectors:
        if code in sel.codes and (best is None or sel.specificity >= best[0]):
            best = (sel.specificity, value)
    return None if best is None else best[1]


def severity_overrides(pairs: Iterable[tuple[Selector, Severity]],
                       codes: Iterable[str]) -> Mapping[str, Severity]:
    """code -> overriding severity, for the codes some pair names."""
    pairs = list(pairs)
    out: dict[str, Severity] = {}
    for code in codes:
        value = most_specific(pairs, code)
        if isinstance(value, Severity):
            out[code] = value
    return out
