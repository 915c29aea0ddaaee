"""The bot's HTTP server (aiohttp): /healthz and /metrics, onto which adapters mount their routes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text

from bot.messages import PlatformRuntime

logger = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, bool]]]


class Heartbeat:
    """A liveness signal: a loop calls `beat()`; `alive()` says whether it did so recently."""

    def __init__(self, max_age: float = 180.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self.last: float | None = None

    def beat(self) -> None:
        """Record that the loop is alive now."""
        self.last = self.clock()

    def alive(self) -> bool:
        """True when the last beat is at most `max_age` seconds old."""
        return self.last is not None and self.clock() - self.last <= self.max_age


class Health:
    """The checks behind /healthz: database reachable, scheduler loop alive, every adapter connected."""

    def __init__(
        self,
        engine: Engine | None = None,
        scheduler: Heartbeat | None = None,
        runtimes: Sequence[PlatformRuntime] = (),
        timeout: float = 3.0,
    ) -> None:
        self.engine = engine
        self.scheduler = scheduler
        self.runtimes = list(runtimes)
        self.timeout = timeout

    def _ping(self) -> bool:
        assert self.engine is not None
        with self.engine.connect() as conn:
            conn.execute(text("select 1"))
        return True

    async def database(self) -> bool:
        """True when a trivial query answers within the timeout."""
        if self.engine is None:
            return True
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._ping), self.timeout)
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            logger.warning(
                "health: database check failed: %s", str(error).splitlines()[0] if str(error) else error
            )
            return False

    async def __call__(self) -> dict[str, bool]:
        """Every check by name."""
        checks = {"database": await self.database()}
        if self.scheduler is not None:
            checks["scheduler"] = self.scheduler.alive()
        for runtime in self.runtimes:
            try:
                checks[runtime.platform] = bool(runtime.connected)
            except Exception:  # noqa: BLE001 - a crashing check is a failed check
                checks[runtime.platform] = False
        return checks


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
