"""Add the corrections table: every fix, undo and retraction of facts, with who made it and when.

The facts a correction touches change through their supersession links (a fix is a new version of the
fact; an undo or a retraction withdraws a version, its link pointing at itself); this table is the
audit trail that says who did it, when, and why.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0006"
down_revision = "f0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id", ondelete="SET NULL")),
        sa.Column("new_fact_id", sa.Integer, sa.ForeignKey("facts.id", ondelete="SET NULL")),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("was", sa.Text, nullable=False, server_default=""),
        sa.Column("value", sa.Text, nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_corrections_document", "corrections", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_document", "corrections")
    op.drop_table("corrections")
