"""The deliveries ledger: exactly one post per channel across restarts, replicas, retries and gone channels."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import insert, select

from adapters.recording import RecordingSender
from bot.delivery import NONCE_LENGTH, RESEND_WINDOW, backoff, nonce
from bot.messages import Message
from bot.schedule import Scheduler
from bot.state import channels, subscriptions, upgrade_bot_tables
from facts.models import FuzzyDate
from facts.store import FactStore
from tests.botkit import Clock, at, deadline, ingest

NOON_BEFORE = at("2025-09-15 12:00")
POST_TIME = at("2025-09-16 09:00")


@pytest.fixture
def bot_store(store: FactStore) -> Iterator[FactStore]:
    upgrade_bot_tables(store.engine)
    ingest(
        store, "Tariff review", date(2025, 9, 1), [deadline("d:far", "Tariff review", FuzzyDate(2026, 6, 30))]
    )
    yield store


def add_channels(store: FactStore, count: int, platform: str = "test") -> None:
    """Many subscribed channels at 09:00 UTC, written in bulk (building them by chat would be slow)."""
    with store.engine.begin() as conn:
        conn.execute(
            insert(channels),
            [
                {
                    "platform": platform,
                    "channel_key": f"C{n:04d}",
                    "post_time": "09:00",
                    "timezone": "UTC",
                    "active": True,
                    "created_at": NOON_BEFORE,
                    "schedule_from": NOON_BEFORE,
                }
                for n in range(count)
            ],
        )
        ids = conn.execute(select(channels.c.id)).scalars().all()
        conn.execute(insert(subscriptions), [{"channel_id": i, "topic": "tariffs"} for i in ids])


class StopAfter(RecordingSender):
    """Posts normally, and asks the scheduler to shut down after a number of posts (SIGTERM mid fan-out)."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.scheduler: Scheduler | None = None

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        result = await super().send(channel, message, nonce)
        if len(self.posts) == self.after and self.scheduler is not None:
            self.scheduler.delivery.stop()
        return result


class Crash(BaseException):
    """The process dies (not an error the bot could handle)."""


class CrashOn(RecordingSender):
    """Dies in the middle of sending to one channel."""

    def __init__(self, channel: str) -> None:
        super().__init__()
        self.channel = channel

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        if channel == self.channel:
            raise Crash
        return await super().send(channel, message, nonce)


class NonceChat(RecordingSender):
    """A platform that drops a second post with a nonce it has seen, as Discord's enforce_nonce does.

    `dies_after_posting` is a channel whose post arrives but whose sender dies before hearing back.
    """

    def __init__(self, deduplicates_resends: bool, dies_after_posting: str = "") -> None:
        super().__init__()
        self.deduplicates_resends = deduplicates_resends
        self.dies_after_posting = dies_after_posting
        self.nonces: list[str] = []  # every nonce sent, copies included

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        self.nonces.append(nonce)
        earlier = [p for p in self.posts if p.nonce == nonce]
        if earlier:
            return earlier[0].message_id
        message_id = await super().send(channel, message, nonce)
        if channel == self.dies_after_posting:
            self.dies_after_posting = ""
            raise Crash
        return message_id


async def strand_a_send(store: FactStore, chat: NonceChat, worker: str = "replica-a") -> str:
    """Three channels; the leader dies right after C0001's post reached the platform. Returns its row's key."""
    add_channels(store, 3)
    dead = Scheduler(store, {"test": chat}, Clock(POST_TIME), concurrency=1, worker=worker)
    with pytest.raises(Crash):
        await dead.tick(POST_TIME)
    stranded = [r for r in dead.ledger.rows() if r["status"] == "sending"]
    assert [r["claimed_by"] for r in stranded] == [worker]
    return stranded[0]["key"]


@pytest.mark.parametrize("worker", ["replica-b", "replica-a"], ids=["other replica", "previous life"])
async def test_a_send_stranded_by_a_dead_leader_is_resent_once_with_its_nonce_if_the_platform_dedups(
    bot_store: FactStore, worker: str
) -> None:
    chat = NonceChat(deduplicates_resends=True, dies_after_posting="C0001")
    key = await strand_a_send(bot_store, chat)
    assert chat.per_channel() == {"C0000": 1, "C0001": 1}
    clock = Clock(POST_TIME + timedelta(seconds=30))  # the takeover, one leader-retry interval later
    leader = Scheduler(bot_store, {"test": chat}, clock, worker=worker)
    recovery = await leader.recover_interrupted()
    assert (recovery.resent, recovery.unknown) == ([key], [])
    await leader.tick()
    assert chat.nonces.count(nonce(key)) == 2  # sent again, with the same nonce ...
    assert chat.per_channel() == {"C0000": 1, "C0001": 1, "C0002": 1}  # ... and the platform dropped it
    assert leader.ledger.counts() == {"sent": 3}


