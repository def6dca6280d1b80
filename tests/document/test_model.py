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
