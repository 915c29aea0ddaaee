"""FactStore: documents, typed facts, topics, the term index and supersession, on SQLAlchemy 2."""

from __future__ import annotations

import hashlib
import logging
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import neg
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    Engine,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.expression import BindParameter, Select

from facts.analysis import DocumentAnalysis, analyse
from facts.analysis_cache import AnalysisCache
from facts.db import compact_json, make_engine, upgrade_facts
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
from facts.refusals import StoreRefusesWrites, refusal_reason
from facts.schema import (
    corrections,
    document_analyses,
    documents,
    fact_topics,
    facts,
    sentence_terms,
    term_counts,
)
from facts.schema import packed_columns as packed_columns  # for export and import, which reflect tables
from facts.search import Group, Ranked, top, weigh
from facts.text import index_terms

if TYPE_CHECKING:
    import psycopg

logger = logging.getLogger(__name__)

# Kinds where a newer article's fact on the same subject replaces the older one. Quotes, places
# and sentences are records of what was said where: a newer article adds to them, it does not undo them.
SUPERSEDING_KINDS = frozenset({Kind.RATE, Kind.DEADLINE, Kind.EVENT, Kind.PERSON, Kind.FIGURE})

_CHUNK = 500
# SQLite page cache for bulk ingest (KiB): a batch keeps the term-index pages it touches in memory.
BULK_CACHE_KB = 131072
# Places per sentence query: each is an index lookup; SQLAlchemy compiles a statement of this shape once.
_PLACES = 64


