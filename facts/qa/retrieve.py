"""Finding candidate sentences for a question through the fact index, with their facts and context."""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from facts.geo import countries_in, country_of
from facts.models import Kind, Source, StoredFact
from facts.qa.entities import country_words
from facts.qa.intent import Intent
from facts.qa.words import alternatives
from facts.search import weigh
from facts.store import FactStore, search_term
from facts.text import digits_for_words, index_terms

logger = logging.getLogger(__name__)

# How many index hits are looked at, best first: enough for the answer's sentence, few enough to stay fast.
CANDIDATES = 50
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
    sentence_countries: set[str] = field(default_factory=set)
    title_countries: frozenset[str] = frozenset()
    doc_countries: frozenset[str] = frozenset()
    doc_terms: frozenset[str] = frozenset()
    title_terms: frozenset[str] = frozenset()
    salient: dict[str, int] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    before: str = ""
    rank: int = 0  # 0 for the search's best sentence
    score: float = 0.0  # the search's score: weights of the question's term groups met

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
    best_possible: float = 0.0  # the score of a sentence meeting every term group

    def by_rank(self) -> list[Passage]:
        """The passages in the search's order, best first."""
        return sorted(self.passages, key=lambda p: p.rank)


def search_groups(intent: Intent) -> list[frozenset[str]]:
    """The term groups to look a question up by: each word with its synonyms, each country with its names.

    A sentence meets a group by holding any of its terms; names count word by word, and the question's
    words as typed (accents and all, as the index spells them) join the group of their stem.
    """
    groups: list[frozenset[str]] = [alternatives(term.stem) for term in intent.terms]
    groups += [country_words(country) for country in intent.countries]
    groups += [frozenset({s}) for s in intent.name_stems]
    known = set().union(*groups) if groups else set()
    typed = index_terms(intent.text) | index_terms(digits_for_words(intent.text))
    groups += [alternatives(t) for t in sorted(typed) if t not in known]
    out = [frozenset(search_term(t) for t in group) - {""} for group in groups]
    return list(dict.fromkeys(g for g in out if g))


def retrieve(store: FactStore, intent: Intent, today: date) -> Retrieval:
    """Candidate passages: the best sentences of articles published by `today`, with their facts."""
    groups = search_groups(intent)
    if not groups:
        return Retrieval([], {})
    terms = {t for g in groups for t in g}
    frequencies = store.term_frequencies(terms)
    sentences = store.sentence_count()
    total = max(sentences, 1)
    idf = {t: math.log((total + 1) / (frequencies.get(t, 0) + 1)) + 1.0 for t in terms}
    weighted = weigh(groups, frequencies, sentences)
    ranked = store.search(groups, known_by=today, limit=CANDIDATES, weighted=weighted)
    beside = store.facts_beside(hit.fact_id for hit in ranked)
    order = {f.id: (f.document_id, f.sentence_index) for f in beside}
    places = {order[hit.fact_id] for hit in ranked if hit.fact_id in order}
    if not places:
        return Retrieval([], idf)
    # Each place's best rank and score (a sentence is found under one fact, so this is its only one).
    found = {
        order[h.fact_id]: (n, h.score) for n, h in reversed(list(enumerate(ranked))) if h.fact_id in order
    }
    by_place: dict[tuple[int, int], list[StoredFact]] = defaultdict(list)
    for fact in beside:
        by_place[(fact.document_id, fact.sentence_index)].append(fact)
    # The sentence before each candidate is read as text; its facts only where "the rate" points back to it.
    priors = {(d, i - 1) for d, i in places if i > 0}
    prior_text = store.sentence_texts(priors - places)
    prior_text.update({p: fs[0].sentence for p, fs in by_place.items() if p in priors and fs})
    newest_of = store.newest_versions(
        (f for fs in by_place.values() for f in fs if f.kind is not Kind.STATEMENT), today
    )
    analyses = store.analyses(d for d, _ in places)
    passages: list[Passage] = []
    countries_of: dict[int, frozenset[str]] = {}  # worked out once for an article's several passages
    for place in sorted(places):
        facts = by_place.get(place, [])
        analysis = analyses.get(place[0])
        if not facts or facts[0].source is None or analysis is None:  # gone since the search
            continue
        source = facts[0].source
        statement = next((f for f in facts if f.kind is Kind.STATEMENT), None)
        typed: list[StoredFact] = []
        replaced: dict[int, StoredFact] = {}
        for fact in facts:
            newest = newest_of.get(fact.id)
            if fact.kind is Kind.STATEMENT or newest is None:  # withdrawn: no version of it is current
                continue
            if newest is fact:
                # A fact corrected by hand shares its sentence with the version it replaced: once only.
                if all(f.id != fact.id for f in typed):
                    typed.append(fact)
                continue
            # A newer article or a fix replaced this fact: answer with the newest version, keeping the old.
            if all(f.id != newest.id for f in typed):
                typed.append(newest)
                replaced[newest.id] = fact
        sentence = facts[0].sentence
        prior = prior_text.get((place[0], place[1] - 1), "")
        previous = ""
        if place[1] > 0 and intent.policy.previous_sentence and _ANAPHOR.match(sentence):
            previous = prior
            if (
                intent.policy.previous_value
                and _VALUE_ANAPHOR.match(sentence)
                and not any(_valued(f) for f in typed)
            ):
                typed += _values_before(store, by_place, newest_of, (place[0], place[1] - 1), today)
        own_terms = analysis.sentence_terms(place[1], sentence)
        terms = own_terms
        if previous:
            terms = own_terms | analysis.sentence_terms(place[1] - 1, previous)
        context = f"{previous} {sentence}"
        in_sentence = analysis.sentence_countries(place[1], sentence)
        countries = countries_in(context) if previous else set(in_sentence)
        for fact in typed:
            for key in ("imposer_key", "target_key", "country"):
                value = str(fact.attrs.get(key) or "")
                known = country_of(value) if value else None
                if known:
                    countries.add(known)
        in_document = countries_of.get(place[0])
        if in_document is None:
            in_document = countries_of[place[0]] = analysis.all_countries()
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
                terms=terms,
                own_terms=own_terms if previous else set(),
                countries=countries,
                sentence_countries=in_sentence,
                title_countries=analysis.title_countries,
                doc_countries=in_document,
                doc_terms=analysis.terms,
                title_terms=analysis.title_terms,
                salient=analysis.salient,
                acronyms=analysis.acronyms,
                before=prior,
                rank=found.get(place, (len(ranked), 0.0))[0],
                score=found.get(place, (len(ranked), 0.0))[1],
            )
        )
    return Retrieval(passages, idf, sum(g.weight for g in weighted))


def _values_before(
    store: FactStore,
    by_place: dict[tuple[int, int], list[StoredFact]],
    newest_of: dict[int, StoredFact],
    place: tuple[int, int],
    today: date,
) -> list[StoredFact]:
    """The current rates and figures of the sentence at `place` (read now if it is not a candidate's)."""
    if place in by_place:
        before = [f for f in by_place[place] if f.kind in (Kind.RATE, Kind.FIGURE)]
        return [f for f in before if newest_of.get(f.id) is f]  # versions worked out with the candidates
    before = [f for f in store.sentence_facts([place]) if f.kind in (Kind.RATE, Kind.FIGURE)]
    newest = store.newest_versions(before, today)
    return [f for f in before if newest.get(f.id) is f]


def _valued(fact: StoredFact) -> bool:
    """True for a rate or a percentage: the values "the rate" in a sentence may stand for."""
    return fact.kind is Kind.RATE or (fact.kind is Kind.FIGURE and fact.attrs.get("unit") == "%")
