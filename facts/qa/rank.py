"""Scoring candidate passages against a question and the confidence bar that decides whether to answer."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from facts.analysis import SALIENT
from facts.geo import countries_in, country_of, place_of
from facts.models import Kind, Precision, StoredFact
from facts.qa.intent import SPAN_STEMS, Intent, Term
from facts.qa.retrieve import Passage, Retrieval
from facts.qa.words import (
    CAUSE_MARKERS,
    REASON_MARKERS,
    WEAK_REASON_MARKERS,
    alternatives,
    contradicted,
    covered,
    is_soft,
    name_stems,
)
from facts.text import index_terms, phrasal_terms, stem

logger = logging.getLogger(__name__)

# Weight of a question word found only in the sentence before, which the answer's sentence refers back to.
BEFORE = 0.6
# Weight of a question word found only elsewhere in the article rather than in the answer's sentence.
WEAK = 0.35
# Other passages are answered alongside the best one when they score at least this share of it.
ALSO = 0.8

_GOODS = frozenset(alternatives(stem("goods")))
_DEADLINE_WORDS = re.compile(
    r"\b(?:deadline|due|expir\w*|cut-?off|must|have\s+to|has\s+to|by\s+when)\b", re.I
)
# A definite description standing for an organisation named elsewhere in the article.
_GENERIC_REF = re.compile(
    r"\b(?:the|its|their)\s+(?:company|firm|group|airline|carrier|union|bank|operator|government"
    r"|ministry|alliance|cartel|bloc|agency|regulator|lender|insurer|retailer|manufacturer|automaker"
    r"|club|party|board)\b",
    re.I,
)
_FORWARD = re.compile(r"\b(?:next|upcoming|coming|will)\b|\b(?:is|are)\b.*\bdue\b", re.I)
# "The next round" is after the article's day: what opened that day is this round, not the next.
_NEXT = re.compile(r"\b(?:next|upcoming|following)\b", re.I)
# A day or month written without its year and resolved to this long before the article was misread.
_YEARLESS_SLACK = 300
_SUPERSEDED_WORDING = re.compile(
    r"\bhad\s+(?:been\s+)?(?:set|planned|scheduled|due|expected|agreed|targeted)\b|\b(?:previously|originally"
    r"|initially|formerly)\b",
    re.I,
)
EARLIER_ASKED = re.compile(
    r"\b(?:previous\w*|original\w*|initial\w*|old|earlier|former\w*|before|first)\b", re.I
)
# "On what date did it expire?" asks for a day: a year or a month does not answer it.
_DAY_ASKED = re.compile(r"\b(?:what|which)\s+(?:exact\s+)?(?:date|day)\b", re.I)
_PRECISION_BONUS = {"day": 0.75, "month": 0.4, "year": 0.0}
_START_LEADS = re.compile(r"^(?:from|starting|beginning|effective|as\s+of|on)\b", re.I)
_END_LEADS = re.compile(r"^(?:until|till|by|through|before|no\s+later\s+than)\b|end", re.I)


@dataclass
class Match:
    """A passage that clears the bar, the facts that answer from it, and how well it matches."""

    passage: Passage
    facts: list[StoredFact]
    score: float
    strong: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def _strict(term: Term, intent: Intent) -> bool:
    """True when a question word must be in the answer's own sentence, not just in its article."""
    if term.proper:
        return False  # names may also be found in the title (checked separately)
    if term.exact:
        return True  # "the fifth round" is not the fourth
    if intent.kind == "number" and term.stem in intent.counted:
        return True  # "how many slot pairs": the number's own sentence must say what it counts
    if intent.kind == "rate":
        return term.stem not in _GOODS
    if intent.kind in {"person", "quote"} and term.role:
        return True
    if intent.kind == "person" and term.stem in intent.defining:
        return True  # "who leads the delegation": the person's own sentence must say so
    return intent.kind == "statement"