def content_hash(body: str) -> str:
    """The identity of a document's content: SHA-256 of its whitespace-normalised text."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


class FactStore:
    """The facts briefbot knows, with where each came from; SQLite or PostgreSQL by URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._topic_counts: tuple[tuple[int, ...], dict[str, int]] | None = None
        self._counts: tuple[tuple[int, ...], tuple[int, int]] | None = None
        self._sentences: tuple[tuple[int, ...], int] | None = None
        self._dates = _SentenceDates()
        self._postings = _PostingsCache()
        self._kept_analyses = AnalysisCache()

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

    def ingest(
        self, document: NewDocument, extracted: Sequence[ExtractedFact], now: datetime | None = None
    ) -> IngestResult:
        """Store a document and its facts in one transaction, superseding older facts on the same subject.

        Ingesting content that is already stored changes nothing and reports `duplicate`.
        """
        with self.engine.begin() as conn:
            return self._ingest_batch(conn, [prepare(document, extracted)], now)[0]

    def ingest_many(
        self, items: Sequence[Prepared], now: datetime | None = None
    ) -> list[IngestResult | Exception]:
        """Store several prepared documents as `ingest` does, in one transaction while none fails.

        Each transaction rewrites every index page it touched, and the term index spreads one article
        over hundreds of pages, so a batch writes far less than one transaction per article. When any
        document fails, the batch is undone and each is stored alone: the broken one is rejected whole
        (its error in its place in the list) and the others go in. A store that refuses every write
        (read-only, full) raises StoreRefusesWrites instead.
        """
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    # Keep the index pages a batch touches in memory (SQLite's default cache is 2 MB).
                    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
                return list(self._ingest_batch(conn, items, now))
        except Exception as error:  # noqa: BLE001 - any failure: redo one by one, so only the broken one is lost
            reason = refusal_reason(error)
            if reason is not None:
                # A read-only or full store refuses each document alike: trying them one by one is futile.
                raise StoreRefusesWrites(reason) from None
            logger.info("one of %d documents in a batch was refused; storing them one by one", len(items))
        results: list[IngestResult | Exception] = []
        for item in items:
            try:
                with self.engine.begin() as conn:
                    results.extend(self._ingest_batch(conn, [item], now))
            except Exception as error:  # noqa: BLE001 - reported in its place; the caller decides
                results.append(error)
        return results

    def settle_after_bulk_ingest(self) -> None:
        """Refresh the planner's statistics after many articles went in at once.

        PostgreSQL plans from statistics that autovacuum refreshes only now and then, and reads every
        posting's row from the table until a vacuum marks the pages visible: after a bulk ingest of
        2,000 articles, questions took 42 ms at the median instead of 26. SQLite gives back the disk its
        write-ahead log grew to.
        """
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for table in (sentence_terms, term_counts, facts, fact_topics, documents, document_analyses):
                    conn.exec_driver_sql(f"VACUUM (ANALYZE) {table.name}")
        else:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
                # The write-ahead log keeps the size of the largest batch on disk until truncated (about
                # 30 MB after a bulk ingest); readers still holding older pages leave it as it is.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def compact(self) -> int:
        """Give the pages freed by migrations and removals back to the disk (SQLite); bytes freed.

        SQLite keeps freed pages in its file for reuse; migration f0007 frees about a third of a store.
        PostgreSQL reuses its freed space after the VACUUM of `settle_after_bulk_ingest`.
        """
        if self.engine.dialect.name != "sqlite":
            return 0
        with self.engine.connect() as conn:
            page = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar_one()
            if free:
                conn.exec_driver_sql("VACUUM")
        return int(page) * int(free)

    def _ingest_batch(
        self, conn: Connection, items: Sequence[Prepared], now: datetime | None
    ) -> list[IngestResult]:
        """Store documents in order as one by one would, each table's rows in one statement for all.

        A statement per table and article cost more than SQLite's writing; the rows and their ids come
        out as they did one by one (documents found already stored, in the store or earlier in the
        batch, are reported as duplicates and store nothing).
        """
        digests = [content_hash(item.document.body) for item in items]
        known = _stored_hashes(conn, digests)
        fresh: list[int] = []
        for at, digest in enumerate(digests):
            if digest not in known:
                known[digest] = -1  # taken by this batch: its id comes with the insert below
                fresh.append(at)
        document_ids = _insert_documents(
            conn, [items[at] for at in fresh], [digests[at] for at in fresh], now
        )
        for at, document_id in zip(fresh, document_ids, strict=True):
            known[digests[at]] = document_id
        if fresh:
            conn.execute(
                _statements().add_analysis,
                [
                    {"document_id": document_id, "data": items[at].analysis.to_json()}
                    for at, document_id in zip(fresh, document_ids, strict=True)
                ],
            )
        total = sum(len(items[at].facts) for at in fresh)
        fact_ids = _next_fact_ids(conn, total) if total else []
        spans: list[tuple[int, int]] = []  # each fresh document's facts' place in fact_ids
        rows = _BatchRows()
        for at, document_id in zip(fresh, document_ids, strict=True):
            start = spans[-1][1] if spans else 0
            spans.append((start, start + len(items[at].facts)))
            rows.add(conn, document_id, items[at], fact_ids[start : spans[-1][1]])
        _insert_rows(conn, facts, _FACT_COLUMNS, rows.facts)
        _insert_rows(conn, fact_topics, ("fact_id", "topic"), rows.topics)
        _insert_rows(conn, sentence_terms, ("fact_id", "document_id", "as_of", "terms"), rows.sentences)
        _count_terms(conn, [row[3] for row in rows.sentences], +1)
        added: dict[int, IngestResult] = {}
        written: list[tuple[dict[int, StoredFact], date, IngestResult]] = []
        for at, document_id, (start, stop) in zip(fresh, document_ids, spans, strict=True):
            item = items[at]
            result = added[at] = IngestResult(document_id=document_id)
            if start == stop:
                continue
            stored = {
                fid: _stored_from_extracted(fid, document_id, item.document, fact)
                for fid, fact in zip(fact_ids[start:stop], item.facts, strict=True)
            }
            result.added = list(stored.values())
            written.append((stored, item.document.published, result))
        _supersede(conn, written)
        return [
            added[at] if at in added else IngestResult(document_id=known[digest], duplicate=True)
            for at, digest in enumerate(digests)
        ]

    def delete_document(self, document_id: int) -> None:
        """Remove a document, its facts, and restore the facts its facts had replaced."""
        self._counts = self._topic_counts = None  # a new document may reuse its ids
        self._dates = _SentenceDates()
        self._postings = _PostingsCache()
        self._kept_analyses.clear()
        with self.engine.begin() as conn:
            ids = select(facts.c.id).where(facts.c.document_id == document_id)
            conn.execute(update(facts).where(facts.c.superseded_by.in_(ids)).values(superseded_by=None))
            unindex_document(conn, document_id)
            conn.execute(delete(fact_topics).where(fact_topics.c.fact_id.in_(ids)))
            conn.execute(delete(facts).where(facts.c.document_id == document_id))
            conn.execute(delete(document_analyses).where(document_analyses.c.document_id == document_id))
            conn.execute(delete(documents).where(documents.c.id == document_id))

    # -- reading -----------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no document was ever ingested."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).limit(1)).first() is None

    def count(self) -> tuple[int, int]:
        """How many documents and facts the store holds."""
        with self.engine.connect() as conn:
            version = _version(conn)
            if self._counts is not None and self._counts[0] == version:
                return self._counts[1]
            docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            n_facts = conn.execute(select(func.count()).select_from(facts)).scalar_one()
        self._counts = (version, (docs, n_facts))
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

    def analyses(self, document_ids: Iterable[int]) -> dict[int, DocumentAnalysis]:
        """The Q&A analysis of each given document; missing or outdated ones are worked out again."""
        return self._analyses(document_ids)[0]

    def complete_analyses(self) -> int:
        """Work out and keep every missing or outdated analysis (after an upgrade); how many there were."""
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars())
        return sum(len(self._analyses(chunk, kept=False)[1]) for chunk in _chunks(ids, _CHUNK))

    def rebuild_search_index(self) -> int:
        """Work out every sentence's search terms again (after the words' normalisation changed).

        Stores migrated from the term postings of f0003 keep those postings' terms until this runs
        (`briefbot db upgrade`); each document is rewritten in its own transaction. Returns sentences.
        """
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars())
            # A retracted article stays out of the sentence index: questions must not be answered from it.
            gone = set(conn.execute(_statements().retracted).scalars())
        ids = [d for d in ids if d not in gone]
        total = 0
        for document_id in ids:
            with self.engine.begin() as conn:
                doc = conn.execute(
                    select(documents.c.title, documents.c.body).where(documents.c.id == document_id)
                ).first()
                rows = self._hydrate(
                    conn, conn.execute(_select_facts().where(facts.c.document_id == document_id)).all()
                )
                if doc is None or not rows:
                    continue
                mine = select(facts.c.id).where(facts.c.document_id == document_id)
                old = list(
                    conn.execute(
                        select(sentence_terms.c.terms).where(sentence_terms.c.fact_id.in_(mine))
                    ).scalars()
                )
                _count_terms(conn, old, -1)
                conn.execute(delete(sentence_terms).where(sentence_terms.c.fact_id.in_(mine)))
                terms = sentence_search_terms(doc.title, doc.body, rows)
                keys: dict[int, int] = {}
                for fact in rows:
                    if fact.kind is Kind.STATEMENT or fact.sentence_index not in keys:
                        keys[fact.sentence_index] = fact.id
                day = _driver_day(conn, rows[0].as_of or date.today())
                fresh = [(fid, document_id, day, terms.get(index, "")) for index, fid in keys.items()]
                _insert_rows(conn, sentence_terms, ("fact_id", "document_id", "as_of", "terms"), fresh)
                _count_terms(conn, [row[3] for row in fresh], +1)
                total += len(fresh)
        self._sentences = None
        self._postings = _PostingsCache()  # the terms changed while the store's version did not
        return total

    def _analyses(
        self, document_ids: Iterable[int], kept: bool = True
    ) -> tuple[dict[int, DocumentAnalysis], dict[int, DocumentAnalysis]]:
        """All the given documents' analyses, and those of them that had to be worked out again.

        With `kept`, analyses still in memory from an earlier question are not read again; without, every
        one is read from the store (to find and fill in the missing ones).
        """
        wanted = sorted(set(document_ids))
        with self.engine.connect() as conn:
            version = _version(conn)
            found = self._kept_analyses.take(version, wanted) if kept else {}
            for chunk in _chunks([d for d in wanted if d not in found], _CHUNK):
                rows = conn.execute(_statements().analyses, {"ids": chunk})
                for document_id, data in rows:
                    analysis = DocumentAnalysis.from_json(data)
                    if analysis is not None:
                        found[document_id] = analysis
            missing = [d for d in wanted if d not in found]
            worked_out = {d: self._analyse(conn, d) for d in missing}
        fresh = {d: a for d, a in worked_out.items() if a is not None}
        if fresh:
            found.update(fresh)
            self._save_analyses(fresh)
        self._kept_analyses.keep(version, found)
        return found, fresh

    def _analyse(self, conn: Connection, document_id: int) -> DocumentAnalysis | None:
        """Work out one stored document's analysis from its body and its facts' sentences."""
        doc = conn.execute(
            select(documents.c.title, documents.c.body).where(documents.c.id == document_id)
        ).first()
        if doc is None:
            return None
        sentences: dict[int, str] = dict(
            conn.execute(
                select(facts.c.sentence_index, _sentence_of_fact())
                .where(facts.c.document_id == document_id)
                .order_by(facts.c.id)
            ).all()
        )
        return analyse(doc.title, doc.body, sentences)

    def _save_analyses(self, fresh: dict[int, DocumentAnalysis]) -> None:
        """Keep analyses worked out on reading (stores from before analyses, or of an older version)."""
        try:
            with self.engine.begin() as conn:
                ids = list(fresh)
                conn.execute(delete(document_analyses).where(document_analyses.c.document_id.in_(ids)))
                conn.execute(
                    insert(document_analyses),
                    [{"document_id": d, "data": a.to_json()} for d, a in fresh.items()],
                )
        except Exception:  # a read-only or busy store still answers, it only works harder
            logger.warning("could not keep %d document analyses", len(fresh), exc_info=True)

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
            wanted = [str(k) for k in kinds]
            query = query.where(facts.c.kind.in_(wanted))
            if Kind.STATEMENT.value not in wanted:
                query = query.where(TYPED)
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
                    conn, conn.execute(_statements().facts_by_id, {"ids": chunk}).all()
                ):
                    found[fact.id] = fact
        return [found[i] for i in wanted if i in found]

    def newest_fact_id(self) -> int:
        """The highest fact id stored (0 for an empty store): facts are numbered in the order stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(facts.c.id))).scalar() or 0)

    def facts_added(self, after: int, upto: int) -> list[StoredFact]:
        """The facts stored with ids in (after, upto], oldest first: what arrived since a reader's cursor."""
        with self.engine.connect() as conn:
            ids = list(
                conn.execute(
                    select(facts.c.id).where(facts.c.id > after, facts.c.id <= upto).order_by(facts.c.id)
                ).scalars()
            )
        return self.get(ids)

    def ingested_at(self, document_ids: Iterable[int]) -> dict[int, datetime]:
        """When each given document was stored (UTC), by id."""
        wanted = list(dict.fromkeys(document_ids))
        out: dict[int, datetime] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, _CHUNK):
                rows = conn.execute(
                    select(documents.c.id, documents.c.ingested_at).where(documents.c.id.in_(chunk))
                )
                out.update((row.id, _as_utc(row.ingested_at)) for row in rows)
        return out

    def documents_with_bodies(self, document_ids: Iterable[int]) -> list[Document]:
        """The given documents with their text, by id (to write them out again as article files)."""
        wanted = sorted(set(document_ids))
        out: list[Document] = []
        columns = ("id", "title", "published", "url", "content_hash", "ingested_at", "body")
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, _CHUNK):
                query = select(*(documents.c[name] for name in columns)).where(documents.c.id.in_(chunk))
                out.extend(Document(**row._mapping) for row in conn.execute(query))
        return sorted(out, key=lambda document: document.id)

    def newest_versions(self, given: Iterable[StoredFact], known_by: date) -> dict[int, StoredFact]:
        """Each fact's newest version known by `known_by`, by the given fact's id (itself when current).

        The one reading of the store's supersession links: it follows each fact's chain of replacements
        (one query per link) and stops at a replacement published after `known_by`. A withdrawn fact (its
        article retracted, or a fix undone: its link points at itself) has no current version and is
        left out.
        """
        return {fid: f for fid, f in self._newest_versions(given, known_by).items() if not f.withdrawn}

    def _newest_versions(self, given: Iterable[StoredFact], known_by: date) -> dict[int, StoredFact]:
        newest = {f.id: f for f in given}
        seen = {fid: {fid} for fid in newest}
        known: dict[int, StoredFact] = {}
        tips = dict(newest)
        while True:
            links = {
                fid: tip.superseded_by
                for fid, tip in tips.items()
                if tip.superseded_by is not None and tip.superseded_by not in seen[fid]
            }
            if not links:
                return newest
            unread = set(links.values()) - known.keys()
            if unread:
                known.update((f.id, f) for f in self.get(unread))
            tips = {}
            for fid, next_id in links.items():
                found = known.get(next_id)
                if found is None or (found.as_of is not None and found.as_of > known_by):
                    continue
                newest[fid] = tips[fid] = found
                seen[fid].add(found.id)

    def place_of_ids(self, ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """The (document id, sentence index) place of each given fact, by fact id."""
        wanted = list(dict.fromkeys(ids))
        out: dict[int, tuple[int, int]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, _CHUNK):
                rows = conn.execute(_statements().places, {"ids": chunk})
                out.update((row.id, (row.document_id, row.sentence_index)) for row in rows)
        return out

    def search(
        self,
        groups: Sequence[frozenset[str]],
        known_by: date,
        limit: int,
        weighted: Sequence[Group] | None = None,
    ) -> list[Ranked]:
        """The `limit` sentences known by a date that best meet the term groups, best first.

        A sentence scores the idf weights of the groups it meets (a group is a word and its synonyms);
        every matching sentence is ranked, however many there are (`facts.search`); ties go to the
        sentence stored last. `weighted`, when given, is what `weigh` made of the same groups.
        """
        if weighted is None:
            weighted = self.weigh(groups)
        with self.engine.connect() as conn:
            return top(_Postings(conn, self._dates, self._postings), weighted, known_by, limit)

    def weigh(self, groups: Sequence[frozenset[str]]) -> list[Group]:
        """The term groups with the sentences they reach and their idf weight (groups reaching none go)."""
        counts = self.term_frequencies(t for group in groups for t in group)
        return weigh(groups, counts, self.sentence_count())

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many sentences hold each term (terms in none are absent)."""
        wanted = sorted({search_term(t) for t in terms} - {""})
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(_statements().term_counts, {"terms": wanted}).all()
        return {term: n for term, n in rows if n > 0}

    def sentence_count(self) -> int:
        """How many sentences the store holds (cached while no document comes or goes)."""
        with self.engine.connect() as conn:
            version = _version(conn)
            if self._sentences is not None and self._sentences[0] == version:
                return self._sentences[1]
            total = conn.execute(select(func.count()).select_from(sentence_terms)).scalar_one()
        self._sentences = (version, total)
        return total

    def sentence_facts(self, places: Iterable[tuple[int, int]]) -> list[StoredFact]:
        """All facts (current or not) drawn from the given (document id, sentence index) places."""
        out: list[StoredFact] = []
        with self.engine.connect() as conn:
            for params in _place_params(places):
                out.extend(self._hydrate(conn, conn.execute(_place_query(False), params).all()))
        out.sort(key=lambda f: f.id)
        return out

    def facts_beside(self, ids: Iterable[int]) -> list[StoredFact]:
        """All facts (current or not) drawn from the sentences of the given facts, the given ones included.

        One statement where finding the sentences' places and then their facts took two.
        """
        wanted = list(dict.fromkeys(ids))
        out: list[StoredFact] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, _CHUNK):
                out.extend(self._hydrate(conn, conn.execute(_statements().beside, {"ids": chunk}).all()))
        out = list({f.id: f for f in out}.values())  # two given facts of one sentence bring it twice
        out.sort(key=lambda f: f.id)
        return out

    def sentence_texts(self, places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """The text of each given (document id, sentence index) place that has facts."""
        rows: list[Row[Any]] = []
        with self.engine.connect() as conn:
            for params in _place_params(places):
                rows.extend(conn.execute(_place_query(True), params).all())
        # Newest first, so the dict keeps each place's first fact's copy, as sentence_facts has it.
        rows.sort(key=lambda row: row.id, reverse=True)
        return {(row.document_id, row.sentence_index): row.sentence for row in rows}

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
            version = _version(conn)
            if self._topic_counts is not None and self._topic_counts[0] == version:
                return dict(self._topic_counts[1])
            counts = {row.topic: row.n for row in conn.execute(query)}
        self._topic_counts = (version, counts)
        return dict(counts)

    def _hydrate(self, conn: Connection, rows: Sequence[Row[Any]]) -> list[StoredFact]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        topics: dict[int, list[str]] = {}
        for chunk in _chunks(ids, _CHUNK):
            for fid, topic in conn.execute(_statements().topics, {"ids": chunk}):
                topics.setdefault(fid, []).append(topic)
        return [_stored_from_row(row, tuple(topics.get(row.id, ()))) for row in rows]


def unindex_document(conn: Connection, document_id: int) -> None:
    """Take a document's sentences out of the search index (and its terms out of the counts)."""
    # By fact id: sentence_terms keeps no index on document_id (f0007), facts has one.
    ids = select(facts.c.id).where(facts.c.document_id == document_id)
    gone = conn.execute(select(sentence_terms.c.terms).where(sentence_terms.c.fact_id.in_(ids))).scalars()
    _count_terms(conn, list(gone), -1)
    conn.execute(delete(sentence_terms).where(sentence_terms.c.fact_id.in_(ids)))


def _version(conn: Connection) -> tuple[int, ...]:
    """What changes whenever facts are added or removed, read from primary keys alone.

    Facts come and go only with their documents (supersession happens on insert) or with a correction
    (a fix, an undo or a retraction, each a row in `corrections`), so the highest fact id, the number
    of documents, the highest document id and the highest correction id tell whether a count taken
    before still holds; counting facts themselves reads half a million rows at 10,000 articles.
    """
    return tuple(conn.execute(_statements().version).one())


@dataclass(frozen=True)
class _Statements:
    """The statements questions run many times, built once: SQLAlchemy spends longer building than running."""

    version: Any
    retracted: Any
    analyses: Any
    facts_by_id: Any
    places: Any
    topics: Any
    current_on: Any
    supersede: Any
    add_analysis: Any
    documents_by_hash: Any
    add_documents: Any
    next_fact_id: Any
    term_counts: Any
    beside: Any
    sentence_dates: Any
    newest_sentence: Any


@lru_cache(maxsize=1)
def _statements() -> _Statements:
    ids: BindParameter[int] = bindparam("ids", expanding=True)
    given = facts.alias("given")
    return _Statements(
        version=select(
            func.coalesce(select(func.max(facts.c.id)).scalar_subquery(), 0),
            select(func.count()).select_from(documents).scalar_subquery(),
            func.coalesce(select(func.max(documents.c.id)).scalar_subquery(), 0),
            func.coalesce(select(func.max(corrections.c.id)).scalar_subquery(), 0),
        ),
        retracted=select(corrections.c.document_id).where(
            corrections.c.action == "forget", corrections.c.document_id.is_not(None)
        ),
        analyses=select(document_analyses.c.document_id, document_analyses.c.data).where(
            document_analyses.c.document_id.in_(ids)
        ),
        facts_by_id=_select_facts().where(facts.c.id.in_(ids)),
        places=select(facts.c.id, facts.c.document_id, facts.c.sentence_index).where(facts.c.id.in_(ids)),
        topics=select(fact_topics.c.fact_id, fact_topics.c.topic)
        .where(fact_topics.c.fact_id.in_(ids))
        .order_by(fact_topics.c.fact_id, fact_topics.c.topic),
        current_on=select(
            facts.c.id, facts.c.kind, facts.c.subject, type_coerce(facts.c.as_of, String).label("as_of")
        ).where(
            # kind first: it leads the (kind, subject) index; on subject alone SQLite scans facts.
            facts.c.kind.in_(bindparam("kinds", expanding=True)),
            TYPED,
            facts.c.subject.in_(bindparam("subjects", expanding=True)),
            facts.c.superseded_by.is_(None),
        ),
        supersede=update(facts)
        .where(facts.c.id == bindparam("replaced"))
        .values(superseded_by=bindparam("by")),
        add_analysis=insert(document_analyses),
        documents_by_hash=select(documents.c.content_hash, documents.c.id).where(
            documents.c.content_hash.in_(bindparam("hashes", expanding=True))
        ),
        add_documents=insert(documents).returning(documents.c.id, sort_by_parameter_order=True),
        next_fact_id=select(func.coalesce(func.max(facts.c.id), 0) + 1),
        term_counts=select(term_counts.c.term, term_counts.c.sentences).where(
            term_counts.c.term.in_(bindparam("terms", expanding=True))
        ),
        beside=_select_facts().where(
            tuple_(facts.c.document_id, facts.c.sentence_index).in_(
                select(given.c.document_id, given.c.sentence_index).where(given.c.id.in_(ids))
            )
        ),
        sentence_dates=select(sentence_terms.c.fact_id, sentence_terms.c.as_of).where(
            sentence_terms.c.fact_id.in_(ids)
        ),
        # Every sentence is dated by its document (documents without sentences only make the search
        # check dates it could have skipped); the documents' index answers at once.
        newest_sentence=select(func.max(documents.c.published)),
    )


def _driver_day(conn: Connection, day: date) -> date | str:
    """A date as the driver should get it for a Date column (SQLAlchemy stores ISO text on SQLite)."""
    return day.isoformat() if conn.dialect.name == "sqlite" else day


def _insert_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert plain rows straight through the driver: one executemany on SQLite, one COPY on PostgreSQL.

    SQLAlchemy's per-row parameter handling cost more than SQLite's writing for the hundreds of term
    rows an article brings. On PostgreSQL each row was a round trip; arrays through `unnest` spent
    their time in the driver's pure-Python array formatting, where COPY formats rows in C.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        driver = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)


def _supersede(conn: Connection, written: list[tuple[dict[int, StoredFact], date, IngestResult]]) -> None:
    """Mark older facts on the same subjects as replaced (or the new ones, if their document is older).

    Articles are taken in order, each as if stored alone: its rivals are the facts current on its
    subjects, but for its own and later articles' facts (all stored already). The current facts on
    the batch's subjects are read once, which ones each article replaces is worked out here, and
    every change is written in one statement: a query and an update per article cost more than the rest
    of its writing.
    """
    keyed = [
        {(f.kind.value, f.subject): f for f in stored.values() if f.kind in SUPERSEDING_KINDS}
        for stored, _, _ in written
    ]
    wanted = {key for by_key in keyed for key in by_key}
    if not wanted:
        return
    current: dict[tuple[str, str], list[tuple[int, date]]] = {}
    kinds = sorted({kind for kind, _ in wanted})
    for chunk in _chunks(sorted({subject for _, subject in wanted}), _CHUNK):
        for fid, kind, subject, as_of in conn.execute(
            _statements().current_on, {"kinds": kinds, "subjects": chunk}
        ):
            if (kind, subject) in wanted:
                current.setdefault((kind, subject), []).append((fid, _day(as_of)))
    owner = {fid: n for n, (stored, _, _) in enumerate(written) for fid in stored}
    ended: set[int] = set()  # facts replaced so far: no longer current
    replaced: list[dict[str, int]] = []
    told: list[tuple[IngestResult, int, StoredFact]] = []  # (result, old fact id, new fact) to report
    for n, ((_, as_of, result), by_key) in enumerate(zip(written, keyed, strict=True)):
        # In the order the store's (kind, subject) index gives them, as the query one by one did.
        rivals = sorted(
            (kind, subject, fid, day)
            for (kind, subject) in by_key
            for fid, day in current.get((kind, subject), ())
            if fid not in ended and owner.get(fid, -1) < n
        )
        for kind, subject, fid, day in rivals:
            new = by_key[(kind, subject)]
            if day > as_of:
                # An older article ingested late: its fact is history from the start.
                replaced.append({"replaced": new.id, "by": fid})
                new.superseded_by = fid
                ended.add(new.id)
                continue
            replaced.append({"replaced": fid, "by": new.id})
            ended.add(fid)
            told.append((result, fid, new))
    if not replaced:
        return
    rows: dict[int, Row[Any]] = {}
    for chunk in _chunks(sorted({fid for _, fid, _ in told}), _CHUNK):
        rows.update((row.id, row) for row in conn.execute(_statements().facts_by_id, {"ids": chunk}))
    for result, fid, new in told:
        old = _stored_from_row(rows[fid])  # as the store holds it before this batch's changes
        old.superseded_by = new.id
        if old.value != new.value or old.text != new.text:
            result.superseded.append((old, new))
    conn.execute(_statements().supersede, replaced)


def _stored_hashes(conn: Connection, digests: list[str]) -> dict[str, int]:
    """The ids of the documents already stored with these content hashes, by hash."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(digests)), _CHUNK):
        for digest, document_id in conn.execute(_statements().documents_by_hash, {"hashes": chunk}):
            found[digest] = document_id
    return found


def _insert_documents(
    conn: Connection, items: list[Prepared], digests: list[str], now: datetime | None
) -> list[int]:
    """Insert documents in one statement; their ids in the order given."""
    if not items:
        return []
    rows = [
        {
            "title": item.document.title,
            "published": item.document.published,
            "published_inferred": item.document.published_inferred,
            "url": item.document.url,
            "path": item.document.path,
            "content_hash": digest,
            "body": item.document.body,
            "ingested_at": now or datetime.now(UTC),
        }
        for item, digest in zip(items, digests, strict=True)
    ]
    return list(conn.execute(_statements().add_documents, rows).scalars())


class _BatchRows:
    """The fact, topic and sentence-index rows of a batch of documents, gathered to insert at once."""

    def __init__(self) -> None:
        self.facts: list[tuple[Any, ...]] = []
        self.topics: list[tuple[int, str]] = []
        self.sentences: list[tuple[int, int, date | str, str]] = []

    def add(self, conn: Connection, document_id: int, item: Prepared, ids: list[int]) -> None:
        """Add one document's rows, its facts numbered by `ids`."""
        extracted = item.facts
        if not extracted:
            return
        as_of = item.document.published
        self.facts.extend(_fact_rows(conn, document_id, as_of, extracted, ids))
        self.topics.extend(
            (fid, topic) for fid, fact in zip(ids, extracted, strict=True) for topic in fact.topics
        )
        # One index row per sentence, under its statement fact (or its first fact when it has none).
        keys: dict[int, int] = {}
        for fid, fact in zip(ids, extracted, strict=True):
            if fact.kind is Kind.STATEMENT or fact.sentence_index not in keys:
                keys[fact.sentence_index] = fid
        day = _driver_day(conn, as_of)
        self.sentences.extend(
            (fid, document_id, day, item.sentence_terms.get(index, "")) for index, fid in keys.items()
        )


def _next_fact_ids(conn: Connection, count: int) -> list[int]:
    """Ids for `count` new facts, taken before inserting them.

    On SQLite the document row inserted first holds the one write lock until commit, so the next ids
    cannot be taken by anyone else (they are the ids SQLite itself would give); PostgreSQL hands them
    out from the table's sequence.
    """
    if conn.dialect.name == "postgresql":
        taken = conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('facts', 'id')) FROM generate_series(1, %s)", (count,)
        )
        return [row[0] for row in taken]
    first = conn.execute(_statements().next_fact_id).scalar_one()
    return list(range(first, first + count))


