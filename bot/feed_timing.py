"""When a feed is polled next, and how requests to one host are spaced (pure functions of `now`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DEFAULT_EVERY_MINUTES = 15
MIN_EVERY_MINUTES = 5
MAX_BACKOFF = timedelta(hours=6)
HOST_INTERVAL = timedelta(seconds=1)


def check_every(minutes: int) -> int:
    """A feed's polling interval in minutes; ValueError below the minimum."""
    if minutes < MIN_EVERY_MINUTES:
        raise ValueError(f"a feed is polled at most every {MIN_EVERY_MINUTES} minutes (got {minutes})")
    return minutes


def next_poll(now: datetime, every_minutes: int, failures: int = 0) -> datetime:
    """When to poll again: after the interval, doubled for each failure in a row (at most 6 h)."""
    wait = timedelta(minutes=every_minutes)
    if failures > 0:
        # Capped before doubling gets large: 2**failures of a long outage would overflow a timedelta.
        wait = min(wait * (2 ** min(failures, 32)), MAX_BACKOFF)
    return now + wait


def host_of(url: str) -> str:
    """The host a URL's request goes to, lower-cased (the unit the rate limit counts)."""
    return (urlsplit(url).hostname or "").lower()


class HostPacer:
    """At most one request per HOST_INTERVAL to one host: `wait(url, now)` says how long to hold back.

    Pure given `now`: the caller sleeps for what it is told and then calls `sent(url, at)`.
    """

    def __init__(self, interval: timedelta = HOST_INTERVAL) -> None:
        self.interval = interval
        self._last: dict[str, datetime] = {}

    def wait(self, url: str, now: datetime) -> timedelta:
        """How long to wait at `now` before a request to this URL's host may go (zero when it may now)."""
        last = self._last.get(host_of(url))
        if last is None:
            return timedelta(0)
        return max(last + self.interval - now, timedelta(0))

    def sent(self, url: str, at: datetime) -> None:
        """Record a request to this URL's host at `at`."""
        self._last[host_of(url)] = at
