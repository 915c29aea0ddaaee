"""The Slack adapter end to end: real slack-bolt AsyncApp (HTTP and Socket Mode), real BriefBot, fake Slack API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import SlackRuntime, build_slack, make_client
from bot.channels import find_channel
from bot.config import ConfigError, Settings
from bot.core import BriefBot
from bot.http import make_http_app, start_http
from bot.schedule import Scheduler
from facts.ingest import Overrides, ingest_document, read_document
from tests.botkit import Clock
from tests.fakes.slack_api import BOT_USER_ID, SIGNING_SECRET, Failure, FakeSlackApi, block_errors

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "slack"
SECRET = SIGNING_SECRET
CHANNEL = "C0TRADE001"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def signed_headers(
    body: str, content_type: str, timestamp: int | None = None, secret: str = SECRET
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


async def post(
    http: aiohttp.ClientSession,
    slack: SlackRuntime,
    body: str,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> aiohttp.ClientResponse:
    sent = signed_headers(body, content_type) if headers is None else headers
    url = f"http://127.0.0.1:{slack.port}/slack/events"
    async with http.post(url, data=body, headers=sent, timeout=aiohttp.ClientTimeout(total=5)) as response:
        await response.read()
        return response


async def command(
    http: aiohttp.ClientSession, slack: SlackRuntime, api: FakeSlackApi, text: str, **fields: str
) -> dict[str, Any]:
    """Send `/brief <text>` like Slack does and return what the bot POSTed to the response_url."""
    before = len(api.of("response_url"))
    payload = (
        fixture("slash_command") | {"text": text, "response_url": api.response_url(str(before))} | fields
    )
    response = await post(http, slack, urlencode(payload), "application/x-www-form-urlencoded")
    assert response.status == 200
    calls = await api.wait_for("response_url", before + 1)
    return calls[before].params


def said(params: dict[str, Any]) -> str:
    return json.dumps(params.get("blocks", []), ensure_ascii=False) + params.get("text", "")


# -- slash commands --------------------------------------------------------------------------------------


async def test_url_verification_answers_the_challenge(
    http: aiohttp.ClientSession, slack: SlackRuntime
) -> None:
    body = json.dumps(fixture("url_verification"))
    headers = signed_headers(body, "application/json")
    async with http.post(
        f"http://127.0.0.1:{slack.port}/slack/events", data=body, headers=headers
    ) as response:
        assert response.status == 200
        assert (await response.json())["challenge"] == fixture("url_verification")["challenge"]


async def test_healthz_on_the_same_server(http: aiohttp.ClientSession, slack: SlackRuntime) -> None:
    async with http.get(f"http://127.0.0.1:{slack.port}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True, "checks": {"slack": True}}


async def test_start_verifies_the_token_with_auth_test(slack: SlackRuntime, slack_api: FakeSlackApi) -> None:
    assert slack_api.of("auth.test") and slack.bot_user_id == BOT_USER_ID


async def test_slash_command_is_acked_before_the_answer_is_delivered(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    slack_api.response_gate = asyncio.Event()  # the answer's delivery hangs until released
    payload = fixture("slash_command") | {"text": "deadlines", "response_url": slack_api.response_url()}
    response = await post(http, slack, urlencode(payload), "application/x-www-form-urlencoded")
    assert response.status == 200 and not slack_api.of("response_url")
    slack_api.response_gate.set()
    (reply,) = await slack_api.wait_for("response_url")
    assert "September 17" in said(reply.params)


async def test_stop_lets_an_answer_in_progress_finish(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    slack_api.response_gate = asyncio.Event()  # the answer's delivery hangs until released
    payload = fixture("slash_command") | {"text": "deadlines", "response_url": slack_api.response_url()}
    response = await post(http, slack, urlencode(payload), "application/x-www-form-urlencoded")
    assert response.status == 200
    for _ in range(500):  # the answer runs in a task of its own, after the ack
        if slack.in_flight.count:
            break
        await asyncio.sleep(0.01)
    assert slack.in_flight.count == 1
    stopping = asyncio.create_task(slack.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done() and not slack_api.of("response_url")
    slack_api.response_gate.set()
    await asyncio.wait_for(stopping, 5)
    (reply,) = slack_api.of("response_url")
    assert "September 17" in said(reply.params)


async def test_mounted_on_the_composition_roots_server(
    core: BriefBot, slack_api: FakeSlackApi, http: aiohttp.ClientSession
) -> None:
    runtime = SlackRuntime(
        core, make_client(slack_api.token, slack_api.base_url), signing_secret=SECRET, port=1
    )
    web_app = make_http_app(runtime.health)
    runtime.mount(web_app)
    runner = await start_http(web_app, 0, "127.0.0.1")
    try:
        await runtime.start()
        runtime.port = int(runner.addresses[0][1])
        assert runtime._runner is None  # no second listener
        async with http.get(f"http://127.0.0.1:{runtime.port}/healthz") as health:
            assert (await health.json())["checks"] == {"slack": True}
        await post(http, runtime, json.dumps(fixture("message_im")))
        (call,) = await slack_api.wait_for("chat.postMessage")
        assert call.params["channel"] == "D0ALICEDM1"
    finally:
        await runtime.stop()
        await runner.cleanup()


async def test_a_refused_token_is_a_one_line_configuration_error(
    core: BriefBot, slack_api: FakeSlackApi
) -> None:
    runtime = SlackRuntime(core, make_client("xoxb-wrong-secret", slack_api.base_url), signing_secret=SECRET)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN: Slack refused it \\(invalid_auth\\)") as raised:
        await runtime.start()
    assert "xoxb-wrong-secret" not in str(raised.value) and not runtime.connected


async def test_ask_answers_with_the_source(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    reply = await command(http, slack, slack_api, "ask what's the tariff rate?")
    assert reply["response_type"] == "in_channel"
    assert "30%" in said(reply)
    assert block_errors(reply["blocks"]) == []
    context = [b for b in reply["blocks"] if b["type"] == "context"]
    assert context and "September 15, 2025" in json.dumps(context)


async def test_help_is_ephemeral(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    reply = await command(http, slack, slack_api, "help")
    assert reply["response_type"] == "ephemeral"
    for sub in ("ask", "deadlines", "topics", "subscribe", "unsubscribe", "subscriptions", "settings"):
        assert sub in said(reply)
    assert "&lt;question&gt;" in said(reply)


async def test_unknown_command_is_an_ephemeral_error(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    reply = await command(http, slack, slack_api, "subscribe no-such-topic")
    assert reply["response_type"] == "ephemeral"
    assert "no-such-topic" in said(reply)


async def test_deadlines_counts_down_from_now(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    reply = await command(http, slack, slack_api, "deadlines")
    assert reply["response_type"] == "in_channel"
    assert "September 17" in said(reply) and "2 days" in said(reply)
    assert block_errors(reply["blocks"]) == []


async def test_topics_lists_the_taxonomy(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    reply = await command(http, slack, slack_api, "topics")
    for topic in await core.topic_names():
        assert topic in said(reply)


async def test_subscribe_subscriptions_settings_unsubscribe(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    reply = await command(http, slack, slack_api, "subscribe tariffs tiktok")
    assert "Now following" in said(reply)
    channel = find_channel(core.store.engine, "slack", CHANNEL)
    assert channel is not None and sorted(channel.topics) == ["tariffs", "tiktok"]

    reply = await command(http, slack, slack_api, "subscriptions")
    assert "tariffs, tiktok" in said(reply) and "09:00 UTC" in said(reply)

    reply = await command(http, slack, slack_api, "settings time 08:30 tz Europe/Berlin")
    assert "08:30 Europe/Berlin" in said(reply)

    reply = await command(http, slack, slack_api, "unsubscribe tariffs")
    assert "Stopped following tariffs" in said(reply)
    channel = find_channel(core.store.engine, "slack", CHANNEL)
    assert channel is not None and list(channel.topics) == ["tiktok"]
    assert all(block_errors(c.params["blocks"]) == [] for c in slack_api.of("response_url"))


# -- events ----------------------------------------------------------------------------------------------


async def test_mention_is_answered_in_its_thread(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    response = await post(http, slack, json.dumps(fixture("app_mention")))
    assert response.status == 200
    (call,) = await slack_api.wait_for("chat.postMessage")
    assert call.params["channel"] == CHANNEL
    assert call.params["thread_ts"] == "1726401234.000200"
    assert "30%" in said(call.params)
    assert call.token == slack_api.token


async def test_direct_message_is_answered_in_the_dm(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    await post(http, slack, json.dumps(fixture("message_im")))
    (call,) = await slack_api.wait_for("chat.postMessage")
    assert call.params["channel"] == "D0ALICEDM1"
    assert "thread_ts" not in call.params
    assert "September 17" in said(call.params) or "December 16" in said(call.params)


async def test_the_bots_own_dm_is_ignored(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    own = fixture("message_im")
    own["event"] |= {"user": BOT_USER_ID, "bot_id": "BBRIEFBOT", "event_id": "Ev0OWN"}
    own["event_id"] = "Ev0OWN"
    await post(http, slack, json.dumps(own))
    await post(http, slack, json.dumps(fixture("message_im")))
    await slack.wait_processed(1)
    await slack_api.wait_for("chat.postMessage")
    assert len(slack_api.of("chat.postMessage")) == 1


async def test_app_home_shows_deadlines_and_followers(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    await command(http, slack, slack_api, "subscribe tiktok")
    await post(http, slack, json.dumps(fixture("app_home_opened")))
    (call,) = await slack_api.wait_for("views.publish")
    assert call.params["user_id"] == "U0ALICE001"
    view = call.params["view"]
    assert view["type"] == "home"
    assert block_errors(view["blocks"], 100) == []
    text = json.dumps(view["blocks"])
    assert "Upcoming deadlines" in text and "September 17" in text
    assert "tiktok" in text and CHANNEL in text


async def test_retries_of_one_event_give_one_reply(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    body = json.dumps(fixture("app_mention"))
    for retry in (None, "1", "2"):
        headers = signed_headers(body, "application/json")
        if retry:
            headers |= {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        response = await post(http, slack, body, headers=headers)
        assert response.status == 200
    await slack.wait_processed(3)
    assert len(slack_api.of("chat.postMessage")) == 1


# -- request verification --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["bad signature", "missing signature", "missing timestamp", "301 s old"])
async def test_unverified_requests_get_401_and_cause_no_call(
    case: str, http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    body = json.dumps(fixture("app_mention"))
    headers = signed_headers(body, "application/json")
    if case == "bad signature":
        headers = signed_headers(body, "application/json", secret="not-the-secret")
    elif case == "missing signature":
        del headers["X-Slack-Signature"]
    elif case == "missing timestamp":
        del headers["X-Slack-Request-Timestamp"]
    else:
        headers = signed_headers(body, "application/json", timestamp=int(time.time()) - 301)
    calls_before = len(slack_api.attempts)
    response = await post(http, slack, body, headers=headers)
    assert response.status == 401
    assert len(slack_api.attempts) == calls_before
    # A correctly signed request after it is the only one answered: the rejected one never reached the bot.
    await post(http, slack, json.dumps(fixture("message_im")))
    await slack.wait_processed(1)
    calls = [c.method for c in slack_api.attempts[calls_before:] if c.method != "auth.test"]
    assert calls == ["chat.postMessage"]
    assert slack_api.of("chat.postMessage")[0].params["channel"] == "D0ALICEDM1"


# -- scheduled posts through the Sender ------------------------------------------------------------------


async def subscribe_and_tick(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot, clock: Clock
) -> Scheduler:
    await command(http, slack, slack_api, "subscribe tiktok tariffs")
    scheduler = Scheduler(core.store, {"slack": slack.sender}, clock)
    clock.now = datetime(2025, 9, 16, 9, 0, 30, tzinfo=UTC)
    await scheduler.tick()
    return scheduler


async def test_scheduled_countdown_reaches_chat_post_message_with_valid_blocks(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot, clock: Clock
) -> None:
    await subscribe_and_tick(http, slack, slack_api, core, clock)
    posts = [c.params for c in slack_api.of("chat.postMessage") if c.params["channel"] == CHANNEL]
    headers = sorted(p["blocks"][0]["text"]["text"] for p in posts if p["blocks"][0]["type"] == "header")
    assert headers == [
        "Daily countdown for tariffs, tiktok — Tuesday, September 16, 2025",
        "Reminder: deadline tomorrow",
    ]
    (daily,) = [p for p in posts if "Daily countdown" in p["text"]]
    assert block_errors(daily["blocks"]) == []
    assert {b["type"] for b in daily["blocks"]} <= {"section", "context", "header", "divider"}
    assert daily["blocks"][-1]["type"] == "context" and "September 15, 2025" in json.dumps(
        daily["blocks"][-1]
    )
    assert "tomorrow (1 day)" in said(daily) and "1 day old" in said(daily)
    assert daily["metadata"]["event_type"] == "briefbot_post"


async def test_a_429_then_200_gives_exactly_one_post(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot, clock: Clock
) -> None:
    slack_api.fail_next("chat.postMessage", Failure(status=429, retry_after=0))
    await subscribe_and_tick(http, slack, slack_api, core, clock)
    attempts = [c for c in slack_api.attempts if c.method == "chat.postMessage"]
    posted = [c for c in slack_api.of("chat.postMessage") if c.params["channel"] == CHANNEL]
    assert len(attempts) >= 2 and len(posted) == len(attempts) - 1
    assert len({json.dumps(c.params["blocks"]) for c in posted}) == len(posted)  # no post went out twice
    rows = _ledger_rows(core)
    assert len(posted) == len(rows) and {row["status"] for row in rows} == {"sent"}


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "is_archived"])
async def test_removed_from_the_channel_stops_its_posts(
    error: str,
    http: aiohttp.ClientSession,
    slack: SlackRuntime,
    slack_api: FakeSlackApi,
    core: BriefBot,
    clock: Clock,
) -> None:
    for _ in range(10):
        slack_api.fail_next("chat.postMessage", Failure(error=error))
    scheduler = await subscribe_and_tick(http, slack, slack_api, core, clock)
    attempts = [c for c in slack_api.attempts if c.method == "chat.postMessage"]
    assert attempts and not slack_api.of("chat.postMessage")
    # Each post due (the daily countdown and a reminder) was tried once, never retried, and marked gone.
    rows = _ledger_rows(core)
    assert len(rows) == len(attempts) and {row["status"] for row in rows} == {"gone"}
    channel = find_channel(core.store.engine, "slack", CHANNEL)
    assert channel is not None and not channel.active
    clock.now += timedelta(days=1)
    await scheduler.tick()
    assert [c for c in slack_api.attempts if c.method == "chat.postMessage"] == attempts


def _ledger_rows(core: BriefBot) -> list[dict[str, Any]]:
    from bot.delivery import Ledger

    return Ledger(core.store.engine).rows()


# -- escaping --------------------------------------------------------------------------------------------


ARTICLE = """---
title: "Tariff alert <!channel> from <@U0MALLORY>"
published: 2025-09-15
---
Officials said on Monday that U.S. duties of 45% on steel <!channel> <!here> & <@U0MALLORY> would stay.
"""


@pytest.fixture
def article(tmp_path: Path, core: BriefBot) -> None:
    path = tmp_path / "alert.md"
    path.write_text(ARTICLE)
    ingest_document(core.store, read_document(path, Overrides(), date(2025, 9, 15)))


@pytest.mark.usefixtures("article")
async def test_article_text_with_channel_pings_is_escaped(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi
) -> None:
    mention = fixture("app_mention")
    mention["event"]["text"] = f"<@{BOT_USER_ID}> what are the duties on steel?"
    await post(http, slack, json.dumps(mention))
    (call,) = await slack_api.wait_for("chat.postMessage")
    rendered = said(call.params)
    assert "45%" in rendered
    for raw in ("<!channel>", "<!here>", "<@U0MALLORY>"):
        assert raw not in rendered
    assert "&lt;!channel&gt;" in rendered


def test_settings_choose_the_mode(core: BriefBot) -> None:
    socket = build_slack(Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1"), core)
    http_mode = build_slack(Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"), core)
    assert (socket.mode, http_mode.mode) == ("socket", "http")
    assert http_mode.port == 3000
    assert str(socket.client.base_url) == "https://slack.com/api/"


# -- Socket Mode: the real AsyncSocketModeHandler on a WebSocket to the fake -------------------------------


@pytest.fixture
async def socket_slack(core: BriefBot, slack_api: FakeSlackApi) -> AsyncIterator[SlackRuntime]:
    settings = Settings(
        SLACK_BOT_TOKEN=SecretStr(slack_api.token),
        SLACK_APP_TOKEN=SecretStr(slack_api.app_token),
        BRIEFBOT_SLACK_API_URL=slack_api.base_url,
    )
    runtime = build_slack(settings, core)
    await runtime.start()
    yield runtime
    await runtime.stop()


def acks(api: FakeSlackApi, envelope_id: str) -> list[dict[str, Any]]:
    return [c.params for c in api.of("socket.ack") if c.params.get("envelope_id") == envelope_id]


async def test_socket_mode_connects_with_the_app_token(
    socket_slack: SlackRuntime,
    slack_api: FakeSlackApi,
) -> None:
    await slack_api.wait_for("socket.connected")
    (opened,) = slack_api.of("apps.connections.open")
    assert opened.token == slack_api.app_token
    assert socket_slack.mode == "socket" and socket_slack.connected
    assert socket_slack.port == 3000 and not socket_slack._runner  # no HTTP listener of its own


async def test_mention_over_the_socket_is_acked_and_answered_once(
    socket_slack: SlackRuntime,
    slack_api: FakeSlackApi,
) -> None:
    await slack_api.wait_for("socket.connected")
    body = fixture("app_mention")
    await slack_api.send_envelope("events_api", body, "env-1")
    await slack_api.send_envelope("events_api", body, "env-2")  # Slack's retry of the same event
    await socket_slack.wait_processed(2)
    await slack_api.wait_for("socket.ack", 2)
    assert acks(slack_api, "env-1") and acks(slack_api, "env-2")
    (call,) = slack_api.of("chat.postMessage")
    assert call.params["thread_ts"] == "1726401234.000200" and "30%" in json.dumps(call.params["blocks"])


async def test_slash_command_over_the_socket_answers_through_response_url(
    socket_slack: SlackRuntime,
    slack_api: FakeSlackApi,
) -> None:
    await slack_api.wait_for("socket.connected")
    payload = fixture("slash_command") | {"text": "deadlines", "response_url": slack_api.response_url("s1")}
    await slack_api.send_envelope("slash_commands", payload, "env-cmd")
    (reply,) = await slack_api.wait_for("response_url")
    await slack_api.wait_for("socket.ack")
    assert acks(slack_api, "env-cmd")
    assert "September 17" in json.dumps(reply.params["blocks"]) and block_errors(reply.params["blocks"]) == []


async def test_stop_closes_the_socket(socket_slack: SlackRuntime, slack_api: FakeSlackApi) -> None:
    await slack_api.wait_for("socket.connected")
    await socket_slack.stop()
    await slack_api.wait_for("socket.closed")
    assert not socket_slack.connected
