"""Compose daily countdowns, deadline reminders and update posts as neutral messages (pure, cached)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.messages import Message
from bot.text import CitationList, make_message
from facts.countdown import countdown
from facts.models import Kind, Precision, StoredFact
from facts.qa.render import DatedLayout, dated_line
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
    return sorted((f for f in found if f.date), key=lambda f: (f.known_date().first_day(), f.id))


def fact_label(fact: StoredFact) -> str:
    """A dated fact's text without a trailing ': <its date>' (the post shows the date itself)."""
    if fact.date is None:
        return fact.text
    return fact.text.removesuffix(f": {fact.date.human()}")


def fact_with_date(fact: StoredFact) -> str:
    """A fact's text, ending with its date when it has one."""
    return f"{fact_label(fact)}: {fact.date.human()}" if fact.date is not None else fact.text


def countable(fact: StoredFact, today: date) -> bool:
    """False for a year-precision date already under way: 'ends within 107 days' counts down to nothing."""
    if fact.date is None:
        return False
    return fact.date.precision is not Precision.YEAR or fact.date.first_day() > today


def upcoming(store: FactStore, today: date, topics: Sequence[str] | None = None) -> list[StoredFact]:
    """Current deadlines and dated events not yet over that a countdown can count to, soonest first.

    The one list behind `briefbot deadlines` and `/brief deadlines`.
    """
    found = store.facts(kinds=DATED_KINDS, topics=list(topics) if topics else None, dated_from=today)
    return sorted((f for f in found if countable(f, today)), key=lambda f: (f.known_date().first_day(), f.id))


def corrected(fact: StoredFact) -> str:
    """' (corrected by alice on 2025-11-20: was 25%)' after a fact corrected by hand, else ''."""
    note = fact.correction_note()
    return f" ({note})" if note else ""


def corrected_at(fact: StoredFact) -> datetime | None:
    """When a fact was corrected by hand (None for a fact as read from its article)."""
    stamp = (fact.correction or {}).get("at")
    try:
        return datetime.fromisoformat(str(stamp)) if stamp else None
    except ValueError:
        return None


def on_topics(fact: StoredFact, topics: Iterable[str]) -> bool:
    """True when a fact is on any of the topics."""
    return not set(fact.topics).isdisjoint(topics)


def _finish(kind: str, title: str, lines: list[str], refs: CitationList, **extra: object) -> Message:
    if not refs.markers_needed():
        lines = [line.removesuffix(" [1]") for line in lines]
    # The defaults spelled out, so that `extra` can only ever be extra.
    return make_message(kind, title, lines, refs.items, fields=(), ephemeral=False, **extra)


def daily_post(facts: Sequence[StoredFact], topics: Iterable[str], today: date) -> Message | None:
    """The daily countdown for a channel following `topics`, or None when there is nothing to say."""
    wanted = set(topics)
    upcoming, passed = _classify((f for f in facts if on_topics(f, wanted)), today)
    return _daily_message(
        upcoming[:MAX_DAILY_UPCOMING], len(upcoming), passed[-MAX_DAILY_PASSED:], wanted, today
    )


def _classify(facts: Iterable[StoredFact], today: date) -> tuple[list[StoredFact], list[StoredFact]]:
    """The facts a daily post on `today` counts down to, and those that passed in the last few days."""
    upcoming: list[StoredFact] = []
    passed: list[StoredFact] = []
    for fact in facts:
        if fact.date is None or not countable(fact, today):
            continue
        left = countdown(fact.date, today)
        if not left.passed:
            upcoming.append(fact)
        elif -left.last <= PASSED_DAYS:
            passed.append(fact)
    return upcoming, passed


