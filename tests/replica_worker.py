"""A bot replica for the replica tests: takes the leader lock, then runs the real delivery code.

Usage: python tests/replica_worker.py DATABASE_URL FAKE_CHAT_URL NAME [--recover] [--retry SECONDS]
Prints `follower`, `leader`, `recovered N`, `done` and `stopped` lines on stdout; SIGTERM stops it cleanly.
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

from bot.delivery import PENDING, SENDING, Delivery, Ledger
from bot.leader import PostgresLeaderLock
from bot.messages import Message, TemporaryFailure
from bot.state import deliveries
from facts.db import make_engine


class HttpSender:
    """Posts to the fake chat API with the ledger's nonce, as the Discord sender does."""

    platform = "discord"

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """POST one message; the fake answers with its message id."""
        payload = {"channel": channel, "content": message.text, "nonce": nonce, "enforce_nonce": True}
        async with self.session.post(f"{self.base}/post", json=payload) as response:
            if response.status >= 500:
                raise TemporaryFailure(f"HTTP {response.status}")
            return str((await response.json())["id"])


def say(line: str) -> None:
    print(line, flush=True)


def recover_interrupted_sends(ledger: Ledger, me: str) -> int:
    """After a takeover: give back rows a dead leader left 'sending' (safe only with an idempotent sender)."""
    with ledger.engine.connect() as conn:
        stuck = conn.execute(
            select(deliveries.c.id).where(deliveries.c.status == SENDING, deliveries.c.claimed_by != me)
        ).scalars()
        ids = list(stuck)
    for row_id in ids:
        ledger.release(row_id)
    return len(ids)


def pending_count(ledger: Ledger) -> int:
    with ledger.engine.connect() as conn:
        return len(conn.execute(select(deliveries.c.id).where(deliveries.c.status == PENDING)).all())


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("chat_url")
    parser.add_argument("name")
    parser.add_argument("--recover", action="store_true")
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
        delivery = Delivery(ledger, {"discord": HttpSender(session, args.chat_url)}, timedelta(days=1))
        while not stop.is_set():
            if not lock.is_leader:
                if not await lock.acquire():
                    say("follower")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), args.retry)
                    continue
                say("leader")
                if args.recover:
                    say(f"recovered {await asyncio.to_thread(recover_interrupted_sends, ledger, args.name)}")
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
