"""The Discord adapter end to end: real discord.py and BriefBot against a fake Discord REST API and gateway."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from adapters.discord.app import DiscordRuntime, build_discord, configure_endpoints
from bot import channels as store_channels
from bot.core import BriefBot
from bot.delivery import Delivery, Entry, Ledger, nonce
from bot.messages import ChannelGone, Message, TemporaryFailure
from bot.schedule import Scheduler
from tests.botkit import Clock
from tests.chat.conftest import GUILD, settings_for, started
from tests.fakes.discord_api import EPHEMERAL, Call, FakeDiscord, load_fixture

CHANNEL = "1300000000000000001"
EDITOR = "2248473465835089"  # @everyone + Manage Channels
READER = "2248473465835073"  # @everyone only
MESSAGE_CONTENT_INTENT = 1 << 15
COMMAND_CALLBACK = 4
DEFERRED_CALLBACK = 5
AUTOCOMPLETE_CALLBACK = 8


@dataclass
class Chat:
    """Sends interactions through the fake gateway and reads what the bot answered."""

    fake: FakeDiscord

    async def command(self, name: str, permissions: str = EDITOR, **options: str) -> dict[str, Any]:
        """Run /brief <name> option:value… and return the first interaction response the bot made."""
        payload = self.payload("interaction_create_command", name, permissions, options)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        calls = await self.fake.wait_for_calls("POST", rf"/interactions/{payload['id']}/[^/]+/callback")
        return calls[0].json

    async def autocomplete(self, name: str, typed: str) -> list[dict[str, str]]:
        """Type into the topic option of /brief <name> and return the choices offered."""
        payload = self.payload("interaction_create_autocomplete", name, EDITOR, {})
        payload["data"]["options"][0]["options"] = [
            {"name": "topic", "type": 3, "value": typed, "focused": True}
        ]
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        calls = await self.fake.wait_for_calls("POST", rf"/interactions/{payload['id']}/[^/]+/callback")
        assert calls[0].json["type"] == AUTOCOMPLETE_CALLBACK
        return calls[0].json["data"]["choices"]

    def payload(self, fixture: str, name: str, permissions: str, options: dict[str, str]) -> dict[str, Any]:
        payload = load_fixture(fixture)
        payload["id"] = self.fake.next_id()
        payload["token"] = f"token-{payload['id']}"
        payload["member"]["permissions"] = permissions
        payload["data"]["options"] = [
            {
                "name": name,
                "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
            }
        ]
        return payload


@pytest.fixture
def chat(fake: FakeDiscord, discord_bot: DiscordRuntime) -> Chat:
    return Chat(fake)


def embed_text(response: dict[str, Any]) -> str:
    """Everything a person reads in a response: content, embed title, description, fields and footer."""
    data = response.get("data", response)
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [
            embed.get("title", ""),
            embed.get("description", ""),
            embed.get("footer", {}).get("text", ""),
        ]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(p for p in parts if p)


def is_ephemeral(response: dict[str, Any]) -> bool:
    return bool(int(response["data"].get("flags") or 0) & EPHEMERAL)


# -- connection ------------------------------------------------------------------------------------------


async def test_start_logs_in_syncs_to_the_guild_and_identifies_without_privileged_intents(
    fake: FakeDiscord, discord_bot: DiscordRuntime
) -> None:
    assert discord_bot.connected
    assert discord_bot.client.allowed_mentions is not None
    assert discord_bot.client.allowed_mentions.to_dict() == {"parse": []}
    assert [c.route for c in fake.calls if c.method != "WS"][:3] == [
        "/users/@me",
        "/oauth2/applications/@me",
        f"/applications/{fake.application_id}/guilds/{GUILD}/commands",
    ]
    (sync,) = fake.calls_to("PUT", r"/applications/\d+/guilds/\d+/commands")
    (brief,) = sync.json
    subcommands = {option["name"]: option for option in brief["options"]}
    assert brief["name"] == "brief"
    assert set(subcommands) == {
        "ask",
        "subscribe",
        "unsubscribe",
        "deadlines",
        "topics",
        "subscriptions",
        "settings",
        "feed",
        "feeds",
        "help",
        "add",
        "articles",
        "fix",
        "fix-undo",
        "forget",
    }
    assert subcommands["add"]["options"][0]["required"] is True
    assert [(o["name"], o["required"]) for o in subcommands["fix"]["options"]] == [
        ("fact", True),
        ("value", True),
        ("because", False),
    ]
    # /brief feed add|remove: a subcommand group (type 2) of two subcommands.
    assert subcommands["feed"]["type"] == 2
    assert [o["name"] for o in subcommands["feed"]["options"]] == ["add", "remove"]
    assert subcommands["subscribe"]["options"][0]["autocomplete"] is True
    assert subcommands["ask"]["options"][0]["required"] is True
    (identify,) = [c.json for c in fake.calls if c.method == "WS" and c.json.get("op") == 2]
    assert identify["d"]["token"] == "MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token"
    assert not identify["d"]["intents"] & MESSAGE_CONTENT_INTENT
    assert sync.headers["Authorization"] == "Bot MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token"


async def test_without_a_guild_commands_sync_globally(fake: FakeDiscord, core: BriefBot) -> None:
    runtime = await started(fake, core, guild=None)
    try:
        assert fake.calls_to("PUT", rf"/applications/{fake.application_id}/commands")
        assert not fake.calls_to("PUT", r"/applications/\d+/guilds/\d+/commands")
    finally:
        await runtime.stop()


async def test_stop_closes_the_gateway_and_a_bad_token_fails_start(fake: FakeDiscord, core: BriefBot) -> None:
    runtime = await started(fake, core)
    await runtime.stop()
    assert not runtime.connected and runtime.client.is_closed()
    await asyncio.sleep(0)
    assert fake._sockets == []
    fake.script("GET", r"/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    failing = build_discord(settings_for(fake), core)
    with pytest.raises(discord.LoginFailure):
        await failing.start()
    await failing.stop()


class GatedBot(BriefBot):
    """The real core, held at the door of `handle` until the test lets it through."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def handle(self, incoming: Any) -> list[Message]:
        self.entered.set()
        await self.release.wait()
        return await super().handle(incoming)


