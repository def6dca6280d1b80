import random

import pytest

from healthlint.document import model


@pytest.mark.parametrize("source", [
    "Visit https://shop.example/buy?x=1 or HTTP://SHOP.EXAMPLE/X today.",
    "hhttps://a.example/x and ftp://files.example/a.pdf, Ftp://b.example/c",
    # re's case-blind matching takes "ſ" for s and "ı" or "İ" for i.
    "httpſ://a.example/x, maılto:cure@a.example, MAİLTO:cure@b.example",
    "wWw.example.org, xwww.example.org, /www.example.org, .www.example.org, @www.a.example",
    "A scheme with nothing after it: https:// and www. then www.real.example/page",
    "https://x.example/www.y.example/https://z.example and mailto:a@b.example,",
    "no address here at all, just words with h, f, m and w in them",
    "",
])
def test_scheme_urls_are_found_as_the_case_blind_pattern_finds_them(source):
    assert model._scheme_urls(source) == [m.span() for m in model.URL.finditer(source)]


def test_an_address_spelt_with_a_long_s_or_a_dotless_i_is_not_prose():
    source = "See httpſ://cure.example/tea and maılto:sales@cure.example today."
    spans = model.url_spans(source)
    assert [source[a:b] for a, b in spans] == ["httpſ://cure.example/tea", "maılto:sales@cure.example"]


def _url_spans_as_they_were(source):
    """url_spans before it merged as it went: every candidate matched, then
    all sorted and merged (quadratic on "a.com/,a.com/,…")."""
    if model._URL_HINT.search(source) is None:
        return []
    found = [m.span() for m in model.URL.finditer(source)]
    seen = -1
    for hint in model._BARE_HINT.finditer(source):
        at = start = hint.start()
        low, seen = max(seen + 1, at - 320), at
        while start > low and model._in_host(source[start - 1]):
            start -= 1
        if start > 0 and model._in_host(source[start - 1]):
            continue
        m = model._BARE.match(source, start)
        if m is not None and m.end() > at:
            found.append(m.span())
    spans = []
    for a, b in sorted(found):
        if not spans or a >= spans[-1][1]:
            spans.append((a, b))
    return spans


def test_url_spans_are_the_merge_of_every_candidate():
    rnd = random.Random(7)
    pieces = ["a", ".com", "/", "x", "@", "www.", "https://", " ", ",", "b.co.uk", "-", "mailto:", ".org/p",
              "..", "e@f.io", "<", ".", "/x.com/", "HTTPS://"]
    for _ in range(20000):
        source = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        assert model.url_spans(source) == _url_spans_as_they_were(source), source


def test_a_run_of_addresses_is_one_span():
    source = "See " + "a.com/," * 20000 + " then a miracle."
    assert model.url_spans(source) == [(4, 4 + 7 * 20000 - 1)]


@pytest.mark.parametrize("name, source", [
    ("a.md", "Kratom cures\x1c anxiety.\n"),
    ("a.txt", "Kratom cures\x1f\x01 anxiety.\n"),
    ("a.html", "<p>Kratom cures\x7f anxiety.</p>\n"),
    ("a.html", "<p>Kratom cures&#28; anxiety.</p>\n"),
    ("a.md", "Kratom cures\x9b anxiety.\n"),
])
def test_a_control_character_between_words_is_left_out_of_the_text(name, source):
    # `regex` reads none of them as a space: the claim went unseen.
    from healthlint.document import parse_document

    doc = parse_document(source, name)
    assert [u.text for u in doc.units] == ["Kratom cures anxiety."]
    region = doc.regions[doc.units[0].region]
    start = region.to_source(doc.units[0].start + len("Kratom "))
    assert source[start:start + 5] == "cures"
