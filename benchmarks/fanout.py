"""Daily briefing fan-out: compose for N subscribed channels, plan into the ledger, deliver to a fake API."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
from sqlalchemy import delete, insert

from bot.briefing import Composer, dated_facts
from bot.channels import subscribed_channels
from bot.delivery import backoff
from bot.messages import Message, TemporaryFailure
from bot.schedule import Scheduler
from bot.state import channels, deliveries, subscriptions, upgrade_bot_tables
from facts.store import FactStore
from facts.topics import load_taxonomy

PLATFORM = "slack"
TIMEZONES = (
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Africa/Nairobi",
)
MAX_SENDER_TRIES = 4
MAX_TICKS = 20


@dataclass(frozen=True)
class Composition:
    """Composing every subscribed channel's daily post: seconds, distinct posts, their size."""

    channels: int
    seconds: float
    distinct_posts: int
    lines: int
    longest_chars: int


@dataclass
class FanoutResult:
    """Planning and delivery: seconds for each phase and what the fake API and the ledger saw."""

    articles: int
    concurrency: int = 8
    plan_s: float = 0.0
    planned: int = 0
    deliver_s: float = 0.0
    passes: int = 0
    sent: int = 0
    fake: dict[str, int] = field(default_factory=dict)
    sender_retries: int = 0
    sender_slept_s: float = 0.0
    ledger: dict[str, int] = field(default_factory=dict)

    def all_once(self) -> bool:
        """True when every post the ledger owes reached the fake API exactly once and none is left over."""
        leftover = sum(self.ledger.get(s, 0) for s in ("pending", "sending", "failed", "unknown"))
        return (
            self.ledger.get("sent", 0) > 0
            and self.fake.get("posts") == self.ledger.get("sent")
            and self.fake.get("duplicates") == 0
            and leftover == 0
        )


def add_channels(store: FactStore, count: int, now: datetime, seed: int) -> None:
    """Bulk-add `count` Slack channels following 1-3 taxonomy topics, each due for its daily post at `now`."""
    upgrade_bot_tables(store.engine)
    rng = random.Random(f"{seed}:channels")
    topics = load_taxonomy().names
    rows, subs = [], []
    for n in range(1, count + 1):
        zone = rng.choice(TIMEZONES)
        local = now.astimezone(ZoneInfo(zone))
        rows.append(
            {
                "id": n,
                "platform": PLATFORM,
                "channel_key": f"C{n:08d}",
                "post_time": f"{local:%H:%M}",
                "timezone": zone,
                "active": True,
                "created_at": now - timedelta(days=30),
                # Subscribed a minute ago: today's post is owed, earlier days' are not (no backlog to drop).
                "schedule_from": now - timedelta(minutes=1),
            }
        )
        subs.extend({"channel_id": n, "topic": t} for t in rng.sample(topics, rng.randint(1, 3)))
    with store.engine.begin() as conn:
        for table in (deliveries, subscriptions, channels):  # a re-run starts from no channels
            conn.execute(delete(table))
        conn.execute(insert(channels), rows)
        conn.execute(insert(subscriptions), subs)


def compose_only(store: FactStore, now: datetime) -> Composition:
    """Time composing every subscribed channel's daily post (facts read once, shared Composer)."""
    began = time.perf_counter()
    found = subscribed_channels(store.engine, [PLATFORM])
    composer = Composer(dated_facts(store, now.date() - timedelta(days=1)))
    posts: dict[int, Message | None] = {}
    for channel in found:
        message = composer.daily(channel.topics, now.astimezone(ZoneInfo(channel.timezone)).date())
        posts[id(message)] = message
    spent = time.perf_counter() - began
    made = [m for m in posts.values() if m is not None]
    return Composition(
        channels=len(found),
        seconds=spent,
        distinct_posts=len(made),
        lines=sum(len(m.lines) for m in made),
        longest_chars=max((len(m.text) for m in made), default=0),
    )


class HttpSender:
    """A Sender POSTing to the fake chat API; sleeps on 429 Retry-After like slack_sdk's retry handler."""

    platform = PLATFORM

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.url = f"{base_url}/post"
        self.retries = 0
        self.slept_s = 0.0

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """Post one message; raises TemporaryFailure after repeated 429s."""
        for _ in range(MAX_SENDER_TRIES):
            async with self.session.post(
                self.url, json={"channel": channel, "text": message.text, "nonce": nonce}
            ) as response:
                if response.status == 429:
                    self.retries += 1
                    wait = float(response.headers.get("Retry-After", "1"))
                    self.slept_s += wait
                    await asyncio.sleep(wait)
                    continue
                response.raise_for_status()
                return str((await response.json())["ts"])
        raise TemporaryFailure("rate limited")


def _start_fake() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.fakechat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None
    port = json.loads(process.stdout.readline())["port"]
    return process, f"http://127.0.0.1:{port}"


async def _deliver(store: FactStore, now: datetime, concurrency: int, result: FanoutResult) -> None:
    fake, base = _start_fake()
    try:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            sender = HttpSender(session, base)
            scheduler = Scheduler(store, {PLATFORM: sender}, clock=lambda: now, concurrency=concurrency)
            began = time.perf_counter()
            report = scheduler.plan(now)
            result.plan_s = time.perf_counter() - began
            result.planned = report.planned
            began = time.perf_counter()
            moment = now
            retries = 0
            for tick in range(1, MAX_TICKS + 1):
                # One delivery run takes at most Ledger.pending's limit (5,000): the next scheduler tick
                # a minute later takes the rest. Time between ticks is not waited for, only counted.
                done = await scheduler.delivery.run(moment)
                result.passes, result.sent = tick, result.sent + done.sent
                if not done.sent and not done.retrying:
                    break
                if done.retrying:
                    retries += 1
                    moment += backoff(retries)  # the ledger's own retry time for what is left
                else:
                    moment += timedelta(minutes=1)
            result.deliver_s = time.perf_counter() - began
            result.sender_retries = sender.retries
            result.sender_slept_s = sender.slept_s
            async with session.get(f"{base}/stats") as response:
                result.fake = await response.json()
            result.ledger = scheduler.ledger.counts()
    finally:
        assert fake.stdin is not None
        fake.stdin.close()
        fake.wait(timeout=30)


def deliver(store: FactStore, articles: int, now: datetime, concurrency: int = 8) -> FanoutResult:
    """Plan the channels' posts into the ledger and deliver them through the real scheduler and ledger."""
    result = FanoutResult(articles, concurrency)
    asyncio.run(_deliver(store, now.astimezone(UTC), concurrency, result))
    return result
