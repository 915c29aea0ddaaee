"""The knowledge model: documents, typed facts, fuzzy dates and their sources."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any


class Kind(StrEnum):
    """What sort of fact a fact is."""

    RATE = "rate"
    DEADLINE = "deadline"
    EVENT = "event"
    PERSON = "person"
    PLACE = "place"
    QUOTE = "quote"
    FIGURE = "figure"
    STATEMENT = "statement"


class Precision(StrEnum):
    """How precisely a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A calendar date known to a day, a month or only a year; never a day that was not said."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        # Raises ValueError for impossible dates such as 2025-02-30.
        date(self.year, self.month or 1, self.day or 1)

    @property
    def precision(self) -> Precision:
        """Day, month or year, from which parts are known."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def first_day(self) -> date:
        """The earliest calendar day this date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest calendar day this date can mean."""
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """ISO form at its own precision: 2025-09-17, 2025-11 or 2025."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """Readable form at its own precision: September 17, 2025; November 2025; 2025."""
        if self.day is not None:
            return f"{calendar.month_name[self.month or 1]} {self.day}, {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    @classmethod
    def parse_iso(cls, text: str) -> FuzzyDate:
        """Read the ISO form that `iso` writes."""
        return _parse_iso(text) if cls is FuzzyDate else cls(*(int(p) for p in text.split("-")))


@lru_cache(maxsize=4096)
def _parse_iso(text: str) -> FuzzyDate:
    """Loading facts reads the same few thousand dates over and over; the dates are immutable."""
    return FuzzyDate(*(int(p) for p in text.split("-")))


@dataclass
class ExtractedFact:
    """A fact as the extractor finds it in one sentence of one article.

    `subject` is the key that decides supersession: a newer document's fact of the same
    kind and subject replaces the older one. `attrs` holds kind-specific details:
    rate: percent (float), imposer, target, status (in_force | planned | ceiling | expiring);
    deadline / event: what (what happens on the date);
    person: name, role, org; place: name; quote: speaker, quote;
    figure: number (float | None), unit, phrase; statement: nothing.
    A rate, deadline, event or figure that the sentence itself says changed ("to 50% from 25%",
    "moved to June 9 from April 14") keeps the old value in attrs["previous"].
    """

    kind: Kind
    subject: str
    text: str
    sentence_index: int
    start: int
    end: int
    sentence: str
    value: str = ""
    date: FuzzyDate | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    topics: tuple[str, ...] = ()


# The attrs key of a fact corrected by hand: {"by", "at" (ISO instant), "was", "reason"}.
CORRECTION_ATTR = "correction"


@dataclass(frozen=True)
class Source:
    """Where a fact came from: its article and sentence."""

    title: str
    published: date
    url: str
    sentence: str
    document_id: int


@dataclass
class StoredFact(ExtractedFact):
    """A fact as kept in the store, with its identity, provenance and history."""

    id: int = 0
    document_id: int = 0
    as_of: date | None = None
    superseded_by: int | None = None
    source: Source | None = None

    @property
    def current(self) -> bool:
        """True while no newer fact replaced this one."""
        return self.superseded_by is None

    @property
    def withdrawn(self) -> bool:
        """True for a version taken back (its article retracted, or an undone fix): its link is itself."""
        return self.superseded_by == self.id

    @property
    def correction(self) -> dict[str, Any] | None:
        """Who corrected this fact by hand, when, and what it said before (None for a fact as read)."""
        found = self.attrs.get(CORRECTION_ATTR)
        return found if isinstance(found, dict) else None

    def correction_note(self) -> str:
        """'corrected by alice on 2025-11-20: was 25%', or '' for a fact as the extractor read it."""
        found = self.correction
        if found is None:
            return ""
        day = str(found.get("at", ""))[:10]
        return f"corrected by {found.get('by', '')} on {day}: was {found.get('was', '')}"

    def known_date(self) -> FuzzyDate:
        """The date of a fact already known to be dated, such as one from a list of dated facts."""
        if self.date is None:
            raise ValueError(f"fact {self.id} has no date")
        return self.date

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `facts --json`, `deadlines --json` and `ask --json`."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": str(self.kind),
            "subject": self.subject,
            "text": self.text,
            "value": self.value,
            "topics": list(self.topics),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "current": self.current,
            "superseded_by": self.superseded_by,
            "withdrawn": self.withdrawn,
            "correction": None,
            "attrs": {k: v for k, v in self.attrs.items() if k != CORRECTION_ATTR},
            "sentence_index": self.sentence_index,
            "span": [self.start, self.end],
            "source": None,
        }
        if self.date is not None:
            data["date"] = self.date.iso()
            data["precision"] = str(self.date.precision)
        correction = self.correction
        if correction is not None:
            data["correction"] = {**correction, "note": self.correction_note()}
        if self.source is not None:
            data["source"] = {
                "title": self.source.title,
                "published": self.source.published.isoformat(),
                "url": self.source.url,
                "sentence": self.source.sentence,
            }
        return data


@dataclass(frozen=True)
class NewDocument:
    """An article ready to ingest: its text and metadata, validated."""

    title: str
    published: date
    body: str
    url: str = ""
    path: str = ""
    published_inferred: bool = False


@dataclass(frozen=True)
class Document:
    """An article kept in the store."""

    id: int
    title: str
    published: date
    url: str
    content_hash: str
    ingested_at: datetime
    body: str = ""


@dataclass
class IngestResult:
    """What one document's ingest did to the store."""

    document_id: int
    duplicate: bool = False
    added: list[StoredFact] = field(default_factory=list)
    superseded: list[tuple[StoredFact, StoredFact]] = field(default_factory=list)
