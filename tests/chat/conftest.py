"""Fixtures for the chat adapter tests: SQLite only, a settable clock, and the real core over the bundled article."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest

from bot.core import BriefBot
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document
from facts.store import FactStore
from tests.botkit import Clock
from tests.conftest import BUNDLED


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
