"""Big alternations rewritten as prefix trees (rules/factor.py) match
exactly what the source as written matches, with the same alternative
winning, under IGNORECASE and without it."""
from __future__ import annotations

import regex
from hypothesis import example, given, settings, strategies as st

from healthlint.rules.factor import factor
from healthlint.rules.patterns import FLAGS

FLAG_SETS = (FLAGS, regex.VERSION0)


def _spans(source: str, text: str, flags: int) -> list[tuple[int, int]] | None:
    try:
        return [m.span() for m in regex.compile(source, flags).finditer(text, timeout=0.05)]
    except TimeoutError:
        return None


def test_alternatives_with_a_common_first_letter_share_it():
    assert factor("anxiety|acne|asthma|gout|gerd|pain") == "a(?:nxiety|cne|sthma)|g(?:out|erd)|pain"


def test_a_group_that_is_a_whole_alternative_joins_its_parent():
    assert factor("(?:acne|asthma)|(?:gout|gerd)|anxiety|pain") == "a(?:cne|sthma|nxiety)|g(?:out|erd)|pain"


def test_small_alternations_are_left_alone():
    assert factor("acne|asthma|gout") == "acne|asthma|gout"


def test_an_alternative_never_moves_ahead_of_one_that_can_start_with_its_letter():
    # "(?:a|z)b" can start with "a": "abc" must stay behind it.
    source = "aq|(?:a|z)b|abc|d1|e1|f1"
    assert regex.search(factor(source), "abc").span() == (0, 2)
    assert regex.search(factor(source), "abc", flags=FLAGS).span() == (0, 2)


def test_letters_that_differ_only_in_case_keep_their_order():
    # Under IGNORECASE "K" and "k" are one letter: "kb" must not jump "Ka".
    source = "kq|Ka|kab|d1|e1|f1"
    assert regex.search(factor(source), "kab", flags=FLAGS).span() == (0, 2)
    # and without IGNORECASE they are two letters
    assert regex.search(factor(source), "Kab").span() == (0, 2)
    assert regex.search(factor(source), "kab").span() == (0, 3)


def test_an_empty_alternative_is_a_barrier():
    source = "x|a|b||ab|c1|d1"
    for flags in FLAG_SETS:
        assert _spans(factor(source), "zab", flags) == _spans(source, "zab", flags)


def test_sources_whose_groups_would_renumber_are_kept_as_written():
    for source in ["(a)|ab|ac|ad|ae|af", r"(?:a|b)\1|ab|ac|ad|ae|af", "(?P<x>a)|ab|ac|ad|ae|af",
                   "(?i)ab|ac|ad|ae|af|ag", "(?|a|b)|ab|ac|ad|ae|af", "(?(1)a|b)|ab|ac|ad|ae|af",
                   "(?#c)ab|ac|ad|ae|af|ag", r"\p{L}x|ab|ac|ad|ae|af", "a{e<=1}|ab|ac|ad|ae|af"]:
        assert factor(source) == source, source


_ATOMS = st.sampled_from(["a", "b", "A", "B", "k", "K", r"\b", r"\s", "[ab]", "(?=a)", "(?<!b)",
                          "(?-i:A)", ".", "^", "$", r"\.", "x"])
_QUANT = st.sampled_from(["", "", "", "?", "*", "+", "{0,2}", "??"])


def _alternation(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    item = st.one_of(_ATOMS, inner.map(lambda s: "(?:" + s + ")"), inner.map(lambda s: "(?<=" + s + ")"))
    seq = st.lists(st.tuples(item, _QUANT).map("".join), max_size=4).map("".join)
    return st.lists(seq, min_size=1, max_size=9).map("|".join)


PATTERNS = st.recursive(_alternation(st.just("a")), _alternation, max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(PATTERNS, st.lists(st.text("abABkK\u212a x.", max_size=12), min_size=1, max_size=4))
@example("aq|(?:a|z)b|abc|d|e|f", ["abc"])
@example("x|a|b||ab|c|d", ["ab"])
@example("kq|Ka|kab|d|e|f", ["kab", "Kab"])
def test_a_factored_pattern_finds_what_the_source_finds(source, texts):
    for flags in FLAG_SETS:
        try:
            regex.compile(source, flags)
        except regex.error:
            return
        rewritten = factor(source)
        for text in texts:
            expected = _spans(source, text, flags)
            if expected is not None:
                assert _spans(rewritten, text, flags) == expected, (rewritten, text)
