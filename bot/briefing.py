"""Compose daily countdowns, deadline reminders and update posts as neutral messages (pure, cached)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.messages import Message
from bot.text import CitationList, make_message
from facts.countdown import countdown
from facts.models import Kind, Precision, StoredFact
from facts.store import FactStore

logger = logging.getLogger(__name__)

DATED_KINDS = (Kind.DEADLINE, Kind.EVENT)
# A passed item stays in the daily post this many days, saying "passed", then drops off.
PASSED_DAYS = 3
REMINDER_OFFSETS = (7, 1, 0)
MAX_UPDATE_LINES = 5
# A daily post is a glance, not an archive: the soonest items, then a pointer to `deadlines` for the rest.
# (A busy store would otherwise build posts far over Slack's and Discord's message limits.)
MAX_DAILY_UPCOMING = 12
MAX_DAILY_PASSED = 3


def dated_facts(store: FactStore, earliest_day: date) -> list[StoredFact]:
    """Current deadlines and dated events that a daily post from `earliest_day` on could still mention."""
    found = store.facts(kinds=DATED_KINDS, dated_from=earliest_day - timedelta(days=PASSED_DAYS))
    return sorted((f for f in found if f.date), key=lambda f: (f.date.first_day(), f.id))  # type: ignore[union-attr]


def fact_label(fact: StoredFact) -> str:
    """A dated fact's text without a trailing ': <its date>' (the post shows the date itself)."""
    if fact.date is None:
        return fact.text
    return fact.text.removesuffix(f": {fact.date.human()}")


def fact_with_date(fact: StoredFact) -> str:
    """A fact's text, ending with its date when it has one."""
    return f"{fact_label(fact)}: {fact.date.human()}" if fact.date is not None else fact.text


def dated_line(fact: StoredFact, today: date) -> str:
    """'in 2 days — TikTok sale deadline (September 17, 2025)'."""
    assert fact.date is not None
    return f"{countdown(fact.date, today).describe()} — {fact_label(fact)} ({fact.date.human()})"


def countable(fact: StoredFact, today: date) -> bool:
    """False for a year-precision date already under way: 'ends within 107 days' counts down to nothing."""
    if fact.date is None:
        return False
    return fact.date.precision is not Precision.YEAR or fact.date.first_day() > today


def on_topics(fact: StoredFact, topics: Iterable[str]) -> bool:
    """True when a fact is on any of the topics."""
    return not set(fact.topics).isdisjoint(topics)


def _finish(kind: str, title: str, lines: list[str], refs: CitationList, **extra: object) -> Message:
    if not refs.markers_needed():
        lines = [line.removesuffix(" [1]") for line in lines]
    return make_message(kind, title, lines, refs.items, **extra)


def daily_post(facts: Sequence[StoredFact], topics: Iterable[str], today: date) -> Message | None:
    """The daily countdown for a channel following `topics`, or None when there is nothing to say."""
    wanted = set(topics)
    refs = CitationList(today)
    upcoming: list[StoredFact] = []
    passed: list[StoredFact] = []
    for fact in facts:
        if fact.date is None or not on_topics(fact, wanted) or not countable(fact, today):
            continue
        left = countdown(fact.date, today)
        if not left.passed:
            upcoming.append(fact)
        elif -left.last <= PASSED_DAYS:
            passed.append(fact)
    if not upcoming and not passed:
        return None
    lines = [dated_line(fact, today) + refs.ref(fact.source) for fact in upcoming[:MAX_DAILY_UPCOMING]]
    if len(upcoming) > MAX_DAILY_UPCOMING:
        lines.append(f"…and {len(upcoming) - MAX_DAILY_UPCOMING} more later (type `deadlines` for all).")
    for fact in passed[-MAX_DAILY_PASSED:]:
        left = countdown(fact.date, today)  # type: ignore[arg-type]
        when = fact.date.human()  # type: ignore[union-attr]
        lines.append(f"Passed: {fact_label(fact)} ({when}): {left.describe()}{refs.ref(fact.source)}")
    title = (
        f"Daily countdown for {', '.join(sorted(wanted))} — {today:%A}, {today:%B} {today.day}, {today.year}"
    )
    return _finish("briefing", title, lines, refs, local_date=today.isoformat())


def reminder_dates(fact: StoredFact) -> list[tuple[int, date]]:
    """The (days before, day) a deadline is reminded of: 7, 1 and 0 days before a day-precision deadline."""
    if fact.kind is not Kind.DEADLINE or fact.date is None or fact.date.precision is not Precision.DAY:
        # A month or a year has no day to count down to; the daily post shows its range instead.
        return []
    day = fact.date.first_day()
    return [(offset, day - timedelta(days=offset)) for offset in REMINDER_OFFSETS]


