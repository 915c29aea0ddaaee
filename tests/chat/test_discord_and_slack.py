"""Slack and Discord configured together: one asyncio loop, one store, one scheduler, one post per platform."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from bot.cli.app import platform_runtimes
from bot.config import Settings
from bot.core import BriefBot
from bot.messages import PlatformRuntime
from bot.schedule import Scheduler
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document
from facts.store import FactStore
from tests.botkit import Clock
from tests.conftest import BUNDLED
from tests.fakes.discord_api import FakeDiscord, load_fixture
from tests.fakes.slack_api import SIGNING_SECRET, FakeSlackApi

SLACK_FIXTURES = Path(__file__).parents[1] / "fixtures" / "slack"
SECRET = SIGNING_SECRET
SLACK_CHANNEL = "C0TRADE001"
DISCORD_CHANNEL = "1300000000000000001"


@pytest.fixture
async def fakes(endpoints: None) -> AsyncIterator[tuple[FakeSlackApi, FakeDiscord]]:
    slack_api, discord_api = FakeSlackApi(), FakeDiscord()
    await slack_api.start()
    await discord_api.start()
    yield slack_api, discord_api
    await discord_api.close()
    await slack_api.stop()


class LoopWatch:
    """Measures the longest stall of the event loop while running (something blocking it shows here)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            self.longest = max(self.longest, now - last - 0.005)
            last = now

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.create_task(self._beat())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def slack_command(http: aiohttp.ClientSession, port: int, api: FakeSlackApi, text: str) -> str:
    payload = json.loads((SLACK_FIXTURES / "slash_command.json").read_text())
    before = len(api.of("response_url"))
    body = urlencode(payload | {"text": text, "response_url": api.response_url(str(before))})
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body),
    }
    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response:
        assert response.status == 200
    calls = await api.wait_for("response_url", before + 1)
    return json.dumps(calls[before].params)


async def discord_command(api: FakeDiscord, name: str, **options: str) -> str:
    payload = load_fixture("interaction_create_command")
    payload["id"] = api.next_id()
    payload["token"] = f"token-{payload['id']}"
    payload["data"]["options"] = [
        {"name": name, "type": 1, "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}
    ]
    await api.dispatch("INTERACTION_CREATE", payload)
    (call,) = await api.wait_for_calls("POST", rf"/interactions/{payload['id']}/[^/]+/callback")
    return json.dumps(call.json)


async def test_both_platforms_share_one_loop_store_and_scheduler(
    store: FactStore, fakes: tuple[FakeSlackApi, FakeDiscord]
) -> None:
    slack_api, discord_api = fakes
    upgrade_bot_tables(store.engine)
    clock = Clock(datetime(2025, 9, 15, 12, 0, tzinfo=UTC))
    ingest_document(store, read_document(BUNDLED, Overrides(), clock.now.date()))
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
    runtimes: list[PlatformRuntime] = platform_runtimes(settings, core)
    assert [r.platform for r in runtimes] == ["slack", "discord"]
    with LoopWatch() as watch:
        for runtime in runtimes:
            await runtime.start()
        try:
            assert all(r.connected for r in runtimes)
            slack_port = runtimes[0].port  # type: ignore[attr-defined]
            async with aiohttp.ClientSession() as http:
                slack_said, discord_said = await asyncio.gather(
                    slack_command(http, slack_port, slack_api, "subscribe tiktok"),
                    discord_command(discord_api, "subscribe", topic="tiktok"),
                )
            assert "Now following tiktok" in slack_said and "Now following tiktok" in discord_said

            scheduler = Scheduler(store, {r.platform: r.sender for r in runtimes}, clock)
            clock.now = datetime(2025, 9, 16, 9, 0, 30, tzinfo=UTC)
            await scheduler.tick()
            clock.now += timedelta(minutes=5)
            await scheduler.tick()
        finally:
            for runtime in reversed(runtimes):
                await runtime.stop()
    assert not any(r.connected for r in runtimes)

    rows = scheduler.ledger.rows()
    assert rows and all(r["status"] == "sent" for r in rows)
    slack_posts = [c for c in slack_api.of("chat.postMessage") if c.params.get("channel") == SLACK_CHANNEL]
    discord_posts = discord_api.calls_to("POST", rf"/channels/{DISCORD_CHANNEL}/messages")
    # Every owed post went out once on each platform, and the second tick sent nothing again.
    assert len(slack_posts) == len(discord_posts) == len(rows) // 2 >= 1
    assert "Daily countdown for tiktok" in json.dumps([c.params for c in slack_posts])
    assert "Daily countdown for tiktok" in json.dumps([c.json for c in discord_posts])
    assert watch.longest < 0.5, f"the event loop stalled for {watch.longest:.2f}s"
