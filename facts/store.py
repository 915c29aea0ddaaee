"""FactStore: documents, typed facts, topics, the term index and supersession, on SQLAlchemy 2."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Row

from facts.db import make_engine, upgrade_facts
from facts.models import (
    Document,
    ExtractedFact,
    FuzzyDate,
    IngestResult,
    Kind,
    NewDocument,
    Source,
    StoredFact,
)
from facts.schema import documents, fact_terms, fact_topics, facts
from facts.text import index_terms

logger = logging.getLogger(__name__)

# Kinds where a newer article's fact on the same subject replaces the older one. Quotes, places
# and sentences are records of what was said where: a newer article adds to them, it does not undo them.
SUPERSEDING_KINDS = frozenset({Kind.RATE, Kind.DEADLINE, Kind.EVENT, Kind.PERSON, Kind.FIGURE})

_CHUNK = 500


def content_hash(body: str) -> str:
    """The identity of a document's content: SHA-256 of its whitespace-normalised text."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def _fact_terms(fact: ExtractedFact) -> set[str]:
    if fact.kind is Kind.STATEMENT:
        return index_terms(fact.sentence)
    parts = [fact.text, fact.value, *(str(v) for v in fact.attrs.values() if isinstance(v, str))]
    return index_terms(" ".join(parts))


