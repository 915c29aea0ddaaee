"""The Slack platform on slack-bolt's AsyncApp: /brief, @mentions, DMs, App Home, and the outgoing Sender."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import Any

from aiohttp import ClientError, web
from prometheus_client import Counter
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.inflight import InFlight
from adapters.slack.convert import (
    PLATFORM,
    blocks_for,
    fallback_text,
    home_view,
    incoming_from_command,
    incoming_from_dm,
    incoming_from_mention,
    is_ephemeral,
    is_person_dm,
)
from adapters.slack.rating import (
    CORRECTION_CALLBACK,
    RATE_ACTION,
    closing_view,
    correction_view,
    vote_from_action,
    vote_from_submission,
)
from bot.commands import edits_facts
from bot.config import ConfigError, Settings
from bot.http import make_http_app, start_http
from bot.messages import BotCore, ChannelGone, Incoming, Message, TemporaryFailure, Vote

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SLASH_COMMAND = "/brief"
BOT_EVENTS = ("app_mention", "message.im", "app_home_opened")
# Slack's answers meaning "you cannot post in this channel any more" (chat.postMessage error codes).
GONE_ERRORS = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "restricted_action_read_only_channel"}
)

EVENTS = Counter(
    "briefbot_slack_events_total", "Slack requests handled, by kind and outcome", ["kind", "outcome"]
)
POSTS = Counter("briefbot_slack_posts_total", "Scheduled Slack posts, by outcome", ["outcome"])
# How long users.info's answer (workspace admin or owner) is trusted before it is asked again.
ADMIN_CACHE_SECONDS = 600.0


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries for every Slack HTTP call: wait out 429 Retry-After, and retry dropped connections."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]


def make_client(token: str, base_url: str) -> AsyncWebClient:
    """The bot's Web API client, pointed at Slack (or a fake or proxy) with rate-limit retries."""
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=retry_handlers())


def _error_code(error: SlackApiError) -> str:
    return str(error.response.get("error", "")) if error.response is not None else ""


class SlackSender:
    """Posts scheduled messages (countdowns, reminders, updates) to Slack channels with chat.postMessage."""

    platform = PLATFORM
    # chat.postMessage has no idempotency key (the nonce in metadata is only a label), so a post
    # interrupted by a crash must not be resent: it may have arrived.
    deduplicates_resends = False

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """Post a message; returns its ts. Raises ChannelGone or TemporaryFailure."""
        try:
            response = await self.client.chat_postMessage(
                channel=channel,
                text=fallback_text(message),
                blocks=blocks_for(message),
                unfurl_links=False,
                unfurl_media=False,
                metadata={"event_type": "briefbot_post", "event_payload": {"nonce": nonce}},
            )
        except SlackApiError as error:
            code = _error_code(error)
            if code in GONE_ERRORS:
                POSTS.labels("channel_gone").inc()
                raise ChannelGone(f"slack channel {channel}: {code}") from error
            POSTS.labels("failed").inc()
            raise TemporaryFailure(f"slack channel {channel}: {code or error}") from error
        except (ClientError, TimeoutError) as error:
            POSTS.labels("failed").inc()
            raise TemporaryFailure(f"slack channel {channel}: {error!r}") from error
        POSTS.labels("sent").inc()
        return str(response.get("ts", ""))


