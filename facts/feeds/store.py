"""FeedStore: the feeds to poll, their polling state and the entries taken, in the fact store's database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from facts.schema import feed_entries, feeds

logger = logging.getLogger(__name__)


class FeedExists(ValueError):
    """A feed with that URL is already followed."""


@dataclass(frozen=True)
class Feed:
    """A feed to poll, as stored: what it was added with and what its last polls learned."""

    id: int
    url: str
    topics: tuple[str, ...]
    every_minutes: int
    next_poll_at: datetime
    title: str = ""
    added_at: datetime | None = None
    added_by: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    failures: int = 0
    entries_taken: int = 0

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `briefbot feeds list --json`."""

        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "number": self.id,
            "url": self.url,
            "title": self.title,
            "topics": list(self.topics),
            "every_minutes": self.every_minutes,
            "next_poll_at": iso(self.next_poll_at),
            "last_success_at": iso(self.last_success_at),
            "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at),
            "failures": self.failures,
            "entries_taken": self.entries_taken,
        }


@dataclass(frozen=True)
class SeenEntry:
    """A feed entry taken before: its stamp (to spot an edited entry) and the document it became."""

    guid: str
    url: str
    stamp: str
    document_id: int | None


def _utc(moment: datetime | None) -> datetime | None:
    """A stored instant as an aware UTC datetime (SQLite hands them back naive)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _feed(row: Any) -> Feed:
    return Feed(
        id=row.id,
        url=row.url,
        topics=tuple(row.topics or ()),
        every_minutes=row.every_minutes,
        next_poll_at=_utc(row.next_poll_at),  # type: ignore[arg-type]
        title=row.title or "",
        added_at=_utc(row.added_at),
        added_by=row.added_by or "",
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled_at=_utc(row.last_polled_at),
        last_success_at=_utc(row.last_success_at),
        last_error=row.last_error,
        last_error_at=_utc(row.last_error_at),
        failures=row.failures or 0,
        entries_taken=row.entries_taken or 0,
    )


class FeedStore:
    """Feeds and their entries, on the fact store's engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- the feeds -----------------------------------------------------------------------------------

    def add(
        self,
        url: str,
        topics: tuple[str, ...],
        every_minutes: int,
        now: datetime,
        added_by: str = "",
        title: str = "",
    ) -> Feed:
        """Follow a feed, first polled at `now`; FeedExists when its URL is followed already."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(feeds).values(
                        url=url,
                        title=title,
                        topics=list(topics),
                        every_minutes=every_minutes,
                        added_at=now,
                        added_by=added_by,
                        next_poll_at=now,
                        failures=0,
                        entries_taken=0,
                    )
                )
        except IntegrityError:
            raise FeedExists(url) from None
        found = self.find(url)
        assert found is not None
        return found

    def all(self) -> list[Feed]:
        """Every feed, in the order they were added (their numbers)."""
        with self.engine.connect() as conn:
            return [_feed(row) for row in conn.execute(select(feeds).order_by(feeds.c.id))]

    def find(self, url_or_number: str) -> Feed | None:
        """The feed with this URL or number, or None."""
        query = select(feeds)
        key = url_or_number.strip()
        query = query.where(feeds.c.id == int(key)) if key.isdigit() else query.where(feeds.c.url == key)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _feed(row) if row is not None else None

    def get(self, feed_id: int) -> Feed | None:
        """The feed with this id, or None (removed meanwhile)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).first()
        return _feed(row) if row is not None else None

    def remove(self, feed_id: int) -> bool:
        """Stop following a feed (its articles stay); False when it was gone already."""
        with self.engine.begin() as conn:
            conn.execute(delete(feed_entries).where(feed_entries.c.feed_id == feed_id))
            return bool(conn.execute(delete(feeds).where(feeds.c.id == feed_id)).rowcount)

    def due(self, now: datetime) -> list[Feed]:
        """The feeds whose next poll is at or before `now`, longest waiting first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(feeds).where(feeds.c.next_poll_at <= now).order_by(feeds.c.next_poll_at, feeds.c.id)
            )
            return [_feed(row) for row in rows]

    def polled(
        self,
        feed_id: int,
        now: datetime,
        next_poll_at: datetime,
        *,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        taken: int = 0,
    ) -> None:
        """Record a successful poll: the validators for the next conditional GET and the entries taken."""
        values: dict[str, Any] = {
            "last_polled_at": now,
            "last_success_at": now,
            "next_poll_at": next_poll_at,
            "failures": 0,
            "etag": etag,
            "last_modified": last_modified,
            "entries_taken": feeds.c.entries_taken + taken,
        }
        if title:
            values["title"] = title
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))

    def failed(self, feed_id: int, now: datetime, error: str, next_poll_at: datetime) -> None:
        """Record a failed poll: its one-line error, one more failure in a row, the backed-off next poll."""
        with self.engine.begin() as conn:
            conn.execute(
                update(feeds)
                .where(feeds.c.id == feed_id)
                .values(
                    last_polled_at=now,
                    last_error=error,
                    last_error_at=now,
                    failures=feeds.c.failures + 1,
                    next_poll_at=next_poll_at,
                )
            )

    def poll_all_now(self, now: datetime) -> None:
        """Make every feed due at `now` (`briefbot feeds poll`)."""
        with self.engine.begin() as conn:
            conn.execute(update(feeds).values(next_poll_at=now))

    # -- their entries -------------------------------------------------------------------------------

    def seen(self, feed_id: int, guids: list[str]) -> dict[str, SeenEntry]:
        """The entries of a feed taken before, by guid."""
        if not guids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(feed_entries).where(
                    feed_entries.c.feed_id == feed_id, feed_entries.c.guid.in_(list(set(guids)))
                )
            ).all()
        return {r.guid: SeenEntry(r.guid, r.url, r.stamp, r.document_id) for r in rows}

    def document_at(self, url: str) -> int | None:
        """The document an entry of any feed became at this URL (link or canonical), if any."""
        if not url:
            return None
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.max(feed_entries.c.document_id)).where(
                    feed_entries.c.url == url, feed_entries.c.document_id.is_not(None)
                )
            ).scalar()

    def took(
        self, feed_id: int, guid: str, url: str, stamp: str, document_id: int | None, now: datetime
    ) -> None:
        """Remember an entry as taken (or update it after a new version of its article)."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(feed_entries)
                .where(feed_entries.c.feed_id == feed_id, feed_entries.c.guid == guid)
                .values(url=url, stamp=stamp, document_id=document_id, seen_at=now)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(feed_entries).values(
                        feed_id=feed_id, guid=guid, url=url, stamp=stamp, document_id=document_id, seen_at=now
                    )
                )

    def entry_count(self, feed_id: int | None = None) -> int:
        """How many entries are remembered (of one feed, or of all)."""
        query = select(func.count()).select_from(feed_entries)
        if feed_id is not None:
            query = query.where(feed_entries.c.feed_id == feed_id)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()