class _SentenceDates:
    """Each sentence's date by its fact id, kept in memory: a question asked on an old date checks thousands.

    Reading them from the store was a third of such a search. Four bytes a fact (2 MB at 10,000
    articles); sentences stored since are read on the next search that needs dates, and a removed
    document (the store's counts go down) has everything read again. A sentence missing here (another
    writer's, committed out of id order) is looked up in the store.
    """

    def __init__(self) -> None:
        self.version: tuple[int, ...] | None = None
        self.days = array("i")
        self.last_of_day: dict[int, int] = {}  # the highest sentence id of each date (ordinal)

    def known(self, conn: Connection) -> array[int]:
        """The date ordinals by fact id (0: not known), brought up to date with the store."""
        version = _version(conn)
        if version == self.version:
            return self.days
        start = 0
        if self.version is not None and _only_added(self.version, version):
            start = self.version[0]
        else:
            self.days = array("i")
            self.last_of_day = {}
        grow = version[0] + 1 - len(self.days)
        if grow > 0:
            self.days.extend(array("i", [0]) * grow)
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_DATES_AFTER[conn.dialect.name == "sqlite"], (start,))
            days = self.days
            last = self.last_of_day
            size = len(days)
            for fid, day in cursor.fetchall():  # in id order: each date's last id is the last one read
                if fid < size:
                    days[fid] = day
                    last[day] = fid
        finally:
            cursor.close()
        self.version = version
        return self.days

    def last_known(self, conn: Connection, known_by: date) -> int:
        """The highest id of a sentence dated on or before `known_by` (0 when there is none)."""
        self.known(conn)
        cutoff = known_by.toordinal()
        return max((fid for day, fid in self.last_of_day.items() if day <= cutoff), default=0)


