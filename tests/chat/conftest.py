"""Fixtures for the chat adapter tests: SQLite only, a settable clock, and the real core over the bundled article."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.discord.app import DiscordRuntime, build_discord
from bot.config import Settings
from bot.core import BriefBot
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document
from facts.store import FactStore
from tests.botkit import Clock
from tests.conftest import BUNDLED
from tests.fakes.discord_api import FakeDiscord


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: these tests are about the adapters; the store contract runs on every database elsewhere."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def clock() -> Clock:
    """Noon on the bundled article's publication day."""
    return Clock(datetime(2025, 9, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
def core(store: FactStore, clock: Clock) -> BriefBot:
    """The real bot core over a store holding the bundled article."""
    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), clock.now.date()))
    return BriefBot(store, clock)


@pytest.fixture
def endpoints() -> Iterator[None]:
    """Restore discord.py's process-wide endpoints after a test moved them to the fake."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


GUILD = "1200000000000000001"


def settings_for(fake: FakeDiscord, guild: str | None = GUILD) -> Settings:
    """Settings that point discord.py at the fake API and gateway (one guild unless None)."""
    env: dict[str, Any] = {
        "DISCORD_TOKEN": "MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token",
        "BRIEFBOT_DISCORD_API_URL": fake.api_url,
        "BRIEFBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
    }
    if guild:
        env["BRIEFBOT_DISCORD_GUILD"] = guild
    return Settings(**env)


async def started(fake: FakeDiscord, core: BriefBot, **options: Any) -> DiscordRuntime:
    """The real Discord runtime over the core, connected to the fake."""
    runtime = build_discord(settings_for(fake, options.pop("guild", GUILD)), core, **options)
    await runtime.start()
    return runtime


@pytest.fixture
async def fake(endpoints: None) -> AsyncIterator[FakeDiscord]:
    """A fake Discord REST API and gateway on loopback."""
    server = await FakeDiscord().start()
    yield server
    await server.close()


@pytest.fixture
async def discord_bot(fake: FakeDiscord, core: BriefBot) -> AsyncIterator[DiscordRuntime]:
    """The bot connected to the fake Discord, stopped after the test."""
    runtime = await started(fake, core)
    yield runtime
    await runtime.stop()