def reminder_post(fact: StoredFact, offset: int, today: date) -> Message:
    """A reminder that a deadline is `offset` days away."""
    when = {0: "today", 1: "tomorrow"}.get(offset, f"in {offset} days")
    refs = CitationList(today)
    assert fact.date is not None
    lines = [f"{fact_label(fact)} — {fact.date.human()}{refs.ref(fact.source)}"]
    return _finish("reminder", f"Reminder: deadline {when}", lines, refs, fact_id=fact.id)


@dataclass
class Change:
    """One new or changed fact for an update post; `was` is the value it replaced, if any."""

    fact: StoredFact
    was: str = ""


@dataclass
class DocumentUpdate:
    """The new and changed facts one ingested document brought."""

    document_id: int
    title: str
    changes: list[Change] = field(default_factory=list)

    @property
    def topics(self) -> set[str]:
        """Every topic any change is on."""
        return {t for c in self.changes for t in c.fact.topics}


def describe_value(fact: StoredFact) -> str:
    """A fact's value in words: a date at its own precision, otherwise its value."""
    return fact.date.human() if fact.date is not None else fact.value


def find_changes(store: FactStore, new_facts: Sequence[StoredFact], known_up_to: int) -> list[DocumentUpdate]:
    """Group facts added since a cursor by document: new facts, and changed ones with what they replaced.

    `known_up_to` is the last fact id already announced: a replaced value is only "was" if channels saw it.
    """
    by_doc: dict[int, DocumentUpdate] = {}
    for fact in sorted(new_facts, key=lambda f: f.id):
        if fact.kind is Kind.STATEMENT or not fact.current or not fact.topics:
            continue
        was = ""
        previous = next((old for old in store.history(fact.id) if old.id <= known_up_to), None)
        if previous is not None:
            if describe_value(previous) == describe_value(fact) and previous.text == fact.text:
                continue  # the newer article only repeats what channels already heard
            was = describe_value(previous)
        title = fact.source.title if fact.source else f"document {fact.document_id}"
        update = by_doc.setdefault(fact.document_id, DocumentUpdate(fact.document_id, title))
        update.changes.append(Change(fact, was))
    return [by_doc[d] for d in sorted(by_doc)]


def update_post(update: DocumentUpdate, topics: Iterable[str], today: date) -> Message | None:
    """A short post on what one document changed on a channel's topics; None when nothing concerns it."""
    wanted = set(topics)
    mine = [c for c in update.changes if on_topics(c.fact, wanted)]
    if not mine:
        return None
    # Changes first: a moved deadline or a new rate matters more than a newly mentioned fact.
    mine.sort(key=lambda c: (not c.was, c.fact.id))
    refs = CitationList(today)
    lines = []
    for change in mine[:MAX_UPDATE_LINES]:
        said = fact_with_date(change.fact)
        text = f"{said}, was {change.was}" if change.was else f"New: {said}"
        lines.append(text + refs.ref(change.fact.source))
    if len(mine) > MAX_UPDATE_LINES:
        lines[-1] = f"…and {len(mine) - MAX_UPDATE_LINES + 1} more: ask me about {', '.join(sorted(wanted))}"
    return _finish("update", f"Update: {update.title}", lines, refs, document_id=update.document_id)


class Composer:
    """Composes each post once per distinct (topics, day) or (document, topics); channels share it."""

    def __init__(self, facts: Sequence[StoredFact]) -> None:
        self.facts = list(facts)
        self._daily: dict[tuple[frozenset[str], date], Message | None] = {}
        self._updates: dict[tuple[int, frozenset[str], date], Message | None] = {}

    def daily(self, topics: Iterable[str], today: date) -> Message | None:
        """The daily post for a set of topics on a day (cached)."""
        key = (frozenset(topics), today)
        if key not in self._daily:
            self._daily[key] = daily_post(self.facts, key[0], today)
        return self._daily[key]

    def update(self, update: DocumentUpdate, topics: Iterable[str], today: date) -> Message | None:
        """The update post for a document and a set of topics (cached by the topics that matter)."""
        relevant = frozenset(set(topics) & update.topics)
        key = (update.document_id, relevant, today)
        if key not in self._updates:
            self._updates[key] = update_post(update, relevant, today)
        return self._updates[key]
