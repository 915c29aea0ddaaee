"""`/brief add <link>` end to end: real slack-bolt and discord.py against the fake APIs, the terminal chat,
a real loopback web server, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import discord
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.discord.app import DiscordRuntime
from adapters.slack.app import SlackRuntime
from bot.commands import CommandError, parse
from bot.config import Settings
from bot.core import BriefBot, CoreOptions
from bot.messages import Incoming
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document
from facts.store import FactStore
from tests.botkit import Clock
from tests.chat.conftest import started
from tests.chat.test_discord_app import DEFERRED_CALLBACK, EDITOR, READER, Chat, embed_text
from tests.chat.test_slack_app import fixture, post, said
from tests.conftest import BUNDLED
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi, block_errors
from tests.web.conftest import page

HTML = "text/html; charset=utf-8"
CANONICAL = "https://news.example/2025/11/tariff-truce-extended"
TITLE = "Tariff truce extended by 90 days"


@pytest.fixture
def core(store: FactStore) -> BriefBot:
    """The real core over the bundled article, allowed to fetch from the loopback test server."""
    upgrade_bot_tables(store.engine)
    clock = Clock(datetime(2025, 11, 20, 12, 0, tzinfo=UTC))
    ingest_document(store, read_document(BUNDLED, Overrides(), clock.now.date()))
    return BriefBot(store, clock, CoreOptions(fetch_allow="127.0.0.1"))


class Gate:
    """Holds a page's answer until released, so a test can see the chat acknowledged the command first."""

    def __init__(self) -> None:
        self.open = threading.Event()

    def handler(self, body: bytes) -> object:
        def answer(_request: Request) -> Response:
            assert self.open.wait(timeout=30), "the test never released the page"
            return Response(body, content_type=HTML)

        return answer


@pytest.fixture
def gate(web: HTTPServer) -> Iterator[Gate]:
    held = Gate()
    yield held
    held.open.set()  # never leave a server thread waiting


def documents(store: FactStore) -> int:
    return store.count()[0]


# -- the command itself --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("add https://news.example/a?b=1,2", "https://news.example/a?b=1,2"),
        ("add <https://news.example/a>", "https://news.example/a"),
        ("ADD <https://news.example/a|news.example/a>", "https://news.example/a"),
    ],
)
def test_add_takes_one_link(typed: str, link: str) -> None:
    assert parse(typed).args == (link,)


@pytest.mark.parametrize(
    ("typed", "said_"),
    [("add", "one link"), ("add a b", "one link"), ("add file:///etc/passwd", "not a web link")],
)
def test_add_without_one_web_link(typed: str, said_: str) -> None:
    with pytest.raises(CommandError, match=said_):
        parse(typed)


def test_the_allow_setting_reaches_the_core() -> None:
    options = CoreOptions.from_settings(Settings(BRIEFBOT_FETCH_ALLOW="10.0.0.0/8"))
    assert options.fetch_allow == "10.0.0.0/8"


async def test_the_core_says_what_it_learned(core: BriefBot, store: FactStore, web: HTTPServer) -> None:
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    incoming = Incoming(platform="console", channel="console", user="me", text=f"add {web.url_for('/truce')}")
    before = documents(store)
    (reply,) = await core.handle(incoming)
    assert reply.kind == "info" and not reply.ephemeral
    assert reply.title.startswith(f"Added “{TITLE}” (published 2025-11-10): ")
    assert " facts on tariffs" in reply.title
    assert [(c.title, c.url) for c in reply.citations] == [(TITLE, CANONICAL)]
    assert CANONICAL in reply.text  # the terminal prints the link
    assert documents(store) == before + 1

    (again,) = await core.handle(incoming)
    assert again.title == f"Already have “{TITLE}” (published 2025-11-10); nothing changed."
    assert documents(store) == before + 1


async def test_a_bad_page_is_one_ephemeral_line_and_stores_nothing(
    core: BriefBot, store: FactStore, web: HTTPServer
) -> None:
    web.expect_request("/front").respond_with_data(page("no-article.html"), content_type=HTML)
    web.expect_request("/gone").respond_with_data("no", status=404, content_type=HTML)
    before = documents(store)
    for path, reason in [("/front", "no article text"), ("/gone", "answered 404")]:
        incoming = Incoming(platform="console", channel="console", user="me", text=f"add {web.url_for(path)}")
        (reply,) = await core.handle(incoming)
        assert reply.kind == "error" and reply.ephemeral
        assert reply.text.startswith("Could not add it: ") and reason in reply.text and "\n" not in reply.text
    assert documents(store) == before


