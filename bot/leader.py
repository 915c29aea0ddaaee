"""Scheduler leadership among replicas: SQLite is always leader, PostgreSQL uses a session advisory lock."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable

import psycopg
from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

LOCK_NAME = "briefbot.scheduler"
RETRY_SECONDS = 15.0

ChangeCallback = Callable[[bool], Awaitable[None] | None]


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a name."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


class LeaderLock:
    """Who runs the scheduler: `acquire()` tries to become leader, `release()` steps down."""

    is_leader: bool = False

    async def acquire(self) -> bool:
        """Try to become leader now; True when this process is (or already was) the leader."""
        raise NotImplementedError

    async def release(self) -> None:
        """Stop being leader, so that another replica can take over at once."""
        raise NotImplementedError

    async def check(self) -> bool:
        """Confirm a leader still holds the lock (its connection may have died); returns is_leader."""
        return self.is_leader

    async def hold(
        self,
        stop: asyncio.Event,
        on_change: ChangeCallback | None = None,
        interval: float = RETRY_SECONDS,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        """Until `stop` is set: followers retry `acquire` every `interval`, the leader re-checks its lock.

        `on_change(is_leader)` runs whenever leadership is won or lost, and with False before the lock
        is released on exit (so the scheduler stops before another replica can start one);
        `heartbeat()` runs on every round, for the health check.
        """

        async def tell(is_leader: bool) -> None:
            if on_change is not None:
                outcome = on_change(is_leader)
                if asyncio.iscoroutine(outcome):
                    await outcome

        try:
            while not stop.is_set():
                was = self.is_leader
                now = await self.check() if was else await self.acquire()
                if now != was:
                    await tell(now)
                if heartbeat is not None:
                    heartbeat()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)
        finally:
            try:
                if self.is_leader:
                    await tell(False)
            finally:
                await self.release()


class AlwaysLeader(LeaderLock):
    """The embedded SQLite store serves one process, which is therefore always the leader."""

    async def acquire(self) -> bool:
        """Become leader (always succeeds)."""
        self.is_leader = True
        return True

    async def release(self) -> None:
        """Step down."""
        self.is_leader = False


class PostgresLeaderLock(LeaderLock):
    """`pg_try_advisory_lock` on a dedicated connection held for the leader's life.

    The lock belongs to the database session: when the leader process dies its connection closes and
    PostgreSQL releases the lock, so a follower's next retry (every ~15 s) takes over. TCP keepalives
    bound how long a silently vanished leader (a lost host rather than a killed process) keeps it.
    """

    def __init__(self, database_url: str, name: str = LOCK_NAME, connect_timeout: int = 10) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._safe_url = url.render_as_string(hide_password=True)
        self.key = lock_key(name)
        self._connect_timeout = connect_timeout
        self._conn: psycopg.AsyncConnection | None = None
        self.is_leader = False

    async def _connection(self) -> psycopg.AsyncConnection:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self._conninfo,
                autocommit=True,
                connect_timeout=self._connect_timeout,
                application_name="briefbot-leader",
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
            )
        return self._conn

    async def acquire(self) -> bool:
        """Try the advisory lock once; a database that cannot be reached means follower."""
        if self.is_leader:
            return await self.check()
        try:
            conn = await self._connection()
            cursor = await conn.execute("select pg_try_advisory_lock(%s)", (self.key,))
            row = await cursor.fetchone()
        except psycopg.Error as error:
            logger.warning("leader lock: cannot reach %s: %s", self._safe_url, error)
            await self._drop_connection()
            return False
        self.is_leader = bool(row and row[0])
        if self.is_leader:
            logger.info("leader lock: this replica is now the scheduler leader")
        return self.is_leader

    async def check(self) -> bool:
        """Ask the server whether this session still holds the lock; a broken connection loses it."""
        if not self.is_leader:
            return False
        try:
            conn = await self._connection()
            cursor = await conn.execute(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                " and pid = pg_backend_pid() and objid = (%s::bigint & 4294967295)::oid"
                " and classid = ((%s::bigint >> 32) & 4294967295)::oid",
                (self.key, self.key),
            )
            row = await cursor.fetchone()
            held = bool(row and row[0])
        except psycopg.Error as error:
            logger.warning("leader lock: lost the connection holding the lock: %s", error)
            await self._drop_connection()
            held = False
        if not held:
            logger.warning("leader lock: leadership lost")
        self.is_leader = held
        return held

    async def release(self) -> None:
        """Unlock and close the dedicated connection (closing alone would release it too)."""
        was = self.is_leader
        self.is_leader = False
        if self._conn is not None and not self._conn.closed and was:
            with contextlib.suppress(psycopg.Error):
                await self._conn.execute("select pg_advisory_unlock(%s)", (self.key,))
            logger.info("leader lock: released")
        await self._drop_connection()

    async def _drop_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                await self._conn.close()
        self._conn = None


def make_leader_lock(database_url: str, name: str = LOCK_NAME) -> LeaderLock:
    """The leader lock that fits a database URL."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresLeaderLock(database_url, name)
    return AlwaysLeader()
