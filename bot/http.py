"""The bot's HTTP server (aiohttp): /healthz and /metrics, onto which adapters mount their routes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

logger = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, bool]]]


def make_http_app(health: HealthCheck) -> web.Application:
    """An aiohttp application serving /healthz (200 when every check passes, else 503) and /metrics."""
    app = web.Application()

    async def healthz(_request: web.Request) -> web.Response:
        checks = await health()
        ok = all(checks.values())
        return web.json_response({"ok": ok, "checks": checks}, status=200 if ok else 503)

    async def metrics(_request: web.Request) -> web.Response:
        body = generate_latest()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


async def start_http(app: web.Application, port: int, host: str = "0.0.0.0") -> web.AppRunner:
    """Serve an application on a port; returns the runner to clean up with `await runner.cleanup()`."""
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logger.info("HTTP server listening on %s:%s", host, port)
    return runner
