"""PostgreSQL specifics: the test server itself, both migration sets, and types that differ from SQLite."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pg import PostgresServer
from sqlalchemy import inspect, select, text

from bot.state import BOT_VERSION_TABLE, channels, deliveries, upgrade_bot_tables
from facts.db import FACTS_VERSION_TABLE, upgrade_facts
from facts.models import ExtractedFact, Kind, NewDocument
from facts.store import FactStore


def test_server_is_a_real_postgresql(pg_server: PostgresServer, pg_url: str) -> None:
    store = FactStore.open(pg_url)
    try:
        with store.engine.connect() as conn:
            version = conn.execute(text("show server_version")).scalar_one()
            fsync = conn.execute(text("show fsync")).scalar_one()
        assert store.engine.dialect.name == "postgresql"
        assert int(version.split(".")[0]) >= 13
        assert fsync == "off"
    finally:
        store.close()


def test_both_migration_sets_apply_twice(pg_url: str) -> None:
    store = FactStore.open(pg_url)
    try:
        upgrade_bot_tables(store.engine)
        upgrade_facts(store.engine)  # a second run changes nothing
        upgrade_bot_tables(store.engine)
        tables = set(inspect(store.engine).get_table_names())
        assert {
            "documents",
            "facts",
            "fact_topics",
            "sentence_terms",
            "term_counts",
            "channels",
            "deliveries",
        } <= tables
        assert {FACTS_VERSION_TABLE, BOT_VERSION_TABLE} <= tables
    finally:
        store.close()


def test_json_booleans_and_timestamps_round_trip(pg_url: str) -> None:
    store = FactStore.open(pg_url)
    upgrade_bot_tables(store.engine)
    moment = datetime(2025, 9, 15, 7, 0, tzinfo=UTC)
    try:
        with store.engine.begin() as conn:
            channel_id = conn.execute(
                channels.insert().values(
                    platform="slack",
                    channel_key="T1:C1",
                    post_time="09:00",
                    timezone="Europe/Berlin",
                    active=True,
                    created_at=moment,
                )
            ).inserted_primary_key[0]
            conn.execute(
                deliveries.insert().values(
                    key="k1",
                    channel_id=channel_id,
                    kind="daily",
                    subject="all",
                    occurrence="2025-09-15",
                    due_at=moment,
                    status="claimed",
                    attempts=1,
                    payload={"lines": ["ünïcode ✓", 1, None], "nested": {"ok": True}},
                )
            )
        with store.engine.connect() as conn:
            row = conn.execute(select(channels.c.active, channels.c.created_at)).one()
            payload = conn.execute(select(deliveries.c.payload)).scalar_one()
        assert row.active is True
        assert row.created_at == moment
        assert payload == {"lines": ["ünïcode ✓", 1, None], "nested": {"ok": True}}
    finally:
        store.close()


def test_bulk_insert_returns_ids_in_order(pg_url: str) -> None:
    store = FactStore.open(pg_url)
    extracted = [
        ExtractedFact(
            kind=Kind.FIGURE,
            subject=f"figure-{i}",
            text=f"Figure {i}",
            sentence_index=i,
            start=0,
            end=5,
            sentence=f"Sentence {i}.",
            value=str(i),
            attrs={"n": i},
        )
        for i in range(1200)  # more than one insert chunk
    ]
    try:
        result = store.ingest(
            NewDocument(title="Many", published=date(2025, 9, 15), body="many figures"), extracted
        )
        by_id = {f.id: f for f in store.get(f.id for f in result.added)}
        assert len(by_id) == 1200
        for added in result.added:
            assert by_id[added.id].value == added.value == str(added.attrs["n"])
    finally:
        store.close()
