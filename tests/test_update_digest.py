"""Update posts are a digest: one post per channel per planning pass, and old articles post nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

import bot.schedule
from adapters.recording import RecordingChat, RecordingSender
from benchmarks.generator import articles
from bot.briefing import MAX_UPDATE_LINES, find_changes, update_post
from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.core import BriefBot
from bot.schedule import Scheduler
from bot.state import upgrade_bot_tables
from facts.models import Kind
from facts.pipeline import ingest_all
from facts.store import FactStore
from tests.botkit import Clock, at, fact, ingest

START = at("2025-10-20 09:00")
NOW = at("2025-10-20 10:00")


@pytest.fixture
def bot_store(store: FactStore) -> Iterator[FactStore]:
    upgrade_bot_tables(store.engine)
    yield store


def article(slug: str, published: date, text: str) -> tuple[str, bytes]:
    """A small Markdown article with front matter, as `briefbot ingest` reads it."""
    return (
        f"{slug}.md",
        f'---\ntitle: "{slug} news"\npublished: {published.isoformat()}\n---\n{text}\n'.encode(),
    )


def ingest_articles(store: FactStore, sources: list[tuple[str, bytes]]) -> None:
    """Ingest through the real pipeline (in this process: no worker pool for a test)."""
    outcomes = list(ingest_all(store, sources, today=NOW.date(), workers=0))
    assert [o.error for o in outcomes if o.error] == []


async def subscribe(core: BriefBot, channel: str, topics: str) -> None:
    chat = RecordingChat(core, channel=channel)
    assert "Now following" in await chat.ask(f"subscribe {topics}")
    # No daily post or reminder today: the only posts a tick makes here are update posts.
    assert "Unknown" not in await chat.ask("settings time 23:59")


async def started(store: FactStore, **options: object) -> tuple[Scheduler, RecordingSender, Clock]:
    """A scheduler that has run once, so what is ingested from now on is news."""
    clock = Clock(START)
    sender = RecordingSender()
    scheduler = Scheduler(store, {"test": sender}, clock, **options)  # type: ignore[arg-type]
    await scheduler.tick(START)
    assert sender.posts == []
    return scheduler, sender, clock


def tariff_changes(store: FactStore) -> list[int]:
    """Document ids of every current non-statement fact on tariffs (what a digest has to cover)."""
    return [f.document_id for f in store.facts(topics=["tariffs"]) if f.kind is not Kind.STATEMENT]


async def test_three_hundred_articles_give_a_subscribed_channel_one_post(bot_store: FactStore) -> None:
    await subscribe(BriefBot(bot_store, Clock(START)), "trade", "tariffs")
    scheduler, sender, clock = await started(bot_store)
    replica = Scheduler(bot_store, {"test": sender}, clock, worker="replica-2")
    recent = [
        dataclasses.replace(a, published=NOW.date() - timedelta(days=a.index % 7)) for a in articles(300)
    ]
    ingest_articles(bot_store, [(f"{a.slug}.md", a.markdown().encode()) for a in recent])
    # Two replicas plan the same pass at once, then keep ticking: still one post.
    await asyncio.gather(scheduler.tick(clock.set(NOW)), replica.tick(NOW))
    for minute in range(1, 4):
        await scheduler.tick(clock.set(NOW + timedelta(minutes=minute)))
        await replica.tick(NOW + timedelta(minutes=minute))
    assert sender.per_channel(["update"]) == {"trade": 1}
    assert len(scheduler.ledger.rows("update")) == 1
    [post] = sender.to("trade", "update")
    changes = tariff_changes(bot_store)
    assert post.title == f"Update: {len(set(changes))} articles on tariffs"
    assert len(set(changes)) > 200
    assert len(post.lines) == MAX_UPDATE_LINES
    assert post.lines[-1] == f"…and {len(changes) - MAX_UPDATE_LINES + 1} more: ask me about tariffs"
    # Each shown change names its article.
    assert all(re.search(r" \[\d\]$", line) for line in post.lines[:-1])
    assert {c.title for c in post.citations} <= {a.title.replace('"', "'") for a in recent}

    # The next ingest run is the next digest.
    ingest_articles(
        bot_store,
        [article("cars", NOW.date(), "Japan set its tariff on cars from Korea at 12%, officials said.")],
    )
    await scheduler.tick(clock.set(NOW + timedelta(minutes=10)))
    assert sender.per_channel(["update"]) == {"trade": 2}
    assert sender.to("trade", "update")[1].lines == ("New: Japan tariff on cars: 12%",)


async def test_old_articles_change_facts_but_post_nothing(bot_store: FactStore) -> None:
    await subscribe(BriefBot(bot_store, Clock(START)), "trade", "tariffs")
    scheduler, sender, clock = await started(bot_store)
    ingest_articles(
        bot_store,
        [
            article(
                "steel",
                NOW.date() - timedelta(days=8),
                "The United States set its tariff on steel from Canada at 25%.",
            ),
            article(
                "cars", NOW.date() - timedelta(days=7), "Japan set its tariff on cars from Korea at 12%."
            ),
        ],
    )
    await scheduler.tick(clock.set(NOW))
    [post] = sender.to("trade", "update")
    assert post.title == "Update: cars news"
    assert post.lines == ("New: Japan tariff on cars: 12%",)
    # The eight-day-old article posted nothing, yet its fact is stored and current.
    [steel] = [
        f for f in bot_store.facts(topics=["tariffs"]) if f.text == "United States tariff on steel: 25%"
    ]
    assert steel.current and steel.source is not None and steel.source.title == "steel news"

    ingest_articles(
        bot_store,
        [article("archive", date(2022, 11, 20), "India set its tariff on almonds from the US at 40%.")],
    )
    await scheduler.tick(clock.set(NOW + timedelta(minutes=5)))
    assert sender.per_channel(["update"]) == {"trade": 1}
    assert len(scheduler.ledger.rows("update")) == 1
    assert any(
        f.text == "India tariff on almonds: 40%" and f.current for f in bot_store.facts(topics=["tariffs"])
    )


async def test_age_is_counted_to_the_ingest_not_to_the_planning_pass(bot_store: FactStore) -> None:
    await subscribe(BriefBot(bot_store, Clock(START)), "trade", "tariffs")
    scheduler, sender, clock = await started(bot_store, grace=timedelta(days=30))
    rate = fact(Kind.RATE, "r:cars", "Japan tariff on cars: 12%", "12%")
    # Two days old when ingested; ten days old when the (long-down) bot plans its post.
    ingest(bot_store, "Car tariffs", date(2025, 10, 10), [rate], now=at("2025-10-12 08:00"))
    await scheduler.tick(clock.set(at("2025-10-20 10:00")))
    assert [m.title for m in sender.to("trade", "update")] == ["Update: Car tariffs"]


async def test_articles_ingested_beyond_the_grace_window_are_dropped_not_posted(bot_store: FactStore) -> None:
    await subscribe(BriefBot(bot_store, Clock(START)), "trade", "tariffs")
    scheduler, sender, clock = await started(bot_store)
    rate = fact(Kind.RATE, "r:cars", "Japan tariff on cars: 12%", "12%")
    ingest(bot_store, "Car tariffs", NOW.date(), [rate], now=NOW - timedelta(hours=7))
    await scheduler.tick(clock.set(NOW))
    assert sender.posts == []
    [row] = scheduler.ledger.rows("update")
    assert row["status"] == "dropped" and "grace window" in row["error"]


async def test_max_age_setting_lets_an_old_article_post(
    bot_store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 999 days old: quiet by default (see above), news when the setting allows 1000 days.
    old = [article("archive", date(2023, 1, 25), "India set its tariff on almonds from the US at 40%.")]
    await subscribe(BriefBot(bot_store, Clock(START)), "trade", "tariffs")
    monkeypatch.setenv("BRIEFBOT_UPDATE_MAX_AGE_DAYS", "1000")
    settings = load_settings()
    assert settings.update_max_age_days == 1000
    scheduler, sender, clock = await started(bot_store, update_max_age_days=settings.update_max_age_days)
    ingest_articles(bot_store, old)
    await scheduler.tick(clock.set(NOW))
    assert [m.lines for m in sender.to("trade", "update")] == [("New: India tariff on almonds: 40%",)]


async def test_two_channels_with_different_topics_each_get_their_own_digest(bot_store: FactStore) -> None:
    core = BriefBot(bot_store, Clock(START))
    await subscribe(core, "trade", "tariffs")
    await subscribe(core, "farms", "agriculture")
    await subscribe(core, "apps", "tiktok")
    scheduler, sender, clock = await started(bot_store)
    day = NOW.date()
    ingest_articles(
        bot_store,
        [
            article(
                "steel", day, "The United States set its tariff on steel from Canada at 25%, officials said."
            ),
            article("wheat", day, "The EU cut its wheat import quota to 40,000 tonnes, farm ministers said."),
            article("cars", day, "Japan set its tariff on cars from Korea at 12%, officials said."),
            article("oil", day, "OPEC agreed to cut oil output by 2 million barrels a day, ministers said."),
        ],
    )
    await scheduler.tick(clock.set(NOW))
    await scheduler.tick(clock.set(NOW + timedelta(minutes=1)))
    assert sender.per_channel(["update"]) == {"trade": 1, "farms": 1}
    [trade] = sender.to("trade", "update")
    assert trade.title == "Update: 2 articles on tariffs"
    assert set(trade.lines) == {
        "New: United States tariff on steel: 25% [1]",
        "New: Japan tariff on cars: 12% [2]",
    }
    assert {c.title for c in trade.citations} == {"steel news", "cars news"}
    [farms] = sender.to("farms", "update")
    assert farms.title == "Update: wheat news"
    assert farms.lines == ("New: 40,000 tonnes",)


def test_a_digest_shows_each_article_before_any_article_twice(store: FactStore) -> None:
    many = [fact(Kind.FIGURE, f"f:{n}", f"Steel figure {n}", str(n), index=n) for n in range(8)]
    ingest(store, "Steel in depth", date(2025, 10, 19), many)
    ingest(
        store,
        "Car tariffs",
        date(2025, 10, 18),
        [fact(Kind.RATE, "r:cars", "Japan tariff on cars: 12%", "12%")],
    )
    post = update_post(find_changes(store, store.facts(), 0), ["tariffs"], date(2025, 10, 20))
    assert post is not None and post.title == "Update: 2 articles on tariffs"
    assert post.lines == (
        "New: Steel figure 0 [1]",
        "New: Steel figure 1 [1]",
        "New: Steel figure 2 [1]",
        "New: Japan tariff on cars: 12% [2]",  # the older article, still shown
        "…and 5 more: ask me about tariffs",
    )
    assert [c.title for c in post.citations] == ["Steel in depth", "Car tariffs"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("abc", "valid integer"), ("2.5", "valid integer"), ("-1", "greater than or equal to 0")],
)
def test_a_bad_max_age_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_UPDATE_MAX_AGE_DAYS", value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("configuration error: BRIEFBOT_UPDATE_MAX_AGE_DAYS: ")
    assert expected in message and "\n" not in message


def test_max_age_defaults_to_seven_days() -> None:
    assert load_settings().update_max_age_days == 7


def test_run_hands_the_setting_to_the_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    class Spy(Scheduler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            seen.append(self.update_max_age_days)

    monkeypatch.setattr(bot.schedule, "Scheduler", Spy)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("BRIEFBOT_UPDATE_MAX_AGE_DAYS", "30")
    assert main(["run", "--now", NOW.isoformat()]) == 0
    assert seen == [30]
