"""Pack loading and validation: every error is one line with file:line."""
import textwrap

import pytest

from healthlint.errors import PackError
from healthlint.packs import applicable, builtin_packs, builtin_profiles, load_ruleset

GOOD = """\
rules:
  - code: T101
    name: miracle
    category: hype
    type: existence
    message: hype
    patterns: ['\\bmiracle\\b']
    examples:
      flag: [a miracle]
      pass: [no wonder]
"""


def load(tmp_path, text, name="r.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_ruleset((), (str(path),)), str(path)


def error(tmp_path, text):
    with pytest.raises(PackError) as info:
        load(tmp_path, text)
    return str(info.value).replace(str(tmp_path / "r.yaml"), "r.yaml")


def test_a_valid_rule_loads(tmp_path):
    rules, _ = load(tmp_path, GOOD)
    (rule,) = rules.rules
    assert (rule.spec.code, rule.spec.name, rule.spec.line) == ("T101", "miracle", 2)


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = GOOD.replace("    patterns:", "    pattern:")
    assert error(tmp_path, text) == "r.yaml:7: unknown key 'pattern' in rule T101; did you mean 'patterns'?"


def test_unknown_type(tmp_path):
    text = GOOD.replace("type: existence", "type: existance")
    assert error(tmp_path, text) == "r.yaml:5: unknown rule type 'existance'; did you mean 'existence'?"


def test_unknown_category(tmp_path):
    text = GOOD.replace("category: hype", "category: hypes")
    assert error(tmp_path, text) == "r.yaml:4: unknown category 'hypes'; did you mean 'hype'?"


def test_wrong_type_for_a_key(tmp_path):
    text = GOOD.replace("message: hype", "message: [hype]")
    assert error(tmp_path, text) == "r.yaml:6: key 'message' must be a string, got a list"


def test_missing_examples_are_refused(tmp_path):
    text = GOOD.replace("      pass: [no wonder]\n", "")
    assert error(tmp_path, text) == (
        "r.yaml:8: 'examples.pass' must be a non-empty list of strings; "
        "every rule documents text it must flag and text it must pass"
    )


def test_invalid_regex_names_the_pattern(tmp_path):
    text = GOOD.replace("'\\bmiracle\\b'", "'(unclosed'")
    assert error(tmp_path, text).startswith("r.yaml:7: invalid regex '(unclosed': ")


def test_unknown_fragment(tmp_path):
    text = GOOD.replace("'\\bmiracle\\b'", "'{nope}'")
    message = error(tmp_path, text)
    assert message.startswith("r.yaml:7: unknown fragment {nope} in pattern '{nope}'; defined fragments: ")


def test_fragment_cycle(tmp_path):
    text = GOOD.replace("'\\bmiracle\\b'", "'{loop}'") + "fragments:\n  loop: 'a{loop}'\n"
    assert error(tmp_path, text) == "r.yaml:7: fragment cycle: loop -> loop"


def test_fragments_that_multiply_are_refused_not_expanded(tmp_path):
    # Each fragment uses the one before twice: 2**30 copies of "ha".
    lines = ["  f0: 'ha'"] + [f"  f{i}: '{{f{i - 1}}}{{f{i - 1}}}'" for i in range(1, 31)]
    text = GOOD.replace("'\\bmiracle\\b'", "'{f30}'") + "fragments:\n" + "\n".join(lines) + "\n"
    assert error(tmp_path, text).startswith("r.yaml:7: with its fragments expanded the pattern is over 1,000,000 "
                                            "characters")


@pytest.mark.parametrize("pattern", ["(" * 400 + "a" + ")" * 400, "(?:" * 400 + "a" + ")" * 400,
                                     "(?=" * 400 + "a" + ")" * 400])
def test_groups_nested_too_deeply_are_one_error(tmp_path, pattern):
    text = GOOD.replace("'\\bmiracle\\b'", f"'{pattern}'")
    message = error(tmp_path, text)
    assert message.startswith(f"r.yaml:7: invalid regex {pattern[:80]!r}...: groups nested too deeply")
    assert "\n" not in message


def test_unicode_property_and_named_character_escapes_are_not_fragments(tmp_path):
    text = GOOD.replace("'\\bmiracle\\b'", "'\\bmiracle\\p{Po}|\\N{BULLET} miracle'")
    text = text.replace("flag: [a miracle]", "flag: [a miracle!, \u2022 miracle]")
    rules, _ = load(tmp_path, text)
    (rule,) = rules.rules
    assert [m.group() for m in rule.impl.prefilter[0].finditer("a miracle! \u2022 miracle")] == [
        "miracle!", "\u2022 miracle"]


def test_duplicate_code(tmp_path):
    second = GOOD.split("rules:\n", 1)[1].replace("name: miracle", "name: other")
    assert error(tmp_path, GOOD + second) == "r.yaml:11: rule T101 is defined twice; first defined at r.yaml:2"


def test_malformed_yaml_points_at_the_line(tmp_path):
    assert error(tmp_path, "rules:\n  - code: [\n") .startswith("r.yaml:3:1: invalid YAML: ")


def test_yaml_tags_do_not_build_objects(tmp_path):
    text = GOOD.replace("message: hype", "message: !!python/object/apply:os.system ['echo hi']")
    message = error(tmp_path, text)
    assert "r.yaml" in message  # refused as data, never executed


def test_unknown_pack_suggests_a_builtin():
    with pytest.raises(PackError) as info:
        load_ruleset(("cor",))
    assert str(info.value) == "unknown pack 'cor'; did you mean 'core'?"


def test_builtin_core_pack_and_profiles():
    assert "core" in builtin_packs()
    profiles = builtin_profiles()
    assert profiles["default"] == ("core",)
    for packs in profiles.values():
        assert set(packs) <= set(builtin_packs())


def test_every_core_category_is_covered():
    rules = load_ruleset(("core",))
    cats = {r.spec.category for r in rules.rules}
    assert cats == {"dose", "safety", "efficacy", "evidence", "hype", "self-treatment", "consult"}


def test_gates_filter_rules(tmp_path):
    text = GOOD.replace("    message: hype", "    message: hype\n    applies-when: {market: [US, UK]}")
    rules, _ = load(tmp_path, text)
    spec = rules.rules[0].spec
    assert applicable(spec, {"market": "US"})
    assert applicable(spec, {"market": ["EU", "UK"]})
    assert not applicable(spec, {"market": "EU"})
    assert not applicable(spec, {})  # not configured: not guessed


def test_unknown_gate_value(tmp_path):
    text = GOOD.replace("    message: hype", "    message: hype\n    applies-when: {market: [USA]}")
    # The item's line and column, not the key's line (issue: errors in YAML lists).
    assert error(tmp_path, text) == "r.yaml:7:29: unknown market 'USA' in 'applies-when'; did you mean 'US'?"


def test_an_unknown_list_item_is_pointed_at(tmp_path):
    text = GOOD.replace("    message: hype", "    message: hype\n    unless:\n      - negated\n      - questoin")
    assert error(tmp_path, text) == "r.yaml:9:9: unknown value 'questoin' in 'unless'; did you mean 'question'?"
    text = GOOD.replace("    message: hype", "    message: hype\n    scope: [paragraph, heding]")
    assert error(tmp_path, text) == "r.yaml:7:24: unknown value 'heding' in 'scope'; did you mean 'heading'?"


# -- one fragment namespace ------------------------------------------------------------

def _builtin_line(name):
    from healthlint.packs import BUILTIN_DIR

    lines = (BUILTIN_DIR / "fragments.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(f"{name}:"))


def test_redefining_a_builtin_fragment_is_an_error(tmp_path):
    """A local `{condition}` used to replace the built-in one for every rule, without a word."""
    text = GOOD + "fragments:\n  condition: 'jet lag'\n"
    assert error(tmp_path, text) == (
        f"r.yaml:12: fragment 'condition' is already defined at built-in fragments.yaml:{_builtin_line('condition')}; "
        "rename yours, or list it under 'override-fragments' to replace that one for every rule")


def test_a_custom_pack_cannot_redefine_a_fragment_either(tmp_path):
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: house\nfragments:\n  brand: 'acme'\n", encoding="utf-8")
    (pack / "rules.yaml").write_text(GOOD + "fragments:\n  brand: 'other'\n", encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_ruleset((str(pack),))
    assert str(info.value) == (
        f"{pack / 'rules.yaml'}:12: fragment 'brand' is already defined at {pack / 'pack.yaml'}:3; "
        "rename yours, or list it under 'override-fragments' to replace that one for every rule")


def test_override_fragments_replaces_a_fragment_for_every_rule(tmp_path):
    text = GOOD.replace("'\\bmiracle\\b'", "'{condition}'") + "override-fragments:\n  condition: 'jet lag'\n"
    rules, _ = load(tmp_path, text)
    assert rules.fragments["condition"] == "jet lag"
    core = load_ruleset(("core",), (str(tmp_path / "r.yaml"),))
    assert core.fragments["condition"] == "jet lag"  # the built-in rules see it too: that is what it is for


def test_an_override_that_breaks_a_builtin_pattern_is_reported_when_the_packs_load(tmp_path):
    """Built-in patterns are compiled at first use, since the tests compile
    them all; one an override has changed is not the tested one, and must
    fail when loaded, not halfway through a run."""
    path = tmp_path / "r.yaml"
    path.write_text(GOOD + "override-fragments:\n  condition: '[z-a]'\n", encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_ruleset(("core",), (str(path),))
    message = str(info.value)
    assert "bad character range" in message and "core" in message


def test_an_override_must_name_a_fragment(tmp_path):
    text = GOOD + "override-fragments:\n  conditoin: 'jet lag'\n"
    assert error(tmp_path, text) == (
        "r.yaml:12: 'override-fragments' names 'conditoin', which no loaded pack or rule file defines; "
        "did you mean 'condition'?")
