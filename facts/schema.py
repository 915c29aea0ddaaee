"""The fact store's tables (SQLAlchemy Core); Alembic migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from facts.packing import PackedJSON, PackedText

metadata = MetaData()

# The partial indexes' predicates are kept in `info`, not as `sqlite_where`/`postgresql_where`: these
# tables never create anything (the migrations do, with those predicates), and naming a dialect's options
# loads that dialect, so every process on SQLite would import SQLAlchemy's PostgreSQL dialect for nothing
# (about 30 ms of a cold `briefbot ask`).

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("published", Date, nullable=False),
    Column("published_inferred", Boolean, nullable=False, default=False),
    Column("url", Text, nullable=False, default=""),
    Column("path", Text, nullable=False, default=""),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("body", PackedText, nullable=False),  # deflated on SQLite (migration f0008)
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # The newest sentence's date is the newest document's (migration f0007).
    Index("ix_documents_published", "published"),
)

facts = Table(
    "facts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    # A statement's text is its sentence, kept once: stored empty, read as the sentence (facts.store).
    Column("text", Text, nullable=False),
    Column("value", Text, nullable=False, default=""),
    Column("date_iso", String(10)),
    Column("date_first", Date),
    Column("date_last", Date),
    Column("attrs", JSON, nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    # Kept by the sentence's statement; a typed fact stores it empty and reads its statement's.
    Column("sentence", Text, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("superseded_by", Integer, ForeignKey("facts.id", ondelete="SET NULL")),
    # Supersession asks for the current fact on a subject; common subjects keep thousands of replaced ones,
    # and statements (over half the facts) are never asked for by subject. Queries say `kind <> 'statement'`
    # in so many words (`CURRENT_TYPED`): SQLite uses a partial index only when the query repeats its terms.
    Index(
        "ix_facts_current_kind_subject",
        "kind",
        "subject",
        info={"where": "superseded_by IS NULL AND kind <> 'statement'"},
    ),
    Index("ix_facts_document_sentence", "document_id", "sentence_index"),
    # A fact's history walks back the facts it replaced; only replaced facts are indexed.
    Index(
        "ix_facts_superseded_by",
        "superseded_by",
        info={"where": "superseded_by IS NOT NULL"},
    ),
    Index(
        "ix_facts_date_last",
        "date_last",
        info={"where": "date_last IS NOT NULL"},
    ),
)

fact_topics = Table(
    "fact_topics",
    metadata,
    Column("fact_id", Integer, ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("topic", String(64), primary_key=True),
    Index("ix_fact_topics_topic", "topic"),
    sqlite_with_rowid=False,  # the rows live in the primary key: one copy less (migration f0007)
)

# The sentence index: each sentence's search terms (space-separated), keyed by its statement fact. The
# database's own full-text index lies over `terms` (FTS5 on SQLite, a tsvector and GIN index on
# PostgreSQL; made by migrations f0004 and f0007, outside this metadata) and answers which sentences hold
# a term. Rows are read by fact id only: a document's rows are found through its facts.
sentence_terms = Table(
    "sentence_terms",
    metadata,
    Column("fact_id", Integer, primary_key=True),
    Column("document_id", Integer, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("terms", Text, nullable=False),
)

# How many sentences hold each term, for the weight of a question's words.
term_counts = Table(
    "term_counts",
    metadata,
    Column("term", String(64), primary_key=True),
    Column("sentences", Integer, nullable=False),
)

# What the Q&A reads of each article besides its facts (facts/analysis.py), worked out at ingest.
document_analyses = Table(
    "document_analyses",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("data", PackedJSON, nullable=False),  # deflated on SQLite (migration f0008)
)

# Feeds to poll and their polling state (migration f0005); reached through facts.feeds.FeedStore.
feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False, default=""),
    Column("topics", JSON, nullable=False),
    Column("every_minutes", Integer, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("added_by", Text, nullable=False, default=""),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_poll_at", DateTime(timezone=True), nullable=False),
    Column("last_polled_at", DateTime(timezone=True)),
    Column("last_success_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("last_error_at", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False, default=0),
    Column("entries_taken", Integer, nullable=False, default=0),
    Index("ix_feeds_next_poll_at", "next_poll_at"),
)

# Each feed entry once, by its guid within its feed, with its link and the document it became.
feed_entries = Table(
    "feed_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("guid", Text, nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("stamp", Text, nullable=False, default=""),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("feed_id", "guid", name="uq_feed_entries_feed_guid"),
    Index("ix_feed_entries_url", "url"),
)

# Every fix, undo and retraction, with who and when (migration f0006): the audit trail, and what an undo
# or `briefbot audit` reads back. The facts themselves change only through their supersession links.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(16), nullable=False),  # fix | undo | forget
    Column("fact_id", Integer, ForeignKey("facts.id", ondelete="SET NULL")),
    Column("new_fact_id", Integer, ForeignKey("facts.id", ondelete="SET NULL")),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("was", Text, nullable=False, default=""),
    Column("value", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
    Column("by", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("detail", JSON, nullable=False),
    Index("ix_corrections_document", "document_id"),
)


def packed_columns() -> dict[tuple[str, str], PackedText | PackedJSON]:
    """The store's packed columns by (table, column), for code that reflects tables (export, import)."""
    return {
        (table.name, column.name): column.type
        for table in metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, PackedText | PackedJSON)
    }
