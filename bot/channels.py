"""Channels, their topic subscriptions and post settings, kept in the bot's tables (SQLAlchemy Core, sync)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import Engine, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.state import channels, seen_events, subscriptions

logger = logging.getLogger(__name__)

DEFAULT_POST_TIME = "09:00"
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class Channel:
    """A chat channel the bot knows, with its post settings and the topics it follows."""

    id: int
    platform: str
    key: str
    post_time: str = DEFAULT_POST_TIME
    timezone: str = DEFAULT_TIMEZONE
    active: bool = True
    schedule_from: datetime | None = None
    topics: tuple[str, ...] = ()


@overload
def utc(moment: datetime) -> datetime: ...
@overload
def utc(moment: None) -> None: ...
def utc(moment: datetime | None) -> datetime | None:
    """A stored instant as an aware UTC datetime (SQLite hands them back naive)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _channel(row: Row[Any], topics: tuple[str, ...] = ()) -> Channel:
    return Channel(
        id=row.id,
        platform=row.platform,
        key=row.channel_key,
        post_time=row.post_time,
        timezone=row.timezone,
        active=bool(row.active),
        schedule_from=utc(row.schedule_from),
        topics=topics,
    )


def find_channel(engine: Engine, platform: str, key: str) -> Channel | None:
    """The channel with its subscriptions, or None when the bot never heard from it."""
    with engine.connect() as conn:
        row = conn.execute(
            select(channels).where(channels.c.platform == platform, channels.c.channel_key == key)
        ).first()
        if row is None:
            return None
        topics = conn.execute(
            select(subscriptions.c.topic).where(subscriptions.c.channel_id == row.id).order_by("topic")
        ).scalars()
        return _channel(row, tuple(topics))


def ensure_channel(engine: Engine, platform: str, key: str, now: datetime) -> Channel:
    """The channel, created with default settings on first contact; a channel heard from is active again."""
    found = find_channel(engine, platform, key)
    if found is None:
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(channels).values(
                        platform=platform,
                        channel_key=key,
                        post_time=DEFAULT_POST_TIME,
                        timezone=DEFAULT_TIMEZONE,
                        active=True,
                        created_at=now.astimezone(UTC),
                    )
                )
        except IntegrityError:
            pass  # another request or replica created it first: theirs is as good as ours
        found = find_channel(engine, platform, key)
        assert found is not None
    elif not found.active:
        set_active(engine, platform, key, True)
        logger.info("channel %s/%s is reachable again", platform, key)
        found = find_channel(engine, platform, key)
        assert found is not None
    return found


def subscribe(engine: Engine, channel: Channel, topics: Iterable[str], now: datetime) -> list[str]:
    """Follow topics; returns the ones newly followed. Posts become owed from now on."""
    wanted = list(dict.fromkeys(topics))
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                have = set(
                    conn.execute(
                        select(subscriptions.c.topic).where(subscriptions.c.channel_id == channel.id)
                    ).scalars()
                )
                added = [t for t in wanted if t not in have]
                if added:
                    conn.execute(
                        insert(subscriptions), [{"channel_id": channel.id, "topic": t} for t in added]
                    )
                if added and not have:
                    # A channel that followed nothing is owed nothing from before now (no late catch-up).
                    conn.execute(
                        update(channels)
                        .where(channels.c.id == channel.id)
                        .values(schedule_from=now.astimezone(UTC))
                    )
            return added
        except IntegrityError:
            if attempt:
                raise
            # The same topic was subscribed concurrently: read again and add what is still missing.
    return []


def unsubscribe(engine: Engine, channel: Channel, topics: Iterable[str] | None) -> list[str]:
    """Stop following topics (all when None); returns the ones dropped."""
    dropping = list(channel.topics) if topics is None else [t for t in topics if t in channel.topics]
    if dropping:
        with engine.begin() as conn:
            conn.execute(
                delete(subscriptions).where(
                    subscriptions.c.channel_id == channel.id, subscriptions.c.topic.in_(dropping)
                )
            )
    return dropping


def update_settings(
    engine: Engine, channel: Channel, now: datetime, post_time: str | None = None, timezone: str | None = None
) -> Channel:
    """Change a channel's post time and/or time zone; a post that fell due before the change is not owed."""
    values: dict[str, object] = {"schedule_from": now.astimezone(UTC)}
    if post_time is not None:
        values["post_time"] = post_time
    if timezone is not None:
        values["timezone"] = timezone
    with engine.begin() as conn:
        conn.execute(update(channels).where(channels.c.id == channel.id).values(**values))
    found = find_channel(engine, channel.platform, channel.key)
    assert found is not None
    return found


def set_active(engine: Engine, platform: str, key: str, active: bool) -> None:
    """Mark a channel reachable or gone."""
    with engine.begin() as conn:
        conn.execute(
            update(channels)
            .where(channels.c.platform == platform, channels.c.channel_key == key)
            .values(active=active)
        )


def set_active_by_id(engine: Engine, channel_id: int, active: bool) -> None:
    """Mark a channel reachable or gone, by its row id."""
    with engine.begin() as conn:
        conn.execute(update(channels).where(channels.c.id == channel_id).values(active=active))


def subscribed_channels(engine: Engine, platforms: Iterable[str] | None = None) -> list[Channel]:
    """Every active channel following at least one topic, with its topics (two queries in all)."""
    query = select(channels).where(channels.c.active.is_(True))
    if platforms is not None:
        query = query.where(channels.c.platform.in_(list(platforms)))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(channels.c.id)).all()
        topics: dict[int, list[str]] = {}
        for channel_id, topic in conn.execute(
            select(subscriptions.c.channel_id, subscriptions.c.topic).order_by(
                subscriptions.c.channel_id, subscriptions.c.topic
            )
        ):
            topics.setdefault(channel_id, []).append(topic)
    return [_channel(row, tuple(topics[row.id])) for row in rows if row.id in topics]


def followers(engine: Engine, platform: str) -> dict[str, list[str]]:
    """For each topic, the keys of the active channels on a platform that follow it."""
    query = (
        select(subscriptions.c.topic, channels.c.channel_key)
        .join(channels, channels.c.id == subscriptions.c.channel_id)
        .where(channels.c.platform == platform, channels.c.active.is_(True))
        .order_by(subscriptions.c.topic, channels.c.channel_key)
    )
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for topic, key in conn.execute(query):
            out.setdefault(topic, []).append(key)
    return out


def first_time(engine: Engine, event_key: str, now: datetime) -> bool:
    """Record a chat event id; False when it was recorded before (a platform retry)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(seen_events).values(event_key=event_key[:191], seen_at=now.astimezone(UTC)))
    except IntegrityError:
        return False
    return True


def forget_events_before(engine: Engine, cutoff: datetime) -> int:
    """Drop seen event ids older than a cutoff (platform retries stop within minutes)."""
    with engine.begin() as conn:
        return conn.execute(
            delete(seen_events).where(seen_events.c.seen_at < cutoff.astimezone(UTC))
        ).rowcount
