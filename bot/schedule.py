"""The scheduler: every minute it asks what is due at `now`, adds it to the ledger and delivers it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.briefing import Composer, DigestComposer, DocumentUpdate, dated_facts, find_changes, reminder_post
from bot.channels import Channel, forget_events_before, subscribed_channels
from bot.config import DEFAULT_UPDATE_MAX_AGE_DAYS
from bot.delivery import DROPPED, Delivery, DeliveryReport, Entry, Ledger, Recovery
from bot.due import Due, delivery_key, due_posts, local_day
from bot.feeds import FeedPoller
from bot.messages import Message, Sender
from bot.metrics import record_delivery
from bot.repeats import RepeatedFailure
from bot.state import cursors
from facts.store import FactStore

logger = logging.getLogger(__name__)

UPDATES_CURSOR = "update-posts"
UPDATE_SUBJECT = "update digest"
# How far back a tick looks for owed posts: the grace window plus enough to log (and drop) what a
# longer outage missed, once.
LOOKBACK_BEYOND_GRACE = timedelta(days=3)
TICK_JOB_ID = "briefbot-tick"


class _CursorMoved(Exception):
    """Another replica turned these facts into update posts first."""


@dataclass
class _UpdateBatch:
    """One planning pass's document updates, sorted by whether they make news."""

    fresh: list[DocumentUpdate] = field(default_factory=list)
    old: list[DocumentUpdate] = field(default_factory=list)
    late: list[DocumentUpdate] = field(default_factory=list)
    newest: datetime | None = None


@dataclass
class TickReport:
    """What one scheduler tick planned and delivered."""

    planned: int = 0
    dropped: int = 0
    updates: int = 0
    delivery: DeliveryReport | None = None
    feeds_polled: int = 0


