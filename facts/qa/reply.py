"""An answer as the Q&A gives it: lines with sources, or a decline with the closest passages."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from facts.models import Source, StoredFact
from facts.qa import render
from facts.qa.intent import Intent
from facts.store import FactStore

logger = logging.getLogger(__name__)

MAX_LINES = 6


@dataclass(frozen=True)
class Related:
    """A passage offered with a decline: close to the question, plainly not an answer."""

    sentence: str
    title: str
    published: date
    url: str


@dataclass
class Answer:
    """An answer to one question: the lines, the facts and sources behind them, or a polite refusal."""

    answered: bool
    text: str
    lines: list[str] = field(default_factory=list)
    facts: list[StoredFact] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    citations_age: str = ""
    suggestions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    confidence: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` shape: answered, text, facts, sources, related (plus lines, notes, suggestions).

        Strings are the stored ones exactly (URLs byte for byte): JSON is data, and whoever shows it
        escapes it for where it goes, as each chat adapter does.
        """
        return {
            "answered": self.answered,
            "text": self.text,
            "facts": [f.to_json() for f in self.facts],
            "sources": [
                {
                    "title": s.title,
                    "published": s.published.isoformat(),
                    "url": s.url or None,
                    "sentence": s.sentence,
                }
                for s in self.sources
            ],
            "related": [
                {
                    "sentence": r.sentence,
                    "title": r.title,
                    "published": r.published.isoformat(),
                    "url": r.url or None,
                }
                for r in self.related
            ],
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "lines": self.lines,
            "citations_age": self.citations_age,
            "suggestions": self.suggestions,
            "notes": self.notes,
        }


def given(
    lines: list[str], facts: list[StoredFact], intent: Intent, today: date, confidence: float
) -> Answer:
    """An answer: its lines (at most MAX_LINES), then the line citing its sources and their age."""
    sources = _sources(facts)
    citation, _ = render.source_line(sources, today)
    age = render.age_of(min(s.published for s in sources), today) if sources else ""
    notes = [*intent.notes, *corrected(facts)]
    body = lines[:MAX_LINES]
    text = "\n".join([*body, citation, *(f"Note: {n}." for n in notes)])
    return Answer(True, text, body, facts, sources, age, [], notes, [], confidence)


def corrected(facts: list[StoredFact]) -> list[str]:
    """A note for each fact corrected by hand: 'U.S. duties on Chinese goods — corrected by … : was 30%'."""
    notes = []
    for fact in facts:
        note = fact.correction_note()
        if note:
            label = fact.text.rsplit(": ", 1)[0] if ": " in fact.text else fact.text
            notes.append(f"{label} — {note}")
    return list(dict.fromkeys(notes))


def _sources(facts: list[StoredFact]) -> list[Source]:
    out: list[Source] = []
    for fact in facts:
        if fact.source is not None and all(
            (s.document_id, s.sentence) != (fact.source.document_id, fact.source.sentence) for s in out
        ):
            out.append(fact.source)
    return out


NOT_CONFIDENT = "I don't have a confident answer"


def declined(
    store: FactStore,
    intent: Intent,
    reason: str = "",
    related: list[Related] | None = None,
    topics_file: str | None = None,
) -> Answer:
    """A decline: the closest passages read (marked as not an answer), or topics the store knows about."""
    related = related or []
    notes = list(intent.notes)
    if related:
        lines = [f"• “{r.sentence.strip()}” ({r.title}, {r.published.isoformat()})" for r in related]
        text = f"{reason or NOT_CONFIDENT}. Closest passages I have read (not an answer):\n" + "\n".join(
            lines
        )
        suggestions: list[str] = []
    else:
        suggestions = suggest_topics(store, intent.text, topics_file=topics_file)
        text = (
            reason or "Sorry, I can't answer that from the articles I have, and I'd rather not guess"
        ) + "."
        if suggestions:
            text += " I can tell you about: " + ", ".join(suggestions) + "."
    text += "".join(f"\nNote: {n}." for n in notes)
    return Answer(False, text, [], [], [], "", suggestions, notes, related)


def suggest_topics(
    store: FactStore, question: str, limit: int = 3, topics_file: str | None = None
) -> list[str]:
    """Topics with facts, the ones the question touches first (by the taxonomy in `topics_file`)."""
    counts = store.topic_counts()
    if not counts:
        return []
    try:
        from facts.topics import load_taxonomy  # YAML and the taxonomy only when declining, not per import

        touched = [t for t in load_taxonomy(topics_file).topics_for(question) if counts.get(t)]
    except Exception:  # suggestions are a courtesy; a broken taxonomy must not break answers
        logger.warning("topic taxonomy unavailable for suggestions", exc_info=True)
        touched = []
    rest = sorted((t for t in counts if t not in touched), key=lambda t: -counts[t])
    return (touched + rest)[:limit]