# Each date as its proleptic ordinal (`date.toordinal()`), worked out by the database: parsing each date
# string in Python was about a third of reading a 10,000-article store's dates (0.24 s before, 0.17 s after).
_DATES_AFTER = {
    True: "SELECT fact_id, CAST(julianday(as_of) - 1721424.5 AS INTEGER) FROM sentence_terms "
    "WHERE fact_id > ? ORDER BY fact_id",
    False: "SELECT fact_id, as_of - DATE '0001-01-01' + 1 FROM sentence_terms WHERE fact_id > %s "
    "ORDER BY fact_id",
}


def _only_added(before: tuple[int, ...], now: tuple[int, ...]) -> bool:
    """True when the store only gained documents between two versions (see `_version`).

    Corrections (the version's last part) leave sentences' dates alone: a retracted article's sentences
    leave the search index, and a date kept for them is never asked for again.
    """
    facts_before, docs_before, last_before = before[:3]
    facts_now, docs_now, last_now = now[:3]
    return facts_now >= facts_before and docs_now - docs_before == last_now - last_before >= 0


class _PostingsCache:
    """The sentence ids of common term groups, kept between questions while the store is unchanged.

    A common word ("say", "talks", "tariff") is read by most questions, and reading its tens of thousands
    of ids from the index was the largest part of a search. Only groups met by `_CACHE_FROM` sentences or
    more are kept (a rare word's ids cost less to read than to keep), at most `_CACHE_IDS` ids in all (4
    bytes each), the least recently used going first. Any change to the store (its version, see
    `_version`) empties it.
    """

    def __init__(self) -> None:
        self.version: tuple[int, ...] | None = None
        self.ids: OrderedDict[frozenset[str], array[int]] = OrderedDict()
        self.held = 0

    def get(self, version: tuple[int, ...], group: frozenset[str]) -> array[int] | None:
        """A group's sentence ids, highest first, if they are kept for this version of the store."""
        if version != self.version:
            self.version = version
            self.ids.clear()
            self.held = 0
            return None
        found = self.ids.get(group)
        if found is not None:
            self.ids.move_to_end(group)
        return found

    def keep(self, version: tuple[int, ...], group: frozenset[str], ids: array[int]) -> None:
        """Keep a group's sentence ids (highest first) read at this version, if it is common enough."""
        if version != self.version or len(ids) < _CACHE_FROM or len(ids) > _CACHE_IDS:
            return
        self.ids[group] = ids
        self.held += len(ids)
        while self.held > _CACHE_IDS:
            _, dropped = self.ids.popitem(last=False)
            self.held -= len(dropped)


