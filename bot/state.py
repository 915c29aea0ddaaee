"""The bot's own tables: channels, subscriptions, deliveries, seen chat events, cursors, last answers."""

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

# Added in b0003: the facts of the last answer given in each channel, for `fix last …` (any replica).
last_answers = Table(
    "last_answers",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("channel_key", String(128), primary_key=True),
    Column("fact_ids", JSON, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)


def upgrade_bot_tables(engine: Engine) -> None:
    """Apply the bot's migrations (after the fact store's)."""
    upgrade(engine, "bot", BOT_VERSION_TABLE, BOT_HEAD)
