"""Answering 'what did X say': finding the speaker by name or description and their best-matching quotes."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date

from facts.geo import countries_in
from facts.models import Kind, StoredFact
from facts.qa.intent import Intent
from facts.qa.rank import Match, coverage
from facts.qa.retrieve import Retrieval
from facts.qa.words import covered, name_stems
from facts.store import FactStore

logger = logging.getLogger(__name__)


def answer_quote(store: FactStore, retrieval: Retrieval, intent: Intent, today: date) -> list[Match]:
    """The quotes by the asked-about speaker that fit the rest of the question, best first."""
    if not intent.name:
        return []  # a speaker described by role only ("the UK minister") is not looked up (ablation: no gain)
    names = [intent.name_stems]
    speaker_stems = {s for n in names for s in n} | _speaker_terms(intent)
    # The countries in "the UK fisheries minister" describe the speaker, not the quote's sentence.
    intent = replace(intent, countries=intent.countries - countries_in(intent.speaker, lowercase=True))
    matches: list[Match] = []
    for passage in retrieval.passages:
        quotes = [
            q
            for q in passage.of_kind(Kind.QUOTE)
            if any(_said_by(q, n) or _said_by_surname(q, n, passage.doc_terms) for n in names)
        ]
        if not quotes:
            continue
        match = coverage(passage, intent, retrieval.idf, skip=speaker_stems)
        if match.missing:
            continue
        about = intent.about
        if about and all(covered(a, passage.terms) for a in about):
            match.score += 2.0
        if _same_setting(intent.text, f"{passage.before} {passage.sentence}"):
            match.score += 1.0  # "what did X tell reporters": the quote told to reporters first
        match.strong = max(match.strong, 1)
        match.facts = quotes
        matches.append(match)
    matches.sort(key=lambda m: (-m.score, -m.passage.published.toordinal(), m.passage.index))
    if not matches:
        return []
    # The best-matching quote first, then X's other quotes that fit the question (three at most): the
    # question may mean any of them, and one quote alone may be the wrong one.
    return matches[:MAX_QUOTES]


MAX_QUOTES = 3
_SETTINGS = (
    r"\breporters?\b|\bjournalists?\b|\bpress\b",
    r"\binterview\w*\b",
    r"\bstatement\b",
    r"\bspeech\b",
    r"\bparliament\b|\blawmakers\b|\bsenators?\b",
)


def _same_setting(question: str, text: str) -> bool:
    """True when a question and a quote's sentences name the same setting: to reporters, in an interview."""
    return any(re.search(p, question, re.I) and re.search(p, text, re.I) for p in _SETTINGS)


def _said_by(quote: StoredFact, asked: tuple[str, ...]) -> bool:
    have = set(name_stems(str(quote.attrs.get("speaker") or "")))
    return bool(asked) and all(s in have for s in asked if s)


def _said_by_surname(quote: StoredFact, asked: tuple[str, ...], doc_terms: frozenset[str]) -> bool:
    """True for a quote credited to part of the asked name ("Soto-Vial said") in an article with all of it."""
    have = set(name_stems(str(quote.attrs.get("speaker") or "")))
    wanted = {s for s in asked if s}
    return bool(have) and have < wanted and wanted <= doc_terms


def _speaker_terms(intent: Intent) -> set[str]:
    return set(name_stems(intent.speaker))
