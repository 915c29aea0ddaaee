"""Answering 'what did X say': finding the speaker by name or description and their best-matching quotes."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date

from facts.models import Kind, StoredFact
from facts.qa.entities import countries_in
from facts.qa.intent import Intent
from facts.qa.rank import Match, coverage
from facts.qa.retrieve import Retrieval, retrieve
from facts.qa.words import covered
from facts.store import FactStore
from facts.text import index_terms, stem

logger = logging.getLogger(__name__)


def answer_quote(store: FactStore, retrieval: Retrieval, intent: Intent, today: date) -> list[Match]:
    """The quotes by the asked-about speaker that fit the rest of the question, best first."""
    if intent.name:
        names = [intent.name_stems]
    else:
        names = _described(retrieval, intent)
        if not names:
            return []
        extra = {s for n in names for s in n}
        retrieval = retrieve(store, intent, today, extra_terms=extra)
    speaker_stems = {s for n in names for s in n} | _speaker_terms(intent)
    # The countries in "the UK fisheries minister" describe the speaker, not the quote's sentence.
    intent = replace(intent, countries=intent.countries - countries_in(intent.speaker, lowercase=True))
    matches: list[Match] = []
    for passage in retrieval.passages:
        quotes = [q for q in passage.of_kind(Kind.QUOTE) if any(_said_by(q, n) for n in names)]
        if not quotes:
            continue
        match = coverage(passage, intent, retrieval.idf, skip=speaker_stems)
        if match.missing:
            continue
        about = intent.about
        if about and all(covered(a, passage.terms) for a in about):
            match.score += 2.0
        match.strong = max(match.strong, 1)
        match.facts = quotes
        matches.append(match)
    if not matches and intent.name:
        matches = _quoted_sentences(retrieval, intent, speaker_stems, names[0])
    matches.sort(key=lambda m: (-m.score, -m.passage.published.toordinal(), m.passage.index))
    if not matches:
        return []
    top = matches[0].score
    return [m for m in matches if m.score >= top][:2]


_QUOTATION = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
_SPEECH = re.compile(
    r"\b(?:said|says|told|tells|stated|added|noted|argued|warned|insisted|according\s+to)\b", re.I
)


def _quoted_sentences(
    retrieval: Retrieval, intent: Intent, speaker_stems: set[str], name: tuple[str, ...]
) -> list[Match]:
    """Sentences quoting the named speaker that the extractor did not turn into quote facts."""
    out: list[Match] = []
    for passage in retrieval.passages:
        if passage.statement is None or not _QUOTATION.search(passage.sentence):
            continue
        if not _SPEECH.search(passage.sentence) or not all(s in passage.terms for s in name if s):
            continue
        match = coverage(passage, intent, retrieval.idf, skip=speaker_stems)
        if match.missing:
            continue
        match.strong = max(match.strong, 1)
        match.facts = [passage.statement]
        out.append(match)
    return out


def _said_by(quote: StoredFact, name_stems: tuple[str, ...]) -> bool:
    speaker = str(quote.attrs.get("speaker") or "")
    have = {stem(w.lower()) for w in re.findall(r"[A-Za-z0-9]+", speaker)}
    return bool(name_stems) and all(s in have for s in name_stems if s)


def _speaker_terms(intent: Intent) -> set[str]:
    return {stem(w.lower()) for w in re.findall(r"[A-Za-z0-9]+", intent.speaker)}


def _described(retrieval: Retrieval, intent: Intent) -> list[tuple[str, ...]]:
    """People whose role, organisation and country fit a description ('the UK fisheries minister')."""
    wanted = {s for s in _speaker_terms(intent) if s not in {"the", "a", "an"}} - {stem(w) for w in ("the",)}
    wanted = {s for s in wanted if s in {t.stem for t in intent.terms}}
    out: list[tuple[str, ...]] = []
    for passage in retrieval.passages:
        for person in passage.of_kind(Kind.PERSON):
            described = index_terms(" ".join(str(person.attrs.get(k) or "") for k in ("role", "org")))
            countries = {str(person.attrs.get("country") or "")}
            if not all(covered(s, described) for s in wanted):
                continue
            if intent.countries and not intent.countries <= countries:
                continue
            name = str(person.attrs.get("name") or "")
            stems = tuple(stem(w.lower()) for w in re.findall(r"[A-Za-z0-9]+", name))
            if stems and stems not in out:
                out.append(stems)
    return out
