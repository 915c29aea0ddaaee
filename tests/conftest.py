"""Shared fixtures: a fresh store per test on every configured database."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pg import PostgresServer, pg_server, pg_url  # noqa: F401 - fixtures for every test module
from pydantic import SecretStr

from adapters.slack.app import SlackRuntime, build_slack
from bot.config import Settings
from bot.core import BriefBot
from facts.store import FactStore
from tests.fakes.slack_api import SIGNING_SECRET, FakeSlackApi

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "facts" / "corpus" / "2025-09-15-us-china-tiktok-madrid.md"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real data directory and .env."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_")):
            monkeypatch.delenv(name)


def database_backends() -> list[str]:
    """The databases the store contract runs on: SQLite and PostgreSQL (skipped, with the reason, without a server)."""
    return ["sqlite", "postgresql"]


@pytest.fixture(params=database_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("pg_server")
        name = server.create_database()
        request.addfinalizer(lambda: server.drop_database(name))
        return server.url(name)
    raise AssertionError(request.param)


@pytest.fixture
def store(database_url: str) -> Iterator[FactStore]:
    """An empty, migrated fact store."""
    opened = FactStore.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    """A fake Slack Web API on loopback."""
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(core: BriefBot, slack_api: FakeSlackApi) -> AsyncIterator[SlackRuntime]:
    """The real slack-bolt app over HTTP against the fake API, serving the test module's `core`."""
    settings = Settings(
        SLACK_BOT_TOKEN=SecretStr(slack_api.token),
        SLACK_SIGNING_SECRET=SecretStr(SIGNING_SECRET),
        BRIEFBOT_SLACK_API_URL=slack_api.base_url,
        BRIEFBOT_HTTP_PORT=0,
    )
    runtime = build_slack(settings, core, host="127.0.0.1")
    await runtime.start()
    yield runtime
    await runtime.stop()
