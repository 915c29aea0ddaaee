"""End to end: a channel follows a topic, a feed is added from chat, the next poll posts once to Slack and Discord."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.cli.app import platform_runtimes
from bot.config import Settings
from bot.core import BriefBot
from bot.feeds import FeedPoller
from bot.schedule import Scheduler
from bot.state import upgrade_bot_tables
from facts.feeds.store import FeedStore
from facts.store import FactStore
from facts.web.fetch import forget_robots
from tests.botkit import Clock
from tests.chat.test_discord_and_slack import (
    DISCORD_CHANNEL,
    SECRET,
    SLACK_CHANNEL,
    discord_command,
    slack_command,
)
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi
from tests.feedkit import TARIFF_TEXT, FakeTime, Item, Route, Site, article_page, rss, serve
from tests.pg import PostgresServer

START = datetime(2025, 9, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: this test is about the store as much as the adapters."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = server.create_database()
    request.addfinalizer(lambda: server.drop_database(name))
    return server.url(name)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "127.0.0.1")
    forget_robots()
    with serve(Site()) as running:
        running.routes["/feed.xml"] = Route(rss([]), content_type="application/rss+xml")
        yield running
    forget_robots()


@pytest.fixture
async def fakes(endpoints: None) -> AsyncIterator[tuple[FakeSlackApi, FakeDiscord]]:
    slack_api, discord_api = FakeSlackApi(), FakeDiscord()
    await slack_api.start()
    await discord_api.start()
    yield slack_api, discord_api
    await discord_api.close()
    await slack_api.stop()


async def test_feed_added_in_chat_brings_one_update_post_per_platform(
    store: FactStore, site: Site, fakes: tuple[FakeSlackApi, FakeDiscord]
) -> None:
    slack_api, discord_api = fakes
    upgrade_bot_tables(store.engine)
    clock = Clock(START)
    core = BriefBot(store, clock)
    settings = Settings(
        SLACK_BOT_TOKEN=slack_api.token,
        SLACK_SIGNING_SECRET=SECRET,
        BRIEFBOT_SLACK_API_URL=slack_api.base_url,
        BRIEFBOT_HTTP_PORT=0,
        DISCORD_TOKEN="MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token",
        BRIEFBOT_DISCORD_API_URL=discord_api.api_url,
        BRIEFBOT_DISCORD_GATEWAY_URL=discord_api.gateway_url,
        BRIEFBOT_DISCORD_GUILD=1200000000000000001,
    )
    runtimes = platform_runtimes(settings, core)
    wall = FakeTime(START)
    scheduler = Scheduler(
        store,
        {r.platform: r.sender for r in runtimes},
        clock,
        feeds=FeedPoller(store, clock=wall, sleep=wall.sleep),
    )
    feed_url = site.url("/feed.xml")
    for runtime in runtimes:
        await runtime.start()
    try:
        slack_port = runtimes[0].port  # type: ignore[attr-defined]
        async with aiohttp.ClientSession() as http:
            assert "Now following tariffs" in await slack_command(
                http, slack_port, slack_api, "subscribe tariffs"
            )
            assert "Now following tariffs" in await discord_command(discord_api, "subscribe", topic="tariffs")
            await scheduler.tick(START)
            added = await slack_command(http, slack_port, slack_api, f"feed add <{feed_url}> tariffs")
            assert "Now polling" in added and "Trade wire" in added
        [feed] = FeedStore(store.engine).all()
        assert feed.url == feed_url and feed.topics == ("tariffs",)

        # A new article appears in the feed; the next poll takes it and posts one digest per channel.
        site.routes["/steel"] = Route(
            article_page("US raises steel tariff to 50%", TARIFF_TEXT, "2025-09-15")
        )
        item = Item("steel-1", "US raises steel tariff to 50%", site.url("/steel"), START, "A teaser.")
        site.routes["/feed.xml"] = Route(rss([item]), content_type="application/rss+xml")
        clock.now = START + timedelta(minutes=1)
        report = await scheduler.tick()
        assert report.feeds_polled == 1 and report.updates == 2

        # The second poll finds nothing new and posts nothing.
        clock.now = START + timedelta(minutes=16)
        report = await scheduler.tick()
        assert report.feeds_polled == 1 and report.updates == 0
        listed = await discord_command(discord_api, "feeds")
        assert "1 entries taken" in listed and "last success 2025-09-15 12:16 UTC" in listed
    finally:
        for runtime in reversed(runtimes):
            await runtime.stop()

    slack_posts = [c for c in slack_api.of("chat.postMessage") if c.params.get("channel") == SLACK_CHANNEL]
    discord_posts = discord_api.calls_to("POST", rf"/channels/{DISCORD_CHANNEL}/messages")
    assert len(slack_posts) == 1 and len(discord_posts) == 1
    assert "US raises steel tariff" in json.dumps(slack_posts[0].params)
    assert site.url("/steel") in json.dumps(discord_posts[0].json)
    assert site.hits("/steel") == 1
