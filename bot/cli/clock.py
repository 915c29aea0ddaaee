"""The clock the commands run by: `--now` parsed, or the real time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from facts.ingest import FIRST_YEAR, LAST_YEAR

logger = logging.getLogger(__name__)


def parse_now(text: str | None) -> datetime:
    """The clock for countdowns: an ISO-8601 instant (UTC if no zone given), or the real time."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(
            f"briefbot: --now {text!r} is not an ISO-8601 time (e.g. 2025-09-15T12:00:00Z)"
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise SystemExit(f"briefbot: --now {text!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_clock(start: datetime | None = None) -> Callable[[], datetime]:
    """The real clock, or one that starts at `start` and runs forward at the real pace (for demos)."""
    if start is None:
        return lambda: datetime.now(UTC)
    offset = start - datetime.now(UTC)
    return lambda: datetime.now(UTC) + offset
