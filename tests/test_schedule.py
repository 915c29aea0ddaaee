"""Due times and the real scheduler, driven tick by tick with an injected clock (no sleeping)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.recording import RecordingChat, RecordingSender
from bot.channels import Channel
from bot.core import BriefBot
from bot.due import due_briefings, next_post_at, post_instant
from bot.messages import Message
from bot.schedule import Scheduler
from bot.state import upgrade_bot_tables
from facts.models import FuzzyDate
from facts.store import FactStore
from tests.botkit import Clock, at, deadline, fishing_story, ingest

FAR = deadline("d:far", "Tariff review deadline", FuzzyDate(2026, 6, 30), ("tariffs",), 9)


@pytest.fixture
def bot_store(store: FactStore) -> Iterator[FactStore]:
    upgrade_bot_tables(store.engine)
    yield store


async def join(core: BriefBot, channel: str, *commands: str) -> None:
    chat = RecordingChat(core, channel=channel)
    for command in commands:
        assert "Unknown" not in await chat.ask(command)


async def run_ticks(
    scheduler: Scheduler, clock: Clock, start: datetime, end: datetime, step: timedelta
) -> None:
    moment = start
    while moment <= end:
        clock.set(moment)
        await scheduler.tick(moment)
        moment += step


def test_post_instants_follow_daylight_saving() -> None:
    assert post_instant("09:00", "Europe/Berlin", date(2025, 10, 25)) == at("2025-10-25 07:00")
    assert post_instant("09:00", "Europe/Berlin", date(2025, 10, 26)) == at("2025-10-26 08:00")
    assert post_instant("09:00", "America/New_York", date(2025, 11, 1)) == at("2025-11-01 13:00")
    assert post_instant("09:00", "America/New_York", date(2025, 11, 2)) == at("2025-11-02 14:00")
    # 02:30 does not exist on the spring change in Berlin: it posts at 03:30 local, once.
    assert post_instant("02:30", "Europe/Berlin", date(2025, 3, 30)) == at("2025-03-30 01:30")
    # 02:30 happens twice on the autumn change: the first one counts.
    assert post_instant("02:30", "Europe/Berlin", date(2025, 10, 26)) == at("2025-10-26 00:30")
    channel = Channel(1, "test", "C", "09:00", "Europe/Berlin")
    assert next_post_at(channel, at("2025-10-25 07:00")) == at("2025-10-26 08:00")
    assert next_post_at(channel, at("2025-10-25 06:59")) == at("2025-10-25 07:00")


def test_due_briefings_respect_lookback_and_schedule_from() -> None:
    channel = Channel(1, "test", "C", "09:00", "UTC", schedule_from=at("2025-09-15 12:00"))
    assert due_briefings(channel, at("2025-09-16 08:59"), timedelta(days=2)) == []
    [due] = due_briefings(channel, at("2025-09-16 09:00"), timedelta(days=2))
    assert (due.occurrence, due.due_at, due.key) == (
        "2025-09-16",
        at("2025-09-16 09:00"),
        "1|briefing|daily|2025-09-16",
    )
    assert len(due_briefings(channel, at("2025-09-18 09:00"), timedelta(days=5))) == 3


async def test_a_day_across_dst_for_two_zones(bot_store: FactStore) -> None:
    clock = Clock(at("2025-10-24 12:00"))
    ingest(bot_store, "Tariff review", date(2025, 10, 1), [FAR])
    core = BriefBot(bot_store, clock)
    await join(core, "berlin", "subscribe tariffs", "settings time 09:00 tz Europe/Berlin")
    await join(core, "new-york", "subscribe tariffs", "settings time 09:00 tz America/New_York")
    sender = RecordingSender()
    scheduler = Scheduler(bot_store, {"test": sender}, clock)
    await run_ticks(scheduler, clock, at("2025-10-25 00:00"), at("2025-10-27 23:59"), timedelta(minutes=20))
    rows = [r for r in scheduler.ledger.rows("briefing") if r["status"] == "sent"]
    sent = {(r["occurrence"], r["channel_id"]): r for r in rows}
    assert len(rows) == 6 == len(sent)
    due_utc = sorted((r["occurrence"], r["due_at"].replace(tzinfo=UTC).strftime("%H:%M")) for r in rows)
    assert due_utc == [
        ("2025-10-25", "07:00"),  # Berlin, summer time
        ("2025-10-25", "13:00"),  # New York
        ("2025-10-26", "08:00"),  # Berlin, winter time: still 09:00 local
        ("2025-10-26", "13:00"),
        ("2025-10-27", "08:00"),
        ("2025-10-27", "13:00"),
    ]
    for row in rows:
        assert timedelta(0) <= row["sent_at"] - row["due_at"] < timedelta(minutes=20)
    assert sender.per_channel() == {"berlin": 3, "new-york": 3}
    assert "in 247 days — Tariff review deadline (June 30, 2026)" in sender.to("berlin")[1].lines[0]


async def test_restart_after_three_hours_sends_missed_posts_once(bot_store: FactStore) -> None:
    clock = Clock(at("2025-09-15 12:00"))
    ingest(bot_store, "Tariff review", date(2025, 9, 1), [FAR])
    await join(BriefBot(bot_store, clock), "C1", "subscribe tariffs")
    sender = RecordingSender()
    first = Scheduler(bot_store, {"test": sender}, clock)
    await run_ticks(first, clock, at("2025-09-16 08:00"), at("2025-09-16 08:50"), timedelta(minutes=10))
    assert sender.posts == []
    # Down from 08:50 to 11:50; a new process starts.
    second = Scheduler(bot_store, {"test": sender}, clock)
    await run_ticks(second, clock, at("2025-09-16 11:50"), at("2025-09-16 13:00"), timedelta(minutes=5))
    assert [p.message.kind for p in sender.posts] == ["briefing"]
    assert sender.posts[0].message.extra["local_date"] == "2025-09-16"


async def test_restart_after_two_days_drops_missed_posts(
    bot_store: FactStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(at("2025-09-15 12:00"))
    ingest(bot_store, "Tariff review", date(2025, 9, 1), [FAR])
    await join(BriefBot(bot_store, clock), "C1", "subscribe tariffs")
    sender = RecordingSender()
    first = Scheduler(bot_store, {"test": sender}, clock)
    await run_ticks(first, clock, at("2025-09-16 08:00"), at("2025-09-16 08:50"), timedelta(minutes=10))
    second = Scheduler(bot_store, {"test": sender}, clock)
    with caplog.at_level(logging.WARNING, logger="bot.schedule"):
        await run_ticks(second, clock, at("2025-09-18 08:50"), at("2025-09-18 08:55"), timedelta(minutes=5))
    assert sender.posts == []
    dropped = [r["occurrence"] for r in second.ledger.rows("briefing") if r["status"] == "dropped"]
    assert dropped == ["2025-09-16", "2025-09-17"]
    assert "2 scheduled posts were due more than" in caplog.text
    await run_ticks(second, clock, at("2025-09-18 09:00"), at("2025-09-18 10:00"), timedelta(minutes=10))
    assert [p.message.extra["local_date"] for p in sender.posts] == ["2025-09-18"]


async def test_reminders_seven_one_and_zero_days_before(bot_store: FactStore) -> None:
    clock = Clock(at("2025-10-01 12:00"))
    ingest(
        bot_store,
        "Steel tariffs",
        date(2025, 9, 24),
        [
            deadline("d:steel", "Steel tariff exemption expires", FuzzyDate(2025, 10, 20), ("tariffs",)),
            deadline("d:vague", "Quota review", FuzzyDate(2025, 10), ("tariffs",), 1),
            deadline("d:other", "Oil output decision", FuzzyDate(2025, 10, 20), ("energy",), 2),
        ],
    )
    await join(BriefBot(bot_store, clock), "tokyo", "subscribe tariffs", "settings time 08:00 tz Asia/Tokyo")
    sender = RecordingSender()
    scheduler = Scheduler(bot_store, {"test": sender}, clock)
    await run_ticks(scheduler, clock, at("2025-10-11 00:00"), at("2025-10-21 00:00"), timedelta(hours=2))
    reminders = [r for r in scheduler.ledger.rows("reminder")]
    assert [(r["occurrence"], r["due_at"].strftime("%m-%d %H:%M"), r["status"]) for r in reminders] == [
        ("2025-10-20-7d", "10-12 23:00", "sent"),  # 08:00 in Tokyo on October 13
        ("2025-10-20-1d", "10-18 23:00", "sent"),
        ("2025-10-20-0d", "10-19 23:00", "sent"),
    ]
    titles = [m.title for m in sender.to("tokyo", "reminder")]
    assert titles == [
        "Reminder: deadline in 7 days",
        "Reminder: deadline tomorrow",
        "Reminder: deadline today",
    ]
    assert all("Steel tariff exemption expires" in m.text for m in sender.to("tokyo", "reminder"))


async def test_ingest_that_changes_a_fact_posts_once_to_each_subscriber(bot_store: FactStore) -> None:
    clock = Clock(at("2025-10-02 12:00"))
    fishing_story(bot_store, later=False, now=clock())
    core = BriefBot(bot_store, clock)
    for channel, topics in (("fish", "agriculture"), ("both", "agriculture tariffs"), ("oil", "energy")):
        await join(core, channel, f"subscribe {topics}", "settings time 23:59")
    sender = RecordingSender()
    scheduler = Scheduler(bot_store, {"test": sender}, clock)
    replica = Scheduler(bot_store, {"test": sender}, clock, worker="replica-2")
    await scheduler.tick(clock.set(at("2025-10-02 12:01")))
    assert sender.posts == []  # what was there before the bot started is not news
    fishing_story(bot_store, later=True, now=clock.set(at("2025-10-20 10:00")))
    now = clock.set(at("2025-10-20 10:01"))
    await asyncio.gather(scheduler.tick(now), replica.tick(now))
    await scheduler.tick(clock.set(at("2025-10-20 10:02")))
    await replica.tick(clock.set(at("2025-10-20 10:03")))
    assert sender.per_channel(["update"]) == {"fish": 1, "both": 1}
    update: Message = sender.to("fish", "update")[0]
    assert "EU-UK fishing quota deadline: January 31, 2026, was December 10, 2025" in update.text
    assert "UK share of North Sea cod sought: 55%, was 47%" in update.text
    assert "Source: EU and UK push fishing deadline into next year" in update.text


async def test_apscheduler_runs_the_tick_on_start(bot_store: FactStore) -> None:
    clock = Clock(at("2025-09-15 12:00"))
    ingest(bot_store, "Tariff review", date(2025, 9, 1), [FAR])
    await join(BriefBot(bot_store, clock), "C1", "subscribe tariffs")
    clock.set(at("2025-09-16 09:01"))
    posted = asyncio.Event()

    class Signalling(RecordingSender):
        async def send(self, channel: str, message: Message, nonce: str) -> str:
            result = await super().send(channel, message, nonce)
            posted.set()
            return result

    sender = Signalling()
    scheduler = Scheduler(bot_store, {"test": sender}, clock)
    scheduler.start()
    try:
        await asyncio.wait_for(posted.wait(), timeout=10)
    finally:
        await scheduler.stop()
    assert [p.channel for p in sender.posts] == ["C1"]
