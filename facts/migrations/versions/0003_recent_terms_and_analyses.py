"""Term postings by date, each article's Q&A analysis, and an index to walk a fact's history.

The term index gets the fact's as-of date in its key, so "the newest facts known by a date under this
term" is one short index range however common the term. On SQLite it also loses its rowid: the key holds
every column, which saves a third of the index writes per ingested fact. It has no foreign key either:
postings are written and deleted only with their facts, and checking the key row by row was most of
PostgreSQL's time writing an article. The analyses (terms, acronyms,
salient words) are worked out by the store the first time a question needs one of an older article.
A fact's history ("moved from …") looks up the facts it replaced, which read the whole table before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0003"
down_revision = "f0002"
branch_labels = None
depends_on = None

_REPLACED = sa.text("superseded_by IS NOT NULL")


def upgrade() -> None:
    op.create_table(
        "fact_terms_dated",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("as_of", sa.Date, primary_key=True),
        sa.Column("fact_id", sa.Integer, primary_key=True),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO fact_terms_dated (term, as_of, fact_id) "
        "SELECT t.term, f.as_of, t.fact_id FROM fact_terms t JOIN facts f ON f.id = t.fact_id"
    )
    op.drop_table("fact_terms")
    op.rename_table("fact_terms_dated", "fact_terms")
    op.create_index("ix_fact_terms_fact", "fact_terms", ["fact_id"])
    op.create_index(
        "ix_facts_superseded_by",
        "facts",
        ["superseded_by"],
        sqlite_where=_REPLACED,
        postgresql_where=_REPLACED,
    )
    op.create_table(
        "document_analyses",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("data", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("document_analyses")
    op.drop_index("ix_facts_superseded_by", table_name="facts")
    op.create_table(
        "fact_terms_plain",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    )
    op.execute("INSERT INTO fact_terms_plain (term, fact_id) SELECT term, fact_id FROM fact_terms")
    op.drop_table("fact_terms")
    op.rename_table("fact_terms_plain", "fact_terms")
    op.create_index("ix_fact_terms_fact", "fact_terms", ["fact_id"])
