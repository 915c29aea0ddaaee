"""The migration heads the start-up shortcut trusts are Alembic's real heads, and upgrades are idempotent."""

from __future__ import annotations

import zlib
from collections import Counter
from importlib import resources
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, insert, inspect, select

from bot.state import BOT_HEAD, BOT_VERSION_TABLE, upgrade_bot_tables
from facts.db import FACTS_HEAD, FACTS_VERSION_TABLE, at_revision, make_engine, upgrade
from facts.qa import answer
from facts.schema import document_analyses, documents, fact_topics, facts, sentence_terms, term_counts
from facts.store import FactStore
from tests.qa_eval import DEV, articles_for, load_questions, load_store


def alembic_head(package: str) -> str:
    script = ScriptDirectory(
        str(resources.files("facts").joinpath("migrations")),
        version_locations=[str(resources.files(package).joinpath("migrations", "versions"))],
    )
    [head] = script.get_heads()
    return head


def test_recorded_heads_are_alembic_heads() -> None:
    assert alembic_head("facts") == FACTS_HEAD
    assert alembic_head("bot") == BOT_HEAD


def test_fresh_database_is_migrated_and_second_open_is_a_no_op(database_url: str) -> None:
    store = FactStore.open(database_url)
    try:
        assert not at_revision(store.engine, BOT_VERSION_TABLE, BOT_HEAD)
        upgrade_bot_tables(store.engine)
        assert at_revision(store.engine, FACTS_VERSION_TABLE, FACTS_HEAD)
        assert at_revision(store.engine, BOT_VERSION_TABLE, BOT_HEAD)
        tables = set(inspect(store.engine).get_table_names())
        assert {"documents", "facts", "sentence_terms", "term_counts", "channels", "deliveries"} <= tables
        upgrade_bot_tables(store.engine)
        FactStore.open(database_url).close()
    finally:
        store.close()


def _store_at_f0005_like(reference: FactStore, url: str) -> None:
    """A store at f0005 holding the reference store's rows as f0005 wrote them (every sentence in full)."""
    engine = make_engine(url)
    upgrade(engine, "facts", FACTS_VERSION_TABLE, target="f0005")
    with reference.engine.connect() as source, engine.begin() as target:
        for table in (documents, document_analyses, facts, fact_topics, sentence_terms, term_counts):
            rows = [dict(row._mapping) for row in source.execute(select(table))]
            if rows:
                target.execute(insert(table), rows)
        # f0005 kept each sentence on every fact drawn from it and as its statement's text.
        target.exec_driver_sql("UPDATE facts SET text = sentence WHERE kind = 'statement' AND text = ''")
        target.exec_driver_sql(
            "UPDATE facts SET sentence = (SELECT s.sentence FROM facts s WHERE s.document_id = facts.document_id "
            "AND s.sentence_index = facts.sentence_index AND s.kind = 'statement') "
            "WHERE kind <> 'statement' AND sentence = ''"
        )
        if engine.dialect.name == "sqlite":
            # Before f0008 SQLite kept articles and analyses as plain text.
            for table, key, column in (
                ("documents", "id", "body"),
                ("document_analyses", "document_id", "data"),
            ):
                rows = target.exec_driver_sql(f"SELECT {key}, {column} FROM {table}").all()
                plain = [(zlib.decompress(value).decode(), row_id) for row_id, value in rows]
                target.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", plain)
    engine.dispose()


def _packed_counts(conn: Connection) -> tuple[int, int]:
    """SQLite's count of bodies and analyses held deflated, and of those held otherwise."""
    kinds = conn.exec_driver_sql(
        "SELECT typeof(body) FROM documents UNION ALL SELECT typeof(data) FROM document_analyses"
    ).scalars()
    counted = Counter(kinds)
    return counted["blob"], sum(counted.values()) - counted["blob"]


def test_a_store_at_f0005_with_facts_upgrades_and_answers_as_a_new_one(
    database_url: str, tmp_path: Path
) -> None:
    questions, corpus = load_questions(DEV)
    reference = load_store(FactStore.open(f"sqlite:///{tmp_path / 'new.db'}"), articles_for(DEV, corpus))
    _store_at_f0005_like(reference, database_url)
    sqlite = database_url.startswith("sqlite")
    with make_engine(database_url).connect() as conn:
        assert (
            conn.exec_driver_sql("SELECT count(*) FROM facts WHERE text = '' OR sentence = ''").scalar() == 0
        )
        if sqlite:
            assert _packed_counts(conn)[0] == 0
    upgraded = FactStore.open(database_url)
    try:
        with upgraded.engine.connect() as conn:
            stored_once = conn.exec_driver_sql(
                "SELECT count(*) FROM facts WHERE (kind = 'statement' AND text <> '') "
                "OR (kind <> 'statement' AND sentence <> '')"
            ).scalar()
            indexes = {i["name"] for i in inspect(conn).get_indexes("sentence_terms")}
            if sqlite:
                deflated, plain = _packed_counts(conn)
                assert deflated > 0 and plain == 0
        # Each sentence's text once; no index but the full-text one (GIN on PostgreSQL).
        assert stored_once == 0 and indexes <= {"ix_sentence_terms_tsv"}
        assert upgraded.rebuild_search_index() == reference.sentence_count()
        assert upgraded.get(range(1, 400)) == reference.get(range(1, 400))
        for question in questions:
            before = answer(reference, question.q, question.now)
            after = answer(upgraded, question.q, question.now)
            assert (after.answered, after.text) == (before.answered, before.text), question.id
    finally:
        upgraded.close()
        reference.close()


def test_compact_gives_freed_pages_back_to_the_disk(tmp_path: Path) -> None:
    questions, corpus = load_questions(DEV)
    path = tmp_path / "store.db"
    store = load_store(FactStore.open(f"sqlite:///{path}"), articles_for(DEV, corpus))
    try:
        for document in store.documents():
            store.delete_document(document.id)
        assert store.compact() > 0
        assert store.compact() == 0  # no free page is left in the file
    finally:
        store.close()
