"""Create documents, facts, fact topics and the fact term index."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("published", sa.Date, nullable=False),
        sa.Column("published_inferred", sa.Boolean, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("date_iso", sa.String(10)),
        sa.Column("date_first", sa.Date),
        sa.Column("date_last", sa.Date),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("sentence_index", sa.Integer, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("superseded_by", sa.Integer, sa.ForeignKey("facts.id", ondelete="SET NULL")),
    )
    op.create_index("ix_facts_kind_subject", "facts", ["kind", "subject"])
    op.create_index("ix_facts_document_sentence", "facts", ["document_id", "sentence_index"])
    op.create_index("ix_facts_date_first", "facts", ["date_first"])
    op.create_table(
        "fact_topics",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic", sa.String(64), primary_key=True),
    )
    op.create_index("ix_fact_topics_topic", "fact_topics", ["topic"])
    op.create_table(
        "fact_terms",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_fact_terms_fact", "fact_terms", ["fact_id"])


def downgrade() -> None:
    op.drop_table("fact_terms")
    op.drop_table("fact_topics")
    op.drop_table("facts")
    op.drop_table("documents")