# Term groups met by this many sentences or more keep their ids in memory; at most this many ids in all.
_CACHE_FROM = 1000
_CACHE_IDS = 4_000_000


class _Postings:
    """Sentences holding terms, read through the database's full-text index (see migration f0004)."""

    def __init__(self, conn: Connection, dates: _SentenceDates, cache: _PostingsCache) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self._dates = dates
        self._cache = cache
        self._version: tuple[int, ...] | None = None

    def meeting(self, group: frozenset[str], upto: int | None = None) -> array[int]:
        """Ids of the sentences holding any of the group's terms (up to `upto`, if given), highest first."""
        if self._version is None:
            self._version = _version(self.conn)
        ids = self._cache.get(self._version, group)
        if ids is None:
            ids = self._read(group)
            self._cache.keep(self._version, group, ids)
        if upto is None:
            return ids
        # Ids run from the highest down: skip those above `upto`.
        return ids[bisect_left(ids, -upto, key=neg) :]

    def _read(self, group: frozenset[str]) -> array[int]:
        """Ids of the sentences holding any of the group's terms, from the full-text index."""
        if self.sqlite:
            query = " OR ".join(f'"{t}"' for t in sorted(group))
            sql = "SELECT rowid FROM sentence_fts WHERE sentence_fts MATCH ? ORDER BY rowid DESC"
        else:
            query = " | ".join(sorted(group))
            sql = "SELECT fact_id FROM sentence_terms WHERE tsv @@ CAST(%s AS tsquery) ORDER BY fact_id DESC"
        # Straight from the driver's cursor: a common word's postings run to tens of thousands of rows,
        # and SQLAlchemy's per-row result handling cost more than the index read them. Rows go one by one
        # into 4-byte ids: a list of row tuples costs about 100 bytes an id (3 million ids read from
        # PostgreSQL peaked at 410 MB as a list, 146 MB this way).
        cursor = self.conn.connection.cursor()
        try:
            cursor.execute(sql, (query,))
            rows = cast("Iterable[Sequence[int]]", cursor)  # both drivers' cursors yield rows
            return array("i", (row[0] for row in rows))
        finally:
            cursor.close()

    def dates(self, ids: Iterable[int]) -> dict[int, date]:
        """The as-of date of each given sentence."""
        days = self._dates.known(self.conn)
        size = len(days)
        out: dict[int, date] = {}
        missing: list[int] = []
        for fid in ids:
            day = days[fid] if 0 <= fid < size else 0
            if day:
                out[fid] = date.fromordinal(day)
            else:
                missing.append(fid)
        for chunk in _chunks(missing, _CHUNK):
            rows = self.conn.execute(_statements().sentence_dates, {"ids": chunk})
            out.update((fid, _day(as_of)) for fid, as_of in rows)
        return out

    def sentences(self, ids: Iterable[int]) -> dict[int, tuple[date, frozenset[str]]]:
        """The as-of date and search terms of each given sentence."""
        out: dict[int, tuple[date, frozenset[str]]] = {}
        mark = "?" if self.sqlite else "%s"
        # Through the driver: SQLAlchemy's statement and row handling cost more than the reads.
        cursor = self.conn.connection.cursor()
        try:
            for chunk in _chunks(list(ids), _CHUNK):
                marks = ", ".join([mark] * len(chunk))
                cursor.execute(
                    f"SELECT fact_id, as_of, terms FROM sentence_terms WHERE fact_id IN ({marks})", chunk
                )
                out.update(
                    (fid, (_day(as_of), frozenset(terms.split()))) for fid, as_of, terms in cursor.fetchall()
                )
        finally:
            cursor.close()
        return out

    def known_among(self, ids: Sequence[int], known_by: date) -> list[int]:
        """The given sentences that are known by `known_by`, in the order given (dates from memory)."""
        days = self._dates.known(self.conn)
        cutoff = known_by.toordinal()
        if min(ids, default=1) > 0 and max(ids, default=0) < len(days):
            kept = [fid for fid in ids if 0 < days[fid] <= cutoff]
            # A sentence without a date in memory was stored by another writer out of id order, which
            # only PostgreSQL's sequence allows: on SQLite every sentence up to the last read has one.
            unread = [] if self.sqlite else [fid for fid in ids if not days[fid]]
            if not unread:
                return kept
        dated = self.dates(ids)
        return [fid for fid in ids if fid in dated and dated[fid] <= known_by]

    def last_known(self, known_by: date) -> int | None:
        """The highest id a sentence known by `known_by` can have (None: any id).

        SQLite hands out ids in commit order, so every sentence above the highest one read so far with a
        date up to `known_by` is dated later. PostgreSQL's sequence does not: a writer may commit lower
        ids after higher ones were read, and those would be missed, so there every id is read.
        """
        return self._dates.last_known(self.conn, known_by) if self.sqlite else None

    def newest(self) -> date | None:
        """The latest as-of date of any sentence."""
        value = self.conn.execute(_statements().newest_sentence).scalar_one_or_none()
        return None if value is None else _day(value)


