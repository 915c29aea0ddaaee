"""Sentence search through the database's own full-text index, with every match ranked.

The term postings of f0003 kept each term's 500 newest facts for a question, so an older fact was
forgotten once enough newer articles shared its words. Sentences now keep their search terms in
`sentence_terms`, indexed by SQLite's FTS5 (an external-content table kept in step by triggers, no
positions: the search only asks which sentences hold a term) or by a tsvector column with a GIN index on
PostgreSQL; `term_counts` holds how many sentences hold each term. Both are filled from the old
postings of sentence facts, then the postings go.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0004"
down_revision = "f0003"
branch_labels = None
depends_on = None

_SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE sentence_fts USING fts5("
    "terms, content='sentence_terms', content_rowid='fact_id', detail=none, "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER sentence_terms_added AFTER INSERT ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(rowid, terms) VALUES (new.fact_id, new.terms); END",
    "CREATE TRIGGER sentence_terms_removed AFTER DELETE ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.fact_id, old.terms); END",
    "CREATE TRIGGER sentence_terms_changed AFTER UPDATE ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.fact_id, old.terms); "
    "INSERT INTO sentence_fts(rowid, terms) VALUES (new.fact_id, new.terms); END",
)


def upgrade() -> None:
    op.create_table(
        "sentence_terms",
        sa.Column("fact_id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
    )
    op.create_index("ix_sentence_terms_document", "sentence_terms", ["document_id"])
    op.create_index("ix_sentence_terms_as_of", "sentence_terms", ["as_of"])
    op.create_table(
        "term_counts",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("sentences", sa.Integer, nullable=False),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for statement in _SQLITE_INDEX:
            op.execute(statement)
        joined = "group_concat(replace(t.term, '''', ''), ' ')"
    else:
        op.execute(
            "ALTER TABLE sentence_terms ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (CAST(terms AS tsvector)) STORED"
        )
        op.execute("CREATE INDEX ix_sentence_terms_tsv ON sentence_terms USING gin (tsv)")
        joined = "string_agg(replace(t.term, '''', ''), ' ')"
    op.execute(
        "INSERT INTO sentence_terms (fact_id, document_id, as_of, terms) "
        f"SELECT f.id, f.document_id, f.as_of, {joined} FROM facts f JOIN fact_terms t ON t.fact_id = f.id "
        "WHERE f.kind = 'statement' GROUP BY f.id, f.document_id, f.as_of"
    )
    op.execute(
        "INSERT INTO term_counts (term, sentences) "
        "SELECT replace(t.term, '''', ''), count(DISTINCT t.fact_id) FROM fact_terms t "
        "JOIN facts f ON f.id = t.fact_id WHERE f.kind = 'statement' GROUP BY replace(t.term, '''', '')"
    )
    op.drop_table("fact_terms")


def downgrade() -> None:
    op.create_table(
        "fact_terms",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("as_of", sa.Date, primary_key=True),
        sa.Column("fact_id", sa.Integer, primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_fact_terms_fact", "fact_terms", ["fact_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE sentence_fts")
    op.drop_table("term_counts")
    op.drop_table("sentence_terms")
