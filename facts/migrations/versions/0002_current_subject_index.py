"""Index current facts by (kind, subject): supersession looks only at facts nothing has replaced yet."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0002"
down_revision = "f0001"
branch_labels = None
depends_on = None

_CURRENT = sa.text("superseded_by IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_facts_current_kind_subject",
        "facts",
        ["kind", "subject"],
        sqlite_where=_CURRENT,
        postgresql_where=_CURRENT,
    )


def downgrade() -> None:
    op.drop_index("ix_facts_current_kind_subject", table_name="facts")