class FactStore:
    """The facts briefbot knows, with where each came from; SQLite or PostgreSQL by URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._topic_counts: tuple[tuple[int, int], dict[str, int]] | None = None

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> FactStore:
        """Connect to a database URL and bring its schema up to date."""
        engine = make_engine(url)
        if migrate:
            upgrade_facts(engine)
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- writing -----------------------------------------------------------------------------------

    def has_document(self, body: str) -> bool:
        """True when a document with this content was ingested already."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(documents.c.id).where(documents.c.content_hash == content_hash(body))
            ).first()
        return found is not None

    def ingest(
        self, document: NewDocument, extracted: Sequence[ExtractedFact], now: datetime | None = None
    ) -> IngestResult:
        """Store a document and its facts in one transaction, superseding older facts on the same subject.

        Ingesting content that is already stored changes nothing and reports `duplicate`.
        """
        digest = content_hash(document.body)
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(documents.c.id).where(documents.c.content_hash == digest)
            ).scalar_one_or_none()
            if existing is not None:
                return IngestResult(document_id=existing, duplicate=True)
            document_id = conn.execute(
                insert(documents).values(
                    title=document.title,
                    published=document.published,
                    published_inferred=document.published_inferred,
                    url=document.url,
                    path=document.path,
                    content_hash=digest,
                    body=document.body,
                    ingested_at=now or datetime.now(UTC),
                )
            ).inserted_primary_key[0]
            return self._insert_facts(conn, document_id, document, _unique(extracted))

    def _insert_facts(
        self, conn: Connection, document_id: int, document: NewDocument, extracted: list[ExtractedFact]
    ) -> IngestResult:
        result = IngestResult(document_id=document_id)
        if not extracted:
            return result
        as_of = document.published
        rows = [_fact_row(fact, document_id, as_of) for fact in extracted]
        ids = _insert_returning_ids(conn, rows)
        topic_rows = [
            {"fact_id": fid, "topic": topic}
            for fid, fact in zip(ids, extracted, strict=True)
            for topic in fact.topics
        ]
        term_rows = [
            {"fact_id": fid, "term": term[:64]}
            for fid, fact in zip(ids, extracted, strict=True)
            for term in _fact_terms(fact)
        ]
        for table, batch in ((fact_topics, topic_rows), (fact_terms, term_rows)):
            for start in range(0, len(batch), 5000):
                conn.execute(insert(table), batch[start : start + 5000])
        stored = {
            fid: _stored_from_extracted(fid, document_id, document, fact)
            for fid, fact in zip(ids, extracted, strict=True)
        }
        result.added = list(stored.values())
        self._supersede(conn, stored, as_of, result)
        return result

    def _supersede(
        self, conn: Connection, stored: dict[int, StoredFact], as_of: date, result: IngestResult
    ) -> None:
        """Mark older facts on the same subjects as replaced (or the new ones, if the document is older)."""
        keyed = {(f.kind.value, f.subject): f for f in stored.values() if f.kind in SUPERSEDING_KINDS}
        if not keyed:
            return
        new_ids = list(stored)
        for chunk in _chunks(list(keyed), _CHUNK):
            subjects = {subject for _, subject in chunk}
            kinds = {kind for kind, _ in chunk}
            rivals = conn.execute(
                _select_facts().where(
                    # kind first: it leads the (kind, subject) index; on subject alone SQLite scans facts.
                    facts.c.kind.in_(kinds),
                    facts.c.subject.in_(subjects),
                    facts.c.superseded_by.is_(None),
                    facts.c.id.not_in(new_ids),
                )
            ).all()
            for row in rivals:
                new = keyed.get((row.kind, row.subject))
                if new is None:
                    continue
                old = _stored_from_row(row)
                if old.as_of and old.as_of > as_of:
                    # An older article ingested late: its fact is history from the start.
                    conn.execute(update(facts).where(facts.c.id == new.id).values(superseded_by=old.id))
                    new.superseded_by = old.id
                    continue
                conn.execute(update(facts).where(facts.c.id == old.id).values(superseded_by=new.id))
                old.superseded_by = new.id
                if old.value != new.value or old.text != new.text:
                    result.superseded.append((old, new))

    def delete_document(self, document_id: int) -> None:
        """Remove a document, its facts, and restore the facts its facts had replaced."""
        with self.engine.begin() as conn:
            ids = select(facts.c.id).where(facts.c.document_id == document_id)
            conn.execute(update(facts).where(facts.c.superseded_by.in_(ids)).values(superseded_by=None))
            conn.execute(delete(fact_terms).where(fact_terms.c.fact_id.in_(ids)))
            conn.execute(delete(fact_topics).where(fact_topics.c.fact_id.in_(ids)))
            conn.execute(delete(facts).where(facts.c.document_id == document_id))
            conn.execute(delete(documents).where(documents.c.id == document_id))

    # -- reading -----------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no document was ever ingested."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).limit(1)).first() is None

    def count(self) -> tuple[int, int]:
        """How many documents and facts the store holds."""
        with self.engine.connect() as conn:
            docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            n_facts = conn.execute(select(func.count()).select_from(facts)).scalar_one()
        return docs, n_facts

    def documents(self) -> list[Document]:
        """Every stored document, oldest first (without bodies)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    documents.c.id,
                    documents.c.title,
                    documents.c.published,
                    documents.c.url,
                    documents.c.content_hash,
                    documents.c.ingested_at,
                ).order_by(documents.c.published, documents.c.id)
            ).all()
        return [Document(**row._mapping) for row in rows]

    def document_body(self, document_id: int) -> str:
        """The full text of one document."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.body).where(documents.c.id == document_id)).scalar_one()

    def facts(
        self,
        kinds: Iterable[Kind | str] | None = None,
        topics: Iterable[str] | None = None,
        include_superseded: bool = False,
        dated_from: date | None = None,
    ) -> list[StoredFact]:
        """Facts filtered by kind, topic and date, current only unless history is asked for."""
        query = _select_facts()
        if kinds:
            query = query.where(facts.c.kind.in_([str(k) for k in kinds]))
        if topics:
            query = query.where(
                facts.c.id.in_(select(fact_topics.c.fact_id).where(fact_topics.c.topic.in_(list(topics))))
            )
        if not include_superseded:
            query = query.where(facts.c.superseded_by.is_(None))
        if dated_from is not None:
            query = query.where(facts.c.date_last >= dated_from)
        query = query.order_by(facts.c.document_id, facts.c.sentence_index, facts.c.id)
        with self.engine.connect() as conn:
            return self._hydrate(conn, conn.execute(query).all())

    def get(self, ids: Iterable[int]) -> list[StoredFact]:
        """Facts by id, in the order asked."""
        wanted = list(dict.fromkeys(ids))
        found: dict[int, StoredFact] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, _CHUNK):
                for fact in self._hydrate(
                    conn, conn.execute(_select_facts().where(facts.c.id.in_(chunk))).all()
                ):
                    found[fact.id] = fact
        return [found[i] for i in wanted if i in found]

    def search(
        self, terms: Iterable[str], limit: int = 400, include_superseded: bool = False
    ) -> dict[int, int]:
        """Fact ids whose indexed terms meet the given terms, with how many each meets (best first)."""
        wanted = sorted(set(terms))
        if not wanted:
            return {}
        hits = func.count(fact_terms.c.term).label("hits")
        query = select(fact_terms.c.fact_id, hits).where(fact_terms.c.term.in_(wanted))
        if not include_superseded:
            query = query.join(facts, facts.c.id == fact_terms.c.fact_id).where(
                facts.c.superseded_by.is_(None)
            )
        query = query.group_by(fact_terms.c.fact_id).order_by(hits.desc(), fact_terms.c.fact_id).limit(limit)
        with self.engine.connect() as conn:
            return {row.fact_id: row.hits for row in conn.execute(query)}

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many facts each term is indexed under (for weighting rare words above common ones)."""
        wanted = sorted(set(terms))
        if not wanted:
            return {}
        query = (
            select(fact_terms.c.term, func.count().label("n"))
            .where(fact_terms.c.term.in_(wanted))
            .group_by(fact_terms.c.term)
        )
        with self.engine.connect() as conn:
            return {row.term: row.n for row in conn.execute(query)}

    def sentence_facts(self, places: Iterable[tuple[int, int]]) -> list[StoredFact]:
        """All facts (current or not) drawn from the given (document id, sentence index) places."""
        wanted = list(dict.fromkeys(places))
        out: list[StoredFact] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, _CHUNK):
                cond = [and_(facts.c.document_id == d, facts.c.sentence_index == s) for d, s in chunk]
                rows = conn.execute(_select_facts().where(or_(*cond)).order_by(facts.c.id)).all()
                out.extend(self._hydrate(conn, rows))
        return out

    def history(self, fact_id: int) -> list[StoredFact]:
        """The facts this one replaced, newest first."""
        chain: list[StoredFact] = []
        current = fact_id
        seen = {fact_id}
        with self.engine.connect() as conn:
            while True:
                rows = conn.execute(
                    _select_facts().where(facts.c.superseded_by == current).order_by(facts.c.as_of.desc())
                ).all()
                if not rows:
                    return chain
                previous = self._hydrate(conn, rows[:1])[0]
                if previous.id in seen:
                    return chain
                seen.add(previous.id)
                chain.append(previous)
                current = previous.id

    def topic_counts(self) -> dict[str, int]:
        """How many current facts each topic has (topics without facts are absent)."""
        query = (
            select(fact_topics.c.topic, func.count().label("n"))
            .join(facts, facts.c.id == fact_topics.c.fact_id)
            .where(facts.c.superseded_by.is_(None), facts.c.kind != Kind.STATEMENT.value)
            .group_by(fact_topics.c.topic)
        )
        with self.engine.connect() as conn:
            # The counts change only when facts are added or removed (supersession happens on insert),
            # so the highest fact id and the number of facts tell whether the last count still holds;
            # both come from the primary key, while the count itself reads every topic row.
            version = tuple(
                conn.execute(select(func.coalesce(func.max(facts.c.id), 0), func.count(facts.c.id))).one()
            )
            if self._topic_counts is not None and self._topic_counts[0] == version:
                return dict(self._topic_counts[1])
            counts = {row.topic: row.n for row in conn.execute(query)}
        self._topic_counts = (version, counts)  # type: ignore[assignment]
        return dict(counts)

    def _hydrate(self, conn: Connection, rows: Sequence[Row[Any]]) -> list[StoredFact]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        topics: dict[int, list[str]] = {}
        for chunk in _chunks(ids, _CHUNK):
            for fid, topic in conn.execute(
                select(fact_topics.c.fact_id, fact_topics.c.topic)
                .where(fact_topics.c.fact_id.in_(chunk))
                .order_by(fact_topics.c.fact_id, fact_topics.c.topic)
            ):
                topics.setdefault(fid, []).append(topic)
        return [_stored_from_row(row, tuple(topics.get(row.id, ()))) for row in rows]


def _select_facts():  # type: ignore[no-untyped-def]
    return select(
        facts,
        documents.c.title.label("doc_title"),
        documents.c.published.label("doc_published"),
        documents.c.url.label("doc_url"),
    ).join(documents, documents.c.id == facts.c.document_id)


def _unique(extracted: Sequence[ExtractedFact]) -> list[ExtractedFact]:
    """Drop repeats of the same fact within one document (same kind, subject and value)."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for fact in extracted:
        key = (fact.kind.value, fact.subject, fact.value)
        if key in seen and fact.kind is not Kind.STATEMENT:
            continue
        seen.add(key)
        out.append(fact)
    return out


