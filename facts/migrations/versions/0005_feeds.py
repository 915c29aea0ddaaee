"""RSS and Atom feeds to poll, with their polling state, and the entries taken from each.

`feeds` holds what `briefbot feeds add` was given (URL, topics, how often) and what the last polls
learned: the validators for a conditional GET, when the next poll is due, the last success and error,
how many failures in a row (for the back-off) and how many entries were taken. `feed_entries` keeps each
entry once by its guid within its feed, with its link and the document it became, so an article is
fetched and ingested once however often the feed lists it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0005"
down_revision = "f0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("every_minutes", sa.Integer, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Text, nullable=False, server_default=""),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(timezone=True)),
        sa.Column("last_success_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.DateTime(timezone=True)),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("entries_taken", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"])
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("guid", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False, server_default=""),
        sa.Column("stamp", sa.Text, nullable=False, server_default=""),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("feed_id", "guid", name="uq_feed_entries_feed_guid"),
    )
    op.create_index("ix_feed_entries_url", "feed_entries", ["url"])


def downgrade() -> None:
    op.drop_index("ix_feed_entries_url", "feed_entries")
    op.drop_table("feed_entries")
    op.drop_index("ix_feeds_next_poll_at", "feeds")
    op.drop_table("feeds")
