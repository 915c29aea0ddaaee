"""A store about a third smaller: each sentence's text kept once, indexes only where a query uses them.

Every sentence has its statement fact, and the statement's text was its sentence: it was kept three times
(the statement's text and sentence, and each typed fact's sentence). Now the statement alone keeps it
(its `text` is empty and read as its sentence; a typed fact's empty `sentence` is read from its statement,
see `facts.store`). Indexes no query used go: facts by (kind, subject) including statements and replaced
facts, by date_first (listings ask by date_last), sentences by date and by document (the newest date comes
from the documents' published index, a document's sentences from its facts). `fact_topics` keeps its rows
in its primary key on SQLite (WITHOUT ROWID), and the FTS5 index is built again from the stored sentences
without the sizes of each sentence (`columnsize=0`: the exact search scores in Python, not with bm25()).
`briefbot db upgrade` then works out every sentence's terms again and gives the freed pages back (VACUUM).

The corrections migration f0006 is written in parallel: this one follows f0005 until they are chained.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f0007"
down_revision = "f0006"
branch_labels = None
depends_on = None

_STATEMENT_OF = (
    "SELECT s.sentence FROM facts s WHERE s.document_id = facts.document_id "
    "AND s.sentence_index = facts.sentence_index AND s.kind = 'statement'"
)

_FTS_TRIGGERS = (
    "CREATE TRIGGER sentence_terms_added AFTER INSERT ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(rowid, terms) VALUES (new.fact_id, new.terms); END",
    "CREATE TRIGGER sentence_terms_removed AFTER DELETE ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.fact_id, old.terms); END",
    "CREATE TRIGGER sentence_terms_changed AFTER UPDATE ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.fact_id, old.terms); "
    "INSERT INTO sentence_fts(rowid, terms) VALUES (new.fact_id, new.terms); END",
)


def _fts(columnsize: bool) -> list[str]:
    """Statements that (re)create the FTS5 index over sentence_terms and fill it from the stored rows."""
    sizes = "" if columnsize else ", columnsize=0"
    return [
        "DROP TRIGGER IF EXISTS sentence_terms_added",
        "DROP TRIGGER IF EXISTS sentence_terms_removed",
        "DROP TRIGGER IF EXISTS sentence_terms_changed",
        "DROP TABLE IF EXISTS sentence_fts",
        "CREATE VIRTUAL TABLE sentence_fts USING fts5("
        "terms, content='sentence_terms', content_rowid='fact_id', detail=none"
        f"{sizes}, tokenize='unicode61 remove_diacritics 0')",
        *_FTS_TRIGGERS,
        "INSERT INTO sentence_fts(sentence_fts) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # Typed facts first: they read their statement's sentence, which stays.
    op.execute(f"UPDATE facts SET sentence = '' WHERE kind <> 'statement' AND sentence = ({_STATEMENT_OF})")
    op.execute("UPDATE facts SET text = '' WHERE kind = 'statement' AND text = sentence")
    op.drop_index("ix_facts_kind_subject", "facts")
    op.drop_index("ix_facts_current_kind_subject", "facts")
    op.create_index(
        "ix_facts_current_kind_subject",
        "facts",
        ["kind", "subject"],
        sqlite_where=sa.text("superseded_by IS NULL AND kind <> 'statement'"),
        postgresql_where=sa.text("superseded_by IS NULL AND kind <> 'statement'"),
    )
    op.drop_index("ix_facts_date_first", "facts")
    op.create_index(
        "ix_facts_date_last",
        "facts",
        ["date_last"],
        sqlite_where=sa.text("date_last IS NOT NULL"),
        postgresql_where=sa.text("date_last IS NOT NULL"),
    )
    op.drop_index("ix_sentence_terms_as_of", "sentence_terms")
    op.drop_index("ix_sentence_terms_document", "sentence_terms")
    op.create_index("ix_documents_published", "documents", ["published"])
    if sqlite:
        _topics_without_rowid(True)
        for statement in _fts(columnsize=False):
            op.execute(statement)


def _topics_without_rowid(without: bool) -> None:
    """Rebuild fact_topics on SQLite with (or without) its rows kept in its primary key."""
    op.execute("ALTER TABLE fact_topics RENAME TO fact_topics_old")
    op.execute("DROP INDEX ix_fact_topics_topic")
    op.create_table(
        "fact_topics",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic", sa.String(64), primary_key=True),
        sqlite_with_rowid=not without,
    )
    op.execute("INSERT INTO fact_topics (fact_id, topic) SELECT fact_id, topic FROM fact_topics_old")
    op.execute("DROP TABLE fact_topics_old")
    op.create_index("ix_fact_topics_topic", "fact_topics", ["topic"])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _topics_without_rowid(False)
        for statement in _fts(columnsize=True):
            op.execute(statement)
    op.drop_index("ix_documents_published", "documents")
    op.create_index("ix_sentence_terms_document", "sentence_terms", ["document_id"])
    op.create_index("ix_sentence_terms_as_of", "sentence_terms", ["as_of"])
    op.drop_index("ix_facts_date_last", "facts")
    op.create_index("ix_facts_date_first", "facts", ["date_first"])
    op.drop_index("ix_facts_current_kind_subject", "facts")
    op.create_index(
        "ix_facts_current_kind_subject",
        "facts",
        ["kind", "subject"],
        sqlite_where=sa.text("superseded_by IS NULL"),
        postgresql_where=sa.text("superseded_by IS NULL"),
    )
    op.create_index("ix_facts_kind_subject", "facts", ["kind", "subject"])
    op.execute("UPDATE facts SET text = sentence WHERE kind = 'statement' AND text = ''")
    op.execute(f"UPDATE facts SET sentence = ({_STATEMENT_OF}) WHERE kind <> 'statement' AND sentence = ''")