def search_term(term: str) -> str:
    """A term as the sentence index spells it: no apostrophes (the index splits words there), 64 at most."""
    return term.replace("'", "")[:64]


def _count_terms(conn: Connection, sentences: list[str], sign: int) -> None:
    """Add (or, with sign -1, take away) the given sentences' terms to the counts of sentences per term."""
    counts: dict[str, int] = {}
    for terms in sentences:
        for term in terms.split():
            counts[term] = counts.get(term, 0) + 1
    if not counts:
        return
    rows = sorted((term, sign * n) for term, n in counts.items())  # one order: no deadlock between writers
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "INSERT INTO term_counts (term, sentences) SELECT * FROM unnest(%s::varchar[], %s::int[]) "
            "ON CONFLICT (term) DO UPDATE SET sentences = term_counts.sentences + excluded.sentences",
            ([t for t, _ in rows], [n for _, n in rows]),
        )
        return
    conn.exec_driver_sql(
        "INSERT INTO term_counts (term, sentences) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET sentences = sentences + excluded.sentences",
        rows,
    )


@lru_cache(maxsize=2)
def _place_query(text_only: bool) -> Select[Any]:
    """Facts of `_PLACES` (document, sentence) places, padded: one statement shape compiles once."""
    places = [
        and_(facts.c.document_id == bindparam(f"d{n}"), facts.c.sentence_index == bindparam(f"s{n}"))
        for n in range(_PLACES)
    ]
    if text_only:
        columns = select(facts.c.id, facts.c.document_id, facts.c.sentence_index, _sentence_of_fact())
        return columns.where(or_(*places))
    return _select_facts().where(or_(*places))