def _daily_message(
    soonest: list[StoredFact], upcoming: int, passed: list[StoredFact], wanted: set[str], today: date
) -> Message | None:
    """The daily post listing the soonest upcoming facts (of `upcoming` in all) and the recently passed."""
    if not soonest and not passed:
        return None
    refs = CitationList(today)
    lines = [
        dated_line(fact, today, layout=DatedLayout.COUNTDOWN_LIST) + corrected(fact) + refs.ref(fact.source)
        for fact in soonest
    ]
    if upcoming > len(soonest):
        lines.append(f"…and {upcoming - len(soonest)} more later (type `deadlines` for all).")
    for fact in passed:
        left = countdown(fact.known_date(), today)
        when = fact.known_date().human()
        lines.append(
            f"Passed: {fact_label(fact)} ({when}): {left.describe()}{corrected(fact)}{refs.ref(fact.source)}"
        )
    title = (
        f"Daily countdown for {', '.join(sorted(wanted))} — {today:%A}, {today:%B} {today.day}, {today.year}"
    )
    return _finish("briefing", title, lines, refs, local_date=today.isoformat())


@dataclass
class _Day:
    """One day's upcoming and recently passed facts, with each topic's as a bit set over them.

    Thousands of channels follow a few hundred distinct topic sets; with a bit set per topic, a post's
    facts are an OR of one to three integers instead of a pass over every dated fact.
    """

    today: date
    upcoming: list[StoredFact]
    passed: list[StoredFact]
    upcoming_on: dict[str, int]
    passed_on: dict[str, int]

    @classmethod
    def of(cls, facts: Sequence[StoredFact], today: date) -> _Day:
        """Classify the facts once for a day."""
        upcoming, passed = _classify(facts, today)
        return cls(today, upcoming, passed, _bits_by_topic(upcoming), _bits_by_topic(passed))

    def post(self, wanted: set[str]) -> Message | None:
        """The same post `daily_post` makes for these topics on this day."""
        ahead = _union(self.upcoming_on, wanted)
        gone = _union(self.passed_on, wanted)
        soonest = [self.upcoming[i] for i in _lowest(ahead, MAX_DAILY_UPCOMING)]
        recent = [self.passed[i] for i in _highest(gone, MAX_DAILY_PASSED)]
        return _daily_message(soonest, ahead.bit_count(), recent, wanted, self.today)


def _bits_by_topic(facts: list[StoredFact]) -> dict[str, int]:
    """Topic -> the positions of the facts on it, as bits of an integer."""
    bits: dict[str, int] = {}
    for n, fact in enumerate(facts):
        for topic in set(fact.topics):
            bits[topic] = bits.get(topic, 0) | (1 << n)
    return bits


def _union(bits: dict[str, int], topics: Iterable[str]) -> int:
    """The facts on any of the topics, as bits."""
    out = 0
    for topic in topics:
        out |= bits.get(topic, 0)
    return out


def _lowest(bits: int, count: int) -> list[int]:
    """Positions of the lowest `count` set bits, in order."""
    out: list[int] = []
    while bits and len(out) < count:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _highest(bits: int, count: int) -> list[int]:
    """Positions of the highest `count` set bits, in increasing order."""
    out: list[int] = []
    while bits and len(out) < count:
        top = bits.bit_length() - 1
        out.append(top)
        bits ^= 1 << top
    return out[::-1]


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
    """The new and changed facts one ingested document brought, or the fixes made to its facts.

    `corrected_at` is set for fixes: they are news when made, however old the article.
    """

    document_id: int
    title: str
    published: date | None = None
    changes: list[Change] = field(default_factory=list)
    corrected_at: datetime | None = None

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
    by_doc: dict[tuple[int, bool], DocumentUpdate] = {}
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
        published = fact.source.published if fact.source else None
        fixed = corrected_at(fact)
        update = by_doc.setdefault(
            (fact.document_id, fixed is not None), DocumentUpdate(fact.document_id, title, published)
        )
        if fixed is not None:
            update.corrected_at = max(update.corrected_at or fixed, fixed)
        update.changes.append(Change(fact, was))
    return [by_doc[key] for key in sorted(by_doc)]


