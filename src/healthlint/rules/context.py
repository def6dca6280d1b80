"""Context that turns a matching phrase into a non-claim: a citation beside
it, a negation or warning in its clause, an attribution to someone else, a
hedge, a question.

The cue lists are pack data (the `citation`, `negation`, `attribution…`,
`first-party`, `commerce` and `hedge` fragments in rules/fragments.yaml),
so a project can extend them; this module only decides *where* to look.
"""
from __future__ import annotations

import re
from typing import Callable, Mapping

import regex

from typing import TYPE_CHECKING

from .base import matches_in, occurs, search

if TYPE_CHECKING:
    from ..document.model import Document
    from .base import UnitView

# How many cited units make a document "well cited".
WELL_CITED = 4
from .patterns import compile_pattern, compile_source
from .scanner import Analyser, LiteralIndex, Scanner

CONDITIONS = ("cited", "negated", "attributed", "question", "topic")

# Where a clause starts, looking back from a match: sentence punctuation,
# semicolons, colons, spaced dashes, brackets, or a contrastive conjunction.
# ", and they ...": a conjunction followed by a clause with its own subject.
# "..., and" right before a match starts a new clause too: the match is its
# subject ("I no longer need a nap, and my anxiety has all but gone").
_AND_NEW_SUBJECT = r"and(?=\s+(?:it|they|this|these|that|you|we|i|he|she|the|its|their|your|our|my|his|her)\b|\s*$)"
_CLAUSE_BREAK = re.compile(
    r"[.;:!?]|\s[—–-]\s|—|,\s*(?:but|while|whereas|although|though|however|yet|so|and so|" + _AND_NEW_SUBJECT
    + r"|which means|which is why|meaning|therefore|because|since)\b|\bbut\b|\bso (?=(?:i|we|you|he|she|they)\b)",
    re.IGNORECASE,
)
# Where the reach of an attribution ends, looking back from a match: a new
# sentence or a clause with its own subject ("..., and they work"). A colon
# does not end it ("Sellers claim: it cures anxiety").
_ATTRIBUTION_BREAK = re.compile(
    r"[.;!?](?:\s|$)|,\s*(?:but|yet|" + _AND_NEW_SUBJECT + r")\b|\bbut\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    r"\W*(?:if|when|whenever|unless|once|until|while|even if|since|because|now that|given that|as long as"
    # A fronted phrase ("With no tobacco and no smoke, the pouches are a
    # harmless alternative"): its "no" is not the main clause's.
    r"|with no|with zero|without|free (?:of|from))\b",
    re.IGNORECASE)
_HOOK = re.compile(
    r"[\W_]*(?:(?:are you |still )?(?:looking|searching|shopping) for|(?:are you )?(?:tired|sick|fed up) of|fed up with"
    r"|(?:are you )?struggling (?:with|to)|(?:are you )?ready to|want to|wanna|wish (?:you|there) (?:could|was|were)"
    r"|did you know|(?:are you )?suffering (?:from|with)|need (?:relief|help|a natural|an? alternative|to (?:get|stop|quit|ditch|lose|sleep)))\b",
    re.IGNORECASE,
)
# A bibliography entry: "Smith J, Lee K. Title. Journal. 2020;12:34." or
# "Smith, J. (2020)." or one carrying a DOI/PMID. One name and capitals
# alone are not an author ("Eases PMS.", "Soothes IBS, fast"): a second
# author, "et al" or a year must follow.
_SURNAME = r"[A-Z][\w'’-]+,? "
_AUTHOR = _SURNAME + r"(?:[A-Z]{1,3}\b\.?|(?:[A-Z]\. ?){1,3})"
# One author before a year has initials that end in a full stop ("Smith J.",
# "Lee, K. A."): "The MMR vaccine ... since 1971" starts with a capitalised
# word and an acronym, and is prose.
_SOLE_AUTHOR = _SURNAME + r"(?:[A-Z]{1,3}\.|(?:[A-Z]\. ?){1,3})"
_ENTRY_START = (
    r"^\W{0,3}(?:\[?\d{1,3}[\].)]?\s*)?(?:" + _AUTHOR + r",? (?:(?:and|&) )?" + _AUTHOR
    + r"|" + _AUTHOR + r",? et al\b|[A-Z][\w'’-]+,? et al\b|" + _SOLE_AUTHOR + r" (?=.*\b(?:19|20)\d\d\b))"
)
_REFERENCE = (
    _ENTRY_START
    + r"|\b(?:19|20)\d\d[a-z]?;\s?\d+|\bdoi[:.]|\bPMID\b|\bet al\.?,? (?:\(?(?:19|20)\d\d)"
    r"|^\W{0,3}(?:[A-Z][\w&'’-]+ ){1,8}(?:\((?:19|20)\d\d\)|(?:19|20)\d\d\.)"
    r"|^\W{0,3}(?:[A-Z][\w&'’-]+ ){1,6}[A-Z][\w&'’-]+\. (?=.*\b(?:19|20)\d\d\b)"
)
# An organisation as a source's author, then a year: "National Institute
# for Health and Care Excellence. Depression in adults (NG222). 2022."
_ORGANISATION_ENTRY = (
    r"^\W{0,3}[A-Z][\w&'’-]+ (?:(?:[A-Z][\w&'’-]+|of|for|and|&|the|on|in) ){1,8}?[A-Z][\w&'’-]+\. "
    r"(?=.*\b(?:19|20)\d\d\b)"
)
# A claim phrased with a negative word of its own ("no side effects").
_NEGATIVE_CLAIM = re.compile(r"(?i)(?:no|zero|none|without|non|not|never|free|can['’]t|cannot|won['’]t|isn['’]t|aren['’]t|doesn['’]t|don['’]t)\b")
# A statement that ends on a rhetorical question of its own ("Stopped the
# metformin on day 1, because why take a blood sugar drug when you're not
# eating?"): the "?" belongs to the tail, not to what the unit says.
_RHETORICAL_TAIL = re.compile(
    r"(?!\W*(?:can|could|should|would|will|shall|may|might|do|does|did|is|are|am|was|were|have|has|had"
    r"|why|what|how|when|where|who|which|whose)\b)"
    r"\W*\w[^?]{0,400}?(?:,|;|:| [-–—]) *(?:because|'?cause|since|so|and|but|I mean,?) +(?:why|what|who|how|where)\b"
    r"[^?]{0,200}\?\W*$",
    re.IGNORECASE,
)
# A heading that names a topic with a gerund ("Easing symptoms", "Gout:
# managing flares and taking allopurinol", "Reducing the chance of another
# UTI"), not a remedy's effect: no means or manner ("with", "naturally",
# "for good") that would make it a claim.
_TOPIC_HEADING = re.compile(
    r"[\W_]*(?:[\w'’ -]{1,40}:\s*)?(?:managing|treating|preventing|easing|reducing|relieving|soothing|controlling"
    r"|lowering|tackling|coping with|living with|dealing with|understanding|avoiding|handling|spotting"
    r"|recogni[sz]ing)\b"
    r"(?![^.!?]{0,200}\b(?:with|using|naturally|without|at home|the natural way|fast|faster|quickly|instantly"
    r"|for good|forever|in (?:just )?\d+|in (?:just )?(?:days|weeks|minutes))\b)[^.!?]{0,200}$",
    re.IGNORECASE,
)
# A unit labelled as the claim being debunked ("**Myth:** natural
# remedies can cure shingles", "MYTH #2 - it's safe because it's
# natural"): the label's negation reaches past its colon.
_DEBUNKED = re.compile(
    r"[\W_]*(?:the )?(?:myths?|misconceptions?|fiction|false|falsehood|rumou?rs?)(?:\s*(?:#|no\.?)?\s*\d{1,2})?[\W_]*?\s*[:—–-](?!\w)",
    re.IGNORECASE,
)
# A reader's question signed after it: '"Can X replace my tablets?" - Graham, Leeds'.
_SIGNATURE = re.compile(r"(?<=\?)[\"'”’)*_]*\s*[-–—―]+\s*[A-Z][\w .,'’-]{0,60}$")
_OPEN_QUOTES = "\"“‘'"
_CLOSE_QUOTES = "\"”’'"


def _last_end(breaks: re.Pattern[str], head: str) -> int:
    """Where the last match of `breaks` in `head` ends (0 if none)."""
    lo = 0
    for m in breaks.finditer(head):
        lo = m.end()
    return lo


def _sells(commerce: regex.Pattern[str], source: str) -> bool:
    """Whether `source` shows a way to buy ("add to cart", "discount
    code") or more than one price, by the `commerce` cues. The two ends of
    a range ("between £10 and £25") are one price: news reports what
    things cost that way."""
    prices = 0
    last_end = -1
    reported = None
    for m in matches_in(commerce, source):
        if m.group()[:1] not in "$£€":
            return True
        if reported is None:
            reported = _reported_speech(source)
        if reported:
            continue
        if _PENALTY_BEFORE.search(source, max(0, m.start() - 40), m.start()) or _PENALTY_AFTER.match(source, m.end()):
            continue
        if last_end < 0 or not _PRICE_RANGE_GAP.fullmatch(source, last_end, m.start()):
            prices += 1
        last_end = m.end()
        if prices > 1:
            return True
    return False


def _reported_speech(source: str) -> bool:
    """Whether the page is reporting: people quoted by name or role three
    or more times ("..., she said", "Ortiz said"). A news story quotes what
    a clinic charged; a shop does not quote anyone that way, and its cart
    and offer cues decide before any price is counted."""
    return len(_SAID.findall(source, 0, 200_000)) >= 3


_SAID = re.compile(r"\b(?:said|told (?:the |a |reporters|us)|according to)\b", re.IGNORECASE)
_PRICE_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and|or)\s*", re.IGNORECASE)
# A sum a regulator or court imposed is news, not a price: "fined $180,000",
# "a £40,000 penalty", "ordered to pay $2m in refunds".
_PENALTY_BEFORE = re.compile(
    r"\b(?:fined|fines? (?:of|totalling|totaling)|penalt(?:y|ies) (?:of|totalling|totaling)|ordered to (?:pay|refund)"
    r"|settle[ds]? for|settlement of|damages of|compensation of|to pay)\s+(?:a total of\s+|more than\s+|over\s+|about\s+"
    r"|almost\s+|nearly\s+|up to\s+|around\s+)?$",
    re.IGNORECASE)
