"""The bot's own tables: channels, subscriptions, deliveries, seen events, cursors, answers, ratings."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from facts.db import upgrade

BOT_VERSION_TABLE = "alembic_version_bot"
# The newest bot revision; tests/test_migrations.py checks it against Alembic's own head.
BOT_HEAD = "b0003"

metadata = MetaData()

channels = Table(
    "channels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("channel_key", String(128), nullable=False),
    Column("post_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Added in b0002: scheduled posts due before this instant are not owed to the channel.
    Column("schedule_from", DateTime(timezone=True)),
    UniqueConstraint("platform", "channel_key", name="uq_channels_platform_key"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("channel_id", Integer, ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("topic", String(64), primary_key=True),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("channel_id", Integer, ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("subject", String(128), nullable=False),
    Column("occurrence", String(64), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("message_id", String(128)),
    Column("error", Text),
    Column("payload", JSON),
    # Added in b0002: a failed send is not retried before this instant.
    Column("next_attempt_at", DateTime(timezone=True)),
)

seen_events = Table(
    "seen_events",
    metadata,
    Column("event_key", String(191), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

cursors = Table(
    "cursors",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

# Added in b0003: every answer given in chat, with what it was built from, so people can rate it.
answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("channel_key", String(128), nullable=False),
    Column("user_key", String(128), nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("answered", Boolean, nullable=False),
    Column("fact_ids", JSON, nullable=False),
    # [{"document_id", "title", "published", "url"}] of the articles cited, then of the passages offered.
    Column("sources", JSON, nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
)

# Added in b0003: one vote per person and answer; voting again changes it.
ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("answer_id", Integer, ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
    Column("user_key", String(128), nullable=False),
    Column("vote", String(4), nullable=False),
    Column("correction", Text),
    Column("rated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("answer_id", "user_key", name="uq_ratings_answer_user"),
)


def upgrade_bot_tables(engine: Engine) -> None:
    """Apply the bot's migrations (after the fact store's)."""
    upgrade(engine, "bot", BOT_VERSION_TABLE, BOT_HEAD)
