"""The deliveries ledger: each scheduled post is claimed, sent and recorded exactly once, with retries."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Insert, and_, func, or_, select, update

from bot.channels import set_active_by_id, utc
from bot.messages import ChannelGone, Message, Sender, TemporaryFailure, deduplicates
from bot.payload import message_from_json, message_to_json
from bot.state import channels, deliveries

logger = logging.getLogger(__name__)

NONCE_LENGTH = 25  # Discord accepts a nonce of at most 25 characters
MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
# A row still "sending" this long after its claim belongs to a process that died mid-send. Recovery at
# takeover or start handles a dead leader's rows at once; this lease is the backstop for the rest (a
# platform no sender here serves, a send hung in this process).
SENDING_LEASE = timedelta(minutes=10)
# Discord checks an enforced nonce "for uniqueness in the past few minutes". A stranded claim older than
# this may be past the platform's memory, so even a deduplicating sender must not resend it.
RESEND_WINDOW = timedelta(minutes=2)

PENDING, SENDING, SENT = "pending", "sending", "sent"
FAILED, GONE, DROPPED, EMPTY, UNKNOWN = "failed", "gone", "dropped", "empty", "unknown"


# Keys of rows this process is sending right now (over every Delivery in it): recovery must not take
# them back, even from a scheduler that lost leadership and is still finishing its sends.
_in_flight: set[str] = set()


def nonce(key: str) -> str:
    """A short stable nonce for a ledger key (25 hex characters of its SHA-256), the same on every retry."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:NONCE_LENGTH]


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones: 30 s, 2 min, 8 min, ... up to 1 h."""
    wait: timedelta = BACKOFF_BASE * (4 ** max(attempts - 1, 0))
    return min(wait, BACKOFF_CAP)


def worker_name() -> str:
    """Who claims rows: host and process id, for the ledger's claimed_by."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


@dataclass(frozen=True)
class Entry:
    """A ledger row to add: a post owed to a channel, with its message (None: nothing to say)."""

    key: str
    channel_id: int
    kind: str
    subject: str
    occurrence: str
    due_at: datetime
    message: Message | None
    status: str = PENDING
    error: str | None = None


@dataclass(frozen=True)
class Pending:
    """A ledger row ready to send."""

    id: int
    key: str
    channel_id: int
    platform: str
    channel_key: str
    active: bool
    due_at: datetime
    attempts: int
    message: Message


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    gone: int = 0
    dropped: int = 0
    lost_claims: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Recovery:
    """What recovering interrupted sends did: ledger keys queued to resend, and keys marked unknown."""

    resent: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