async def test_taking_over_recovers_interrupted_sends_before_scheduling(bot_store: FactStore) -> None:
    """What `briefbot run` calls on winning leadership, and on start as the single SQLite process."""
    chat = NonceChat(deduplicates_resends=True, dies_after_posting="C0001")
    key = await strand_a_send(bot_store, chat)
    leader = Scheduler(bot_store, {"test": chat}, Clock(POST_TIME + timedelta(seconds=30)), worker="b")
    await leader.take_over()
    await leader.stop()
    row = next(r for r in leader.ledger.rows() if r["key"] == key)
    assert row["status"] in ("pending", "sent")  # the first tick may or may not have run yet


async def test_a_send_stranded_by_a_dead_leader_is_marked_unknown_if_the_platform_cannot_dedup(
    bot_store: FactStore, caplog: pytest.LogCaptureFixture
) -> None:
    chat = NonceChat(deduplicates_resends=False, dies_after_posting="C0001")
    key = await strand_a_send(bot_store, chat)
    leader = Scheduler(bot_store, {"test": chat}, Clock(POST_TIME + timedelta(seconds=30)), worker="b")
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        recovery = await leader.recover_interrupted()
    assert (recovery.resent, recovery.unknown) == ([], [key])
    assert any("C0001" in r.getMessage() and "not resending" in r.getMessage() for r in caplog.records)
    await leader.tick()
    assert chat.nonces.count(nonce(key)) == 1  # never sent again
    assert chat.per_channel() == {"C0000": 1, "C0001": 1, "C0002": 1}
    assert leader.ledger.counts() == {"sent": 2, "unknown": 1}


async def test_a_stranded_send_older_than_the_nonce_window_is_not_resent_even_if_the_platform_dedups(
    bot_store: FactStore,
) -> None:
    chat = NonceChat(deduplicates_resends=True, dies_after_posting="C0001")
    key = await strand_a_send(bot_store, chat)
    late = Clock(POST_TIME + RESEND_WINDOW + timedelta(seconds=1))  # the platform may have forgotten it
    leader = Scheduler(bot_store, {"test": chat}, late, worker="replica-b")
    recovery = await leader.recover_interrupted()
    assert (recovery.resent, recovery.unknown) == ([], [key])
    await leader.tick()
    assert chat.nonces.count(nonce(key)) == 1


async def test_recovery_leaves_alone_a_send_this_process_has_in_flight(bot_store: FactStore) -> None:
    add_channels(bot_store, 1)
    release = asyncio.Event()
    sending = asyncio.Event()

    class Slow(NonceChat):
        async def send(self, channel: str, message: Message, nonce: str) -> str:
            sending.set()
            await release.wait()
            return await super().send(channel, message, nonce)

    chat = Slow(deduplicates_resends=True)
    clock = Clock(POST_TIME)
    old = Scheduler(bot_store, {"test": chat}, clock, worker="replica-a")  # lost leadership, still sending
    tick = asyncio.create_task(old.tick(POST_TIME))
    await asyncio.wait_for(sending.wait(), 10)
    new = Scheduler(bot_store, {"test": chat}, clock, worker="replica-a")  # leader again, same process
    recovery = await new.recover_interrupted()
    assert (recovery.resent, recovery.unknown) == ([], [])
    release.set()
    await asyncio.wait_for(tick, 10)
    assert len(chat.nonces) == 1 and old.ledger.counts() == {"sent": 1}


def test_nonce_is_short_stable_and_distinct() -> None:
    key = "12|reminder|deadline:tiktok sale|2025-09-17-7d"
    assert nonce(key) == nonce(key) and len(nonce(key)) == NONCE_LENGTH <= 25
    assert nonce(key) != nonce(key.replace("7d", "1d"))
    assert [backoff(n) for n in (1, 2, 3, 6)] == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
        timedelta(hours=1),
    ]


async def test_restart_in_the_middle_of_a_fan_out_to_1000_channels(bot_store: FactStore) -> None:
    add_channels(bot_store, 1000)
    clock = Clock(POST_TIME)
    sender = StopAfter(400)
    first = Scheduler(bot_store, {"test": sender}, clock, concurrency=8)
    sender.scheduler = first
    report = await first.tick(POST_TIME)
    assert report.planned == 1000
    assert 400 <= len(sender.posts) < 1000  # stopped part-way; sends in flight were finished
    # The process restarts a few minutes later with a fresh scheduler on the same database.
    second = Scheduler(bot_store, {"test": sender}, clock, concurrency=8)
    await second.tick(clock.set(POST_TIME + timedelta(minutes=3)))
    await second.tick(clock.set(POST_TIME + timedelta(minutes=4)))
    counts = sender.per_channel()
    assert len(counts) == 1000 and set(counts.values()) == {1}
    assert second.ledger.counts() == {"sent": 1000}
    assert len({p.nonce for p in sender.posts}) == 1000


