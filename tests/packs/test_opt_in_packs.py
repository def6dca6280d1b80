"""The opt-in packs (substances, us-fda-dshea, uk-asa, eu-1924) and the
profiles that stack them: they load with core, every rule documents itself
with examples that behave, names its legal section and source, is gated
where it depends on context the text cannot show, and never suggests
"may" as a fix."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex

from healthlint.document import parse_document
from healthlint.engine import lint
from healthlint.examples import example_failures
from healthlint.packs import BUILTIN_DIR, CompiledRule, applicable, builtin_packs, builtin_profiles, load_ruleset, read_yaml
from healthlint.rules.watchlist import load_watchlist

ROOT = Path(__file__).resolve().parents[2]
PREFIX = {"substances": "SUB", "us-fda-dshea": "USF", "uk-asa": "UKA", "eu-1924": "EU"}
OPT_IN = tuple(PREFIX)
# The market each jurisdiction pack is written for.
MARKET = {"us-fda-dshea": "US", "uk-asa": "UK", "eu-1924": "EU"}
MARKETING = ("advertising", "product-page", "label", "affiliate", "social")

US_SUPPLEMENT_PAGE = {"market": "US", "product-class": "dietary-supplement", "content-type": "product-page"}
US_EDITORIAL = {"market": "US", "content-type": "editorial"}


def pack_rules(pack: str) -> list[CompiledRule]:
    ruleset = load_ruleset(("core", pack))
    return [r for r in ruleset.rules if r.spec.pack == pack]


def all_opt_in_rules() -> list[tuple[str, CompiledRule]]:
    return [(pack, rule) for pack in OPT_IN for rule in pack_rules(pack)]


def findings(text: str, packs: tuple[str, ...], context: dict[str, str] | None = None,
             syntax: str = "text"):
    ruleset = load_ruleset(("core", *packs))
    rules = [r for r in ruleset.rules if context is None or applicable(r.spec, context)]
    doc = parse_document(text, f"page.{'md' if syntax == 'markdown' else 'txt'}", syntax)
    return lint(doc, rules)


def codes(found) -> set[str]:
    return {f.code for f in found}


# -- loading ------------------------------------------------------------------

@pytest.mark.parametrize("pack", OPT_IN)
def test_pack_loads_with_core(pack: str) -> None:
    ruleset = load_ruleset(("core", pack))
    assert ruleset.packs == ("core", pack)
    rules = pack_rules(pack)
    assert len(rules) >= 3
    for rule in rules:
        assert rule.spec.code.startswith(PREFIX[pack]), rule.spec.code
        assert rule.spec.code[len(PREFIX[pack]):].isdigit(), rule.spec.code


def test_all_packs_load_together() -> None:
    ruleset = load_ruleset(("core", *OPT_IN))
    opt_in = [r for r in ruleset.rules if r.spec.pack in OPT_IN]
    assert len(opt_in) == len(all_opt_in_rules())


def test_substances_pack_has_a_dose_and_an_efficacy_watchlist_rule() -> None:
    rules = pack_rules("substances")
    kinds = {(r.spec.type, r.spec.category) for r in rules}
    assert ("watchlist", "dose") in kinds
    assert ("watchlist", "efficacy") in kinds
    for rule in rules:
        assert "{substance}" in rule.spec.message and "{status}" in rule.spec.message


def test_watchlist_covers_the_issue_substances_in_every_market() -> None:
    entries = load_watchlist(BUILTIN_DIR / "substances" / "data" / "substances.yaml")
    names = {e["name"] for e in entries}
    assert {"kratom", "7-OH", "CBD", "tianeptine", "phenibut", "DMAA", "SARMs"} <= names
    for entry in entries:
        assert set(entry["status"]) == {"US", "UK", "EU", "AU", "CA"}, entry["name"]
        for market, text in entry["status"].items():
            assert 10 < len(text) <= 130, (entry["name"], market)


# -- every rule documents and explains itself ------------------------------------

@pytest.mark.parametrize(("pack", "rule"), all_opt_in_rules(), ids=lambda v: getattr(getattr(v, "spec", None), "code", v))
def test_rule_examples_behave(pack: str, rule: CompiledRule) -> None:
    assert rule.spec.examples_flag and rule.spec.examples_pass
    ruleset = load_ruleset(("core", pack))
    assert list(example_failures(rule, ruleset)) == []


# A section: "21 CFR 101.93(g)(2)(vi)", "15 U.S.C. 45d", "CAP Code 12.2",
# "Art 12(c)", "403(r)(6)".
SECTION = regex.compile(r"CFR \d+\.\d+|U\.S\.C\. \d+|CAP Code \d+\.\d+|\bArt \d+|\b\d{3}\([a-z]\)")


@pytest.mark.parametrize(("pack", "rule"), all_opt_in_rules(), ids=lambda v: getattr(getattr(v, "spec", None), "code", v))
def test_rule_names_its_section_and_source(pack: str, rule: CompiledRule) -> None:
    spec = rule.spec
    assert spec.url and regex.match(r"https?://\S+$", spec.url), spec.code
    assert spec.basis, spec.code
    if pack != "substances":
        assert SECTION.search(spec.basis[0]), f"{spec.code}: first basis line names no section: {spec.basis[0]!r}"
    else:
        assert any(SECTION.search(b) or "substances.yaml" in b for b in spec.basis), spec.code
    assert spec.explanation and spec.rewrite, spec.code


MAY = regex.compile(r"\bmay\b", regex.IGNORECASE)


@pytest.mark.parametrize(("pack", "rule"), all_opt_in_rules(), ids=lambda v: getattr(getattr(v, "spec", None), "code", v))
def test_no_rule_suggests_hedging_as_a_fix(pack: str, rule: CompiledRule) -> None:
    for wording in (rule.spec.params.get("swap") or {}).values():
        assert not MAY.search(wording), f"{rule.spec.code} suggests {wording!r}"
    for sentence in regex.split(r"(?<=[.!?])\s+", rule.spec.rewrite):
        if regex.search(r"[\"'“‘]may[\"'”’]", sentence, regex.IGNORECASE):
            # Mentioning "may" is allowed only to say it is not a fix.
            assert regex.search(r"\bnot?\b|\bdoes not\b|\bdon't\b", sentence), f"{rule.spec.code}: {sentence!r}"


# -- profiles -------------------------------------------------------------------

def test_profiles_list_only_existing_packs() -> None:
    packs = builtin_packs()
    profiles = builtin_profiles()
    assert profiles["default"] == ("core",)
    for name, stack in profiles.items():
        assert stack and stack[0] == "core", name
        for pack in stack:
            assert pack in packs, f"profile {name} lists unknown pack {pack}"


def test_profiles_from_the_research_note() -> None:
    profiles = builtin_profiles()
    assert profiles["supplement-ecommerce-us"] == ("core", "substances", "us-fda-dshea")
    assert profiles["supplement-uk"] == ("core", "substances", "uk-asa")
    assert profiles["food-supplement-eu"] == ("core", "substances", "eu-1924")
    assert profiles["seo-health-article-us"][:2] == ("core", "substances")


def test_every_profile_has_a_description() -> None:
    data = read_yaml(BUILTIN_DIR / "profiles.yaml")
    for name, profile in data["profiles"].items():
        assert str(profile.get("description") or "").strip(), name


@pytest.mark.parametrize("profile", sorted(builtin_profiles()))
def test_profile_loads(profile: str) -> None:
    assert load_ruleset(builtin_profiles()[profile]).rules


# -- context gates ----------------------------------------------------------------

def test_substance_rules_are_not_gated() -> None:
    for rule in pack_rules("substances"):
        assert applicable(rule.spec, {}), rule.spec.code


@pytest.mark.parametrize("pack", sorted(MARKET))
def test_jurisdiction_rules_are_gated_to_their_market(pack: str) -> None:
    other = {"US": "UK", "UK": "EU", "EU": "US"}[MARKET[pack]]
    for rule in pack_rules(pack):
        spec = rule.spec
        assert spec.applies_when.get("market") == (MARKET[pack],), spec.code
        # Not guessed: with no context the rule does not run.
        assert not applicable(spec, {}), spec.code
        full = {key: values[0] for key, values in spec.applies_when.items()}
        assert applicable(spec, full), spec.code
        assert not applicable(spec, {**full, "market": other}), spec.code


@pytest.mark.parametrize("pack", ["uk-asa", "eu-1924"])
def test_advertising_codes_skip_editorial_content(pack: str) -> None:
    for rule in pack_rules(pack):
        spec = rule.spec
        assert set(spec.applies_when["content-type"]) == set(MARKETING), spec.code
        context = {key: values[0] for key, values in spec.applies_when.items()}
        assert not applicable(spec, {**context, "content-type": "editorial"}), spec.code


def test_dshea_disclaimer_rule_needs_a_supplement_label_or_page() -> None:
    ruleset = load_ruleset(("core", "us-fda-dshea"))
    spec = ruleset.find("USF106").spec
    assert spec.type == "document-requires"
    assert applicable(spec, US_SUPPLEMENT_PAGE)
    assert applicable(spec, {**US_SUPPLEMENT_PAGE, "content-type": ["editorial", "label"]})
    assert not applicable(spec, {**US_SUPPLEMENT_PAGE, "product-class": "food"})
    assert not applicable(spec, {**US_SUPPLEMENT_PAGE, "content-type": "editorial"})
    assert not applicable(spec, {**US_SUPPLEMENT_PAGE, "market": "UK"})


def test_gated_rules_drop_out_for_editorial_content() -> None:
    text = "Valerian root is nature's Xanax."
    assert "USF103" in codes(findings(text, ("us-fda-dshea",), US_SUPPLEMENT_PAGE))
    assert "USF103" not in codes(findings(text, ("us-fda-dshea",), US_EDITORIAL))


# -- end to end ---------------------------------------------------------------------

def kratom_status(market: str) -> str:
    entries = load_watchlist(BUILTIN_DIR / "substances" / "data" / "substances.yaml")
    return next(e for e in entries if e["name"] == "kratom")["status"][market]


def test_kratom_dose_names_its_us_status() -> None:
    found = findings("Take 2 grams of kratom powder every morning with juice.", ("substances",))
    sub = [f for f in found if f.code == "SUB101"]
    assert len(sub) == 1
    assert sub[0].category == "dose"
    assert sub[0].match == "kratom"
    assert "kratom" in sub[0].message
    assert "US: " + kratom_status("US") in sub[0].message
    assert "HL101" in codes(found)  # core still reports the dose itself


def test_cited_and_warning_sentences_about_kratom_stay_quiet() -> None:
    text = (
        "The FDA has warned consumers not to use kratom to treat opioid withdrawal.\n\n"
        "Kratom is not proven safe, and no safe dose has been established.\n\n"
        "In one survey, kratom users reported taking 1-5 g a day (Garcia-Romeu et al., 2020).\n"
    )
    found = findings(text, ("substances",))
    assert not {c for c in codes(found) if c.startswith("SUB")}


def test_natures_xanax_is_a_substitute_for_therapy_claim() -> None:
    found = findings("Our valerian root blend is nature's Xanax for stressful days.", ("substances", "us-fda-dshea"),
                     US_SUPPLEMENT_PAGE)
    hits = [f for f in found if f.code == "USF103"]
    assert [f.match for f in hits] == ["nature's Xanax"]
    assert hits[0].category == "efficacy"


PAGE = """\
---
title: Magnesium Glycinate 400
---

