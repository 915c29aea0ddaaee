"""Add last_answers: the fact ids of the last answer given in each channel, so `fix last …` finds them.

A table, not memory: replicas sharing PostgreSQL all answer chat, and the fix may reach another replica
than the question did (or come after a restart).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b0003"
down_revision = "b0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "last_answers",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("channel_key", sa.String(128), primary_key=True),
        sa.Column("fact_ids", sa.JSON, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("last_answers")