async def test_crash_mid_send_never_posts_twice(bot_store: FactStore) -> None:
    add_channels(bot_store, 200)
    clock = Clock(POST_TIME)
    dying = CrashOn("C0100")
    first = Scheduler(bot_store, {"test": dying}, clock, concurrency=4)
    with pytest.raises(Crash):
        await first.tick(POST_TIME)
    first.delivery.stop()  # the dead process claims nothing more; its other workers finish their sends
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    if others:
        await asyncio.wait(others, timeout=10)
    healthy = RecordingSender()
    second = Scheduler(bot_store, {"test": healthy}, clock)
    await second.tick(clock.set(POST_TIME + timedelta(minutes=11)))
    counts = dying.per_channel()
    for channel, n in healthy.per_channel().items():
        counts[channel] = counts.get(channel, 0) + n
    assert set(counts.values()) == {1} and len(counts) == 199
    assert "C0100" not in counts  # it may or may not have reached the platform: not resent
    assert second.ledger.counts() == {"sent": 199, "unknown": 1}


async def test_two_replicas_post_once(bot_store: FactStore) -> None:
    add_channels(bot_store, 120)
    clock = Clock(POST_TIME)
    sender = RecordingSender()
    one = Scheduler(bot_store, {"test": sender}, clock, worker="replica-1")
    two = Scheduler(bot_store, {"test": sender}, clock, worker="replica-2")
    await asyncio.gather(one.tick(POST_TIME), two.tick(POST_TIME))
    await asyncio.gather(
        one.tick(POST_TIME + timedelta(minutes=1)), two.tick(POST_TIME + timedelta(minutes=1))
    )
    assert len(sender.posts) == 120 and set(sender.per_channel().values()) == {1}


async def test_temporary_failures_are_retried_with_backoff_on_the_same_row(bot_store: FactStore) -> None:
    add_channels(bot_store, 2)
    clock = Clock(POST_TIME)
    sender = RecordingSender(failures={"C0000": 2, "C0001": 99})
    scheduler = Scheduler(bot_store, {"test": sender}, clock)
    for minutes in (0, 0.2, 1, 2, 4, 15, 60, 120, 240):
        await scheduler.tick(clock.set(POST_TIME + timedelta(minutes=minutes)))
    assert sender.per_channel() == {"C0000": 1}
    rows = {r["channel_id"]: r for r in scheduler.ledger.rows("briefing")}
    ok, bad = rows[1], rows[2]
    assert (ok["status"], ok["attempts"], ok["message_id"]) == ("sent", 3, "m1")
    assert ok["sent_at"].replace(tzinfo=UTC) == POST_TIME + timedelta(minutes=4)  # 30 s, then 2 min later
    assert (bad["status"], bad["attempts"]) == ("failed", 5)
    assert "rate limited" in bad["error"]


async def test_a_gone_channel_is_marked_inactive_and_not_retried(bot_store: FactStore) -> None:
    add_channels(bot_store, 2)
    clock = Clock(POST_TIME)
    sender = RecordingSender(gone={"C0001"})
    scheduler = Scheduler(bot_store, {"test": sender}, clock)
    await scheduler.tick(POST_TIME)
    await scheduler.tick(clock.set(POST_TIME + timedelta(days=1)))
    assert sender.per_channel() == {"C0000": 2}
    assert sender.attempts == 3  # C0001 was tried once, on the first day only
    with bot_store.engine.connect() as conn:
        active = dict(conn.execute(select(channels.c.channel_key, channels.c.active)).all())
    assert active == {"C0000": True, "C0001": False}
    assert [r["status"] for r in scheduler.ledger.rows() if r["channel_id"] == 2] == ["gone"]


async def test_posts_for_platforms_without_a_sender_wait(bot_store: FactStore) -> None:
    add_channels(bot_store, 1, platform="slack")
    sender = RecordingSender()
    clock = Clock(POST_TIME)
    await Scheduler(bot_store, {"test": sender}, clock).tick(POST_TIME)
    assert sender.posts == []
    slack = RecordingSender(platform="slack")
    await Scheduler(bot_store, {"slack": slack}, clock).tick(POST_TIME + timedelta(minutes=1))
    assert slack.per_channel() == {"C0000": 1}


async def test_seen_chat_events_are_forgotten_after_a_day(bot_store: FactStore) -> None:
    from bot.core import BriefBot

    clock = Clock(POST_TIME)
    core = BriefBot(bot_store, clock)
    assert await core.first_time("slack:Ev1") and not await core.first_time("slack:Ev1")
    scheduler = Scheduler(bot_store, {"test": RecordingSender()}, clock)
    await scheduler.tick(clock.set(POST_TIME + timedelta(hours=2)))
    assert not await core.first_time("slack:Ev1")  # a retry minutes or hours later is still caught
    await scheduler.tick(clock.set(POST_TIME + timedelta(days=2)))
    assert await core.first_time("slack:Ev1")
