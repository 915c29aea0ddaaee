"""What is due when: local post times across daylight saving, reminder days, the catch-up window (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.briefing import reminder_dates
from bot.channels import Channel
from facts.models import StoredFact

KEY_LIMIT = 255


@dataclass(frozen=True)
class Due:
    """One scheduled post owed to one channel: (channel, kind, subject, occurrence) identifies it."""

    channel: Channel
    kind: str
    subject: str
    occurrence: str
    due_at: datetime
    local_date: date
    fact: StoredFact | None = None
    offset: int = 0

    @property
    def key(self) -> str:
        """The ledger key: the same post always gets the same key, on any replica."""
        return delivery_key(self.channel.id, self.kind, self.subject, self.occurrence)


def delivery_key(channel_id: int, kind: str, subject: str, occurrence: str) -> str:
    """A ledger key of at most 255 characters (long subjects are hashed)."""
    key = f"{channel_id}|{kind}|{subject}|{occurrence}"
    if len(key) <= KEY_LIMIT:
        return key
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]
    return f"{channel_id}|{kind}|#{digest}|{occurrence}"[:KEY_LIMIT]


def parse_post_time(text: str) -> time:
    """'09:00' or '9:00' as a time; raises ValueError for anything else."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2 or len(hours) > 2:
        raise ValueError(f"{text!r} is not a time like 09:00")
    return time(int(hours), int(minutes))


def post_instant(post_time: str, timezone: str, day: date) -> datetime:
    """The UTC instant of a local post time on a local day.

    zoneinfo makes this DST-correct: 09:00 Europe/Berlin is 07:00 UTC in summer and 08:00 in winter.
    A time skipped by the spring change (02:30) posts an hour later; a repeated one posts the first time.
    """
    local = datetime.combine(day, parse_post_time(post_time), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day an instant falls on in a time zone."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def next_post_at(channel: Channel, now: datetime) -> datetime:
    """The next daily post instant for a channel strictly after `now` (UTC)."""
    day = local_day(now, channel.timezone)
    for ahead in range(3):
        instant = post_instant(channel.post_time, channel.timezone, day + timedelta(days=ahead))
        if instant > now:
            return instant
    raise AssertionError("a daily time always recurs within two days")


def _window_days(channel: Channel, now: datetime, lookback: timedelta) -> list[date]:
    first = local_day(now - lookback, channel.timezone)
    last = local_day(now, channel.timezone)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _owed(channel: Channel, instant: datetime, now: datetime, lookback: timedelta) -> bool:
    if instant > now or instant <= now - lookback:
        return False
    return channel.schedule_from is None or instant >= channel.schedule_from


def due_briefings(channel: Channel, now: datetime, lookback: timedelta) -> list[Due]:
    """Daily posts owed to a channel whose local post time fell within (now - lookback, now]."""
    out = []
    for day in _window_days(channel, now, lookback):
        instant = post_instant(channel.post_time, channel.timezone, day)
        if _owed(channel, instant, now, lookback):
            out.append(Due(channel, "briefing", "daily", day.isoformat(), instant, day))
    return out


def reminders_by_day(facts: Iterable[StoredFact]) -> dict[date, list[tuple[int, StoredFact]]]:
    """Deadlines indexed by the local day each of their reminders falls on."""
    out: dict[date, list[tuple[int, StoredFact]]] = {}
    for fact in facts:
        for offset, day in reminder_dates(fact):
            out.setdefault(day, []).append((offset, fact))
    return out


def due_reminders(
    channel: Channel, by_day: dict[date, list[tuple[int, StoredFact]]], now: datetime, lookback: timedelta
) -> list[Due]:
    """Reminders owed to a channel at its post time 7, 1 and 0 days before deadlines on its topics."""
    out = []
    topics = set(channel.topics)
    for day in _window_days(channel, now, lookback):
        entries = by_day.get(day)
        if not entries:
            continue
        instant = post_instant(channel.post_time, channel.timezone, day)
        if not _owed(channel, instant, now, lookback):
            continue
        for offset, fact in entries:
            if topics.isdisjoint(fact.topics):
                continue
            assert fact.date is not None
            occurrence = f"{fact.date.iso()}-{offset}d"
            out.append(Due(channel, "reminder", fact.subject[:128], occurrence, instant, day, fact, offset))
    return out


def due_posts(
    channels: Sequence[Channel], facts: Sequence[StoredFact], now: datetime, lookback: timedelta
) -> list[Due]:
    """Every daily post and reminder owed at `now` whose time fell within the lookback, oldest first."""
    by_day = reminders_by_day(facts)
    out: list[Due] = []
    for channel in channels:
        out.extend(due_briefings(channel, now, lookback))
        out.extend(due_reminders(channel, by_day, now, lookback))
    out.sort(key=lambda d: (d.due_at, d.channel.id, d.kind != "briefing"))
    return out
