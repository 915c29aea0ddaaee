"""Add channels.schedule_from (posts due before it are not owed) and deliveries.next_attempt_at."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b0002"
down_revision = "b0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("schedule_from", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_deliveries_channel", "deliveries", ["channel_id"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_channel", "deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("next_attempt_at")
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("schedule_from")