async def test_stop_lets_an_answer_in_progress_finish_and_turns_new_ones_away(
    fake: FakeDiscord, core: BriefBot, clock: Clock
) -> None:
    gated = GatedBot(core.store, clock)
    runtime = await started(fake, gated)
    chat = Chat(fake)
    asking = asyncio.create_task(chat.command("ask", question="what's the tariff rate?"))
    await asyncio.wait_for(gated.entered.wait(), 5)
    stopping = asyncio.create_task(runtime.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done() and runtime.connected
    turned_away = await chat.command("topics")
    assert is_ephemeral(turned_away) and "restarting" in turned_away["data"]["content"]
    gated.release.set()
    answered = await asyncio.wait_for(asking, 5)
    assert "%" in embed_text(answered)
    await asyncio.wait_for(stopping, 5)
    assert not runtime.connected


async def test_dropped_gateway_resumes_the_session(
    fake: FakeDiscord, discord_bot: DiscordRuntime, chat: Chat
) -> None:
    await fake.drop_gateway()
    await asyncio.wait_for(fake.resumed.wait(), 10)
    resume = [c.json for c in fake.calls if c.method == "WS" and c.json.get("op") == 6][-1]
    assert resume["d"]["session_id"] == load_fixture("ready")["session_id"]
    assert "Upcoming deadlines" in embed_text(await chat.command("deadlines"))
    assert discord_bot.connected


# -- every subcommand ------------------------------------------------------------------------------------


async def test_ask_answers_with_the_source_in_the_footer(chat: Chat) -> None:
    response = await chat.command("ask", question="what's the tariff rate?")
    assert response["type"] == COMMAND_CALLBACK
    assert not is_ephemeral(response)
    (embed,) = response["data"]["embeds"]
    assert "%" in embed["description"]
    assert embed["footer"]["text"].startswith("Source")
    assert "2025" in embed["footer"]["text"]
    assert response["data"]["allowed_mentions"] == {"parse": []}


async def test_subscribe_unsubscribe_and_subscriptions_change_the_channel(chat: Chat, core: BriefBot) -> None:
    subscribed = await chat.command("subscribe", topic="tiktok")
    assert "Now following tiktok" in embed_text(subscribed)
    channel = store_channels.find_channel(core.store.engine, "discord", CHANNEL)
    assert channel is not None and channel.topics == ("tiktok",)

    listed = await chat.command("subscriptions", permissions=READER)
    assert "Following: tiktok" in embed_text(listed)

    unsubscribed = await chat.command("unsubscribe", topic="tiktok")
    assert "Stopped following tiktok" in embed_text(unsubscribed)
    channel = store_channels.find_channel(core.store.engine, "discord", CHANNEL)
    assert channel is not None and channel.topics == ()


async def test_subscribing_needs_manage_channels(chat: Chat, core: BriefBot) -> None:
    for name, options in [("subscribe", {"topic": "tariffs"}), ("unsubscribe", {"topic": "tariffs"})]:
        response = await chat.command(name, permissions=READER, **options)
        assert is_ephemeral(response)
        assert "Manage Channels" in response["data"]["content"]
        assert response["data"]["allowed_mentions"] == {"parse": []}
    changed = await chat.command("settings", permissions=READER, time="07:30")
    assert is_ephemeral(changed) and "Manage Channels" in changed["data"]["content"]
    assert store_channels.find_channel(core.store.engine, "discord", CHANNEL) is None


async def test_settings_show_to_anyone_and_change_for_managers(chat: Chat, core: BriefBot) -> None:
    shown = await chat.command("settings", permissions=READER)
    assert "Daily post: 09:00 UTC" in embed_text(shown)
    changed = await chat.command("settings", time="07:30", tz="Europe/Berlin")
    assert "Settings saved" in embed_text(changed)
    assert "Daily post: 07:30 Europe/Berlin" in embed_text(changed)
    channel = store_channels.find_channel(core.store.engine, "discord", CHANNEL)
    assert channel is not None and (channel.post_time, channel.timezone) == ("07:30", "Europe/Berlin")
    wrong = await chat.command("settings", tz="Mars/Olympus")
    assert is_ephemeral(wrong) and "Mars/Olympus" in embed_text(wrong)


async def test_deadlines_topics_and_help(chat: Chat) -> None:
    deadlines = await chat.command("deadlines")
    assert deadlines["data"]["embeds"][0]["title"].startswith("Upcoming deadlines")
    assert "TikTok" in embed_text(deadlines)
    topics = await chat.command("topics")
    assert "tariffs" in embed_text(topics) and "tiktok" in embed_text(topics)
    helped = await chat.command("help")
    assert is_ephemeral(helped) and "subscribe" in embed_text(helped)


async def test_topic_autocomplete_offers_known_topics_matching_what_was_typed(
    chat: Chat, core: BriefBot
) -> None:
    known = await core.topic_names()
    everything = await chat.autocomplete("subscribe", "")
    assert [c["value"] for c in everything] == known[:25]
    typed = await chat.autocomplete("subscribe", "ta")
    values = [c["value"] for c in typed]
    assert values and values[0] == "tariffs"
    assert all("ta" in v for v in values)
    assert await chat.autocomplete("unsubscribe", "tik") == [{"name": "tiktok", "value": "tiktok"}]
    assert await chat.autocomplete("subscribe", "zzz") == []


# -- mentions, pings, deferral ---------------------------------------------------------------------------


async def test_mention_in_a_channel_is_answered_in_a_reply_that_pings_nobody(
    fake: FakeDiscord, chat: Chat
) -> None:
    await fake.dispatch("MESSAGE_CREATE", load_fixture("message_create_mention"))
    (reply,) = await fake.wait_for_calls("POST", rf"/channels/{CHANNEL}/messages")
    assert "%" in embed_text(reply.json)
    assert reply.json["message_reference"]["message_id"] == 1800000000000000001
    assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_direct_message_is_answered_without_a_mention(fake: FakeDiscord, chat: Chat) -> None:
    message = load_fixture("message_create_mention")
    del message["guild_id"], message["member"]
    message.update(content="deadlines", mentions=[], channel_id="1310000000000000001", id=fake.next_id())
    await fake.dispatch("MESSAGE_CREATE", message)
    (reply,) = await fake.wait_for_calls("POST", r"/channels/1310000000000000001/messages")
    assert "Upcoming deadlines" in embed_text(reply.json)


async def test_message_not_mentioning_the_bot_is_ignored(fake: FakeDiscord, chat: Chat) -> None:
    message = load_fixture("message_create_mention")
    message.update(content="what's the tariff rate?", mentions=[], id=fake.next_id())
    await fake.dispatch("MESSAGE_CREATE", message)
    await chat.command("help")  # a later event: by now the message was handled
    assert fake.calls_to("POST", r"/channels/\d+/messages") == []


async def test_everyone_in_a_question_is_answered_without_a_ping(chat: Chat) -> None:
    response = await chat.command("ask", question="@everyone what's the tariff rate? <@&1500000000000000001>")
    assert response["data"]["allowed_mentions"] == {"parse": []}
    text = embed_text(response)
    assert "@everyone" not in text and "<@&" not in text


async def test_slow_answer_is_deferred_then_edited_in(fake: FakeDiscord, core: BriefBot) -> None:
    runtime = await started(fake, core, defer_after=0.0)
    try:
        chat = Chat(fake)
        deferred = await chat.command("ask", question="what's the tariff rate?")
        assert deferred["type"] == DEFERRED_CALLBACK
        (edit,) = await fake.wait_for_calls(
            "PATCH", rf"/webhooks/{fake.application_id}/[^/]+/messages/@original"
        )
        assert "%" in embed_text(edit.json) and edit.json["allowed_mentions"] == {"parse": []}

        helped = await chat.command("help")  # an ephemeral answer after a public "thinking…"
        assert helped["type"] == DEFERRED_CALLBACK
        await fake.wait_for_calls("DELETE", rf"/webhooks/{fake.application_id}/[^/]+/messages/@original")
        (followup,) = await fake.wait_for_calls("POST", rf"/webhooks/{fake.application_id}/[^/]+")
        assert followup.json["flags"] & EPHEMERAL and "subscribe" in embed_text(followup.json)
    finally:
        await runtime.stop()


# -- scheduled posts through the ledger ------------------------------------------------------------------


def channel_posts(fake: FakeDiscord) -> list[Call]:
    return fake.calls_to("POST", rf"/channels/{CHANNEL}/messages")


async def test_daily_post_goes_through_the_ledger_with_a_nonce(
    fake: FakeDiscord, chat: Chat, discord_bot: DiscordRuntime, core: BriefBot, clock: Clock
) -> None:
    await chat.command("subscribe", topic="tiktok")
    scheduler = Scheduler(core.store, {"discord": discord_bot.sender}, clock)
    clock.now = datetime(2025, 9, 16, 9, 0, 30, tzinfo=UTC)
    report = await scheduler.tick()
    rows = {r["message_id"]: r for r in scheduler.ledger.rows() if r["status"] == "sent"}
    assert report.delivery is not None and report.delivery.sent == len(rows) >= 1
    posts = channel_posts(fake)
    assert len(posts) == len(rows)
    for post, created in zip(posts, fake.messages, strict=True):
        row = rows[created["id"]]  # the ledger recorded the id Discord gave the message
        assert post.json["nonce"] == nonce(row["key"]) and len(post.json["nonce"]) <= 25
        assert post.json["enforce_nonce"] is True
        assert post.json["allowed_mentions"] == {"parse": []}
        assert post.json["embeds"][0]["footer"]["text"].startswith("Source")
    by_kind = {rows[created["id"]]["kind"]: created for created in fake.messages}
    (daily,) = by_kind["briefing"]["embeds"]
    assert daily["title"].startswith("Daily countdown for tiktok") and "TikTok" in daily["description"]

    clock.now += timedelta(minutes=1)
    await scheduler.tick()
    assert len(channel_posts(fake)) == len(rows)


async def test_a_resend_with_the_same_nonce_is_dropped_by_discord(
    fake: FakeDiscord, discord_bot: DiscordRuntime
) -> None:
    message = Message("Daily countdown", kind="briefing", lines=("in 2 days — TikTok deadline",))
    first = await discord_bot.sender.send(CHANNEL, message, "a1b2c3d4e5f6a7b8c9d0e1f2a")
    again = await discord_bot.sender.send(CHANNEL, message, "a1b2c3d4e5f6a7b8c9d0e1f2a")
    assert first == again and len(fake.messages) == 1 and len(channel_posts(fake)) == 2


async def test_rate_limited_post_is_retried_by_discord_py_and_posted_once(
    fake: FakeDiscord, discord_bot: DiscordRuntime
) -> None:
    fake.script(
        "POST",
        rf"/channels/{CHANNEL}/messages",
        429,
        {"message": "You are being rate limited.", "retry_after": 0.05, "global": False, "code": 0},
        {"Retry-After": "1", "Via": "1.1 google", "X-RateLimit-Scope": "user"},
    )
    message_id = await discord_bot.sender.send(CHANNEL, Message("Reminder", kind="reminder"), "nonce-429")
    assert len(channel_posts(fake)) == 2
    assert [m["id"] for m in fake.messages] == [message_id]


async def test_429_without_via_is_a_temporary_failure_not_a_retry_loop(
    fake: FakeDiscord, discord_bot: DiscordRuntime
) -> None:
    fake.script("POST", rf"/channels/{CHANNEL}/messages", 429, {"message": "banned", "retry_after": 60})
    with pytest.raises(TemporaryFailure):
        await discord_bot.sender.send(CHANNEL, Message("Reminder", kind="reminder"), "nonce-ban")
    assert fake.messages == []


async def test_missing_channel_or_access_is_channel_gone(
    fake: FakeDiscord, discord_bot: DiscordRuntime
) -> None:
    with pytest.raises(ChannelGone, match="Unknown Channel"):
        await discord_bot.sender.send("1300000000000000999", Message("x"), "nonce-404")
    fake.forbidden_channels.add(CHANNEL)
    with pytest.raises(ChannelGone, match="Missing Access"):
        await discord_bot.sender.send(CHANNEL, Message("x"), "nonce-403")


async def test_ledger_stops_posting_to_a_channel_discord_says_is_gone(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot, clock: Clock
) -> None:
    gone = "1300000000000000999"
    channel = store_channels.ensure_channel(core.store.engine, "discord", gone, clock.now)
    ledger = Ledger(core.store.engine)
    ledger.add(
        [
            Entry(
                key=f"discord:{gone}:reminder:tiktok:2025-09-15",
                channel_id=channel.id,
                kind="reminder",
                subject="tiktok",
                occurrence="2025-09-15",
                due_at=clock.now,
                message=Message("TikTok deadline in 2 days", kind="reminder"),
            )
        ]
    )
    report = await Delivery(ledger, {"discord": discord_bot.sender}, timedelta(hours=6)).run(clock.now)
    assert report.gone == 1
    assert [r["status"] for r in ledger.rows()] == ["gone"]
    found = store_channels.find_channel(core.store.engine, "discord", gone)
    assert found is not None and not found.active


async def test_endpoints_default_to_discord(endpoints: None) -> None:
    configure_endpoints("", "")
    assert discord.http.Route.BASE == "https://discord.com/api/v10"
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
