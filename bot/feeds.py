"""Feeds on the scheduler: those due at `now`, one request per second to a host, backed off on errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bot.feed_timing import HostPacer, next_poll
from bot.metrics import record_feed_poll
from facts.feeds.parse import DEFAULT_MAX_ENTRIES
from facts.feeds.poll import FeedPoll, Fetcher, PollResult
from facts.feeds.store import Feed, FeedStore
from facts.ingest import Extractor
from facts.store import FactStore
from facts.topics import Taxonomy

logger = logging.getLogger(__name__)


class FeedPoller:
    """Polls the feeds that are due and records each poll's outcome, next poll time and metrics.

    `clock` and `sleep` are the real ones in production; tests pass a fake pair so the pacing between
    requests to one host is checked without sleeping.
    """

    def __init__(
        self,
        store: FactStore,
        *,
        fetch: Fetcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        extractor: Extractor | None = None,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.feeds = FeedStore(store.engine)
        self.clock = clock
        self.sleep = sleep
        self.pacer = HostPacer()
        self._poll = FeedPoll(
            store,
            fetch=fetch,
            before_request=self._pace,
            max_entries=max_entries,
            extractor=extractor,
            taxonomy=taxonomy,
        )

    def _pace(self, url: str) -> None:
        """Hold back until a request to this URL's host keeps to one per second."""
        wait = self.pacer.wait(url, self.clock())
        if wait.total_seconds() > 0:
            self.sleep(wait.total_seconds())
        self.pacer.sent(url, self.clock())

    def poll_due(self, now: datetime) -> list[PollResult]:
        """Poll every feed due at `now`; one feed's failure is recorded and the others go on."""
        return [self.poll_one(feed, now) for feed in self.feeds.due(now)]

    def poll_all(self, now: datetime) -> list[PollResult]:
        """Poll every feed now, due or not (`briefbot feeds poll`)."""
        return [self.poll_one(feed, now) for feed in self.feeds.all()]

    def poll_one(self, feed: Feed, now: datetime) -> PollResult:
        """Poll one feed and record the outcome: validators and entries taken, or the error and a back-off."""
        try:
            result = self._poll.poll(feed, now)
        except Exception as error:
            logger.exception("polling feed %s failed", feed.url)
            result = PollResult(feed, "failed", error=f"unexpected error: {error}", error_kind="internal")
        if result.outcome == "failed":
            retry = next_poll(now, feed.every_minutes, feed.failures + 1)
            self.feeds.failed(feed.id, now, result.error or "failed", retry)
            logger.warning(
                "feed %s: %s (%d failures in a row; next poll %s)",
                feed.url,
                result.error,
                feed.failures + 1,
                retry.isoformat(),
            )
        else:
            self.feeds.polled(
                feed.id,
                now,
                next_poll(now, feed.every_minutes),
                title=result.title,
                etag=result.etag,
                last_modified=result.last_modified,
                taken=result.taken,
            )
            if result.taken or result.entry_errors:
                logger.info("%s", result.line())
        kinds = [kind for _, _, kind in result.entry_errors]
        record_feed_poll(result.outcome, result.error_kind, kinds, feed.url, result.taken)
        return result


def poller_for(store: FactStore, settings: object) -> FeedPoller:
    """The feed poller a bot.config.Settings asks for: its entry limit and topics file."""
    from facts.topics import load_taxonomy

    return FeedPoller(
        store,
        max_entries=int(getattr(settings, "feed_max_entries", DEFAULT_MAX_ENTRIES)),
        taxonomy=load_taxonomy(getattr(settings, "topics_file", "") or None),
    )
