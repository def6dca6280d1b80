"""Context: when someone else's words are a report and when they are the
publisher's own claim (an endorsement)."""
import pytest

from healthlint import lint_text

SHOP = "\n\nOrder now: one jar $29.99, three jars $74.99.\n"


def efficacy(text: str) -> list[str]:
    return [f.match for f in lint_text(text, "page.md") if f.category == "efficacy"]


@pytest.mark.parametrize("sentence", [
    "Dr. Smith says this tea cures anxiety.",
    '"This balm cured my eczema," says Jane, 42.',
    "My doctor told me this tea relieves migraines.",
])
def test_words_of_an_endorser_are_a_claim_on_a_page_that_sells(sentence):
    # Reported on an editorial page; an endorsement where the product is sold.
    assert efficacy(sentence + "\n") == []
    assert efficacy(sentence + SHOP) != []


@pytest.mark.parametrize("sentence", [
    "Our customers say it cures insomnia.",
    "Several of our readers have told us it relieved their arthritis.",
    "Many readers with bad knees tell us it relieved their arthritis.",
])
def test_the_publishers_own_people_endorse_on_any_page(sentence):
    assert efficacy(sentence + "\n") != []


@pytest.mark.parametrize("sentence", [
    "One bestselling brand tells customers its drink cures insomnia.",
    "You've probably been told this tea cures insomnia.",
    "Proponents say kratom eases pain.",
    "These are the best teas for insomnia, according to our readers.",
])
def test_third_parties_stay_reports_even_on_a_page_that_sells(sentence):
    assert efficacy(sentence + SHOP) == []


def test_one_price_in_a_news_story_does_not_make_it_a_shop():
    story = "Dr. Smith says the tea eases anxiety. It is priced at about $1 a cup.\n"
    assert efficacy(story) == []
    assert efficacy(story + "\n[Add to cart](/cart)\n") != [], "a way to buy is enough"


@pytest.mark.parametrize("costs", [
    "Strips typically cost between £10 and £25 for a month's supply.",
    "Expect $150 to $250 in most cities.",
    "A course runs €40–€60.",
])
def test_a_price_range_in_a_news_story_is_one_price(costs):
    story = "Dr. Smith says the tea eases anxiety. " + costs + "\n"
    assert efficacy(story) == []
    assert efficacy(story + "A refill is $9.99.\n") != [], "a second, separate price still sells"


def test_an_affiliate_disclosure_makes_the_page_commercial():
    page = "Dr. Smith says the tea eases anxiety.\n"
    assert efficacy(page) == []
    assert efficacy("_We may earn a commission if you buy through our links._\n\n" + page) != []


@pytest.mark.parametrize("heading", [
    "## Easing symptoms\n",
    "## Reducing the chance of another UTI\n",
    "# Gout: managing flares and taking allopurinol\n",
])
def test_a_heading_that_names_a_topic_claims_nothing(heading):
    assert efficacy(heading) == []


@pytest.mark.parametrize("text", [
    "## Easing eczema naturally with coconut oil\n",
    "## Reducing UTIs for good\n",
    "Easing symptoms is what this tea does best: it relieves colds.\n",
])
def test_a_heading_with_a_remedy_or_a_sentence_still_claims(text):
    assert efficacy(text) != []


def test_a_statement_ending_on_a_rhetorical_question_is_not_a_question():
    said = "Stopped the metformin on day 1, because why take a blood sugar drug when you're not eating anything?\n"
    asked = "Can I stop my metformin, and why would I want to?\n"
    codes = lambda text: [f.category for f in lint_text(text, "post.md")]  # noqa: E731
    assert "self-treatment" in codes(said)
    assert "self-treatment" not in codes(asked)


def test_a_unit_exponent_is_not_a_footnote_marker():
    row = "| Panel | Irradiance | Verdict |\n| --- | --- | --- |\n| Lumen 300 | 95 mW/cm² | Clears acne |\n"
    assert efficacy(row) != []
    assert efficacy("Red light clears acne.²\n") == [], "a superscript after the sentence still cites"


@pytest.mark.parametrize("penalty", [
    "The seller was fined $180,000. The $180,000 penalty is the largest this year.",
    "It was ordered to pay $25,000 and later settled for $40,000.",
])
def test_a_sum_a_regulator_imposed_is_not_a_price(penalty):
    story = "Dr. Smith says the tea eases anxiety. " + penalty + "\n"
    assert efficacy(story) == []
    assert efficacy(story + "A refill is $9.99 and a jar $19.99.\n") != [], "prices beside the fine still sell"


@pytest.mark.parametrize("sentence", [
    "A company has been fined for advertising its products as a treatment for diabetes.",
    "You may see products sold as natural remedies for constipation in children.",
])
def test_a_product_advertised_as_a_remedy_is_reported(sentence):
    assert efficacy(sentence + "\n") == []


def test_a_footnote_naming_an_organisation_and_a_year_is_a_source():
    body = "Coming off needs a plan.[^2]\n\n"
    note = "[^2]: Royal College of Psychiatrists. *Stopping antidepressants*. Patient information leaflet. 2020.\n"
    codes = lambda text: [f.category for f in lint_text(text, "essay.md")]  # noqa: E731
    assert "self-treatment" not in codes(body + note)
    # Outside a footnote a title-case line with a year is still prose.
    assert "self-treatment" in codes("Royal College Of Quitting. Stopping antidepressants on your own is fine. 2020.\n")


@pytest.mark.parametrize("sentence", [
    "The MMR vaccine is completely safe, and it has been used since 1971.",
    "When I took kratom back in 2021, it cured my anxiety.",
])
def test_a_capitalised_word_and_a_year_do_not_make_a_bibliography_entry(sentence):
    # "The MMR" and "When I" read as an author with initials; a year later in
    # the sentence made the whole unit a reference, and no rule looked at it.
    assert [f for f in lint_text(sentence + "\n", "page.md") if f.category in ("safety", "efficacy")] != []
    assert [f for f in lint_text("Smith J, Lee K. Kava is completely safe. J Herb Med. 2020;12:34.\n", "refs.md")
            if f.category == "safety"] == []


def test_a_unit_labelled_as_a_myth_is_debunked():
    assert efficacy("**Myth:** Natural remedies such as lysine can cure shingles on their own.\n") == []
    assert efficacy("MYTH #2 - Elderberry cures the flu.\n") == []
    # A hyphenated word that starts with "false" labels nothing.
    assert efficacy("False-positive tests are rare, and this tea cures anxiety.\n") != []


@pytest.mark.parametrize("speaker", ["she said", "Vale said", "Dr Ortiz said", "the researchers said"])
def test_a_quote_closed_before_the_speaker_is_reported(speaker):
    # The quote opens in the sentence before: only the words after the claim
    # say whose it is.
    text = f'"We have seen it work. It clears long COVID fatigue in three sessions," {speaker}.\n'
    assert efficacy(text) == []
    assert efficacy(text.replace(f'," {speaker}.', '."')) != []


def test_prices_in_a_story_that_quotes_people_do_not_make_it_a_shop():
    story = ('The clinic charged $4,800 for 12 infusions and $225 for a single drip, the order said. '
             'Patients told the panel they had paid in cash, a lawyer said. '
             'Dr. Lee says the drip cures long COVID.\n')
    assert efficacy(story) == []
    assert efficacy(story + "Add to cart.\n") != [], "a way to buy still makes it a shop"