class Ledger:
    """The deliveries table: a unique key makes a post owed once; one-statement claims make it safe."""

    def __init__(self, engine: Engine, worker: str | None = None) -> None:
        self.engine = engine
        self.worker = worker or worker_name()

    def known_keys(self, since: datetime) -> set[str]:
        """Keys of rows due at or after an instant (what the planner must not add again)."""
        with self.engine.connect() as conn:
            return set(
                conn.execute(
                    select(deliveries.c.key).where(deliveries.c.due_at >= since.astimezone(UTC))
                ).scalars()
            )

    def add(self, entries: Sequence[Entry], conn: Connection | None = None) -> int:
        """Insert rows, ignoring keys already present (another replica, an earlier tick); returns how many.

        Given a connection, the rows join its transaction (the update planner commits them with its cursor).
        """
        if not entries:
            return 0
        if conn is None:
            with self.engine.begin() as own:
                return self.add(entries, own)
        rows = [_row(e) for e in entries]
        dialect = self.engine.dialect.name
        stmt: Insert
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(deliveries).on_conflict_do_nothing(index_elements=["key"])
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            stmt = postgresql_insert(deliveries).on_conflict_do_nothing(index_elements=["key"])
        else:
            raise NotImplementedError(f"the deliveries ledger needs SQLite or PostgreSQL, not {dialect}")
        for start in range(0, len(rows), 500):
            conn.execute(stmt, rows[start : start + 500])
        return len(rows)

    def pending(self, now: datetime, platforms: Sequence[str], limit: int = 5000) -> list[Pending]:
        """Rows waiting to be sent on the given platforms whose retry time has come, oldest first."""
        moment = now.astimezone(UTC)
        query = (
            select(
                deliveries.c.id,
                deliveries.c.key,
                deliveries.c.channel_id,
                deliveries.c.due_at,
                deliveries.c.attempts,
                deliveries.c.payload,
                channels.c.platform,
                channels.c.channel_key,
                channels.c.active,
            )
            .join(channels, channels.c.id == deliveries.c.channel_id)
            .where(
                deliveries.c.status == PENDING,
                channels.c.platform.in_(list(platforms)),
                or_(deliveries.c.next_attempt_at.is_(None), deliveries.c.next_attempt_at <= moment),
            )
            .order_by(deliveries.c.due_at, deliveries.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            Pending(
                id=r.id,
                key=r.key,
                channel_id=r.channel_id,
                platform=r.platform,
                channel_key=r.channel_key,
                active=bool(r.active),
                due_at=utc(r.due_at),
                attempts=r.attempts,
                message=message_from_json(r.payload),
            )
            for r in rows
        ]

    def claim(self, row_id: int, now: datetime) -> bool:
        """Take a pending row for sending; False when another worker took it first (one UPDATE, no race)."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(deliveries)
                .where(deliveries.c.id == row_id, deliveries.c.status == PENDING)
                .values(
                    status=SENDING,
                    claimed_by=self.worker,
                    claimed_at=now.astimezone(UTC),
                    attempts=deliveries.c.attempts + 1,
                )
            )
        return result.rowcount == 1

    def finish(
        self, row_id: int, status: str, now: datetime, message_id: str | None = None, error: str = ""
    ) -> None:
        """Record how a claimed send ended."""
        values: dict[str, Any] = {"status": status, "error": error or None}
        if status == SENT:
            values.update(sent_at=now.astimezone(UTC), message_id=message_id)
        with self.engine.begin() as conn:
            conn.execute(update(deliveries).where(deliveries.c.id == row_id).values(**values))

    def retry_later(self, row_id: int, error: str, at: datetime) -> None:
        """Put a claimed row back to pending, not to be tried before `at` (same row: never a second post)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.id == row_id, deliveries.c.status == SENDING)
                .values(status=PENDING, error=error, next_attempt_at=at.astimezone(UTC))
            )

    def release(self, row_id: int) -> None:
        """Give back a row claimed but never handed to the platform (shutdown before sending)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.id == row_id, deliveries.c.status == SENDING)
                .values(status=PENDING, attempts=deliveries.c.attempts - 1)
            )

    def expire_stale_claims(self, now: datetime) -> int:
        """Rows still 'sending' a lease after their claim: marked unknown, never resent (could post twice)."""
        cutoff = (now - SENDING_LEASE).astimezone(UTC)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(deliveries)
                .where(deliveries.c.status == SENDING, deliveries.c.claimed_at < cutoff)
                .values(status=UNKNOWN, error="interrupted while sending; not resent so it cannot post twice")
            )
        if result.rowcount:
            logger.warning(
                "%d posts were interrupted mid-send by a crash; not resending them", result.rowcount
            )
        return result.rowcount or 0

    def recover_interrupted(
        self,
        now: datetime,
        platforms: Sequence[str],
        resendable: Collection[str],
        busy: Collection[str] = (),
    ) -> Recovery:
        """At takeover or start: deal with rows a dead sender left 'sending' on the given platforms.

        Only the leader sends, so once this replica leads, a claim it is not itself sending (`busy`) is
        dead, whoever made it: another replica or this host's previous process. On a platform in
        `resendable` a claim younger than RESEND_WINDOW goes back to pending under the same key, hence
        the same nonce, and the platform drops the copy if the first send arrived. Anywhere else it is
        marked unknown and not resent: a missed post is better than a double post.
        """
        moment = now.astimezone(UTC)
        query = (
            select(
                deliveries.c.id,
                deliveries.c.key,
                deliveries.c.attempts,
                deliveries.c.claimed_by,
                deliveries.c.claimed_at,
                channels.c.platform,
                channels.c.channel_key,
            )
            .join(channels, channels.c.id == deliveries.c.channel_id)
            .where(deliveries.c.status == SENDING, channels.c.platform.in_(list(platforms)))
            .order_by(deliveries.c.id)
        )
        recovery = Recovery()
        with self.engine.begin() as conn:
            for row in conn.execute(query).all():
                if row.key in busy:
                    continue
                claimed_at = utc(row.claimed_at) if row.claimed_at is not None else None
                age = moment - claimed_at if claimed_at is not None else None
                resend = row.platform in resendable and age is not None and age <= RESEND_WINDOW
                note = f"interrupted while sending (claimed by {row.claimed_by}); "
                values: dict[str, Any] = (
                    {"status": PENDING, "next_attempt_at": None, "error": note + "resent with the same nonce"}
                    if resend
                    else {"status": UNKNOWN, "error": note + "not resent so it cannot post twice"}
                )
                # The claim seen above (worker and attempt number) must still be the row's: never undo a
                # newer claim.
                changed = conn.execute(
                    update(deliveries)
                    .where(
                        deliveries.c.id == row.id,
                        deliveries.c.status == SENDING,
                        deliveries.c.claimed_by == row.claimed_by,
                        deliveries.c.attempts == row.attempts,
                    )
                    .values(**values)
                ).rowcount
                if not changed:
                    continue
                if resend:
                    recovery.resent.append(row.key)
                    logger.info(
                        "resending %s post %s to %s, interrupted %s ago by %s (same nonce)",
                        row.platform,
                        row.key,
                        row.channel_key,
                        age,
                        row.claimed_by,
                    )
                else:
                    recovery.unknown.append(row.key)
                    why = (
                        "the platform cannot drop a duplicate"
                        if row.platform not in resendable
                        else f"claimed {age} ago, beyond the platform's nonce window"
                    )
                    logger.warning(
                        "%s post %s to channel %s was interrupted mid-send by %s; not resending (%s), so"
                        " it may be missing there",
                        row.platform,
                        row.key,
                        row.channel_key,
                        row.claimed_by,
                        why,
                    )
        return recovery

    def counts(self) -> dict[str, int]:
        """How many rows have each status (for tests and metrics)."""
        with self.engine.connect() as conn:
            return {
                status: n
                for status, n in conn.execute(
                    select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
                )
            }

    def rows(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every ledger row as a dict (for tests and inspection)."""
        query = select(deliveries).order_by(deliveries.c.id)
        if kind:
            query = query.where(and_(deliveries.c.kind == kind))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]