def _place_params(places: Iterable[tuple[int, int]]) -> Iterable[dict[str, int]]:
    """Bound parameters for `_place_query`, `_PLACES` places at a time (padded with places that are none)."""
    wanted = list(dict.fromkeys(places))
    for chunk in _chunks(wanted, _PLACES):
        padded = chunk + [(-1, -1)] * (_PLACES - len(chunk))
        params = {f"d{n}": d for n, (d, _) in enumerate(padded)}
        params.update({f"s{n}": s for n, (_, s) in enumerate(padded)})
        yield params


def _select_facts() -> Select[Any]:
    """Facts with their documents' title, date and URL, in the column order `_stored_from_row` reads.

    Dates come back as the driver gives them (ISO text from SQLite, dates from PostgreSQL) and are read by
    `_day`: SQLAlchemy's SQLite date parsing was a third of the time a question spent loading facts.
    """
    return select(
        facts.c.id,
        facts.c.document_id,
        facts.c.kind,
        facts.c.subject,
        facts.c.text,
        facts.c.value,
        facts.c.date_iso,
        facts.c.attrs,
        facts.c.sentence_index,
        facts.c.span_start,
        facts.c.span_end,
        _sentence_of_fact(),
        type_coerce(facts.c.as_of, String).label("as_of"),
        facts.c.superseded_by,
        documents.c.title.label("doc_title"),
        type_coerce(documents.c.published, String).label("doc_published"),
        documents.c.url.label("doc_url"),
    ).join(documents, documents.c.id == facts.c.document_id)


