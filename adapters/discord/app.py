"""The discord.py glue: a Client with the /brief command group, @mention answers, a Sender and the runtime."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord.convert import (
    PLATFORM,
    incoming_for_command,
    incoming_from_mention,
    to_content,
    to_embed,
    topic_choices,
)
from adapters.discord.rating import RateButton, rating_view, submit_correction
from adapters.inflight import InFlight
from bot.config import Settings
from bot.messages import BotCore, ChannelGone, Incoming, Message, TemporaryFailure, answer_id_of

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
# Discord wants a response within 3 seconds; answers slower than this are deferred ("briefbot is thinking…").
DEFER_AFTER = 2.0
READY_TIMEOUT = 30.0
MAX_RATELIMIT_WAIT = 60.0
# JSON error codes meaning the channel is gone or closed to the bot.
GONE_CODES = frozenset({10003, 50001, 50013})
NO_MENTIONS = discord.AllowedMentions.none()
PERMISSION_ERROR = (
    "You need the **Manage Channels** permission in this channel to change what it follows or when it posts."
)
RESTARTING = Message("briefbot is restarting; please try again in a minute.", kind="error", ephemeral=True)
FAILURE = Message(
    "Sorry, something went wrong answering that. Please try again.", kind="error", ephemeral=True
)


def configure_endpoints(api_url: str = "", gateway_url: str = "") -> None:
    """Point discord.py at a REST API and gateway (a proxy or a fake); empty means Discord's own.

    Both are process-wide class attributes in discord.py: Route.BASE and DiscordWebSocket.DEFAULT_GATEWAY.
    """
    discord.http.Route.BASE = (api_url or DEFAULT_API_URL).rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DEFAULT_GATEWAY_URL)


def render(message: Message) -> dict[str, Any]:
    """Keyword arguments for a discord.py send: errors as plain text, everything else as an embed.

    A logged answer gets its 👍/👎 buttons (a View: call this inside the event loop).
    """
    if message.kind == "error":
        return {"content": to_content(message), "allowed_mentions": NO_MENTIONS}
    rendered: dict[str, Any] = {"embed": to_embed(message), "allowed_mentions": NO_MENTIONS}
    answer_id = answer_id_of(message)
    if answer_id is not None:
        rendered["view"] = rating_view(answer_id)
    return rendered


def manage_channels_here(*, only_to_change: bool = False) -> Any:
    """An app-command check: the member has Manage Channels in this channel (always true in a DM).

    With `only_to_change`, a call without options (just looking at the settings) needs no permission.
    """

    def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            return True
        if only_to_change and all(value is None for _, value in interaction.namespace):
            return True
        permissions = interaction.permissions
        if permissions.manage_channels or permissions.administrator:
            return True
        raise app_commands.MissingPermissions(["manage_channels"])

    return app_commands.check(predicate)


class Responder:
    """Runs one interaction through the bot core and answers it, deferring when the core is slow."""

    def __init__(self, core: BotCore, in_flight: InFlight, defer_after: float = DEFER_AFTER) -> None:
        self.core = core
        self.in_flight = in_flight
        self.defer_after = defer_after

    async def run(self, interaction: discord.Interaction) -> None:
        """Answer an application command: respond within the deadline, defer otherwise, then follow up."""
        if self.in_flight.closing:
            await interaction.response.send_message(ephemeral=True, **render(RESTARTING))
            return
        with self.in_flight.track():
            await self._run(interaction)

    async def _run(self, interaction: discord.Interaction) -> None:
        incoming = incoming_for_command(
            interaction.data or {},
            interaction_id=interaction.id,
            channel_id=interaction.channel_id or 0,
            user_id=interaction.user.id,
            in_guild=interaction.guild_id is not None,
            permissions=interaction.permissions.value,
        )
        logger.info("discord /brief %s in %s", incoming.text.split(" ", 1)[0] or "?", incoming.channel)
        task = asyncio.create_task(self._answer(incoming))
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        deferred = not done
        if deferred:
            await interaction.response.defer(thinking=True)
        try:
            messages = await task
        except Exception:
            logger.exception("the bot core failed on %r", incoming.text)
            messages = [FAILURE]
        if messages is None:
            # A duplicate delivery of an interaction another session answers.
            return
        await self._reply(interaction, messages or [Message("Done.", kind="info", ephemeral=True)], deferred)

    async def _answer(self, incoming: Incoming) -> list[Message] | None:
        if incoming.event_id and not await self.core.first_time(incoming.event_id):
            logger.info("ignoring an interaction seen before: %s", incoming.event_id)
            return None
        return await self.core.handle(incoming)

    async def _reply(self, interaction: discord.Interaction, messages: list[Message], deferred: bool) -> None:
        first, rest = messages[0], messages[1:]
        if not deferred:
            await interaction.response.send_message(ephemeral=first.ephemeral, **render(first))
        elif first.ephemeral:
            # The deferred "thinking" message is public; an ephemeral answer replaces it privately.
            await interaction.delete_original_response()
            await interaction.followup.send(ephemeral=True, **render(first))
        else:
            await interaction.edit_original_response(**render(first))
        for message in rest:
            await interaction.followup.send(ephemeral=message.ephemeral, **render(message))


class FeedGroup(app_commands.Group):
    """/brief feed add|remove: follow an RSS or Atom feed, or stop (both need Manage Channels)."""

    def __init__(self, responder: Responder) -> None:
        super().__init__(name="feed", description="Poll RSS and Atom feeds for new articles")
        self.responder = responder

    @app_commands.command(name="add", description="Poll a feed for new articles (every 15 minutes)")
    @app_commands.describe(url="The feed's URL", topics="Topics its articles are on, e.g. tariffs tiktok")
    @manage_channels_here()
    async def add(
        self,
        interaction: discord.Interaction,
        url: app_commands.Range[str, 1, 400],
        topics: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """Follow a feed (needs Manage Channels)."""
        await self.responder.run(interaction)

    @app_commands.command(name="remove", description="Stop polling a feed")
    @app_commands.describe(feed="The feed's URL or its number from /brief feeds")
    @manage_channels_here()
    async def remove(self, interaction: discord.Interaction, feed: app_commands.Range[str, 1, 400]) -> None:
        """Stop following a feed (needs Manage Channels)."""
        await self.responder.run(interaction)


class BriefGroup(app_commands.Group):
    """The /brief command group: every subcommand hands the interaction to the Responder."""

    def __init__(self, responder: Responder, core: BotCore) -> None:
        super().__init__(name="brief", description="Briefings on the negotiations you follow")
        self.responder = responder
        self.core = core
        self.add_command(FeedGroup(responder))

    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Known topics matching what was typed (at most 25, Discord's limit)."""
        names = topic_choices(await self.core.topic_names(), current)
        return [app_commands.Choice(name=name, value=name) for name in names]

    @app_commands.command(name="ask", description="Ask a question about the news")
    @app_commands.describe(question="For example: what's the tariff rate?")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]) -> None:
        """Answer a question from the facts, with its source."""
        await self.responder.run(interaction)

    @app_commands.command(name="subscribe", description="Post updates on a topic in this channel")
    @app_commands.describe(topic="A topic from /brief topics")
    @manage_channels_here()
    async def subscribe(self, interaction: discord.Interaction, topic: str) -> None:
        """Follow a topic in this channel (needs Manage Channels)."""
        await self.responder.run(interaction)

    @app_commands.command(name="unsubscribe", description="Stop posting a topic in this channel")
    @app_commands.describe(topic="A topic this channel follows")
    @manage_channels_here()
    async def unsubscribe(self, interaction: discord.Interaction, topic: str) -> None:
        """Stop following a topic in this channel (needs Manage Channels)."""
        await self.responder.run(interaction)

    @app_commands.command(name="deadlines", description="Upcoming deadlines with countdowns")
    async def deadlines(self, interaction: discord.Interaction) -> None:
        """List upcoming deadlines."""
        await self.responder.run(interaction)

    @app_commands.command(name="topics", description="The topics a channel can follow")
    async def topics(self, interaction: discord.Interaction) -> None:
        """List the topics."""
        await self.responder.run(interaction)

    @app_commands.command(name="subscriptions", description="The topics this channel follows")
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        """List this channel's topics."""
        await self.responder.run(interaction)

    @app_commands.command(name="settings", description="Show or change when this channel gets its daily post")
    @app_commands.describe(time="Daily post time, HH:MM (24-hour)", tz="Time zone, e.g. Europe/Berlin")
    @manage_channels_here(only_to_change=True)
    async def settings(
        self,
        interaction: discord.Interaction,
        time: app_commands.Range[str, 4, 5] | None = None,
        tz: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        """Show the channel's post time and time zone, or change them (needs Manage Channels)."""
        await self.responder.run(interaction)

    @app_commands.command(name="add", description="Read a web article now and keep its facts")
    @app_commands.describe(link="The article's http(s) address")
    async def add(self, interaction: discord.Interaction, link: app_commands.Range[str, 8, 2048]) -> None:
        """Fetch and ingest one web page; slow fetches are deferred ("briefbot is thinking…")."""
        await self.responder.run(interaction)

    @app_commands.command(name="articles", description="Recent articles with their ids")
    @app_commands.describe(topic="Only articles on this topic")
    async def articles(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        """List recent articles with ids and how many current facts each has."""
        await self.responder.run(interaction)

    @app_commands.command(name="fix", description="Correct a fact (needs Manage Channels)")
    @app_commands.describe(
        fact="The fact's id, last for the answer just given here, or a 👎 report (r12)",
        value="What it should say, e.g. 35% or December 16, 2025",
        because="Why (kept in the audit)",
    )
    async def fix(
        self,
        interaction: discord.Interaction,
        fact: app_commands.Range[str, 1, 20],
        value: app_commands.Range[str, 1, 200],
        because: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        """Fix a fact; the core refuses people without Manage Channels in one polite line."""
        await self.responder.run(interaction)

    @app_commands.command(name="fix-undo", description="Take a fix back (needs Manage Channels)")
    @app_commands.describe(fact="The fix's id (or the fixed fact's), last, or a 👎 report (r12)")
    async def fix_undo(self, interaction: discord.Interaction, fact: app_commands.Range[str, 1, 20]) -> None:
        """Undo a fix."""
        await self.responder.run(interaction)

    @app_commands.command(name="forget", description="Retract an article (needs Manage Channels)")
    @app_commands.describe(article="The article's id from /brief articles, or its URL")
    async def forget(
        self, interaction: discord.Interaction, article: app_commands.Range[str, 1, 2048]
    ) -> None:
        """Retract an article: its facts stop being current."""
        await self.responder.run(interaction)

    @app_commands.command(name="feeds", description="The feeds polled, their last success and last error")
    async def feeds(self, interaction: discord.Interaction) -> None:
        """List the feeds."""
        await self.responder.run(interaction)

    @app_commands.command(name="help", description="What briefbot can do")
    async def help(self, interaction: discord.Interaction) -> None:
        """Explain the commands."""
        await self.responder.run(interaction)

    @subscribe.autocomplete("topic")
    async def _subscribe_topic(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.topic_autocomplete(interaction, current)

    @articles.autocomplete("topic")
    async def _articles_topic(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.topic_autocomplete(interaction, current)

    @unsubscribe.autocomplete("topic")
    async def _unsubscribe_topic(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.topic_autocomplete(interaction, current)


class BriefTree(app_commands.CommandTree):
    """The command tree, answering check failures and errors with a clear ephemeral message."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Tell the user what went wrong, privately; log what is not their doing."""
        if isinstance(error, app_commands.MissingPermissions):
            text = PERMISSION_ERROR
        elif isinstance(error, app_commands.CheckFailure):
            text = "You can't use that command here."
        else:
            logger.error("error in /brief", exc_info=error)
            text = FAILURE.text
        message = Message(text, kind="error", ephemeral=True)
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(ephemeral=True, **render(message))
            else:
                await interaction.response.send_message(ephemeral=True, **render(message))


class BriefClient(discord.Client):
    """A discord.py Client serving /brief and @mentions; it never pings anyone (AllowedMentions.none())."""

    def __init__(
        self,
        core: BotCore,
        *,
        guild_id: int | None = None,
        defer_after: float = DEFER_AFTER,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        options.setdefault("max_ratelimit_timeout", MAX_RATELIMIT_WAIT)
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **options)
        self.core = core
        self.guild_id = guild_id
        self.in_flight = InFlight()
        self.tree = BriefTree(self)
        self.tree.add_command(BriefGroup(Responder(core, self.in_flight, defer_after), core))

    async def setup_hook(self) -> None:
        """Listen for 👍/👎 clicks on any answer, then sync /brief: to one guild (instant), else globally."""
        self.add_dynamic_items(RateButton)
        try:
            if self.guild_id:
                guild = discord.Object(id=self.guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                logger.info("synced %d commands to guild %s", len(synced), self.guild_id)
            else:
                synced = await self.tree.sync()
                logger.info("synced %d global commands", len(synced))
        except discord.HTTPException as error:
            logger.error(
                "could not sync the /brief commands (%s); is the applications.commands scope granted?", error
            )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A submitted 👎 form (commands and buttons have handlers of their own)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        with self.in_flight.track():
            try:
                await submit_correction(self.core, interaction)
            except discord.HTTPException as error:
                logger.warning("could not answer a correction form: %s", error)

    async def on_message(self, message: discord.Message) -> None:
        """Answer a message that mentions the bot (or any DM), replying to it."""
        me = self.user
        if me is None or message.author.bot or self.in_flight.closing:
            return
        is_direct = isinstance(message.channel, discord.DMChannel)
        if not is_direct and not any(user.id == me.id for user in message.mentions):
            return
        incoming = incoming_from_mention(
            content=message.content,
            bot_id=me.id,
            channel=message.channel.id,
            user=message.author.id,
            message_id=message.id,
            is_direct=is_direct,
            can_manage_channel=is_direct or _can_manage(message),
            can_edit_facts=not is_direct and _can_manage(message),
            thread=message.channel.id if isinstance(message.channel, discord.Thread) else None,
        )
        with self.in_flight.track():
            if not await self.core.first_time(incoming.event_id or ""):
                return
            try:
                replies = await self.core.handle(incoming)
            except Exception:
                logger.exception("the bot core failed on a mention")
                replies = [FAILURE]
            for reply in replies:
                await message.reply(mention_author=False, **render(reply))


def _can_manage(message: discord.Message) -> bool:
    author, channel = message.author, message.channel
    if not isinstance(author, discord.Member) or not isinstance(
        channel, discord.abc.GuildChannel | discord.Thread
    ):
        return False
    permissions = channel.permissions_for(author)
    return permissions.manage_channels or permissions.administrator


class DiscordSender:
    """Posts scheduled messages to channels by id, with the ledger's nonce so Discord drops a resend."""

    platform = PLATFORM
    # discord.py sends the nonce with enforce_nonce, so Discord returns the first message instead of
    # posting a second one with the same nonce (within a few minutes).
    deduplicates_resends = True

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """Post one message; ChannelGone on 404/403 (Unknown Channel, Missing Access); TemporaryFailure."""
        if len(nonce) > 25:
            raise ValueError(f"Discord nonces are at most 25 characters, got {len(nonce)}")
        if not channel.isdigit():
            raise ChannelGone(f"{channel!r} is not a Discord channel id")
        if self.client.is_closed() or self.client.user is None:
            raise TemporaryFailure("Discord is not connected")
        target = self.client.get_partial_messageable(int(channel))
        try:
            sent = await target.send(nonce=nonce, **render(message))
        except (discord.NotFound, discord.Forbidden) as error:
            raise ChannelGone(
                f"Discord channel {channel}: {error.status} {error.text or ''}".strip()
            ) from error
        except discord.HTTPException as error:
            if error.code in GONE_CODES:
                raise ChannelGone(f"Discord channel {channel}: {error.text}") from error
            if error.status == 429 or error.status >= 500:
                raise TemporaryFailure(f"Discord answered {error.status}: {error.text}") from error
            raise
        except discord.RateLimited as error:
            raise TemporaryFailure(f"Discord rate limit: retry after {error.retry_after:.0f}s") from error
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise TemporaryFailure(f"cannot reach Discord: {error!r}") from error
        return str(sent.id)


class DiscordRuntime:
    """The running Discord connection: login, then the gateway in a background task of the shared loop."""

    platform = PLATFORM

    def __init__(self, client: BriefClient, token: str, ready_timeout: float = READY_TIMEOUT) -> None:
        self.client = client
        self.sender = DiscordSender(client)
        self._token = token
        self._ready_timeout = ready_timeout
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in (a bad token fails here), sync commands, connect the gateway in a task; wait for READY."""
        await self.client.login(self._token)
        session = asyncio.create_task(self.client.wait_for("connect"))  # dispatched on the READY event
        self._task = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
        self._task.add_done_callback(_report_gateway_end)
        done, _ = await asyncio.wait(
            {session, self._task}, timeout=self._ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if self._task in done:
            session.cancel()
            self._task.result()  # re-raises why the gateway could not connect
            raise TemporaryFailure("the Discord gateway closed during start-up")
        if session not in done:
            session.cancel()
            logger.warning(
                "no Discord session after %.0f s; still connecting in the background", self._ready_timeout
            )
        else:
            logger.info("Discord connected as %s", self.client.user)

    async def stop(self, timeout: float = 10.0) -> None:
        """Let answers in progress finish (up to `timeout` s), then close the gateway and the HTTP session."""
        left = await self.client.in_flight.wait(timeout)
        if left:
            logger.warning("stopping Discord with %d answers unfinished", left)
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=5.0)
            self._task = None

    @property
    def connected(self) -> bool:
        """True while the gateway websocket is open with a session (False while reconnecting)."""
        ws = self.client.ws
        return not self.client.is_closed() and ws is not None and ws.open and ws.session_id is not None


def _report_gateway_end(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        logger.error("the Discord gateway stopped: %s", error, exc_info=error)


def build_discord(
    settings: Settings, core: BotCore, *, defer_after: float = DEFER_AFTER, **client_options: Any
) -> DiscordRuntime:
    """The Discord runtime for `briefbot run`: DISCORD_TOKEN plus the API, gateway and guild settings."""
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    configure_endpoints(settings.discord_api_url, settings.discord_gateway_url)
    client = BriefClient(core, guild_id=settings.discord_guild, defer_after=defer_after, **client_options)
    return DiscordRuntime(client, settings.discord_token.get_secret_value())