def _row(entry: Entry) -> dict[str, Any]:
    status = entry.status if entry.message is not None or entry.status != PENDING else EMPTY
    return {
        "key": entry.key,
        "channel_id": entry.channel_id,
        "kind": entry.kind,
        "subject": entry.subject[:128],
        "occurrence": entry.occurrence[:64],
        "due_at": entry.due_at.astimezone(UTC),
        "status": status,
        "attempts": 0,
        "error": entry.error,
        "payload": message_to_json(entry.message) if entry.message is not None else None,
        "next_attempt_at": None,
    }


class Delivery:
    """Sends pending ledger rows through each platform's Sender: claim, send, record; retry with backoff."""

    def __init__(
        self,
        ledger: Ledger,
        senders: Mapping[str, Sender],
        grace: timedelta,
        max_attempts: int = MAX_ATTEMPTS,
        concurrency: int = 8,
    ) -> None:
        self.ledger = ledger
        self.senders = dict(senders)
        self.grace = grace
        self.max_attempts = max_attempts
        self.concurrency = max(1, concurrency)
        self._stopping = False
        self._expired_at: datetime | None = None

    def stop(self) -> None:
        """Finish the sends in flight and claim no more (graceful shutdown mid fan-out)."""
        self._stopping = True

    async def recover_interrupted(self, now: datetime) -> Recovery:
        """Call on becoming leader or on start: resend or mark unknown the sends a dead process left.

        Resends only on platforms whose Sender deduplicates (same nonce, platform drops the copy);
        elsewhere the row is marked unknown, the at-most-once rule.
        """
        resendable = {platform for platform, sender in self.senders.items() if deduplicates(sender)}
        return await asyncio.to_thread(
            self.ledger.recover_interrupted, now, list(self.senders), resendable, frozenset(_in_flight)
        )

    async def run(self, now: datetime) -> DeliveryReport:
        """Send every pending row due on our platforms, `concurrency` at a time."""
        report = DeliveryReport()
        if not self.senders:
            return report
        if self._expired_at is None or now - self._expired_at >= SENDING_LEASE / 2:
            # Only a crash leaves stale claims: looking for them every few minutes is plenty.
            await asyncio.to_thread(self.ledger.expire_stale_claims, now)
            self._expired_at = now
        rows = await asyncio.to_thread(self.ledger.pending, now, list(self.senders))
        queue: asyncio.Queue[Pending] = asyncio.Queue()
        for row in rows:
            queue.put_nowait(row)

        async def worker() -> None:
            while not self._stopping:
                try:
                    row = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await self._deliver(row, now, report)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(rows)) or 1)))
        if report.sent or report.retrying or report.failed or report.gone or report.dropped:
            logger.info(
                "delivery: %d sent, %d to retry, %d failed, %d channels gone, %d dropped",
                report.sent,
                report.retrying,
                report.failed,
                report.gone,
                report.dropped,
            )
        return report

    async def _deliver(self, row: Pending, now: datetime, report: DeliveryReport) -> None:
        late = now - row.due_at
        if late > self.grace or not row.active:
            reason = (
                "channel is gone" if not row.active else f"{late} late, beyond the {self.grace} grace window"
            )
            if await asyncio.to_thread(self._drop, row.id, reason):
                logger.warning("dropping %s post %s: %s", row.platform, row.key, reason)
                report.dropped += 1
            return
        # Marked in flight before the claim commits, so a recovery in this process never sees our own
        # fresh claim as a dead one.
        _in_flight.add(row.key)
        try:
            if not await asyncio.to_thread(self.ledger.claim, row.id, now):
                report.lost_claims += 1  # another worker or replica is sending it
                return
            await self._send(row, now, report)
        finally:
            _in_flight.discard(row.key)

    async def _send(self, row: Pending, now: datetime, report: DeliveryReport) -> None:
        sender = self.senders[row.platform]
        try:
            message_id = await sender.send(row.channel_key, row.message, nonce(row.key))
        except ChannelGone as error:
            await asyncio.to_thread(self.ledger.finish, row.id, GONE, now, None, str(error) or "channel gone")
            await asyncio.to_thread(set_active_by_id, self.ledger.engine, row.channel_id, False)
            logger.warning("%s channel %s is gone; no more posts there", row.platform, row.channel_key)
            report.gone += 1
            return
        except asyncio.CancelledError:
            # Cancelled mid-send: whether the platform got it is unknown, so the row stays 'sending' for
            # the next leader's recovery (a resend with the same nonce where the platform drops copies,
            # else 'unknown') rather than risk a second post now.
            raise
        except Exception as error:  # noqa: BLE001 - any other failure is retried, then given up
            await self._failed(row, now, error, report)
            return
        await asyncio.to_thread(self.ledger.finish, row.id, SENT, now, str(message_id))
        report.sent += 1

    def _drop(self, row_id: int, reason: str) -> bool:
        with self.ledger.engine.begin() as conn:
            result = conn.execute(
                update(deliveries)
                .where(deliveries.c.id == row_id, deliveries.c.status == PENDING)
                .values(status=DROPPED, error=reason)
            )
        return result.rowcount == 1

    async def _failed(self, row: Pending, now: datetime, error: Exception, report: DeliveryReport) -> None:
        attempts = row.attempts + 1
        text = f"{type(error).__name__}: {error}"
        if not isinstance(error, TemporaryFailure):
            logger.exception("unexpected error sending %s", row.key, exc_info=error)
        if attempts >= self.max_attempts:
            await asyncio.to_thread(self.ledger.finish, row.id, FAILED, now, None, text)
            logger.error(
                "giving up on %s post %s after %d attempts: %s", row.platform, row.key, attempts, text
            )
            report.failed += 1
            report.errors.append(text)
            return
        at = now + backoff(attempts)
        await asyncio.to_thread(self.ledger.retry_later, row.id, text, at)
        logger.info("send of %s failed (%s); retry %d at %s", row.key, text, attempts, at.isoformat())
        report.retrying += 1