def coverage(passage: Passage, intent: Intent, idf: dict[str, float], skip: set[str] | None = None) -> Match:
    """How a passage holds the question's words and countries; an empty `missing` clears the bar."""
    match = Match(passage, [], 0.0)
    named = _fact_terms(passage)
    pool = passage.terms | named
    own = (passage.own_terms | named) if passage.previous else pool
    for term in intent.content:
        if skip and term.stem in skip:
            continue
        weight = max((idf.get(a, 1.0) for a in alternatives(term.stem)), default=1.0)
        if contradicted(term.stem, own):
            match.missing.append(term.surface)  # "the final ruling" is not in "the preliminary duty"
            continue
        # A minister is not a ministry: role words match as words, not as derivations.
        if covered(term.stem, pool, derive=not term.role) or spelled_out(term, intent, passage, pool):
            match.score += weight if covered(term.stem, own) else BEFORE * weight
            match.strong += 1
        elif _found_elsewhere(term, intent, passage):
            match.score += WEAK * weight
        else:
            match.missing.append(term.surface)
    # "the next round of Japan-Korea talks" in an article titled "Japan and South Korea hold talks": a
    # sentence naming one side of a pair may leave the other to the title (not for rates and numbers); a
    # sentence naming no country at all ("The ministry is due to rule by Dec. 15") is about the title's.
    paired = (
        intent.kind in {"date", "countdown", "place"} and bool(intent.countries & passage.countries)
    ) or not passage.sentence_countries
    for country in intent.countries:
        if country in passage.countries:
            match.score += 1.0
            match.strong += 1
        elif intent.policy.title_countries and paired and country in passage.title_countries:
            match.score += WEAK
        else:
            match.missing.append(country)
    return match


def spelled_out(term: Term, intent: Intent, passage: Passage, pool: set[str]) -> bool:
    """True for an acronym its article spells out and whose sentence names it ('ITC', 'the Commission')."""
    if not intent.policy.acronyms or not (term.surface.isupper() and 2 <= len(term.surface) <= 6):
        return False
    head = passage.acronyms.get(term.surface)
    return head is not None and head in pool


def _found_elsewhere(term: Term, intent: Intent, passage: Passage) -> bool:
    """True when a word missing from the sentence may be taken from the rest of the article."""
    if term.proper:
        if intent.kind == "number" and (place_of(term.surface) or not _GENERIC_REF.search(passage.sentence)):
            # A number about Copenhagen is not an answer about Helsinki; "the company's offer" may still
            # be the offer of the company the article is about.
            return False
        # A name in the title or all through the article is what "the company" in a sentence means.
        return intent.policy.title_names and (
            covered(term.stem, passage.title_terms) or passage.salient.get(term.stem, 0) >= SALIENT
        )
    if intent.kind == "rate" and passage.of_kind(Kind.RATE, Kind.FIGURE) and _strict(term, intent):
        # "other exporters were assigned duties of up to 25%" in an article titled "… Vietnamese shrimp
        # exporter …": the product of the title is the product of the article's rates.
        return (
            intent.policy.title_goods
            and covered(term.stem, passage.title_terms)
            and not _names_other_goods(passage)
        )
    if _event_verb(term, intent, passage):
        return False
    return intent.policy.doc_words and not _strict(term, intent) and covered(term.stem, passage.doc_terms)


def _event_verb(term: Term, intent: Intent, passage: Passage) -> bool:
    """True for a word of the asked event that the answer's sentence must say itself.

    "When will the pact be signed?" is not dated (or placed) by the talks that ended without it: a
    participle in the question's head phrase names the asked event.
    """
    if term.proper or term.stem not in intent.head:
        return False
    if intent.kind in {"date", "countdown", "place"}:
        return bool(re.fullmatch(r"[a-z]{3,}ed", term.surface.lower()))
    return False


def _names_other_goods(passage: Passage) -> bool:
    """True when a sentence's rates are known to be on goods the title does not name."""
    for fact in passage.of_kind(Kind.RATE):
        # Lower-case words of the target name goods ("frozen shrimp"); capitalised ones a company or place.
        goods = " ".join(w for w in str(fact.attrs.get("target") or "").split() if w.islower())
        if index_terms(goods) - passage.title_terms - _GOODS:
            return True
    return False


