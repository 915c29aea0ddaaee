"""A bot replica for the replica tests: takes the leader lock, then runs the real delivery code.

Usage: python tests/replica_worker.py DATABASE_URL FAKE_CHAT_URL NAME [--no-dedup] [--retry SECONDS]
Prints `follower`, `leader`, `recovered R resent U unknown`, `done` and `stopped` lines on stdout;
SIGTERM stops it cleanly. On becoming leader it runs the real takeover recovery
(Delivery.recover_interrupted); --no-dedup makes its sender say it cannot drop a resend, as Slack's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy import select

from bot.delivery import PENDING, Delivery, Ledger
from bot.leader import PostgresLeaderLock
from bot.messages import Message, TemporaryFailure
from bot.state import deliveries
from facts.db import make_engine


class HttpSender:
    """Posts to the fake chat API with the ledger's nonce, as the Discord sender does."""

    platform = "discord"

    def __init__(self, session: aiohttp.ClientSession, base: str, deduplicates_resends: bool) -> None:
        self.session = session
        self.base = base
        # The fake honours the nonce either way; this says whether delivery may rely on it.
        self.deduplicates_resends = deduplicates_resends

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """POST one message; the fake answers with its message id."""
        payload = {"channel": channel, "content": message.text, "nonce": nonce, "enforce_nonce": True}
        async with self.session.post(f"{self.base}/post", json=payload) as response:
            if response.status >= 500:
                raise TemporaryFailure(f"HTTP {response.status}")
            return str((await response.json())["id"])


def say(line: str) -> None:
    print(line, flush=True)


def pending_count(ledger: Ledger) -> int:
    with ledger.engine.connect() as conn:
        return len(conn.execute(select(deliveries.c.id).where(deliveries.c.status == PENDING)).all())


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("chat_url")
    parser.add_argument("name")
    parser.add_argument("--no-dedup", action="store_true")
    parser.add_argument("--retry", type=float, default=0.1)
    args = parser.parse_args()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    engine = make_engine(args.database_url)
    lock = PostgresLeaderLock(args.database_url)
    ledger = Ledger(engine, worker=args.name)
    said_done = False
    async with aiohttp.ClientSession() as session:
        sender = HttpSender(session, args.chat_url, deduplicates_resends=not args.no_dedup)
        delivery = Delivery(ledger, {"discord": sender}, timedelta(days=1))
        while not stop.is_set():
            if not lock.is_leader:
                if not await lock.acquire():
                    say("follower")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), args.retry)
                    continue
                say("leader")
                # What `briefbot run` does on winning the lock (Scheduler.take_over), minus the planning.
                recovery = await delivery.recover_interrupted(datetime.now(UTC))
                say(f"recovered {len(recovery.resent)} resent {len(recovery.unknown)} unknown")
            run = asyncio.create_task(delivery.run(datetime.now(UTC)))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({run, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not run.done():
                delivery.stop()  # SIGTERM mid fan-out: finish the sends in flight, claim no more
                await run
            stopping.cancel()
            if not said_done and await asyncio.to_thread(pending_count, ledger) == 0:
                said_done = True
                say("done")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), args.retry)
    await lock.release()
    engine.dispose()
    say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
