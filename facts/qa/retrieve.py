"""Finding candidate sentences for a question through the fact index, with their facts and context."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from facts.geo import country_of
from facts.models import Kind, Source, StoredFact
from facts.qa.entities import countries_in, country_words
from facts.qa.intent import Intent
from facts.qa.policy import current
from facts.qa.words import alternatives, fold, phrasal_terms
from facts.store import FactStore
from facts.text import STOP_WORDS, index_terms, stem, words

logger = logging.getLogger(__name__)

# How many index hits are looked at, best first: enough for the answer's sentence, few enough to stay fast.
CANDIDATES = 150
# A sentence opening with one of these words leans on the sentence before it ("Such a meeting may...").
_ANAPHOR = re.compile(
    r"^\W*(?:such|this|these|that|those|it|its|he|she|they|their|his|her|the\s+(?:group|company|union|bloc"
    r"|move|decision|deal|agreement|meeting|talks|cut|measure|plan|two\s+sides|two\s+delegations|same))\b"
    r"|^\W*the\s+(?:new\s+|same\s+|higher\s+|lower\s+)?(?:rate|duty|tariff|levy|figure|sum|amount|fee)\b",
    re.I,
)
# "The rate applies to Bac Lieu Ocean Foods": the value is the one the sentence before gave.
_VALUE_ANAPHOR = re.compile(
    r"^\W*the\s+(?:new\s+|same\s+|higher\s+|lower\s+)?(?:rate|duty|tariff|levy|figure|sum|amount|fee)\b", re.I
)


@dataclass
class Passage:
    """One sentence of one article with its typed facts and what surrounds it."""

    document_id: int
    index: int
    sentence: str
    source: Source
    facts: list[StoredFact] = field(default_factory=list)
    statement: StoredFact | None = None
    previous: str = ""
    replaced: dict[int, StoredFact] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)
    own_terms: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    doc_terms: set[str] = field(default_factory=set)
    title_terms: set[str] = field(default_factory=set)
    salient: dict[str, int] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    before: str = ""

    @property
    def published(self) -> date:
        """The as-of date of the passage: its article's published date."""
        return self.source.published

    def of_kind(self, *kinds: Kind) -> list[StoredFact]:
        """The passage's typed facts of the given kinds."""
        return [f for f in self.facts if f.kind in kinds]


@dataclass
class Retrieval:
    """Candidate passages for a question and the weights of its terms."""

    passages: list[Passage]
    idf: dict[str, float]
    successors: dict[int, StoredFact]


def search_terms(intent: Intent) -> set[str]:
    """The index terms to look a question up by: its terms, their synonyms and the countries' aliases."""
    terms: set[str] = set()
    for term in intent.terms:
        terms |= alternatives(term.stem)
    for country in intent.countries:
        terms |= country_words(country)
    terms |= set(intent.name_stems)
    terms |= index_terms(intent.text)  # names as typed, accents and all, as the index spells them
    return {t for t in terms if t}