def _fact_terms(passage: Passage) -> set[str]:
    """Stems of the names, roles and organisations in a passage's facts (a resolved "he" names someone)."""
    words: list[str] = []
    for fact in passage.facts:
        for key in ("name", "role", "org", "speaker"):
            value = fact.attrs.get(key)
            if isinstance(value, str):
                words.append(value)
    return index_terms(" ".join(words)) if words else set()


def best(matches: list[Match], share: float = 1.0) -> list[Match]:
    """The best-scoring match and those within `share` of it, best first."""
    if not matches:
        return []
    matches.sort(key=lambda m: (-m.score, -m.passage.published.toordinal(), m.passage.index))
    top = matches[0].score
    return [m for m in matches if m.score >= share * top - 1e-9]


def rank(retrieval: Retrieval, intent: Intent, fallback: bool = False) -> list[Match]:
    """Passages that clear the bar for this question with their answering facts, best first.

    `fallback` lets place questions read places the extractor did not (a second, slower pass).
    """
    chooser = _CHOOSERS.get(intent.kind, _statement)
    if fallback:
        chooser = _place_fallback
    out: list[Match] = []
    for passage in retrieval.passages:
        match = coverage(passage, intent, retrieval.idf)
        if match.missing:
            continue
        facts = chooser(passage, intent, match)
        if facts is None:
            continue
        match.facts = facts
        if match.strong == 0:
            continue
        out.append(match)
    # Several rates (one each way) are answered together, and several dates, of which answering keeps
    # the newest versions (facts/qa/versions.py); other kinds answer from the best sentence.
    chosen = best(out, ALSO if intent.kind in {"rate", "date", "countdown"} else 1.0)
    if not chosen and intent.kind == "place" and not fallback and intent.policy.place_spans:
        return rank(retrieval, intent, fallback=True)
    return chosen


# -- choosing the answering facts in a passage, per kind of question -----------------------------------------