# A typed fact's sentence is its statement's (stored once there, see schema.facts); this spells the test
# out for SQLite's partial index on current typed facts.
TYPED = literal_column("facts.kind") != literal_column("'statement'")


@lru_cache(maxsize=1)
def _sentence_of_fact() -> Any:
    """A fact's sentence: its own, or its statement's when it keeps none (migration f0007)."""
    statement = facts.alias("statement")
    of_statement = (
        select(statement.c.sentence)
        .where(
            statement.c.document_id == facts.c.document_id,
            statement.c.sentence_index == facts.c.sentence_index,
            statement.c.kind == Kind.STATEMENT.value,
        )
        .limit(1)
        .scalar_subquery()
    )
    return case((facts.c.sentence == "", of_statement), else_=facts.c.sentence).label("sentence")


def _day(value: date | str) -> date:
    """A date column's value, from either driver."""
    return value if isinstance(value, date) else date.fromisoformat(value)


_KINDS = {kind.value: kind for kind in Kind}


@dataclass(frozen=True)
class Prepared:
    """A document ready to store: its facts without repeats and its Q&A analysis (see `prepare`)."""

    document: NewDocument
    facts: list[ExtractedFact]
    analysis: DocumentAnalysis
    sentence_terms: dict[int, str]  # each sentence's search terms, space-separated


def prepare(document: NewDocument, extracted: Sequence[ExtractedFact]) -> Prepared:
    """The CPU work of storing a document, apart from the database so worker processes can do it."""
    unique = _unique(extracted)
    sentences = {f.sentence_index: f.sentence for f in unique}
    analysis = analyse(document.title, document.body, sentences)
    return Prepared(document, unique, analysis, _search_terms(analysis, sentences, unique))


def sentence_search_terms(title: str, body: str, found: Sequence[ExtractedFact]) -> dict[int, str]:
    """Each sentence's search terms (space-separated), as a document's facts give them."""
    sentences = {f.sentence_index: f.sentence for f in found}
    return _search_terms(analyse(title, body, sentences), sentences, found)


def _search_terms(
    analysis: DocumentAnalysis, sentences: dict[int, str], found: Sequence[ExtractedFact]
) -> dict[int, str]:
    terms = {index: analysis.sentence_terms(index, text) for index, text in sentences.items()}
    for fact in found:
        if fact.kind is not Kind.STATEMENT:
            # A typed fact is also found by what the extractor read into it (the speaker of a quote
            # that runs on from the sentence before, a country named as its imposer).
            terms[fact.sentence_index] |= index_terms(" ".join([fact.text, fact.value, *_attr_texts(fact)]))
    return {index: " ".join(sorted({search_term(t) for t in words} - {""})) for index, words in terms.items()}


def _attr_texts(fact: ExtractedFact) -> list[str]:
    return [value for value in fact.attrs.values() if isinstance(value, str)]


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


_FACT_COLUMNS = (
    "id",
    "document_id",
    "kind",
    "subject",
    "text",
    "value",
    "date_iso",
    "date_first",
    "date_last",
    "attrs",
    "sentence_index",
    "span_start",
    "span_end",
    "sentence",
    "as_of",
    "superseded_by",
)


def _fact_rows(
    conn: Connection, document_id: int, as_of: date, extracted: list[ExtractedFact], ids: list[int]
) -> list[tuple[Any, ...]]:
    """A document's fact rows, with ids taken up front (SQLAlchemy's RETURNING batches cost more than
    the inserts themselves)."""
    day = _driver_day(conn, as_of)
    # Each sentence's text is kept by its statement only (see schema.facts).
    kept = {f.sentence_index: f.sentence for f in extracted if f.kind is Kind.STATEMENT}
    rows = [
        (
            fid,
            document_id,
            fact.kind.value,
            fact.subject,
            "" if fact.kind is Kind.STATEMENT and fact.text == fact.sentence else fact.text,
            fact.value,
            fact.date.iso() if fact.date else None,
            _driver_day(conn, fact.date.first_day()) if fact.date else None,
            _driver_day(conn, fact.date.last_day()) if fact.date else None,
            compact_json(fact.attrs),
            fact.sentence_index,
            fact.start,
            fact.end,
            ""
            if fact.kind is not Kind.STATEMENT and kept.get(fact.sentence_index) == fact.sentence
            else fact.sentence,
            day,
            None,
        )
        for fid, fact in zip(ids, extracted, strict=True)
    ]
    return rows


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


def _stored_from_row(row: Sequence[Any], topics: tuple[str, ...] = ()) -> StoredFact:
    (
        fid,
        document_id,
        kind,
        subject,
        text,
        value,
        date_iso,
        attrs,
        sentence_index,
        start,
        end,
        sentence,
        as_of,
        superseded_by,
        title,
        published,
        url,
    ) = row
    if kind == "statement" and not text:
        text = sentence  # a statement's text is its sentence, kept once
    source = Source(title, _day(published), url, sentence, document_id)
    return StoredFact(
        kind=_KINDS[kind],
        subject=subject,
        text=text,
        sentence_index=sentence_index,
        start=start,
        end=end,
        sentence=sentence,
        value=value,
        date=FuzzyDate.parse_iso(date_iso) if date_iso else None,
        attrs=dict(attrs or {}),
        topics=topics,
        id=fid,
        document_id=document_id,
        as_of=_day(as_of),
        superseded_by=superseded_by,
        source=source,
    )


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _as_utc(moment: datetime) -> datetime:
    """A stored instant as an aware UTC datetime (SQLite hands them back without their zone, in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