async def test_an_internal_address_is_refused_without_the_setting(store: FactStore, web: HTTPServer) -> None:
    upgrade_bot_tables(store.engine)
    core = BriefBot(store, Clock(datetime(2025, 11, 20, tzinfo=UTC)))
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    incoming = Incoming(platform="console", channel="console", user="me", text=f"add {web.url_for('/truce')}")
    (reply,) = await core.handle(incoming)
    assert "internal address 127.0.0.1" in reply.text
    assert not [r for r, _ in web.log if r.path == "/truce"]


# -- Slack -------------------------------------------------------------------------------------------------


async def test_slack_acks_at_once_then_says_what_it_added(
    slack: SlackRuntime, slack_api: FakeSlackApi, web: HTTPServer, gate: Gate, store: FactStore
) -> None:
    web.expect_request("/truce").respond_with_handler(gate.handler(page("article-jsonld.html")))
    link = web.url_for("/truce")
    payload = fixture("slash_command") | {"text": f"add <{link}>", "response_url": slack_api.response_url()}
    async with aiohttp.ClientSession() as http:
        response = await post(http, slack, urlencode(payload), "application/x-www-form-urlencoded")
    # Acknowledged while the page has not been served yet: the fetch cannot hold up Slack's 3 seconds.
    assert response.status == 200 and not slack_api.of("response_url")
    gate.open.set()
    (reply,) = await slack_api.wait_for("response_url", timeout=30)
    params = reply.params
    assert params["response_type"] == "in_channel"
    assert f"Added “{TITLE}” (published 2025-11-10)" in said(params)
    assert block_errors(params["blocks"]) == []
    assert f"<{CANONICAL}|{TITLE}>" in json.dumps(
        params["blocks"], ensure_ascii=False
    )  # a link to the source
    assert documents(store) == 2


# -- Discord -----------------------------------------------------------------------------------------------


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    server = await FakeDiscord().start()
    yield server
    await server.close()
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
async def discord_bot(fake_discord: FakeDiscord, core: BriefBot) -> AsyncIterator[DiscordRuntime]:
    runtime = await started(fake_discord, core, defer_after=0.2)
    yield runtime
    await runtime.stop()


async def test_discord_defers_a_slow_fetch_then_follows_up(
    fake_discord: FakeDiscord, discord_bot: DiscordRuntime, web: HTTPServer, gate: Gate, store: FactStore
) -> None:
    web.expect_request("/truce").respond_with_handler(gate.handler(page("article-jsonld.html")))
    chat = Chat(fake_discord)
    first = await chat.command("add", permissions=READER, link=web.url_for("/truce"))
    assert first["type"] == DEFERRED_CALLBACK  # "briefbot is thinking…" while the page is held
    gate.open.set()
    (edit,) = await fake_discord.wait_for_calls(
        "PATCH", rf"/webhooks/{fake_discord.application_id}/[^/]+/messages/@original", timeout=30
    )
    assert f"Added “{TITLE}” (published 2025-11-10)" in embed_text(edit.json)
    assert [e.get("url") for e in edit.json["embeds"]] == [CANONICAL]  # the embed links to the source
    assert edit.json["allowed_mentions"] == {"parse": []}
    assert documents(store) == 2


async def test_discord_add_from_anyone_and_errors_stay_private(
    fake_discord: FakeDiscord, discord_bot: DiscordRuntime, web: HTTPServer, store: FactStore
) -> None:
    web.expect_request("/gone").respond_with_data("no", status=404, content_type=HTML)
    chat = Chat(fake_discord)
    first = await chat.command("add", permissions=EDITOR, link=web.url_for("/gone"))
    if first["type"] == DEFERRED_CALLBACK:
        (answer,) = await fake_discord.wait_for_calls(
            "POST", rf"/webhooks/{fake_discord.application_id}/[^/]+", timeout=30
        )
        text, flags = embed_text(answer.json), answer.json.get("flags", 0)
    else:
        text, flags = embed_text(first), first["data"].get("flags", 0)
    assert "answered 404" in text and flags & 64
    assert documents(store) == 1


# -- the terminal chat -------------------------------------------------------------------------------------


def test_the_terminal_chat_adds_a_link(web: HTTPServer, tmp_path: Path) -> None:
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    env = {
        **os.environ,
        "BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "BRIEFBOT_FETCH_ALLOW": "127.0.0.1",
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("briefbot")), "run", "--now", "2025-11-20T12:00:00Z"],
        input=f"add {web.url_for('/truce')}\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"Added “{TITLE}” (published 2025-11-10): " in done.stdout
    assert f"Source: {TITLE} (November 10, 2025) {CANONICAL}" in done.stdout