def _rate(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    rates = [f for f in passage.of_kind(Kind.RATE) if _rate_fits(f, intent)]
    mismatched = [f for f in passage.of_kind(Kind.RATE) if f not in rates]
    if not rates:
        return None
    if mismatched and not any(rate_matches(f, intent) for f in rates):
        # The sentence's readable rates are someone else's; what is left is too unsure to give.
        return None
    if _TARGET_ASKED.search(intent.text):
        # "What does Washington want the duty cut to?": the value after "to", whoever the extractor said
        # imposes it; a sentence that gives none does not answer.
        values = {float(v) for v in _TO_VALUE.findall(passage.sentence)}
        percents = [f for f in passage.of_kind(Kind.FIGURE) if f.attrs.get("unit") == "%"]
        aimed = [f for f in passage.of_kind(Kind.RATE) + percents if _percent(f) in values]
        return aimed or None
    match.score += sum(1.0 for f in rates if rate_matches(f, intent))
    return rates


_TARGET_ASKED = re.compile(
    r"\b(?:cut|cuts|reduc\w*|lower\w*|rais\w*|increas\w*|hik\w*|bring|brought|drop\w*|fall|rise|go|come)\s+"
    r"(?:\w+\s+){0,2}to\s*[?.!]*$",
    re.I,
)
_TO_VALUE = re.compile(r"\bto\s+(\d+(?:\.\d+)?)\s*(?:%|per\s*cent|percent)", re.I)


def _percent(fact: StoredFact) -> float | None:
    """The percentage a rate or a figure gives."""
    value = fact.attrs.get("percent") if fact.kind is Kind.RATE else fact.attrs.get("number")
    return float(value) if isinstance(value, (int, float)) else None


def _rate_fits(fact: StoredFact, intent: Intent) -> bool:
    """False when the rate is known to be imposed by, or on, someone other than the question says."""
    imposer = country_of(str(fact.attrs.get("imposer_key") or "")) or ""
    target_key = str(fact.attrs.get("target_key") or "")
    target = (
        next((country_of(target_key[: len(c)]) for c in _prefixes(target_key) if country_of(c)), "") or ""
    )
    if intent.imposer and imposer and imposer != intent.imposer:
        return False
    if intent.target and target and target != intent.target:
        return False
    # Without the question naming sides, a rate on someone named in neither place is still a candidate.
    return not (intent.imposer and intent.target and imposer == intent.target and target == intent.imposer)


def rate_matches(fact: StoredFact, intent: Intent) -> bool:
    """True when the question names sides and the rate is known to be between exactly those."""
    if not (intent.imposer or intent.target):
        return False
    imposer = country_of(str(fact.attrs.get("imposer_key") or "")) or ""
    target_key = str(fact.attrs.get("target_key") or "")
    target = next((country_of(c) for c in _prefixes(target_key) if country_of(c)), "") or ""
    return (not intent.imposer or imposer == intent.imposer) and (
        not intent.target or target == intent.target
    )


def _prefixes(text: str) -> list[str]:
    words = text.split()
    return [" ".join(words[:n]) for n in range(len(words), 0, -1)]


def _dated(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    dated = [f for f in passage.of_kind(Kind.DEADLINE, Kind.EVENT) if f.date is not None]
    # "Oct. 3" in an article of September 2026 is not October 2025: a date said without its year that
    # lies half a year before the article is a misreading, not an answer.
    dated = [f for f in dated if not _misdated(f)]
    if intent.kind == "countdown" or _FORWARD.search(intent.text):
        # A countdown ("how many days until", "is it still ahead") or "the next round" is to something
        # ahead when the article was written; what had happened by then ("officials met on Monday") is not.
        dated = [f for f in dated if f.as_of is None or f.known_date().last_day() >= f.as_of]
    if _NEXT.search(intent.text):
        # A period the article's day falls in ("most of the year") is not the next anything.
        dated = [f for f in dated if f.as_of is None or f.known_date().first_day() > f.as_of]
    if not EARLIER_ASKED.search(intent.text):
        # "the deadline, which had been set for Nov. 12" and "as previously planned" are history, and so
        # is the date a deadline was "pushed back to 9 June from".
        moved_from = {old.id for old, _ in moves(passage)}
        dated = [f for f in dated if not _history(f) and f.id not in moved_from]
    if _DAY_ASKED.search(intent.text):
        dated = [f for f in dated if f.known_date().precision is Precision.DAY]
    if not dated:
        return None
    asks_deadline = bool(_DEADLINE_WORDS.search(intent.text))
    qterms = {t.stem for t in intent.terms}

    def fit(fact: StoredFact) -> float:
        what = index_terms(str(fact.attrs.get("what") or fact.text))
        score = float(sum(1 for t in qterms if covered(t, what)))
        lead = str(fact.attrs.get("phrase") or "").strip()
        if asks_deadline and fact.kind is Kind.DEADLINE:
            score += 1.5
        # "next year" is a vaguer answer than "Nov. 30" in the same sentence.
        score += _PRECISION_BONUS[str(fact.known_date().precision)]
        if intent.wants_start and _START_LEADS.match(lead):
            score += 2
        if intent.wants_end and _END_LEADS.search(lead):
            score += 2
        return score

    events = [t.stem for t in intent.content if not t.proper]
    head = [h for h in intent.head if h != "deadline"]
    if "deadline" in intent.head:
        # "The CMA's deadline on the takeover" is a deadline, not any dated event of the takeover.
        dated = [f for f in dated if _deadline_like(f)]
    if intent.owner:
        # The owner of the asked head ("the CMA's deadline") is named in the date's own sentence.
        dated = [f for f in dated if _owned(passage, intent)]

    def names(fact: StoredFact, words: list[str]) -> bool:
        # A date the store says a newer article moved is checked against the clause that first gave it.
        older = passage.replaced.get(fact.id)
        return _dated_for(fact, words, intent) or (older is not None and _dated_for(older, words, intent))

    if head:
        # The date must be the asked event's: its own clause names the question's head ("a ballot" in
        # "hold a ballot on open-ended strikes"; "the consultation", not "talks" on the same dispute), or
        # names another of its event words in a sentence about the head ("the consultation …, which
        # closes on March 6").
        dated = [
            f
            for f in dated
            if names(f, head) or (names(f, events) and any(covered(h, passage.terms) for h in head))
        ]
    elif events:
        # A deadline asked as such ("the deadline for X") has X in the deadline's sentence; other dates
        # name one of the question's event words in their own clause ("returned to the table on Monday,
        # 12 days before the cooling-off period expires" does not date the expiry).
        dated = [
            f
            for f in dated
            if names(f, events)
            or ("deadline" in intent.head and any(covered(t, passage.terms) for t in events))
        ]
    if not dated:
        return None
    scored = sorted(((fit(f), f) for f in dated), key=lambda p: -p[0])
    top = scored[0][0]
    match.score += 0.5 * top
    return [f for s, f in scored if s == top]


def _dated_for(fact: StoredFact, events: list[str], intent: Intent) -> bool:
    """True when a date's own clause names one of the question's event words ("from Jan. 1" starts)."""
    lead = str(fact.attrs.get("phrase") or "").strip()
    if (intent.wants_start and _START_LEADS.match(lead)) or (intent.wants_end and _END_LEADS.search(lead)):
        return True
    said = index_terms(f"{fact.attrs.get('what') or ''} {clause(fact, antecedent=True)}")
    return any(covered(t, said) for t in events)


def _deadline_like(fact: StoredFact) -> bool:
    """True for a deadline, or a date whose own clause says it is one ("must … by", "is due")."""
    return fact.kind is Kind.DEADLINE or bool(
        _DEADLINE_WORDS.search(f"{fact.attrs.get('what') or ''} {clause(fact)}")
    )


def _owned(passage: Passage, intent: Intent) -> bool:
    """True when the owner of the asked head ("the CMA's deadline") is named in the passage's sentence."""
    owner = [s for s in intent.owner if s]
    countries = countries_in(" ".join(owner), lowercase=True)
    if countries:
        return countries <= passage.countries
    pool = passage.terms | _fact_terms(passage)
    return all(covered(s, pool, derive=False) or passage.acronyms.get(s.upper()) in pool for s in owner)


def _misdated(fact: StoredFact) -> bool:
    """True for a day or month said without its year ("on Oct. 3") but resolved to long before the article."""
    if fact.date is None or fact.as_of is None or fact.date.precision is Precision.YEAR:
        return False
    phrase = str(fact.attrs.get("phrase") or "")
    at = fact.sentence.find(phrase) if phrase else -1
    around = f"{fact.sentence[max(at - 12, 0) : at]} {phrase}" if at >= 0 else phrase
    if re.search(r"\b(?:19|20)\d\d\b|\blast\b|\bago\b|\bprevious\b|\bearlier\b", around, re.I):
        return False
    return (fact.as_of - fact.date.last_day()).days > _YEARLESS_SLACK


MOVING = re.compile(
    r"\b(?:push\w*|pushed|mov\w*|postpon\w*|delay\w*|extend\w*|brought|bring\w*|shift\w*|back|forward"
    r"|chang\w*|reschedul\w*)\b",
    re.I,
)


def moves(passage: Passage) -> list[tuple[StoredFact, StoredFact]]:
    """(old, new) dates of a sentence moving one: "pushed its deadline back to 9 June from 14 April"."""
    if not MOVING.search(passage.sentence):
        return []
    dated = [f for f in passage.of_kind(Kind.DEADLINE, Kind.EVENT) if f.date is not None]
    froms = [f for f in dated if re.match(r"from\b", str(f.attrs.get("phrase") or ""), re.I)]
    tos = [
        f
        for f in dated
        if re.match(r"(?:back\s+)?(?:to|until|till)\b", str(f.attrs.get("phrase") or ""), re.I)
    ]
    if len(froms) != 1 or len(tos) != 1 or froms[0].date == tos[0].date:
        return []
    return [(froms[0], tos[0])]


def _history(fact: StoredFact) -> bool:
    """True when a date is told as one that was replaced ("had been set for", "as previously planned")."""
    return bool(_SUPERSEDED_WORDING.search(f"{fact.attrs.get('what') or ''} {clause(fact)}"))


def clause(fact: StoredFact, antecedent: bool = False) -> str:
    """The clause of a fact's sentence around its date phrase ("whose deadline had been set for Nov. 12").

    With `antecedent`, a relative clause ("…, which … would be held in mid-January") comes with the
    clause before it that names what "which" stands for ("could call a ballot on open-ended strikes").
    """
    phrase = str(fact.attrs.get("phrase") or "")
    sentence = fact.sentence
    at = sentence.find(phrase) if phrase else -1
    if at < 0:
        return str(fact.attrs.get("what") or "")
    return clause_at(sentence, at, len(phrase), antecedent)


def clause_at(sentence: str, at: int, length: int, antecedent: bool = False) -> str:
    """The clause of a sentence around the span at `at` (between commas, semicolons, dashes, brackets)."""
    start = max(sentence.rfind(c, 0, at) for c in ",;:—(") + 1
    ends = [i for i in (sentence.find(c, at + length) for c in ",;—)") if i >= 0]
    own = sentence[start : min(ends) if ends else len(sentence)].strip()
    if antecedent and start > 0 and _RELATIVE.match(own):
        before = max(sentence.rfind(c, 0, start - 1) for c in ",;:—(") + 1
        # The sentence before a relative clause starting the sentence ends at a full stop: keep to this one.
        before = max(before, sentence.rfind(". ", 0, start - 1) + 1)
        own = f"{sentence[before : start - 1].strip()} {own}"
    return own


_RELATIVE = re.compile(r"(?:which|that|who|whose|where)\b", re.I)


def _person(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    people = passage.of_kind(Kind.PERSON)
    if intent.name:
        named = [p for p in people if _names(p, intent.name_stems)]
        return named or None
    if intent.countries:
        people = [p for p in people if _person_countries(p) & intent.countries] or [
            p for p in people if not _person_countries(p)
        ]
    people = [p for p in people if _described_as(p, intent)]
    return people or None


def _described_as(fact: StoredFact, intent: Intent) -> bool:
    """True when the asked role and its organisation are the person's own ("Vantor chief executive").

    "Who is the CEO of Skybridge Cloud?" is not answered by Vantor's chief executive in a sentence that
    also names Skybridge: the organisation must be the person's, or in the noun phrase that gives the role.
    """
    own = index_terms(" ".join(str(fact.attrs.get(k) or "") for k in ("role", "org")) + " " + fact.text)
    return holds_role(own, intent)


def holds_role(own: set[str], intent: Intent) -> bool:
    """True when a person's own words hold the question's role words and non-country names."""
    for term in intent.content:
        if term.role and not covered(term.stem, own, derive=False):
            return False
        if term.proper and not countries_in(term.surface, lowercase=True) and not covered(term.stem, own):
            return False
    return True


def _names(fact: StoredFact, asked: tuple[str, ...]) -> bool:
    """True when every word of the asked name is part of the fact's person or speaker name."""
    have = set(name_stems(str(fact.attrs.get("name") or fact.attrs.get("speaker") or "")))
    meaningful = [s for s in asked if s]
    return bool(meaningful) and all(s in have for s in meaningful)


def _person_countries(fact: StoredFact) -> set[str]:
    """A person's countries: their nationality and the country of their organisation ("Seoul Institute")."""
    found = {country_of(str(fact.attrs.get("country") or "")) or str(fact.attrs.get("country") or "")} - {""}
    return found | countries_in(str(fact.attrs.get("org") or ""))


def _place(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    asked = {t.stem for t in intent.terms}
    places = [
        p
        for p in passage.of_kind(Kind.PLACE)
        if stem(str(p.attrs.get("name", "")).lower()) not in asked
        and any(related(c, intent) for c in _place_clauses(p))
    ]
    return places or None


def _place_clauses(fact: StoredFact) -> list[str]:
    """The extractor's context of a place and the clauses of its sentence that name the place."""
    name = str(fact.attrs.get("name") or fact.value)
    out = [str(fact.attrs.get("context") or "")]
    for m in re.finditer(re.escape(name), fact.sentence) if name else ():
        out.append(clause_at(fact.sentence, m.start(), len(name)))
    return out


def _place_fallback(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    asked = {t.stem for t in intent.terms}
    # The extractor reads places after in/at/near; "scheduled for Edinburgh" still names one.
    named = [
        name
        for name, at, length in place_spans(passage.sentence)
        if related(clause_at(passage.sentence, at, length), intent)
    ]
    if named and passage.statement is not None:
        match.extra = [n for n in named if stem(n.lower()) not in asked]
        return [passage.statement] if match.extra else None
    return None


_HOSTING = re.compile(r"\b(?:held|hold\w*|host\w*|venue|took\s+place|tak\w+\s+place|meet\w*|met)\b", re.I)


def related(context: str, intent: Intent) -> bool:
    """True when a place's own clause says the question's relation: "headquartered in Reading", "held in …".

    A place elsewhere in the sentence ("runs data centres in Slough") is not where the asked thing is.
    """
    head = [h for h in intent.head if h != "deadline"]
    if not head:
        return True
    pool = index_terms(context) | phrasal_terms(context)
    if any(covered(h, pool) for h in head):
        return True
    return bool(_HOSTING.search(intent.text)) and bool(_HOSTING.search(context))


_PLACE_SPAN = re.compile(
    r"\b(?:in|at|near|for|to|from)\s+(?:the\s+)?(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
)


def place_spans(sentence: str) -> list[tuple[str, int, int]]:
    """Known places named after a preposition in a sentence, with where each is written."""
    out: list[tuple[str, int, int]] = []
    for m in _PLACE_SPAN.finditer(sentence):
        words = m.group("name").split()
        # "to European Commission officials": a place word starting a longer name is that name's.
        hit = place_of(" ".join(words).rstrip(".,"))
        if hit:
            out.append((hit[0], m.start("name"), len(m.group("name"))))
    return out


def _number(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    figures = passage.of_kind(Kind.FIGURE, Kind.RATE)
    if intent.money:
        # "How much is X paying": a share or a count in the same sentence is not the price.
        figures = [f for f in figures if _is_money(f)]
        return figures or None
    if intent.counted and figures:
        # "How much dairy does the US export": a duty on dairy or a span of years in the same sentence
        # counts no dairy; an amount the sentence gives for it ("3.2 million tonnes") may.
        if intent.counted == SPAN_STEMS:
            return [f for f in figures if _SPAN.search(f"{f.value} {f.attrs.get('unit') or ''}")] or None
        counting = [f for f in figures if _counts(f, intent.counted)]
        return counting or [f for f in figures if _amount(f)] or None
    # A number the extractor did not read as a figure is left to the span candidates (ablation: the rules
    # answering with its whole sentence showed no gain).
    return figures or None


_SPAN = re.compile(r"\b\d[\d,.]*\s+(?:days?|weeks?|months?|years?|hours?)\b", re.I)
_MONEY_AMOUNT = re.compile(
    r"(?:US\$|[$€£¥]|\b(?:EUR|USD|GBP|JPY)\s?)\s?\d|\d\s*(?:dollars|euros|pounds|yen|yuan)\b", re.I
)


def _is_money(fact: StoredFact) -> bool:
    """True for an amount of money: a figure in a currency (its unit an ISO code such as EUR)."""
    unit = str(fact.attrs.get("unit") or "")
    if fact.kind is Kind.FIGURE and len(unit) == 3 and unit.isupper():
        return True
    return bool(_MONEY_AMOUNT.search(fact.value or fact.text))


_SPANS = frozenset({"%", "day", "days", "week", "weeks", "month", "months", "year", "years", "hours"})


def _amount(fact: StoredFact) -> bool:
    """True for a figure that is an amount of something, not a rate, share or span of time."""
    unit = str(fact.attrs.get("unit") or "").lower()
    return fact.kind is Kind.FIGURE and unit not in _SPANS


def _counts(fact: StoredFact, counted: tuple[str, ...]) -> bool:
    """True when a figure's unit or phrase names what the question counts."""
    said = index_terms(f"{fact.attrs.get('unit') or ''} {fact.attrs.get('phrase') or ''}")
    return any(covered(c, said) for c in counted if not is_soft(c))


def _reason(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    """A sentence that gives a reason: a causal link, an argument or worry, or a cause-giving preposition."""
    if passage.statement is None:
        return None
    tier, at = reason_tier(passage.sentence)
    if not tier:
        return None  # a sentence on the subject that gives no reason does not answer "why"
    # The reason explains what comes before it: "Washington raised tariffs on Mexican steel, arguing …"
    # answers a question about Washington and steel better than "officials met … in a bid to …".
    head = passage.sentence[:at]
    terms, countries = index_terms(head), countries_in(head)
    found = [t for t in intent.content if covered(t.stem, terms)]
    subject = [t for t in intent.content if t.proper]
    if intent.countries or subject:
        # "Why does Spain reject the charge?" is not answered by "Portugal says …, because Spanish …".
        if not (intent.countries & countries or any(t in found for t in subject)):
            return None
    elif not found:
        return None
    events = [t for t in intent.content if not t.proper]
    held = [t for t in events if covered(t.stem, passage.terms)]
    if tier == 1 and len(held) < len(events) and not _BACK_REFERENCE.search(head):
        return None  # "over", "amid", "after" give a reason only for what the sentence itself names
    if events and 2 * len(held) < len(events) and not _BACK_REFERENCE.search(head):
        # The reason must be for what the question asks about: its words, or "the change" pointing back.
        return None
    share = (len(found) + len(intent.countries & countries)) / max(
        len(intent.content) + len(intent.countries), 1
    )
    match.score += 1.5 * tier + share
    return [passage.statement]


_BACK_REFERENCE = re.compile(
    r"\b(?:the|this|that|these|such)\s+(?:\w+\s+)?(?:change|changes|move|measures?|decision|plan|policy|step"
    r"|increase|rise|cut|cuts|curbs|rules|restrictions|controls|ban|proposal|action|shift|rate|duty|tariff)\b",
    re.I,
)


# "as one of two respondents", "since 2023": 'as' and 'since' that start no clause give no cause.
_NOT_A_CLAUSE = re.compile(
    r"(?:a|an|the|one|part|well|much|many|soon|long|far|if|though|such|of|to|its|their|his|her|it|[\d$€£])\b"
)


def _causal(low: str, marker: re.Match[str]) -> bool:
    """False for 'as' and 'since' followed by a noun phrase or a date rather than a clause."""
    if marker.group(0) not in (" as ", " since "):
        return True
    return not _NOT_A_CLAUSE.match(low[marker.end() :]) and not re.match(r"\w+ \d", low[marker.end() :])


def reason_tier(sentence: str) -> tuple[int, int]:
    """How strongly a sentence gives a reason (3 "because", 2 "arguing", 1 "over", 0) and where it says so."""
    low = f" {sentence.lower()} "
    for tier, markers in ((3, CAUSE_MARKERS), (2, REASON_MARKERS), (1, WEAK_REASON_MARKERS)):
        found = [
            m.start() for m in re.finditer("|".join(re.escape(k) for k in markers), low) if _causal(low, m)
        ]
        if found:
            return tier, max(max(found) - 1, 0)
    return 0, 0


def _statement(passage: Passage, intent: Intent, match: Match) -> list[StoredFact] | None:
    return [passage.statement] if passage.statement is not None else None


_CHOOSERS = {
    "rate": _rate,
    "date": _dated,
    "countdown": _dated,
    "person": _person,
    "place": _place,
    "number": _number,
    "reason": _reason,
    "statement": _statement,
}
