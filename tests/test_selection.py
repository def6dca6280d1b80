"""Selection precedence: specificity, layers, dormant rules, internal codes."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from healthlint import lint_paths
from healthlint.findings import Severity
from healthlint.selection import Layer, RuleInfo, Universe, selected_codes, severity_overrides
from rule_fixtures import DOSE_HYPE_RULES

UNIVERSE = Universe([
    RuleInfo("HL101", "unsupported-dose", "dose"),
    RuleInfo("HL102", "unsupported-dose-timing", "dose"),
    RuleInfo("HL111", "dose-per-kg", "dose"),
    RuleInfo("HL201", "safety-assertion", "safety"),
    RuleInfo("HL501", "guarantee", "hype"),
    RuleInfo("HL599", "dormant-hype", "hype", enabled=False),
])
INTERNAL = {"HL001", "HL002", "HL003", "HL004"}


def layer(select: str | None = None, extend: str = "", ignore: str = "") -> Layer:
    def sels(text: str) -> tuple:
        out = tuple(UNIVERSE.resolve(t) for t in text.split())
        assert None not in out, text
        return out

    return Layer(None if select is None else sels(select), sels(extend), sels(ignore))


def chosen(*layers: Layer) -> set[str]:
    return set(selected_codes(UNIVERSE, layers)) - INTERNAL


def test_defaults_are_every_enabled_rule() -> None:
    assert chosen() == {"HL101", "HL102", "HL111", "HL201", "HL501"}


@pytest.mark.parametrize("select, ignore, expected", [
    ("dose", "HL101", {"HL102", "HL111"}),                   # code beats category
    ("HL101", "dose", {"HL101"}),                            # ... in either direction
    ("dose", "HL10", {"HL111"}),                             # prefix beats category
    ("HL1", "HL10", {"HL111"}),                              # longer prefix beats shorter
    ("HL10", "HL1", {"HL101", "HL102"}),
    ("HL", "hype", {"HL101", "HL102", "HL111", "HL201"}),    # category beats a bare namespace
    ("ALL", "safety", {"HL101", "HL102", "HL111", "HL501"}),
    ("HL101", "HL101", set()),                               # a tie goes to ignore
    ("unsupported-dose", "HL101", set()),                    # a name is as specific as a code
    ("unsupported-dose safety", "", {"HL101", "HL201"}),
])
def test_most_specific_selector_wins(select: str, ignore: str, expected: set[str]) -> None:
    assert chosen(layer(select, ignore=ignore)) == expected


def test_dormant_rule_needs_its_code_or_name() -> None:
    assert "HL599" not in chosen(layer("hype"))
    assert "HL599" not in chosen(layer("ALL"))
    assert "HL599" not in chosen(layer(None, extend="HL5"))
    assert "HL599" in chosen(layer("HL599"))
    assert "HL599" in chosen(layer(None, extend="dormant-hype"))


def test_a_later_select_starts_over() -> None:
    config = layer("dose", ignore="HL102")
    assert chosen(config, layer("HL102")) == {"HL102"}


def test_a_later_layer_without_select_adjusts() -> None:
    config = layer("dose", ignore="HL102")
    assert chosen(config, layer(None, extend="HL501")) == {"HL101", "HL111", "HL501"}
    assert chosen(config, layer(None, ignore="HL111")) == {"HL101"}


def test_internal_codes_survive_select_but_not_ignore() -> None:
    assert selected_codes(UNIVERSE, [layer("HL101")]) >= INTERNAL
    assert selected_codes(UNIVERSE, [layer(None, ignore="HL003 unused-suppression")]) & INTERNAL == {"HL002", "HL004"}
    assert not selected_codes(UNIVERSE, [layer(None, ignore="internal")]) & INTERNAL


@pytest.mark.parametrize("token, codes", [
    ("hl101", {"HL101"}),
    ("Unsupported-Dose", {"HL101"}),
    ("DOSE", {"HL101", "HL102", "HL111"}),
    ("HL1", {"HL101", "HL102", "HL111"}),
    ("all", set(UNIVERSE.rules)),
])
def test_selectors_are_case_insensitive(token: str, codes: set[str]) -> None:
    sel = UNIVERSE.resolve(token)
    assert sel is not None and set(sel.codes) == codes


@pytest.mark.parametrize("token", ["HL9", "HL1019", "101", "dosage", "", "hype-rule"])
def test_unknown_selectors(token: str) -> None:
    assert UNIVERSE.resolve(token) is None


def test_suggestions() -> None:
    assert UNIVERSE.suggest("unsuported-dose") == "did you mean 'unsupported-dose'?"
    assert UNIVERSE.suggest("zzz") == "see `healthlint rules` for codes, names and categories"


def test_severity_override_most_specific_wins() -> None:
    pairs = [(UNIVERSE.resolve(k), v) for k, v in
             [("HL101", Severity.ERROR), ("dose", Severity.INFO), ("HL1", Severity.WARNING)]]
    assert severity_overrides(pairs, UNIVERSE.rules) == {
        "HL101": Severity.ERROR, "HL102": Severity.WARNING, "HL111": Severity.WARNING}


# -- per-file-ignores through the runner ------------------------------------------

RULES = DOSE_HYPE_RULES


def test_per_file_ignores_union_of_matching_globs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text(textwrap.dedent("""\
        rules: [rules.yaml]
        select: [TS]
        per-file-ignores:
          "docs/*.md": [dose]
          "*.md": [test-miracle]
          "legal/**": [TS]
    """), encoding="utf-8")
    text = "Take 5 mg daily. A miracle.\n"
    for name in ("a.md", "a.txt", "docs/b.md", "docs/b.txt", "legal/deep/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    got = {r.path.replace("\\", "/"): [f.code for f in r.findings] for r in lint_paths(["."])}
    assert got == {
        "a.md": ["TS101"],
        "a.txt": ["TS101", "TS501"],
        "docs/b.md": [],
        "docs/b.txt": ["TS101", "TS501"],
        "legal/deep/c.md": [],
    }
