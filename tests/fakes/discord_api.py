"""A fake Discord on loopback (aiohttp): the REST API discord.py calls and a gateway websocket, recording."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

logger = logging.getLogger(__name__)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discord"
API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6
LOADING = 1 << 7


def load_fixture(name: str) -> dict[str, Any]:
    """A recorded Discord payload from tests/fixtures/discord/<name>.json (a fresh copy)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A response with Content-Type exactly application/json (discord.py compares the header verbatim)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any

    @property
    def route(self) -> str:
        """The path without the API prefix: '/channels/1/messages'."""
        return self.path.removeprefix(API_PREFIX)


@dataclass
class Scripted:
    """A canned response for the next request matching a method and path pattern."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class FakeDiscord:
    """Discord's REST API and gateway on 127.0.0.1: records every call, lets tests push gateway events."""

    def __init__(self) -> None:
        self.ready = load_fixture("ready")
        self.guild_creates = [load_fixture("guild_create")]
        self.bot_user: dict[str, Any] = self.ready["user"]
        self.application_id = str(self.ready["application"]["id"])
        self.calls: list[Call] = []
        self.messages: list[dict[str, Any]] = []
        self.scripted: list[Scripted] = []
        self.identified = asyncio.Event()
        self.resumed = asyncio.Event()
        self.forbidden_channels: set[str] = set()
        self.dm_channels: set[str] = {"1310000000000000001"}
        self._ids = itertools.count(1_500_000_000_000_000_001)
        self._nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self._responded: set[str] = set()
        self._interaction_channels: dict[str, str] = {}
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def drop_gateway(self) -> None:
        """Close every gateway connection from Discord's side (as when Discord restarts a gateway node)."""
        for socket in list(self._sockets):
            await socket.close(code=4000, message=b"Unknown error")

    async def close(self) -> None:
        """Close the gateway sockets and stop listening."""
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """What discord.http.Route.BASE should be."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """The gateway websocket URL."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- test helpers --------------------------------------------------------------------------------------

    def script(
        self, method: str, path: str, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next METHOD request whose route (without /api/v10) matches `path` (a regex) this way."""
        self.scripted.append(Scripted(method, re.compile(path), status, body, headers or {}))

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        """Recorded calls whose method matches and route matches the regex fully."""
        regex = re.compile(pattern)
        return [c for c in self.calls if c.method == method and regex.fullmatch(c.route)]

    async def wait_for_calls(
        self, method: str, pattern: str, count: int = 1, timeout: float = 5.0
    ) -> list[Call]:
        """Wait until at least `count` matching calls were recorded; returns them."""

        def enough() -> bool:
            return len(self.calls_to(method, pattern)) >= count

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(enough), timeout)
        return self.calls_to(method, pattern)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH (op 0) event to every connected gateway client."""
        if event == "INTERACTION_CREATE":
            self._interaction_channels[str(data["id"])] = str(data.get("channel_id", "0"))
        frame = {"op": 0, "t": event, "s": next(self._sequence), "d": data}
        for socket in list(self._sockets):
            await socket.send_str(json.dumps(frame))

    def next_id(self) -> str:
        """A fresh snowflake."""
        return str(next(self._ids))

    # -- gateway -------------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        )
        try:
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(frame.data)
                await self._record(Call("WS", "/gateway", dict(request.query), {}, payload))
                op = payload.get("op")
                if op == 1:
                    await socket.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
                elif op == 6:
                    await self.dispatch("RESUMED", {})
                    self.resumed.set()
                elif op == 2:
                    ready = copy.deepcopy(self.ready)
                    ready["resume_gateway_url"] = self.gateway_url
                    await self.dispatch("READY", ready)
                    for guild in self.guild_creates:
                        await self.dispatch("GUILD_CREATE", copy.deepcopy(guild))
                    self.identified.set()
        finally:
            self._sockets.remove(socket)
        return socket

    # -- REST ----------------------------------------------------------------------------------------------

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    async def _rest(self, request: web.Request) -> web.Response:
        body: Any = None
        raw = await request.read()
        if raw and request.content_type == "application/json":
            body = json.loads(raw)
        call = Call(request.method, request.path, dict(request.query), dict(request.headers), body)
        await self._record(call)
        route = call.route
        for scripted in self.scripted:
            if scripted.method == request.method and scripted.pattern.fullmatch(route):
                self.scripted.remove(scripted)
                return json_response(scripted.body, scripted.status, scripted.headers)
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, route)
            if method == request.method and match:
                return await handler(call, *match.groups())
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    def _routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("GET", r"/users/@me", self._users_me),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/gateway(?:/bot)?", self._gateway_info),
            ("PUT", r"/applications/(\d+)/commands", self._sync_commands),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._sync_commands),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._followup),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/([^/]+)", self._edit_webhook_message),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/([^/]+)", self._delete_webhook_message),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
        ]

    async def _users_me(self, call: Call) -> web.Response:
        return json_response(self.bot_user)

    async def _application(self, call: Call) -> web.Response:
        return json_response(
            {
                "id": self.application_id,
                "name": self.bot_user["username"],
                "icon": None,
                "description": "Briefings on fast-moving negotiations.",
                "bot_public": True,
                "bot_require_code_grant": False,
                "bot": self.bot_user,
                "owner": {
                    "id": "1400000000000000009",
                    "username": "owner",
                    "discriminator": "0",
                    "avatar": None,
                },
                "summary": "",
                "verify_key": "0" * 64,
                "team": None,
                "flags": 0,
                "interactions_endpoint_url": None,
            }
        )

    async def _gateway_info(self, call: Call) -> web.Response:
        return json_response(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _sync_commands(
        self, call: Call, application_id: str, guild_id: str | None = None
    ) -> web.Response:
        synced = []
        for command in call.json or []:
            synced.append(
                {**command, "id": self.next_id(), "application_id": application_id, "version": self.next_id()}
                | ({"guild_id": guild_id} if guild_id else {})
            )
        return json_response(synced)

    def _channel_ids(self) -> set[str]:
        guild_channels = {str(c["id"]) for g in self.guild_creates for c in g.get("channels", [])}
        return guild_channels | self.dm_channels

    def message(self, channel_id: str, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """A message object as Discord returns it, authored by the bot."""
        return {
            "id": self.next_id(),
            "type": 0,
            "channel_id": channel_id,
            "author": self.bot_user,
            "content": data.get("content") or "",
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": data.get("embeds") or [],
            "pinned": False,
            "flags": int(data.get("flags") or 0),
            "components": [],
            **extra,
        }

    async def _create_message(self, call: Call, channel_id: str) -> web.Response:
        if channel_id in self.forbidden_channels:
            return json_response({"message": "Missing Access", "code": 50001}, 403)
        if channel_id not in self._channel_ids():
            return json_response({"message": "Unknown Channel", "code": 10003}, 404)
        data = call.json or {}
        nonce = data.get("nonce")
        if nonce and data.get("enforce_nonce") and (channel_id, nonce) in self._nonces:
            return json_response(self._nonces[(channel_id, nonce)])
        message = self.message(channel_id, data, nonce=nonce)
        self.messages.append(message)
        if nonce:
            self._nonces[(channel_id, nonce)] = message
        return json_response(message)

    async def _callback(self, call: Call, interaction_id: str, token: str) -> web.Response:
        if interaction_id in self._responded:
            return json_response(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
            )
        self._responded.add(interaction_id)
        data = call.json or {}
        kind = data.get("type")
        inner = data.get("data") or {}
        result: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 2}}
        if kind in (4, 5):
            flags = int(inner.get("flags") or 0) | (LOADING if kind == 5 else 0)
            channel = self._interaction_channels.get(interaction_id, "0")
            message = self.message(channel, {**inner, "flags": flags}, webhook_id=self.application_id)
            result["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
            result["resource"] = {"type": kind, "message": message}
        elif kind == 8:
            result["interaction"]["type"] = 4
            result["resource"] = {"type": 8}
        return json_response(result)

    async def _followup(self, call: Call, application_id: str, token: str) -> web.Response:
        message = self.message("0", call.json or {}, webhook_id=application_id)
        return json_response(message)

    async def _edit_webhook_message(
        self, call: Call, application_id: str, token: str, message_id: str
    ) -> web.Response:
        return json_response(self.message("0", call.json or {}, webhook_id=application_id))

    async def _delete_webhook_message(
        self, call: Call, application_id: str, token: str, message_id: str
    ) -> web.Response:
        return web.Response(status=204)
