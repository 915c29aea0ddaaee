"""A fake Slack Web API on loopback (aiohttp): records calls, answers like Slack, can fail on demand."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBRIEFBOT"
BOT_ID = "BBRIEFBOT"
TEAM_ID = "T0TEAM0001"
# The signing secret the tests give slack-bolt and sign their requests with.
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


TEXT_TYPES = {"mrkdwn": {"type", "text", "verbatim"}, "plain_text": {"type", "text", "emoji"}}
BLOCK_KEYS = {
    "section": {"type", "block_id", "text", "fields"},
    "context": {"type", "block_id", "elements"},
    "header": {"type", "block_id", "text"},
    "divider": {"type", "block_id"},
    "actions": {"type", "block_id", "elements"},
    "input": {"type", "block_id", "label", "element", "optional", "hint", "dispatch_action"},
}
BUTTON_KEYS = {"type", "action_id", "text", "value", "url", "style", "confirm", "accessibility_label"}
INPUT_KEYS = {"type", "action_id", "multiline", "max_length", "min_length", "placeholder", "initial_value"}


def _button_errors(where: str, button: Any) -> list[str]:
    if not isinstance(button, dict) or button.get("type") != "button":
        return [f"{where}: not a button"]
    errors = (
        [f"{where}: unknown keys {sorted(set(button) - BUTTON_KEYS)}"] if set(button) - BUTTON_KEYS else []
    )
    errors += _text_errors(f"{where}.text", button.get("text"), 75, plain_only=True)
    if not 1 <= len(str(button.get("action_id", ""))) <= 255:
        errors.append(f"{where}: action_id must be 1-255 characters")
    if len(str(button.get("value", ""))) > 2000:
        errors.append(f"{where}: value longer than 2000")
    return errors


def _text_errors(where: str, obj: Any, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in TEXT_TYPES:
        return [f"{where}: not a text object: {obj!r}"[:200]]
    errors = []
    if plain_only and obj["type"] != "plain_text":
        errors.append(f"{where}: must be plain_text")
    if set(obj) - TEXT_TYPES[obj["type"]]:
        errors.append(f"{where}: unknown keys {sorted(set(obj) - TEXT_TYPES[obj['type']])}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append(f"{where}: empty text")
    elif len(text) > limit:
        errors.append(f"{where}: text longer than {limit} ({len(text)})")
    return errors


def block_errors(blocks: Any, max_blocks: int = 50) -> list[str]:
    """What Slack would reject in a Block Kit list (section/context/header/divider), or [] when valid."""
    if not isinstance(blocks, list) or not blocks:
        return ["blocks: not a non-empty list"]
    errors = [f"blocks: {len(blocks)} > {max_blocks}"] if len(blocks) > max_blocks else []
    for n, block in enumerate(blocks):
        where = f"blocks[{n}]"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_KEYS:
            errors.append(f"{where}: unknown block type {kind!r}")
            continue
        if set(block) - BLOCK_KEYS[kind]:
            errors.append(f"{where}: unknown keys {sorted(set(block) - BLOCK_KEYS[kind])}")
        if kind == "header":
            errors += _text_errors(f"{where}.text", block.get("text"), 150, plain_only=True)
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                errors.append(f"{where}: section without text or fields")
            if "text" in block:
                errors += _text_errors(f"{where}.text", block["text"], 3000)
            fields = block.get("fields", [])
            if "fields" in block and not 1 <= len(fields) <= 10:
                errors.append(f"{where}: {len(fields)} fields")
            for i, item in enumerate(fields):
                errors += _text_errors(f"{where}.fields[{i}]", item, 2000)
        elif kind == "actions":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 25:
                errors.append(f"{where}: {len(elements)} action elements")
            for i, item in enumerate(elements):
                errors += _button_errors(f"{where}.elements[{i}]", item)
        elif kind == "input":
            errors += _text_errors(f"{where}.label", block.get("label"), 2000, plain_only=True)
            element = block.get("element")
            if not isinstance(element, dict) or element.get("type") != "plain_text_input":
                errors.append(f"{where}.element: not a plain_text_input")
            elif set(element) - INPUT_KEYS:
                errors.append(f"{where}.element: unknown keys {sorted(set(element) - INPUT_KEYS)}")
        elif kind == "context":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 10:
                errors.append(f"{where}: {len(elements)} context elements")
            for i, item in enumerate(elements):
                errors += _text_errors(f"{where}.elements[{i}]", item, 3000)
    return errors


@dataclass
class Call:
    """One request the fake received: the API method (or 'response_url'), its parameters and token."""

    method: str
    params: dict[str, Any]
    token: str = ""
    path: str = ""


@dataclass
class Failure:
    """A scripted failure for the next call of a method: an HTTP status (429) or a Slack error code."""

    status: int = 200
    error: str = ""
    retry_after: int | None = None


@dataclass
class FakeSlackApi:
    """Answers auth.test, chat.postMessage, chat.postEphemeral, views.publish, views.open, users.info and
    response_url POSTs.

    users.info says a user is a workspace admin when their id is in `admins` (owner: in `owners`).
    """

    token: str = "xoxb-test-token"
    app_token: str = "xapp-test-token"
    calls: list[Call] = field(default_factory=list)
    attempts: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    port: int = 0
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    response_gate: asyncio.Event | None = None
    admins: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    _changed: asyncio.Condition | None = None
    _ts: Callable[[], int] = field(default_factory=lambda: itertools.count(1).__next__)

    @property
    def base_url(self) -> str:
        """The Web API base URL to give AsyncWebClient(base_url=…)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "1") -> str:
        """A response_url for slash command payloads that lands on this fake."""
        return f"http://127.0.0.1:{self.port}/commands/{name}"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads users.info with GET
        app.router.add_post("/commands/{name}", self._response_url)
        app.router.add_get("/socket", self._websocket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Stop listening."""
        if self._socket is not None:
            await self._socket.close()
        if self._runner:
            await self._runner.cleanup()

    def fail_next(self, method: str, failure: Failure) -> None:
        """Make the next call of a method fail as described (queued, one failure per call)."""
        self.failures.setdefault(method, []).append(failure)

    def of(self, method: str) -> list[Call]:
        """The successful calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait (on the fake's own notifications, not the clock) until `count` calls of a method arrived."""
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.of(method)) >= count), timeout)
        return self.of(method)

    async def _record(self, call: Call, into: list[Call]) -> None:
        into.append(call)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def send_envelope(self, kind: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Push a Socket Mode envelope (events_api, slash_commands) to the connected app."""
        assert self._socket is not None, "no Socket Mode connection"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._socket.send_json(envelope)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        await self._record(Call("socket.connected", {}, path=request.path), self.calls)
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self._record(
                    Call("socket.ack", json.loads(message.data), path=request.path), self.calls
                )
        self._socket = None
        await self._record(Call("socket.closed", {}, path=request.path), self.calls)
        return socket

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        if request.content_type == "application/json":
            return dict(await request.json())
        form = dict(await request.post())
        params: dict[str, Any] = {k: str(v) for k, v in form.items()}
        for key in ("blocks", "view", "metadata"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        params = await self._params(request)
        call = Call(method, params, token, request.path)
        await self._record(call, self.attempts)
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            if failure.status != 200:
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                body = {"ok": False, "error": "ratelimited" if failure.status == 429 else "fatal_error"}
                return web.json_response(body, status=failure.status, headers=headers)
            return web.json_response({"ok": False, "error": failure.error})
        if method == "apps.connections.open":
            if token != self.app_token:
                return web.json_response({"ok": False, "error": "invalid_auth"})
            await self._record(call, self.calls)
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})
        if token != self.token:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        blocks = params.get("blocks", (params.get("view") or {}).get("blocks"))
        if blocks is not None:
            problems = block_errors(blocks, 100 if method == "views.publish" else 50)
            if problems:
                return web.json_response({"ok": False, "error": "invalid_blocks", "errors": problems})
        answer = self._answer(method, params)
        if answer.get("ok"):
            await self._record(call, self.calls)
        return web.json_response(answer)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://briefbot-test.slack.com/",
                "team": "briefbot test",
                "user": "briefbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = f"1726400000.{self._ts():06d}"
            message = {"type": "message", "text": params.get("text", ""), "ts": ts, "bot_id": BOT_ID}
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1726400000.{self._ts():06d}"}
        if method == "users.info":
            user = str(params.get("user", ""))
            admin, owner = user in self.admins, user in self.owners
            return {"ok": True, "user": {"id": user, "is_admin": admin or owner, "is_owner": owner}}
        if method == "views.publish":
            view = dict(params.get("view") or {})
            return {"ok": True, "view": {"id": "V0HOME", **view}}
        if method == "views.open":
            if not params.get("trigger_id"):
                return {"ok": False, "error": "invalid_trigger_id"}
            view = dict(params.get("view") or {})
            return {"ok": True, "view": {"id": f"V0FORM{self._ts():04d}", **view}}
        return {"ok": False, "error": "unknown_method"}

    async def _response_url(self, request: web.Request) -> web.Response:
        call = Call("response_url", dict(await request.json()), path=request.path)
        await self._record(call, self.attempts)
        if self.response_gate is not None:
            await self.response_gate.wait()
        if "blocks" in call.params and block_errors(call.params["blocks"]):
            return web.Response(status=400, text="invalid_blocks")
        await self._record(call, self.calls)
        return web.Response(text="ok")