def retrieve(store: FactStore, intent: Intent, today: date, extra_terms: set[str] | None = None) -> Retrieval:
    """Candidate passages from the index, limited to articles published by `today`."""
    terms = search_terms(intent) | (extra_terms or set())
    if not terms:
        return Retrieval([], {}, {})
    hits = store.search(terms, limit=400, include_superseded=True)
    frequencies = store.term_frequencies(terms)
    total = max(store.count()[1], 1)
    idf = {t: math.log((total + 1) / (frequencies.get(t, 0) + 1)) + 1.0 for t in terms}
    ranked = sorted(hits, key=lambda fid: -hits[fid])[:CANDIDATES]
    found = [f for f in store.get(ranked) if f.as_of is None or f.as_of <= today]
    places = {(f.document_id, f.sentence_index) for f in found}
    if not places:
        return Retrieval([], idf, {})
    wanted = places | {(d, i - 1) for d, i in places if i > 0}
    by_place: dict[tuple[int, int], list[StoredFact]] = defaultdict(list)
    for fact in store.sentence_facts(wanted):
        by_place[(fact.document_id, fact.sentence_index)].append(fact)
    successors = _successors(store, [f for fs in by_place.values() for f in fs], today)
    doc_terms: dict[int, set[str]] = {}
    mentions: dict[int, Counter[str]] = {}
    acronyms: dict[int, dict[str, str]] = {}
    passages: list[Passage] = []
    for place in sorted(places):
        facts = by_place.get(place, [])
        if not facts or facts[0].source is None:
            continue
        source = facts[0].source
        statement = next((f for f in facts if f.kind is Kind.STATEMENT), None)
        typed: list[StoredFact] = []
        replaced: dict[int, StoredFact] = {}
        for fact in facts:
            if fact.kind is Kind.STATEMENT:
                continue
            if _current(fact, successors, today):
                typed.append(fact)
                continue
            # A newer article moved this fact: answer with the newest version, remembering the old one.
            newest = latest(store, fact, today)
            if newest.id != fact.id and all(f.id != newest.id for f in typed):
                typed.append(newest)
                replaced[newest.id] = fact
        sentence = facts[0].sentence
        prior = by_place.get((place[0], place[1] - 1), [])
        previous = ""
        if place[1] > 0 and current().previous_sentence and _ANAPHOR.match(sentence):
            before = by_place.get((place[0], place[1] - 1), [])
            previous = before[0].sentence if before else ""
            if (
                current().previous_value
                and _VALUE_ANAPHOR.match(sentence)
                and not any(_valued(f) for f in typed)
            ):
                typed += [
                    f for f in before if f.kind in (Kind.RATE, Kind.FIGURE) and _current(f, successors, today)
                ]
        if place[0] not in doc_terms:
            body = store.document_body(place[0])
            doc_terms[place[0]] = _terms(body) | _terms(source.title)
            acronyms[place[0]] = acronyms_in(f"{source.title}\n{body}")
            mentions[place[0]] = Counter(stem(w) for w in words(fold(body)) if w not in STOP_WORDS)
        context = f"{previous} {sentence}"
        countries = countries_in(context)
        for fact in typed:
            for key in ("imposer_key", "target_key", "country"):
                value = str(fact.attrs.get(key) or "")
                known = country_of(value) if value else None
                if known:
                    countries.add(known)
        passages.append(
            Passage(
                document_id=place[0],
                index=place[1],
                sentence=sentence,
                source=source,
                facts=typed,
                statement=statement,
                previous=previous,
                replaced=replaced,
                terms=_terms(context),
                own_terms=_terms(sentence) if previous else set(),
                countries=countries,
                doc_terms=doc_terms[place[0]],
                title_terms=_terms(source.title),
                salient=mentions[place[0]],
                acronyms=acronyms[place[0]],
                before=prior[0].sentence if prior else "",
            )
        )
    return Retrieval(passages, idf, successors)


def _valued(fact: StoredFact) -> bool:
    """True for a rate or a percentage: the values "the rate" in a sentence may stand for."""
    return fact.kind is Kind.RATE or (fact.kind is Kind.FIGURE and fact.attrs.get("unit") == "%")


def _terms(text: str) -> set[str]:
    """Index terms of a text, its accent-free spellings and the one-word meanings of its phrasal verbs."""
    other = {"other"} if re.search(r"\bother\b", text, re.I) else set()  # a stop word the index drops
    return index_terms(text) | index_terms(fold(text)) | phrasal_terms(text) | other


_EXPANSION = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+|for\s+|on\s+|the\s+)*[A-Z][a-z]+){1,5}")
_LINKS = frozenset({"of", "and", "for", "on", "the"})


def acronyms_in(text: str) -> dict[str, str]:
    """Acronyms a text spells out, each with its head word: 'International Monetary Fund' gives IMF: fund."""
    out: dict[str, str] = {}
    for m in _EXPANSION.finditer(text):
        names = [w for w in m.group(0).split() if w.lower() not in _LINKS]
        # Every run of three or more capitalised words inside, so "The U.S. International Trade Commission"
        # and "Vietnam's Ministry of Industry and Trade" both give their own acronyms.
        for start in range(len(names) - 1):
            part = names[start:]
            if len(part) >= 3 or (start == 0 and len(part) == 2):
                out.setdefault("".join(w[0] for w in part), stem(part[-1].lower()))
    return out


def _successors(store: FactStore, facts: list[StoredFact], today: date) -> dict[int, StoredFact]:
    """The facts that replaced the given ones, by the replaced fact's id."""
    ids = {f.superseded_by for f in facts if f.superseded_by is not None}
    if not ids:
        return {}
    newer = {f.id: f for f in store.get(ids)}
    return {f.id: newer[f.superseded_by] for f in facts if f.superseded_by in newer}


def _current(fact: StoredFact, successors: dict[int, StoredFact], today: date) -> bool:
    """True when no fact known by `today` replaced this one."""
    newer = successors.get(fact.id)
    return newer is None or (newer.as_of is not None and newer.as_of > today)


def latest(store: FactStore, fact: StoredFact, today: date) -> StoredFact:
    """The newest fact known by `today` in the chain of facts replacing this one."""
    current = fact
    seen = {fact.id}
    while current.superseded_by is not None and current.superseded_by not in seen:
        newer = store.get([current.superseded_by])
        if not newer or (newer[0].as_of is not None and newer[0].as_of > today):
            break
        current = newer[0]
        seen.add(current.id)
    return current