def update_post(updates: Sequence[DocumentUpdate], topics: Iterable[str], today: date) -> Message | None:
    """One short digest of what the documents changed on a channel's topics; None when nothing concerns it.

    However many articles an ingest brought, a channel gets this one post: the most telling changes,
    each citing its article, then '…and N more'.
    """
    wanted = set(topics)
    mine = [(u, c) for u in updates for c in u.changes if on_topics(c.fact, wanted)]
    if not mine:
        return None
    articles = {u.document_id for u, _ in mine}
    # Changes first (a moved deadline or a new rate matters more than a newly mentioned fact), then the
    # newest articles: they say where things stand now.
    mine.sort(key=lambda pair: (not pair[1].was, -_ordinal(pair[0].published), pair[1].fact.id))
    room = MAX_UPDATE_LINES if len(mine) <= MAX_UPDATE_LINES else MAX_UPDATE_LINES - 1
    refs = CitationList(today)
    lines = []
    for change in _spread(mine, room):
        said = fact_with_date(change.fact)
        text = f"{said}, was {change.was}" if change.was else f"New: {said}"
        fixer = (change.fact.correction or {}).get("by")
        if fixer:
            text += f" (corrected by {fixer})"
        lines.append(text + refs.ref(change.fact.source))
    if len(mine) > room:
        lines.append(f"…and {len(mine) - room} more: ask me about {', '.join(sorted(wanted))}")
    if all(u.corrected_at is not None for u, _ in mine):
        title = f"Correction: {mine[0][0].title}" if len(articles) == 1 else "Corrections"
    elif len(articles) == 1:
        title = f"Update: {mine[0][0].title}"
    else:
        title = f"Update: {len(articles)} articles on {', '.join(sorted(wanted))}"
    return _finish("update", title, lines, refs, document_ids=sorted(articles))


def _spread(ranked: list[tuple[DocumentUpdate, Change]], room: int) -> list[Change]:
    """The top `room` changes, taking each article's best before any article's second (in rank order)."""
    picked: set[int] = set()
    seen: set[int] = set()
    for n, (update, _) in enumerate(ranked):
        if len(picked) == room:
            break
        if update.document_id not in seen:
            seen.add(update.document_id)
            picked.add(n)
    for n in range(len(ranked)):
        if len(picked) == room:
            break
        picked.add(n)
    return [ranked[n][1] for n in sorted(picked)]


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


class Composer:
    """Composes each daily post once per distinct (topics, day); channels share it."""

    def __init__(self, facts: Sequence[StoredFact]) -> None:
        self.facts = list(facts)
        self._days: dict[date, _Day] = {}
        self._daily: dict[tuple[frozenset[str], date], Message | None] = {}

    def daily(self, topics: Iterable[str], today: date) -> Message | None:
        """The daily post for a set of topics on a day (cached)."""
        key = (frozenset(topics), today)
        if key not in self._daily:
            if today not in self._days:
                self._days[today] = _Day.of(self.facts, today)
            self._daily[key] = self._days[today].post(set(key[0]))
        return self._daily[key]


class DigestComposer:
    """Composes one planning pass's update digest once per distinct (relevant topics, day)."""

    def __init__(self, updates: Sequence[DocumentUpdate]) -> None:
        self.updates = list(updates)
        self.topics = {t for u in self.updates for t in u.topics}
        self._posts: dict[tuple[frozenset[str], date], Message | None] = {}

    def concerns(self, topics: Iterable[str]) -> bool:
        """True when any change is on one of the topics."""
        return not self.topics.isdisjoint(topics)

    def post(self, topics: Iterable[str], today: date) -> Message | None:
        """The digest for a channel following `topics` (cached by the topics that matter)."""
        relevant = frozenset(set(topics) & self.topics)
        if not relevant:
            return None
        key = (relevant, today)
        if key not in self._posts:
            self._posts[key] = update_post(self.updates, relevant, today)
        return self._posts[key]
