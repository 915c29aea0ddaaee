"""`briefbot run`: the terminal chat, or Slack and Discord when configured, with the scheduler beside them."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TextIO

from bot.cli.clock import make_clock, parse_now
from bot.cli.ports import Adapters
from bot.config import Settings
from bot.warmup import ready_to_answer
from facts.store import FactStore

if TYPE_CHECKING:
    from bot.messages import PlatformRuntime

# The scheduler, the core and the chat libraries load only when `run` or `briefing` runs, so that every
# other command (and above all a cold `briefbot ask`) starts without them.

logger = logging.getLogger(__name__)


async def run_console(
    store: FactStore,
    settings: Settings,
    clock: Callable[[], datetime],
    adapters: Adapters,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """The terminal chat: one console channel, scheduled posts printed as they fall due, ends with input."""
    from bot.core import BriefBot, CoreOptions
    from bot.feeds import poller_for
    from bot.schedule import Scheduler

    core = BriefBot(store, clock, CoreOptions.from_settings(settings))
    chat, sender = adapters.terminal_chat(core, clock, stdin, out)
    scheduler = Scheduler(
        store,
        {sender.platform: sender},
        clock,
        timedelta(hours=settings.grace_hours),
        update_max_age_days=settings.update_max_age_days,
        feeds=poller_for(store, settings),
    )
    # The scheduler's and the ledger's routine INFO lines (every minute's run, every post counted) would
    # land between the lines of a terminal chat; the posts themselves are printed there already.
    for name in ("apscheduler", "bot.delivery", "bot.schedule"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).getEffectiveLevel()))
    # A single process is always the leader: a restart after a crash takes over its own old claims.
    await scheduler.take_over()
    try:
        await chat.run()
    finally:
        await scheduler.stop()
    return 0


async def run_platforms(
    store: FactStore, settings: Settings, clock: Callable[[], datetime], adapters: Adapters
) -> int:
    """Serve Slack and/or Discord in this loop; the scheduler runs while this replica holds leadership."""
    from bot.core import BriefBot, CoreOptions
    from bot.feeds import poller_for
    from bot.http import Health, Heartbeat, make_http_app, start_http
    from bot.leader import make_leader_lock
    from bot.metrics import SCHEDULER_LEADER
    from bot.schedule import Scheduler

    core = BriefBot(store, clock, CoreOptions.from_settings(settings))
    runtimes = adapters.platforms(settings, core)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    started: list[PlatformRuntime] = []
    scheduler: Scheduler | None = None

    async def leadership(is_leader: bool) -> None:
        nonlocal scheduler
        SCHEDULER_LEADER.set(1 if is_leader else 0)
        if is_leader and scheduler is None:
            senders = {runtime.platform: runtime.sender for runtime in started}
            scheduler = Scheduler(
                store,
                senders,
                clock,
                timedelta(hours=settings.grace_hours),
                update_max_age_days=settings.update_max_age_days,
                feeds=poller_for(store, settings),
            )
            # Sends the previous leader (or this process's previous life) left half done are resent or
            # marked unknown now, while the platform still remembers their nonces.
            await scheduler.take_over()
            logger.info("this replica runs the scheduler")
        elif not is_leader and scheduler is not None:
            await scheduler.stop(settings.shutdown_seconds)
            scheduler = None
            logger.warning("lost scheduler leadership; another replica takes over")

    # One HTTP server for /healthz, /metrics and (mounted) Slack's HTTP-mode events.
    heartbeat = Heartbeat(max_age=max(180.0, 4 * settings.leader_retry_seconds))
    web_app = make_http_app(Health(store.engine, heartbeat, runtimes))
    for runtime in runtimes:
        mount = getattr(runtime, "mount", None)
        if mount is not None and not getattr(runtime, "app_token", ""):
            mount(web_app)
    http_runner = await start_http(web_app, settings.http_port)
    try:
        for runtime in runtimes:
            await runtime.start()
            started.append(runtime)
            logger.info("%s connected", runtime.platform)
        lock = make_leader_lock(settings.resolved_database_url())
        await lock.hold(stop, leadership, settings.leader_retry_seconds, heartbeat.beat)
    finally:
        if scheduler is not None:
            await scheduler.stop(settings.shutdown_seconds)
        for runtime in reversed(started):
            with contextlib.suppress(Exception):
                await runtime.stop()
        await http_runner.cleanup()
    return 0


def cmd_run(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Run the bot: the configured chat platforms, or the terminal chat when none is."""
    clock = make_clock(parse_now(args.now) if args.now else None)
    ready_to_answer(store)
    if settings.slack_bot_token is None and settings.discord_token is None:
        return asyncio.run(run_console(store, settings, clock, adapters))
    return asyncio.run(run_platforms(store, settings, clock, adapters))


def add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot run [--now ISO]`."""
    run = sub.add_parser("run", help="run the bot (a terminal chat when no Slack or Discord is configured)")
    run.add_argument("--now", help="start the clock at this ISO-8601 instant; it then runs forward")
    run.set_defaults(func=cmd_run)