class Scheduler:
    """Plans daily posts, reminders and update posts into the ledger and delivers them; time is injected."""

    def __init__(
        self,
        store: FactStore,
        senders: Mapping[str, Sender],
        clock: Callable[[], datetime],
        grace: timedelta = timedelta(hours=6),
        concurrency: int = 8,
        worker: str | None = None,
        update_max_age_days: int = DEFAULT_UPDATE_MAX_AGE_DAYS,
        feeds: FeedPoller | None = None,
    ) -> None:
        self.store = store
        # The leader polls the feeds that are due before it plans, so a poll's new articles make this
        # tick's update digest.
        self.feeds = feeds if feeds is not None else FeedPoller(store)
        self.update_max_age_days = update_max_age_days
        self.senders = dict(senders)
        self.clock = clock
        self.grace = grace
        self.ledger = Ledger(store.engine, worker)
        self.delivery = Delivery(self.ledger, self.senders, grace, concurrency=concurrency)
        self._lock = asyncio.Lock()
        self._aps: AsyncIOScheduler | None = None
        self._ticking: asyncio.Task[None] | None = None
        self._pruned_at: datetime | None = None
        self._stopped = False
        # A read-only store fails every minute's tick alike: say so once, not every minute.
        self._failures = RepeatedFailure("scheduler tick", logger)

    @property
    def lookback(self) -> timedelta:
        """How far back owed posts are looked for."""
        return self.grace + LOOKBACK_BEYOND_GRACE

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Plan and deliver everything due at `now` (the clock's time when not given)."""
        moment = (now or self.clock()).astimezone(UTC)
        if self._lock.locked():
            logger.debug("previous tick still running; skipping %s", moment.isoformat())
            return TickReport()
        async with self._lock:
            if self._pruned_at is None or moment - self._pruned_at >= timedelta(hours=1):
                # Platforms retry an event within minutes; a day of event ids is plenty to spot retries.
                await asyncio.to_thread(forget_events_before, self.store.engine, moment - timedelta(days=1))
                self._pruned_at = moment
            if self.senders:
                await asyncio.to_thread(self.start_updates_cursor)
            polled = await asyncio.to_thread(self.feeds.poll_due, moment)
            report = await asyncio.to_thread(self.plan, moment)
            report.feeds_polled = len(polled)
            report.delivery = await self.delivery.run(moment)
            record_delivery(report.delivery)
            return report

    async def recover_interrupted(self, now: datetime | None = None) -> Recovery:
        """On becoming leader (or starting alone): take back the sends a dead process left half done.

        Run it before the first tick: Discord forgets a nonce after a few minutes, so a resend must
        follow the crash promptly (see Delivery.recover_interrupted).
        """
        moment = (now or self.clock()).astimezone(UTC)
        async with self._lock:
            return await self.delivery.recover_interrupted(moment)

    async def take_over(self) -> None:
        """Become the running scheduler: recover interrupted sends, then tick now and every minute."""
        try:
            await self.recover_interrupted()
        except Exception:  # the ledger's lease still expires stale claims later
            logger.exception("could not recover sends interrupted by a crash")
        self.start()

    # -- planning (sync, runs in a thread) ---------------------------------------------------------

    def plan(self, now: datetime) -> TickReport:
        """Add every post owed at `now` to the ledger: update posts, then daily posts and reminders."""
        report = TickReport()
        if not self.senders:
            return report
        channels = subscribed_channels(self.store.engine, list(self.senders))
        report.updates = self.plan_updates(now, channels)
        if not channels:
            return report
        facts = dated_facts(self.store, (now - self.lookback).date() - timedelta(days=1))
        dues = due_posts(channels, facts, now, self.lookback)
        known = self.ledger.known_keys(now - self.lookback - timedelta(days=1))
        composer = Composer(facts)
        entries = []
        for due in dues:
            key = due.key
            if key in known:
                continue
            late = now - due.due_at
            if late > self.grace:
                entries.append(self._entry(due, None, DROPPED, f"missed by {late}, beyond the grace window"))
                report.dropped += 1
                continue
            if due.kind == "briefing":
                message = composer.daily(due.channel.topics, due.local_date)
            else:
                assert due.fact is not None
                message = reminder_post(due.fact, due.offset, due.local_date)
            entries.append(self._entry(due, message))
        if report.dropped:
            logger.warning(
                "%d scheduled posts were due more than %s ago (downtime?); dropping them",
                report.dropped,
                self.grace,
            )
        self.ledger.add(entries)
        report.planned = len(entries) - report.dropped
        return report

    @staticmethod
    def _entry(due: Due, message: Message | None, status: str = "pending", error: str | None = None) -> Entry:
        return Entry(
            key=due.key,
            channel_id=due.channel.id,
            kind=due.kind,
            subject=due.subject,
            occurrence=due.occurrence,
            due_at=due.due_at,
            message=message,
            status=status,
            error=error,
        )

    def start_updates_cursor(self) -> bool:
        """On first start, mark everything stored so far as seen; True when this call did so.

        What was ingested before the bot ever ran is not news to anyone; what its first feed poll brings is,
        so the tick starts the cursor before it polls.
        """
        engine = self.store.engine
        with engine.connect() as conn:
            position = conn.execute(
                select(cursors.c.position).where(cursors.c.name == UPDATES_CURSOR)
            ).scalar()
            if position is not None:
                return False
        newest = self.store.newest_fact_id()
        try:
            with engine.begin() as conn:
                conn.execute(insert(cursors).values(name=UPDATES_CURSOR, position=newest))
        except IntegrityError:
            pass
        return True

    def plan_updates(self, now: datetime, channels: Sequence[Channel]) -> int:
        """Turn facts added since the cursor into at most one update digest per subscribed channel.

        Everything ingested since the last pass is one digest, so a bulk ingest is one post, not one per
        article. Articles published more than `update_max_age_days` before their ingest change facts
        quietly: an archive being loaded is not news.
        """
        engine = self.store.engine
        if self.start_updates_cursor():
            return 0
        with engine.connect() as conn:
            position = conn.execute(
                select(cursors.c.position).where(cursors.c.name == UPDATES_CURSOR)
            ).scalar()
        newest = self.store.newest_fact_id()
        if position is None:  # another process dropped the cursor since: start again next pass
            return 0
        if newest <= position:
            return 0
        updates = find_changes(self.store, self.store.facts_added(position, newest), position)
        batch = self._sort_updates(updates, now)
        entries = self._digest_entries(batch, channels, now, f"facts {position + 1}-{newest}")
        try:
            with engine.begin() as conn:
                # The posts and the cursor move together: a crash leaves both undone, a rival replica's
                # identical keys are ignored, and only the replica that moves the cursor commits.
                self.ledger.add(entries, conn)
                moved = conn.execute(
                    update(cursors)
                    .where(cursors.c.name == UPDATES_CURSOR, cursors.c.position == position)
                    .values(position=newest)
                ).rowcount
                if moved != 1:
                    raise _CursorMoved
        except _CursorMoved:
            return 0
        logger.info(
            "update posts: %d digests from %d documents (facts %d..%d); %d published more than %d days"
            " before ingest changed facts without a post; %d ingested beyond the grace window",
            sum(1 for e in entries if e.status != DROPPED),
            len(batch.fresh),
            position + 1,
            newest,
            len(batch.old),
            self.update_max_age_days,
            len(batch.late),
        )
        return len(entries)

    def _sort_updates(self, updates: Sequence[DocumentUpdate], now: datetime) -> _UpdateBatch:
        """Split a pass's document updates into news to post, old articles to keep quiet, and late ones."""
        ingested = self.store.ingested_at(u.document_id for u in updates)
        batch = _UpdateBatch()
        for upd in updates:
            # A test or a `--now` clock may run behind the wall clock that stamped the ingest.
            at = min(upd.corrected_at or ingested.get(upd.document_id, now), now)
            fix = upd.corrected_at is not None  # a fix is news when made, however old its article
            if (
                not fix
                and upd.published is not None
                and (at.date() - upd.published).days > self.update_max_age_days
            ):
                batch.old.append(upd)
            elif now - at > self.grace:
                batch.late.append(upd)
            else:
                batch.fresh.append(upd)
                batch.newest = max(batch.newest or at, at)
        return batch

    def _digest_entries(
        self, batch: _UpdateBatch, channels: Sequence[Channel], now: datetime, occurrence: str
    ) -> list[Entry]:
        """One ledger row per channel the pass concerns: its digest, or a dropped row if all came late."""
        fresh = DigestComposer(batch.fresh)
        late = DigestComposer(batch.late)
        entries = []
        for channel in channels:
            today = local_day(now, channel.timezone)
            key = delivery_key(channel.id, "update", UPDATE_SUBJECT, occurrence)
            message = fresh.post(channel.topics, today)
            if message is not None:
                due_at = batch.newest or now
                entries.append(Entry(key, channel.id, "update", UPDATE_SUBJECT, occurrence, due_at, message))
            elif late.concerns(channel.topics):
                why = f"every article was ingested more than {self.grace} ago, beyond the grace window"
                entries.append(
                    Entry(key, channel.id, "update", UPDATE_SUBJECT, occurrence, now, None, DROPPED, why)
                )
        return entries

    # -- the APScheduler driver ----------------------------------------------------------------------

    def start(self) -> None:
        """Run a tick now and then every minute on the running asyncio loop (job store in memory only)."""
        self._stopped = False
        aps = AsyncIOScheduler(timezone=UTC)
        aps.add_job(
            self._job,
            IntervalTrigger(minutes=1, timezone=UTC),
            id=TICK_JOB_ID,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=50,
        )
        aps.start()
        self._aps = aps

    async def _job(self) -> None:
        self._ticking = asyncio.current_task()
        await self.tick_logged()

    async def tick_logged(self) -> None:
        """One tick as the running scheduler makes it: a failure is logged once per run of it, not raised."""
        try:
            await self.tick(self.clock())
        except asyncio.CancelledError:
            if not self._stopped:
                raise
            # Cancelled by our own shutdown after its grace (logged there): no traceback for that.
            logger.debug("scheduler tick cancelled at shutdown")
        except Exception as error:  # noqa: BLE001 - one bad tick must not stop the next
            self._failures.failed(error)
        else:
            self._failures.succeeded()

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop scheduling, let the sends in flight finish, and claim nothing more."""
        self._stopped = True
        self.delivery.stop()
        aps, self._aps = self._aps, None
        if aps is not None:
            # Shutting APScheduler down cancels the tick it is running, so pause it first (no new ticks),
            # let a tick it has just submitted start (and record itself), and shut down after that tick.
            aps.pause()
            await asyncio.sleep(0)
        task = self._ticking
        if task is not None and not task.done() and task is not asyncio.current_task():
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout)
            except TimeoutError:
                logger.warning("a scheduler tick did not finish within %s s of shutdown", timeout)
        if aps is not None:
            aps.shutdown(wait=False)