class SlackRuntime:
    """A running Slack app: Socket Mode when an app token is set, else HTTP mode at /slack/events."""

    platform = PLATFORM

    def __init__(
        self,
        core: BotCore,
        client: AsyncWebClient,
        signing_secret: str = "",
        app_token: str = "",
        port: int = 3000,
        host: str = "0.0.0.0",
        editors: frozenset[str] = frozenset(),
    ) -> None:
        self.core = core
        self.editors = editors
        self._admins: dict[str, tuple[bool, float]] = {}
        self.client = client
        self.sender = SlackSender(client)
        self.app_token = app_token
        self.port = port
        self.host = host
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            process_before_response=False,
            logger=logging.getLogger("slack_bolt"),
        )
        self.bot_user_id: str | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._mounted = False
        self._started = False
        self.in_flight = InFlight()
        self._done = 0
        self._changed = asyncio.Condition()
        self._register()

    @property
    def mode(self) -> str:
        """'socket' or 'http'."""
        return "socket" if self.app_token else "http"

    @property
    def connected(self) -> bool:
        """True while serving: the Socket Mode session is open, or the HTTP endpoint is up."""
        if not self._started:
            return False
        if self._socket is not None:
            session = self._socket.client.current_session
            return session is not None and not session.closed and not self._socket.client.closed
        return True

    async def health(self) -> dict[str, bool]:
        """Health checks for /healthz."""
        return {"slack": self.connected}

    def mount(self, web_app: web.Application) -> None:
        """Serve POST /slack/events on an existing aiohttp app (with /healthz); start() then opens no port."""
        web_app.router.add_post(EVENTS_PATH, self._http_events)
        self._mounted = True

    async def _http_events(self, request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def start(self) -> None:
        """Verify the token (auth.test), then connect Socket Mode or open the HTTP endpoint."""
        try:
            auth = await self.client.auth_test()
        except SlackApiError as error:
            raise ConfigError(
                f"configuration error: SLACK_BOT_TOKEN: Slack refused it ({_error_code(error)})"
            ) from None
        self.bot_user_id = str(auth.get("user_id") or "") or None
        logger.info(
            "slack: authenticated as %s in team %s (%s mode)", auth.get("user"), auth.get("team"), self.mode
        )
        if self.app_token:
            self._socket = AsyncSocketModeHandler(self.app, self.app_token)
            await self._socket.connect_async()
        elif not self._mounted:
            web_app = make_http_app(self.health)
            self.mount(web_app)
            self._runner = await start_http(web_app, self.port, self.host)
            self.port = int(self._runner.addresses[0][1])
        self._started = True

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking events, then let answers in progress finish (up to a timeout)."""
        self._started = False
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        left = await self.in_flight.wait(timeout)
        if left:
            logger.warning("slack: %d answers still running at shutdown", left)

    async def wait_processed(self, count: int, timeout: float = 5.0) -> None:
        """Wait until `count` Slack requests have been fully handled (answered or dropped as duplicates)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self._done >= count), timeout)

    async def _finished(self, kind: str, outcome: str) -> None:
        EVENTS.labels(kind, outcome).inc()
        self._done += 1
        async with self._changed:
            self._changed.notify_all()

    def _register(self) -> None:
        self.app.command(SLASH_COMMAND)(self._on_command)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.event("app_home_opened")(self._on_home)
        # 👍/👎 clicks and the 👎 form arrive signed on the same endpoint (or over Socket Mode).
        self.app.action(RATE_ACTION)(self._on_rate)
        self.app.view(CORRECTION_CALLBACK)(self._on_correction)

    async def _first_time(self, body: dict[str, Any]) -> bool:
        event_id = body.get("event_id")
        if not event_id:
            return True
        return await self.core.first_time(f"slack:{event_id}")

    async def with_rights(self, incoming: Incoming) -> Incoming:
        """The Incoming with `can_edit_facts` worked out, for `fix` and `forget` only (else unchanged)."""
        if not edits_facts(incoming.text):
            return incoming
        allowed = incoming.user in self.editors or await self.is_workspace_admin(incoming.user)
        return dataclasses.replace(incoming, can_edit_facts=allowed)

    async def is_workspace_admin(self, user: str) -> bool:
        """Whether Slack says a user is a workspace admin or owner (users.info, cached for a while)."""
        cached = self._admins.get(user)
        if cached is not None and time.monotonic() - cached[1] < ADMIN_CACHE_SECONDS:
            return cached[0]
        try:
            response = await self.client.users_info(user=user)
        except (SlackApiError, ClientError, TimeoutError) as error:
            # Not knowing means no: the person gets the polite refusal and may try again.
            logger.warning("slack: users.info for %s failed: %s", user, error)
            return False
        found = response.get("user") or {}
        admin = bool(found.get("is_admin") or found.get("is_owner"))
        self._admins[user] = (admin, time.monotonic())
        return admin

    async def _on_command(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        with self.in_flight.track():
            incoming = await self.with_rights(incoming_from_command(body))
            outcome = "answered"
            try:
                messages = await self.core.handle(incoming)
                await self._respond(str(body.get("response_url", "")), incoming, messages)
            except Exception:
                outcome = "failed"
                logger.exception("slack: could not deliver the answer to /brief %s", incoming.text[:200])
            finally:
                await self._finished("command", outcome)

    async def _respond(self, response_url: str, incoming: Incoming, messages: list[Message]) -> None:
        if not response_url:
            await self._reply(incoming, messages)
            return
        webhook = AsyncWebhookClient(url=response_url, retry_handlers=retry_handlers())
        for message in messages:
            response = await webhook.send(
                text=fallback_text(message),
                blocks=blocks_for(message),
                response_type="ephemeral" if is_ephemeral(message) else "in_channel",
                unfurl_links=False,
                unfurl_media=False,
            )
            if response.status_code != 200:
                logger.warning("slack: response_url answered %s: %s", response.status_code, response.body)

    async def _reply(self, incoming: Incoming, messages: list[Message]) -> None:
        for message in messages:
            text, blocks = fallback_text(message), blocks_for(message)
            if is_ephemeral(message) and not incoming.is_direct:
                await self.client.chat_postEphemeral(
                    channel=incoming.channel,
                    user=incoming.user,
                    text=text,
                    blocks=blocks,
                    thread_ts=incoming.thread,
                )
            else:
                await self.client.chat_postMessage(
                    channel=incoming.channel,
                    text=text,
                    blocks=blocks,
                    thread_ts=incoming.thread,
                    unfurl_links=False,
                    unfurl_media=False,
                )

    async def _on_event(self, kind: str, body: dict[str, Any], incoming: Incoming) -> None:
        with self.in_flight.track():
            outcome = "answered"
            try:
                if not await self._first_time(body):
                    outcome = "duplicate"
                    logger.info(
                        "slack: %s %s was already handled; ignoring the retry", kind, body.get("event_id")
                    )
                    return
                incoming = await self.with_rights(incoming)
                await self._reply(incoming, await self.core.handle(incoming))
            except SlackApiError as error:
                outcome = "failed"
                logger.warning(
                    "slack: could not reply to %s in %s: %s", kind, incoming.channel, _error_code(error)
                )
            except Exception:
                outcome = "failed"
                logger.exception("slack: could not answer %s %s", kind, body.get("event_id"))
            finally:
                await self._finished(kind, outcome)

    async def _on_mention(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        await self._on_event("app_mention", body, incoming_from_mention(body, self._bot_user(context)))

    async def _on_message(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        if not is_person_dm(body.get("event", {})):
            return
        await self._on_event("message.im", body, incoming_from_dm(body, self._bot_user(context)))

    def _bot_user(self, context: dict[str, Any]) -> str | None:
        return context.get("bot_user_id") or self.bot_user_id

    async def _on_rate(self, ack: Any, body: dict[str, Any]) -> None:
        """A 👍/👎 click: record it, open the "what would be right?" form on 👎, thank privately."""
        await ack()
        with self.in_flight.track():
            outcome = "recorded"
            try:
                vote = vote_from_action(body)
                if vote is None:
                    outcome = "ignored"
                    return
                reply = await self.core.rate(vote)
                if vote.vote == "down" and reply.kind != "error" and body.get("trigger_id"):
                    # The trigger id expires 3 s after the click: the form opens before the thanks go out.
                    await self._open_form(str(body["trigger_id"]), vote)
                await self._tell_privately(body, vote, reply)
            except Exception:
                outcome = "failed"
                logger.exception("slack: could not record a rating")
            finally:
                await self._finished("block_actions", outcome)

    async def _open_form(self, trigger_id: str, vote: Vote) -> None:
        try:
            await self.client.views_open(
                trigger_id=trigger_id, view=correction_view(vote.answer_id, vote.channel)
            )
        except SlackApiError as error:
            logger.warning("slack: could not open the correction form: %s", _error_code(error))

    async def _tell_privately(self, body: dict[str, Any], vote: Vote, reply: Message) -> None:
        """An ephemeral reply to a click: through its response_url, else chat.postEphemeral."""
        response_url = str(body.get("response_url") or "")
        if response_url:
            webhook = AsyncWebhookClient(url=response_url, retry_handlers=retry_handlers())
            response = await webhook.send(
                text=fallback_text(reply),
                blocks=blocks_for(reply),
                response_type="ephemeral",
                replace_original=False,
            )
            if response.status_code != 200:
                logger.warning("slack: response_url answered %s: %s", response.status_code, response.body)
        elif vote.channel:
            await self.client.chat_postEphemeral(
                channel=vote.channel, user=vote.user, text=fallback_text(reply), blocks=blocks_for(reply)
            )

    async def _on_correction(self, ack: Any, body: dict[str, Any]) -> None:
        """The 👎 form sent: keep its text with the vote; the form then shows the reply."""
        with self.in_flight.track():
            outcome = "recorded"
            try:
                vote = vote_from_submission(body)
                if vote is None:
                    outcome = "ignored"
                    await ack()
                    return
                reply = await self.core.rate(vote)
                await ack(response_action="update", view=closing_view(reply.text))
            except Exception:
                outcome = "failed"
                logger.exception("slack: could not keep the text of a correction form")
            finally:
                await self._finished("view_submission", outcome)

    async def _on_home(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        with self.in_flight.track():
            event = body.get("event", {})
            outcome = "published"
            try:
                if event.get("tab", "home") != "home":
                    outcome = "ignored"
                    return
                overview = await self.core.overview(PLATFORM)
                await client.views_publish(user_id=event["user"], view=home_view(overview))
            except Exception:
                outcome = "failed"
                logger.exception("slack: could not publish the App Home for %s", event.get("user"))
            finally:
                await self._finished("app_home_opened", outcome)


def build_slack(settings: Settings, core: BotCore, host: str = "0.0.0.0") -> SlackRuntime:
    """The Slack runtime: Socket Mode with SLACK_APP_TOKEN, else HTTP mode with SLACK_SIGNING_SECRET."""
    if settings.slack_bot_token is None:
        raise ConfigError("configuration error: SLACK_BOT_TOKEN is not set")
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    if not app_token and not secret:
        raise ConfigError(
            "configuration error: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)"
        )
    client = make_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    return SlackRuntime(
        core,
        client,
        signing_secret=secret,
        app_token=app_token,
        port=settings.http_port,
        host=host,
        editors=settings.editor_ids(),
    )
