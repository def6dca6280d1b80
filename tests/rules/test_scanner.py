"""The fast pattern scanner (issue 6) finds exactly what the single
alternation finds: split branches, the literal prefilter, anchored tries,
the RE2 check and the folding tables are checked against the `regex`
module itself. Behaviour only; nothing here is timed."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from healthlint.document import parse_document
from healthlint.packs import _load_ruleset, builtin_packs
from healthlint.rules import patterns, scanner
from healthlint.rules.patterns import FLAGS, analyser, compile_alternation, _normalise, _substitute
from healthlint.rules.relax import relax
from healthlint.rules.scanner import FOLD, LiteralIndex, analyse, fold

CORPUS = Path(__file__).parent.parent / "corpus" / "docs"
HAS_RE2 = importlib.util.find_spec("re2") is not None


def _all_characters() -> str:
    return "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


@pytest.fixture(scope="module")
def everything() -> str:
    return _all_characters()


def test_fold_merges_every_character_regex_matches_to_an_ascii_letter(everything):
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for ch in regex.findall(letter, everything, flags=regex.IGNORECASE | regex.VERSION0):
            assert fold(ch) == letter, (hex(ord(ch)), letter)


def test_fold_maps_every_decimal_digit_and_space_to_ascii(everything):
    import unicodedata

    for ch in regex.findall(r"\d", everything):
        value = unicodedata.digit(ch, None)  # None for digits newer than this Python
        assert fold(ch) in "0123456789" and (value is None or fold(ch) == str(value)), hex(ord(ch))
    for ch in regex.findall(r"\s", everything):
        assert fold(ch) in "\t\n\x0b\f\r ", hex(ord(ch))


def test_fold_keeps_lengths(everything):
    assert len(fold(everything)) == len(everything)


def test_stand_ins_keep_what_regex_makes_of_every_character(everything):
    # RE2 reads the folded text with each character beyond ASCII as "_" (a
    # word character) or DEL (any other); \w, \s and \d, and with them \b,
    # must find in those bytes just what `regex` finds in the text.
    import re

    data = scanner.re2_bytes(fold(everything)).decode("ascii")
    assert len(data) == len(everything)
    for cls in (r"\w", r"\s", r"\d"):
        expected = [m.start() for m in regex.finditer(cls, everything)]
        assert [m.start() for m in re.finditer(cls, data, re.ASCII)] == expected, cls


def test_a_pattern_character_is_checked_as_every_character_regex_matches_to_it(everything):
    # "µ" in a pattern is read as what Greek mu stands in as; dotless "ı"
    # also matches "I", which RE2 reads as itself.
    from healthlint.rules.relax import forms

    ascii_text = "".join(chr(c) for c in range(0x80))
    for ch in everything[0x80:]:
        cased = "".join(c for c in (ch.lower(), ch.upper(), ch.casefold(), ch.title()) if len(c) == 1)
        for other in regex.findall(regex.escape(ch), ascii_text + cased, flags=FLAGS):
            assert scanner.re2_bytes(fold(other)).decode() in forms(ch), (hex(ord(ch)), hex(ord(other)))


def _re2_accepts(check, text: str) -> bool:
    """The verdict of an RE2 check on `text`, read as the scanner reads it."""
    data = scanner.re2_bytes(fold(text))
    return check.Match(scanner._ANCHOR, data, 0, len(data))[0] != scanner._NULL_SPAN


@pytest.mark.skipif(not HAS_RE2, reason="google-re2 is not installed")
@pytest.mark.parametrize(("pattern", "text", "other"), [
    (r"\d+ ?µg", "TAKE 50 μg daily", "take 50 mg daily"),   # micro sign in the pattern, Greek mu in the text
    (r"\d+ ?μg", "take 50 µg daily", "take 50 ng daily"),
    (r"stra(?:ß|ss)e", "STRAẞE", "STRASE"),
    (r"\bcaf[eé]\w*", "CAFÉ’s", "cafa"),
    (r"don’t stop", "DON’T STOP", "don't stop"),
    (r"\w+ cures", "Жень-шень cures", " cures"),
    # Word boundaries are kept: "ring" is not found in "during".
    (r"\bring\b", "Ring me tonight", "during the day"),
    (r"\bno\b", "No, never", "I know"),
    (r"caf\B", "CAFÉ", "caf’"),
    # A negated set matches what stands in for characters it does not name.
    (r"x[^\w-]y", "x’y", "xéy"),
    (r"a[^_]b", "aéb", "ab"),
    (r"a[^’]b", "a–b", "ab"),
    # "Letters and digits": the underscore named is read for "é" as well.
    (r"[^\W_]x", "éx", "-x"),
])
def test_a_relaxed_check_reads_characters_beyond_ascii_as_stand_ins(pattern, text, other):
    assert regex.search(pattern, text, FLAGS) and not regex.search(pattern, other, FLAGS)
    check = scanner._re2_compile(relax(pattern))
    assert check is not scanner._NO_RE2
    assert _re2_accepts(check, text) and not _re2_accepts(check, other)


@pytest.mark.parametrize(("source", "count"), [
    (r"\bmiracle\b", 1),
    (r"(?:a|b)|c", 3),                      # plain groups that make a branch are flattened
    (r"(?:(?:x)|(?:y|z))", 3),
    (r"(a|b)c", 1),
])
def test_branches(source, count):
    branches = analyse(source)
    assert branches is not None and len(branches) == count


@pytest.mark.parametrize("source", [
    r"(?i)abc", r"\p{L}+", r"(a)\1", r"(?P<x>a)(?P=x)", r"(?:abc){e<=1}", r"[[:alpha:]]", r"a(?>bc)",
    r"(?|a|b)", r"\Gabc", r"a\Kb",
])
def test_syntax_outside_the_model_is_not_analysed(source):
    assert analyse(source) is None


def test_needs_and_heads():
    [branch] = analyse(r"\b(?:take|use)\s+\d+\s*mg\b (?:daily|nightly)")
    needs = {frozenset(s) for _, s in branch.info.need}
    assert frozenset({"daily", "nightly"}) in needs
    assert scanner.head_of(branch.info) == (False, frozenset({"take", "use"}))


@pytest.mark.parametrize(("source", "exact"), [
    # A quantifier after a run of letters takes only the last of them.
    (r"colou?r", {"color", "colour"}),
    (r"mgs?", {"mg", "mgs"}),
    (r"ab{2}c", {"abbc"}),
    (r"x1*", None),
    (r"Take(?:\s)?2", None),
])
def test_a_run_of_letters_is_one_literal_up_to_a_quantifier(source, exact):
    [branch] = analyse(source)
    assert branch.info.exact == (None if exact is None else frozenset(exact))
    if source == r"x1*":
        assert scanner.head_of(branch.info) == (False, frozenset({"x"}))


@pytest.mark.parametrize(("pattern", "text", "other"), [
    (r"colou?r", "COLOR", "colr"),
    (r"ab{2}c", "abbc", "abc"),
    (r"dose\s*mgs+\b", "dose mgss", "dose mg"),
])
@pytest.mark.skipif(not HAS_RE2, reason="google-re2 is not installed")
def test_a_relaxed_run_of_letters_keeps_its_last_letters_quantifier(pattern, text, other):
    check = scanner._re2_compile(relax(pattern))
    assert check is not scanner._NO_RE2
    assert _re2_accepts(check, text) and not _re2_accepts(check, other)


@pytest.mark.parametrize(("source", "needed", "not_needed"), [
    # What a lookahead or lookbehind looks at is in the text searched.
    (r"^(?=.*\bmetformin\b)(?=.*\b(?:careful|caution)\b)", [{"metformin"}, {"careful", "caution"}], []),
    (r"(?<=\bsleep )aids?\b", [{"sleep"}, {"aid", "aids"}], []),
    # A negative one requires nothing, and neither does an optional one.
    (r"(?<!\bnot )\bcure\b(?!\s+for)", [{"cure"}], [{"not "}, {"for"}]),
    (r"(?:(?=\bcure\b))?\bheal", [{"heal"}], [{"cure"}]),
])
def test_lookarounds_add_what_they_look_at_to_a_branchs_needs(source, needed, not_needed):
    [branch] = analyse(source)
    needs = [set(strings) for _, strings in branch.info.need]
    assert all(n in needs for n in needed) and not any(n in needs for n in not_needed)


@pytest.mark.parametrize("entries", [
    # An exception list of HL301's shape: one entry only looks ahead.
    [r"\bask (?:your |a )?doctor\b", r"^(?=.*\blowers? blood sugar\b)(?=.*\bmetformin\b)", r"\bthis medicine\b"],
    [r"(?:abc)?", r"b"],
    [r"x*", r"\bxy"],
])
def test_branches_that_can_match_empty_search_and_iterate_like_the_alternation(entries):
    index = LiteralIndex()
    fast = compile_alternation(entries, {}, where=("t", 1), index=index)
    reference = regex.compile(fast.pattern, FLAGS)
    texts = ["Ask your doctor first.", "It lowers blood sugar, so with metformin be careful.", "metformin",
             "This medicine lowers blood sugar; metformin too.", "abcb xy xxy", "", "bxy abc", "no match here"]
    for text in texts:
        index.focus(text)
        got, want = fast.search(text), reference.search(text)
        assert (got.span() if got else None) == (want.span() if want else None), (entries, text)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in reference.finditer(text)]


def test_the_analysis_does_not_depend_on_the_hash_seed():
    # Equal-cost literals ("line" and "with" of "in line with") once fell to
    # set order, so the same pack gated differently from process to process.
    code = ("from healthlint.rules.scanner import analyse; "
            "[b] = analyse(r'(?:under|per|according to|in line with|as set out in) the (?:label|leaflet|guidance)'); "
            "print(sorted(sorted(s) for _, s in b.info.need))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(8)}
    assert len(outputs) == 1
    assert "'with'" not in outputs.pop()  # the tie goes to the literal that sorts first


def _texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.iterdir())[::8]:
        doc = parse_document(path.read_text(encoding="utf-8", errors="replace"), str(path))
        texts.extend(u.text for u in doc.units[::3])
        texts.extend(r.text for r in doc.regions[:2])
    sample = texts[::6]
    variants = [t.upper() for t in sample] + [t.replace(" ", "\u00a0") for t in sample]
    variants += [t.replace("s", "\u017f").replace("k", "\u212a") for t in sample]
    variants += [t.replace("1", "\u0661").replace("2", "\u0662") for t in sample]
    variants += [t.replace("'", "\u2019").replace("e", "\u00e9").replace("o", "\u043e") for t in sample]
    return texts + variants


@pytest.fixture(scope="module")
def pack_patterns() -> list[tuple[list[str], bool]]:
    ruleset = _load_ruleset(tuple(builtin_packs()), (), None, None)
    out = []
    for rule in ruleset.rules:
        for key, value in rule.spec.params.items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                out.append((value, bool(rule.spec.params.get("case-sensitive"))))
            if key == "swap" and isinstance(value, dict):
                out.extend(([p], bool(rule.spec.params.get("case-sensitive"))) for p in value)
    for name in ("citation", "negation", "attribution", "hedge", "consult", "warning"):
        if name in ruleset.fragments:
            out.append((["{%s}" % name], False))
    return out, ruleset.fragments  # type: ignore[return-value]


@pytest.mark.parametrize("mode", ["default", "no-automaton", "no-re2", "re2-always"])
def test_every_pack_pattern_matches_exactly_like_its_alternation(pack_patterns, mode, monkeypatch):
    if mode == "no-re2":  # a plain `pip install .` where google-re2 has no wheel
        monkeypatch.setattr(scanner, "_ANCHOR", False)
        monkeypatch.setattr(scanner, "RE2_AFTER", -1)
    if mode == "no-automaton":
        monkeypatch.setattr(scanner, "_matcher", lambda table: scanner._DictMatcher(table) if table
                            else (lambda text, starts: 0))
    if mode == "re2-always":
        if not HAS_RE2:
            pytest.skip("google-re2 is not installed")
        monkeypatch.setattr(scanner, "RE2_AFTER", -1)
        monkeypatch.setattr(scanner, "RE2_CHARS_PER_TRY", 1 << 30)
    entries, fragments = pack_patterns
    texts = _texts()
    index = LiteralIndex()
    analysis = analyser(fragments)
    # As in a rule set: every pattern compiled first, then texts scanned.
    scanners = [compile_alternation(pats, fragments, where=("t", 1), case_sensitive=cs, index=index,
                                    analysis=analysis) for pats, cs in entries]
    for (pats, cs), fast in zip(entries, scanners):
        reference = regex.compile(fast.pattern, 0 if cs else FLAGS)
        for text in texts:
            index.focus(text)
            expected = [m.span() for m in reference.finditer(text)]
            assert [m.span() for m in fast.finditer(text)] == expected, (pats[:2], text[:80])
            first = reference.search(text)
            got = fast.search(text)
            assert (got.span() if got else None) == (first.span() if first else None)


@pytest.mark.skipif(not HAS_RE2, reason="google-re2 is not installed")
def test_relaxed_patterns_accept_whatever_the_pattern_matches(pack_patterns):
    entries, fragments = pack_patterns
    analysis = analyser(fragments)
    texts = _texts()
    for pats, cs in entries:
        for p in pats:
            branches = analysis.analyse(_normalise(p), cs) or []
            for b in branches:
                source = _substitute(b.source, fragments)
                relaxed = relax(source)
                if relaxed is None:
                    continue
                loose = scanner._re2_compile(relaxed)
                assert loose is not scanner._NO_RE2, relaxed[:80]
                strict = regex.compile(source, 0 if cs else FLAGS)
                for text in texts:
                    if strict.search(text):
                        assert _re2_accepts(loose, text), (source[:80], text[:80])


@pytest.mark.skipif(not HAS_RE2, reason="google-re2 is not installed")
def test_a_search_that_ends_early_is_not_ruled_out_by_the_whole_texts_check(monkeypatch):
    # RE2 checks the whole text, where the "doctor" of "doctors" is no
    # word; searched up to its "s", as the `regex` module does, it is one.
    monkeypatch.setattr(scanner, "RE2_AFTER", -1)
    source = r"\bdoctor\b"
    index = LiteralIndex()
    fast = scanner.Scanner(source, [regex.compile(source, FLAGS)], [0], index, [0], [relax(source)])
    text = "Ask your doctors"
    end = text.index("doctors") + len("doctor")
    index.focus(text)
    assert fast.search(text) is None
    assert fast.search(text, 0, end).span() == regex.compile(source, FLAGS).search(text, 0, end).span()


def test_the_reference_switch_builds_plain_alternations(monkeypatch):
    monkeypatch.setattr(patterns, "SPLIT", False)
    s = compile_alternation([r"\bfoo\b", r"\bbar\b"], {}, where=("t", 1), index=LiteralIndex())
    assert s is not None and len(s.alternatives) == 1 and s.always


def test_a_list_of_more_branches_than_the_cap_matches_as_one_alternation(monkeypatch):
    import random

    # Thousands of branches are compiled as runs of consecutive ones; where
    # several could match at one place the earlier must still win.
    words = [f"w{i}" for i in range(1500)] + ["miracle cure", "miracle", r"mira\w+", r"\bw1\d"]
    rnd = random.Random(4)
    rnd.shuffle(words)
    pattern = "|".join(words)
    index = LiteralIndex()
    fast = compile_alternation([pattern], {}, where=("t", 1), index=index)
    assert fast is not None and 1 < len(fast.alternatives) <= patterns.MAX_BRANCHES
    reference = regex.compile(pattern, FLAGS)
    pieces = ["w1", "w12", "w123", "w1499", "w15", "miracle", "miracle cure", "miracles", " ", ", ", "x"]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(12))
        index.focus(text)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in reference.finditer(text)], text
        assert fast.search(text, 3).span() == reference.search(text, 3).span()


def test_the_scans_an_index_keeps_are_bounded_in_characters():
    # Each cell of a long table cell is checked against its whole row: the
    # scans of those row texts, a hundred kilobytes each, held 300 MB.
    index = LiteralIndex()
    compile_alternation([r"\bcures\b"], {}, where=("t", 1), index=index)
    for i in range(100):
        index.mask(f"{i} " + "it cures anxiety. " * 3000)
    kept = list(index._memo)
    assert sum(len(text) for text in kept) <= scanner.MEMO_CHARS
    assert kept[-1].startswith("99 ") and len(kept) > 1
    assert index.mask("it cures") == index.mask("it cures anxiety") != 0


NESTED = """# Doses