# Magnesium Glycinate 400

Our chelated magnesium supports restful sleep and healthy muscle function.*

- 120 vegan capsules
- Third-party tested
"""
DISCLAIMER = """
\\*These statements have not been evaluated by the Food and Drug Administration.
This product is not intended to diagnose, treat, cure, or prevent any disease.
"""


def test_supplement_page_without_the_disclaimer_gets_a_document_finding() -> None:
    found = [f for f in findings(PAGE, ("us-fda-dshea",), US_SUPPLEMENT_PAGE, "markdown") if f.code == "USF106"]
    assert len(found) == 1
    assert found[0].document_level


def test_supplement_page_with_the_disclaimer_passes() -> None:
    found = findings(PAGE + DISCLAIMER, ("us-fda-dshea",), US_SUPPLEMENT_PAGE, "markdown")
    assert not {"USF106", "USF107"} & codes(found)


def test_paraphrased_disclaimer_does_not_count() -> None:
    page = PAGE + "\n\\*These statements have not been evaluated by the FDA.\n"
    found = codes(findings(page, ("us-fda-dshea",), US_SUPPLEMENT_PAGE, "markdown"))
    assert {"USF106", "USF107"} <= found


def test_opioid_withdrawal_claim_on_a_product_page() -> None:
    found = findings("These capsules ease opioid withdrawal symptoms naturally.", ("us-fda-dshea",),
                     US_SUPPLEMENT_PAGE)
    assert {"USF101", "USF109"} <= codes(found)


def test_eu_authorised_wording_is_suggested_without_may() -> None:
    context = {"market": "EU", "product-class": "dietary-supplement", "content-type": "product-page"}
    found = [f for f in findings("Magnesium reduces fatigue.", ("eu-1924",), context) if f.code == "EU101"]
    assert [(f.match, f.replacement) for f in found] == [
        ("reduces fatigue", "contributes to the reduction of tiredness and fatigue")]


def test_uk_natural_therefore_safe_and_absolute_safety() -> None:
    context = {"market": "UK", "product-class": "dietary-supplement", "content-type": "advertising"}
    found = codes(findings("Natural ingredients, so no side effects. It is 100% safe.", ("uk-asa",), context))
    assert {"UKA103", "UKA104"} <= found


# -- documentation ------------------------------------------------------------------

def test_reference_documents_every_opt_in_rule_and_profile() -> None:
    doc = (ROOT / "docs" / "packs.md").read_text(encoding="utf-8")
    for _, rule in all_opt_in_rules():
        assert f"`{rule.spec.code}`" in doc, rule.spec.code
        assert rule.spec.url in doc, rule.spec.code
    for profile in builtin_profiles():
        assert f"`{profile}`" in doc, profile
