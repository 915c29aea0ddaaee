"""Helpers for the bot tests: a settable clock, facts built by hand, and a store with bot tables."""

from __future__ import annotations

from datetime import UTC, date, datetime

from facts.models import ExtractedFact, FuzzyDate, IngestResult, Kind, NewDocument
from facts.store import FactStore


class Clock:
    """A clock the test moves by hand; callable like `datetime.now`."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


def at(text: str) -> datetime:
    """An aware UTC datetime from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def fact(
    kind: Kind,
    subject: str,
    text: str,
    value: str = "",
    when: FuzzyDate | None = None,
    topics: tuple[str, ...] = ("tariffs",),
    index: int = 0,
) -> ExtractedFact:
    """An extracted fact as the extractor would produce it, with its sentence."""
    sentence = f"{text}."
    return ExtractedFact(
        kind=kind,
        subject=subject,
        text=text,
        sentence_index=index,
        start=0,
        end=len(sentence),
        sentence=sentence,
        value=value or (when.iso() if when else ""),
        date=when,
        topics=topics,
    )


def deadline(
    subject: str, text: str, when: FuzzyDate, topics: tuple[str, ...] = ("tariffs",), index: int = 0
):
    """A deadline fact."""
    return fact(Kind.DEADLINE, subject, text, when=when, topics=topics, index=index)


def ingest(
    store: FactStore, title: str, published: date, facts: list[ExtractedFact], now: datetime | None = None
) -> IngestResult:
    """Store a document with hand-made facts."""
    body = title + "\n\n" + " ".join(f.sentence for f in facts)
    document = NewDocument(
        title=title, published=published, body=body, url=f"https://news.example/{title[:20]}"
    )
    return store.ingest(document, facts, now=now)


def fishing_story(
    store: FactStore, later: bool, now: datetime | None = None, extra: list[ExtractedFact] | None = None
) -> IngestResult:
    """An EU–UK fishing story: the first article, or the later one that moves the deadline and the cod share."""
    when, share = (FuzzyDate(2026, 1, 31), "55%") if later else (FuzzyDate(2025, 12, 10), "47%")
    title = "EU and UK push fishing deadline into next year" if later else "EU and UK open fishing talks"
    facts = [
        deadline("d:fish", "EU-UK fishing quota deadline", when, ("agriculture",)),
        fact(
            Kind.RATE,
            "r:cod",
            f"UK share of North Sea cod sought: {share}",
            share,
            topics=("agriculture",),
            index=1,
        ),
        *(extra or []),
    ]
    return ingest(store, title, date(2025, 10, 20) if later else date(2025, 10, 2), facts, now=now)