_PENALTY_AFTER = re.compile(
    r"[\d,.]*\s?(?:m|bn|million|billion|k)?\s+(?:fine|penalty|settlement|in (?:fines|penalties|damages|refunds|compensation))\b",
    re.IGNORECASE)


def _quoted_mention(text: str, start: int, end: int) -> bool:
    """A short phrase in quotes inside a longer sentence ('the "anxiety
    cure" ads') is mentioned, not asserted; a whole quoted sentence (a
    testimonial) is not a mention."""
    open_at = max(text.rfind(q, max(0, start - 3), start + 1) for q in _OPEN_QUOTES)
    if open_at < 0 or (open_at > 0 and text[open_at - 1].isalnum()):
        return False
    close_at = min((i for i in (text.find(q, end, end + 4) for q in _CLOSE_QUOTES) if i >= 0), default=-1)
    if close_at < 0:
        return False
    quoted = close_at - open_at
    return quoted < 60 and quoted < 0.6 * len(text.strip())


# How far back a negation may sit from the phrase it negates.
_NEGATION_WORDS = 12


class Context:
    def __init__(self, fragments: Mapping[str, str], path: str, index: LiteralIndex | None = None,
                 analysis: Analyser | None = None) -> None:
        def cue(name: str) -> Scanner | None:
            if name not in fragments:
                return None
            return compile_pattern("{%s}" % name, fragments, where=(path, None), index=index, analysis=analysis)

        # Every rule asks whether a unit is a bibliography entry; the answer
        # for the last text asked about is kept, and the pattern's branches
        # are prefiltered like a pack pattern's (issue 6).
        self._reference: dict[int, tuple[str, bool]] = {}
        self._cited: dict[tuple[str, str], bool] = {}
        self._reference_scanner = compile_source(_REFERENCE, case_sensitive=True, index=index)
        # Anchored at the line's start, so a search fails within a few
        # characters; the literal scan would read the whole line (a Markdown
        # paragraph) for every rule of every unit on it.
        self._entry_start = compile_source(_ENTRY_START, case_sensitive=True)
        self._organisation_entry = compile_source(_ORGANISATION_ENTRY, case_sensitive=True)

        self._documents: dict[object, tuple[object, bool]] = {}
        self.citation = cue("citation")
        self.citation_link = cue("citation-link")
        self.negation = cue("negation")
        self.negation_after = cue("negation-after")
        self.warning = cue("warning")
        self.attribution = cue("attribution")
        self.attribution_after = cue("attribution-after")
        self.attribution_users = cue("attribution-users")
        self.attribution_speech = cue("attribution-speech")
        self.attribution_speech_after = cue("attribution-speech-after")
        self.first_party = cue("first-party")
        self.commerce = cue("commerce")
        self.hedge = cue("hedge")

    def cited(self, text: str, source: str = "") -> bool:
        """A citation in the prose, or a link to a study or guideline in the
        markup behind it (`source`)."""
        # Every rule that wants a citation asks about the same scopes of the
        # same unit; remembered by value, since scopes are cut anew.
        key = (text, source)
        answer = self._cited.get(key)
        if answer is None:
            answer = self._search_cited(text, source)
            if len(self._cited) >= 1024:
                self._cited.clear()
            self._cited[key] = answer
        return answer

    def _search_cited(self, text: str, source: str) -> bool:
        if self.citation is not None and search(self.citation, text) is not None:
            return True
        return bool(source) and self.citation_link is not None and search(self.citation_link, source) is not None

    def well_cited(self, doc: "Document") -> bool:
        """Whether the document cites sources throughout: at least
        WELL_CITED units with a citation, or a footnote or reference list."""
        return self._per_document(id(doc), doc, lambda: self._count_cited(doc) >= WELL_CITED)

    def _count_cited(self, doc: "Document") -> int:
        count = 0
        for unit in doc.units:
            if unit.kind == "footnote" or self.cited(unit.text):
                count += 1
                if count >= WELL_CITED:
                    break
        return count

    def _per_document(self, key: object, doc: "Document", answer: Callable[[], bool]) -> bool:
        """`answer()` for `doc`, worked out once per document: the engine
        asks for every unit of it."""
        cached = self._documents.get(key)
        if cached is not None and cached[0] is doc:
            return cached[1]
        result = answer()
        if len(self._documents) > 64:
            self._documents.clear()  # entries hold their documents
        self._documents[key] = (doc, result)
        return result

    def view_cited(self, view: "UnitView", scope: str = "sentence") -> bool:
        if view.kind == "table_cell" and view.row_has_reference():
            return True
        return self.cited(view.scope_text(scope), view.scope_source(scope))

    def _clause_before(self, text: str, start: int) -> str:
        head = text[:start]
        clause = head[_last_end(_CLAUSE_BREAK, head):]
        if "," in clause and _CONDITIONAL.match(clause):
            # "If you don't notice a difference, take two": the condition's
            # "don't" is not the main clause's.
            clause = clause.rsplit(",", 1)[1]
        words = clause.split()
        return " ".join(words[-_NEGATION_WORDS:])

    def warns(self, text: str) -> bool:
        return self.warning is not None and search(self.warning, text) is not None

    def clause_has(self, pattern: regex.Pattern[str], text: str, start: int) -> bool:
        """Whether `pattern` occurs in the clause leading up to `start`."""
        return search(pattern, self._clause_before(text, start)) is not None

    def negated(self, text: str, start: int, end: int) -> bool:
        if _DEBUNKED.match(text):
            return True
        clause = self._clause_before(text, start)
        if _NEGATIVE_CLAIM.match(text, start):
            # "No fog, no dependency": in a list of negative claims the
            # previous item's "no" does not negate this one.
            clause = clause.rsplit(",", 1)[-1]
        if self.negation is not None and search(self.negation, clause):
            return True
        if self.warning is not None and search(self.warning, text[:start]):
            return True
        return self.negation_after is not None and search(self.negation_after, text[end:]) is not None

    def attributed(self, text: str, start: int, end: int, doc: "Document | None" = None) -> bool:
        """Whether the claim is reported as someone else's. Someone's words
        ("Dr Lee says", "..., says Jane", "users report") are an endorsement
        when the publisher's own people say them ("our customers") or the
        page sells the product: the seller's own claim, so only third parties
        count there."""
        head = text[:start]
        reach = head[_last_end(_ATTRIBUTION_BREAK, head):]
        if self.attribution is not None and search(self.attribution, reach):
            return True
        if _quoted_mention(text, start, end):
            return True
        after = text[end:]
        if self.attribution_after is not None and search(self.attribution_after, after) is not None:
            return True
        if not ((self.attribution_speech is not None and search(self.attribution_speech, reach))
                or (self.attribution_speech_after is not None and search(self.attribution_speech_after, after))
                or (self.attribution_users is not None and search(self.attribution_users, head))):
            return False
        if self.first_party is not None and search(self.first_party, text):
            return False
        # Asked last: it searches the whole document.
        return doc is None or not self.commercial(doc)

    def commercial(self, doc: "Document") -> bool:
        """Whether the document sells something: prices, carts, offers. One
        price alone is news ("priced at about £1 a cup"); a page that sells
        shows more than one, or a way to buy."""
        commerce = self.commerce
        if commerce is None:
            return False
        return self._per_document(("commerce", id(doc)), doc, lambda: _sells(commerce, doc.source))

    def document_has(self, pattern: regex.Pattern[str], doc: "Document") -> bool:
        """Whether `pattern` occurs anywhere in the document's source; asked
        for every unit, searched once per document."""
        return self._per_document((id(pattern), id(doc)), doc, lambda: occurs(pattern, doc.source))

    def clause_of(self, text: str, start: int, end: int) -> str:
        """The clause around text[start:end]: from the last clause break
        before it to the next one after it."""
        lo = _last_end(_CLAUSE_BREAK, text[:start])
        m = _CLAUSE_BREAK.search(text, end)
        hi = m.start() if m else len(text)
        return text[lo:hi]

    def reference(self, text: str, line: str = "", footnote: bool = False) -> bool:
        """Whether the unit is a bibliography entry (its title is not a
        claim), or part of one: `line` is the line the unit sits on, when
        the unit does not start it. A footnote may also name an
        organisation as its author ("Royal College of Psychiatrists.
        Stopping antidepressants. 2020."); in prose, a title-case heading
        with a year ("Best Sleep Aids For Seniors. Updated 2025.") reads
        the same, so only footnotes are read that way."""
        # Asked by every rule of a unit: both answers are kept, by identity
        # (the view keeps the line's string).
        if self._memo(self._reference_scanner, text) or bool(line) and self._memo(self._entry_start, line):
            return True
        return footnote and self._memo(self._organisation_entry, line or text)

    def _memo(self, scanner: Scanner, text: str) -> bool:
        # The last answer of each scanner: a unit's rules ask of its text,
        # and every unit of a line asks of the line. (Eight answers of any
        # scanner kept the line's only while eight units went by; a line of
        # thousands of sentences was searched once per few of them, to its
        # end when it starts like "Smith J.": quadratic.)
        memo = self._reference
        hit = memo.get(id(scanner))
        if hit is not None and hit[0] is text:
            return hit[1]
        answer = search(scanner, text) is not None
        memo[id(scanner)] = (text, answer)
        return answer

    def __getstate__(self) -> dict[str, object]:
        state = {k: getattr(self, k) for k in self.__dict__ if k not in ("_reference", "_cited")}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._reference = {}
        self._cited = {}

    def hedged(self, text: str, start: int) -> bool:
        return self.hedge is not None and search(self.hedge, self._clause_before(text, start)) is not None

    @staticmethod
    def topic(text: str) -> bool:
        """Whether a heading names a topic ("Managing flares"), not a claim."""
        return _TOPIC_HEADING.match(text) is not None

    @staticmethod
    def question(text: str) -> bool:
        """A real question, not a sales hook ("Tired of sleepless nights?",
        "Looking for a natural alternative to Xanax?") that makes its claim
        in question form."""
        text = _SIGNATURE.sub("", text.rstrip())
        return (text.rstrip().rstrip("\"'”’)*_").endswith("?") and not _HOOK.match(text)
                and not _RHETORICAL_TAIL.match(text))