Take 500 mg of magnesium daily. Take 500 mg of magnesium daily with food, says the label.

- Take 500 mg of magnesium daily
- It cures insomnia, guaranteed. It cures insomnia.

| Supplement | Daily serving | Best for |
| --- | --- | --- |
| Magnesium | 500 mg daily | Insomnia |
"""


def test_the_engine_reports_what_the_reference_alternations_report(monkeypatch):
    from healthlint.engine import lint

    packs = tuple(builtin_packs())
    monkeypatch.setattr(patterns, "SPLIT", False)
    reference = _load_ruleset.__wrapped__(packs, (), None, None)
    monkeypatch.setattr(patterns, "SPLIT", True)
    fast = _load_ruleset.__wrapped__(packs, (), None, None)
    monkeypatch.setattr(scanner, "RE2_AFTER", 20)  # RE2 joins in partway, where installed
    sources = [("nested.md", NESTED)] + [(p.name, p.read_text(encoding="utf-8", errors="replace"))
                                         for p in sorted(CORPUS.iterdir())[::9]]
    for name, text in sources:
        doc = parse_document(text, name)
        def key(findings):
            return [(f.code, f.start, f.end, f.message, f.severity) for f in findings]
        assert key(lint(doc, fast.rules)) == key(lint(doc, reference.rules)), name


def test_linting_a_document_lets_go_of_the_texts_of_the_one_before():
    # Scans are remembered by text; a run over thousands of files must not
    # keep earlier files' sentences alive until the table fills (issue 6:
    # memory stays flat as the corpus grows).
    from healthlint.engine import lint

    rules = tuple(r for r in _load_ruleset(tuple(builtin_packs()), (), None, None).rules if r.spec.enabled)
    index = next(s.index for r in rules for s in getattr(r.impl, "prefilter", ()) if s.index is not None)
    first = parse_document(NESTED, "first.md")
    lint(first, rules)
    kept = {id(entry[0]) for entry in index._memo.values()}
    assert kept & {id(u.text) for u in first.units}
    second = parse_document("# Sleep\n\nIt cures insomnia overnight.\n", "second.md")
    lint(second, rules)
    kept = {id(entry[0]) for entry in index._memo.values()}
    assert not kept & {id(u.text) for u in first.units}


def test_a_pickled_scanner_keeps_its_alternation_compressed_and_gives_it_back():
    # Every process loads the packs from a pickle; the alternation texts of
    # the default packs (7 MB, mostly `{condition}` repeated) are only read
    # for messages, so they travel and stay compressed.
    import pickle

    fragments = {"condition": "|".join(f"condition{i}’s" for i in range(2000))}
    s = compile_alternation([r"\bcures? {condition}\b", r"\bheals? {condition}\b"], fragments,
                            where=("t", 1), index=LiteralIndex())
    kept = s.__getstate__()[0]  # what the pack cache holds for the alternation
    assert isinstance(kept, bytes) and len(kept) < len(s.pattern) // 4
    back = pickle.loads(pickle.dumps(s))
    assert back.pattern == s.pattern
    assert [m.span() for m in back.finditer("It cures condition7’s fast.")] == [(3, 21)]


def test_an_unpickled_index_scans_alike_and_numbers_new_literals_after_the_old():
    # The OR-set tables travel packed and are only unpacked when a rule is
    # added to a loaded index; either way the bits must not collide.
    import pickle

    index = LiteralIndex()
    s = compile_alternation([r"\bcures? (?:gout|acne)\b", r"\bheals? scars\b"], {}, where=("t", 1), index=index)
    back = pickle.loads(pickle.dumps(index))
    text = "It heals scars and cures gout."
    assert back.mask(text) == index.mask(text) != 0
    old = dict(index.bits)
    assert {o: back.bit(o) for o in old} == old
    new = (False, frozenset({"eczema"}))
    bit = back.bit(new)
    assert bit not in old.values() and bit == 1 << len(old)
    assert back.mask("eczema") & bit and back.rarest(bit) == bit
    assert [m.span() for m in s.finditer(text)] == [(3, 14), (19, 29)]
    again = pickle.loads(pickle.dumps(back))
    assert again.bit(new) == bit and again.mask("eczema") == back.mask("eczema")