def _fact_row(fact: ExtractedFact, document_id: int, as_of: date) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "kind": fact.kind.value,
        "subject": fact.subject,
        "text": fact.text,
        "value": fact.value,
        "date_iso": fact.date.iso() if fact.date else None,
        "date_first": fact.date.first_day() if fact.date else None,
        "date_last": fact.date.last_day() if fact.date else None,
        "attrs": fact.attrs,
        "sentence_index": fact.sentence_index,
        "span_start": fact.start,
        "span_end": fact.end,
        "sentence": fact.sentence,
        "as_of": as_of,
        "superseded_by": None,
    }


def _insert_returning_ids(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for chunk in _chunks(rows, _CHUNK):
        result = conn.execute(insert(facts).returning(facts.c.id, sort_by_parameter_order=True), chunk)
        ids.extend(result.scalars().all())
    return ids


def _stored_from_extracted(
    fid: int, document_id: int, document: NewDocument, fact: ExtractedFact
) -> StoredFact:
    source = Source(document.title, document.published, document.url, fact.sentence, document_id)
    return StoredFact(
        kind=fact.kind,
        subject=fact.subject,
        text=fact.text,
        sentence_index=fact.sentence_index,
        start=fact.start,
        end=fact.end,
        sentence=fact.sentence,
        value=fact.value,
        date=fact.date,
        attrs=dict(fact.attrs),
        topics=tuple(fact.topics),
        id=fid,
        document_id=document_id,
        as_of=document.published,
        source=source,
    )


def _stored_from_row(row: Row[Any], topics: tuple[str, ...] = ()) -> StoredFact:
    source = Source(
        title=row.doc_title,
        published=row.doc_published,
        url=row.doc_url,
        sentence=row.sentence,
        document_id=row.document_id,
    )
    return StoredFact(
        kind=Kind(row.kind),
        subject=row.subject,
        text=row.text,
        sentence_index=row.sentence_index,
        start=row.span_start,
        end=row.span_end,
        sentence=row.sentence,
        value=row.value,
        date=FuzzyDate.parse_iso(row.date_iso) if row.date_iso else None,
        attrs=dict(row.attrs or {}),
        topics=topics,
        id=row.id,
        document_id=row.document_id,
        as_of=row.as_of,
        superseded_by=row.superseded_by,
        source=source,
    )


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
