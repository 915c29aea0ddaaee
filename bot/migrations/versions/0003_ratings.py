"""Add the answer log (every answer given in chat) and ratings (one vote per person and answer)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b0003"
down_revision = "b0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel_key", sa.String(128), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("answered", sa.Boolean, nullable=False),
        sa.Column("fact_ids", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    )
    # `rate up` in the terminal rates the newest answer of its channel.
    op.create_index("ix_answers_channel", "answers", ["platform", "channel_key", "id"])
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("vote", sa.String(4), nullable=False),
        sa.Column("correction", sa.Text),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("answer_id", "user_key", name="uq_ratings_answer_user"),
    )


def downgrade() -> None:
    op.drop_table("ratings")
    op.drop_index("ix_answers_channel", "answers")
    op.drop_table("answers")
