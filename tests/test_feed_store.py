"""Feeds live in the database: the store's contract, the migration, and export/import carrying them."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.export_file import read_export
from bot.state import upgrade_bot_tables
from bot.transfer import export_to, import_records
from facts.db import FACTS_VERSION_TABLE, make_engine, upgrade
from facts.feeds.store import FeedExists, FeedStore
from facts.models import NewDocument
from facts.store import FactStore

NOW = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)


def test_feeds_are_added_found_due_and_removed(store: FactStore) -> None:
    feeds = FeedStore(store.engine)
    first = feeds.add("https://a.example/feed", ("tariffs",), 15, NOW, "slack/C1")
    second = feeds.add("https://b.example/rss", (), 30, NOW + timedelta(minutes=5))
    with pytest.raises(FeedExists):
        feeds.add("https://a.example/feed", (), 15, NOW)
    assert [f.url for f in feeds.all()] == ["https://a.example/feed", "https://b.example/rss"]
    assert feeds.find(str(second.id)) == second and feeds.find("https://a.example/feed") == first
    assert first.topics == ("tariffs",) and first.added_by == "slack/C1" and first.next_poll_at == NOW
    assert [f.id for f in feeds.due(NOW)] == [first.id]
    assert [f.id for f in feeds.due(NOW + timedelta(minutes=5))] == [first.id, second.id]

    feeds.polled(first.id, NOW, NOW + timedelta(minutes=15), title="A", etag='"e"', taken=3)
    feeds.failed(second.id, NOW, "b.example: timed out", NOW + timedelta(minutes=60))
    ok, bad = feeds.get(first.id), feeds.get(second.id)
    assert ok is not None and (ok.title, ok.etag, ok.entries_taken, ok.failures) == ("A", '"e"', 3, 0)
    assert bad is not None and (bad.last_error, bad.failures, bad.last_error_at) == (
        "b.example: timed out",
        1,
        NOW,
    )

    feeds.took(first.id, "g1", "https://a.example/1", "s1", None, NOW)
    feeds.took(first.id, "g1", "https://a.example/1", "s2", None, NOW)
    assert feeds.seen(first.id, ["g1", "g2"])["g1"].stamp == "s2" and feeds.entry_count(first.id) == 1
    assert feeds.remove(first.id) and not feeds.remove(first.id)
    assert feeds.find("https://a.example/feed") is None and feeds.entry_count() == 0


def test_migration_f0005_adds_the_feed_tables_to_a_store_at_f0004(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "facts", FACTS_VERSION_TABLE, target="f0004")
    assert "feeds" not in inspect(engine).get_table_names()
    upgrade(engine, "facts", FACTS_VERSION_TABLE)
    assert {"feeds", "feed_entries"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def filled_source(tmp_path: Path) -> FactStore:
    source = FactStore.open(f"sqlite:///{tmp_path / 'source.db'}")
    upgrade_bot_tables(source.engine)
    stored = source.ingest(
        NewDocument("Steel", date(2025, 9, 15), "Steel tariffs rose.", "https://a.example/1"), []
    )
    feeds = FeedStore(source.engine)
    feed = feeds.add("https://a.example/feed", ("tariffs",), 20, NOW, "discord/1")
    feeds.polled(
        feed.id, NOW, NOW + timedelta(minutes=20), title="A wire", etag='"x"', last_modified="Mon", taken=1
    )
    feeds.took(feed.id, "g1", "https://a.example/1", "stamp", stored.document_id, NOW)
    return source


def test_export_and_import_carry_feeds_and_their_entries(tmp_path: Path, database_url: str) -> None:
    source = filled_source(tmp_path)
    out = io.BytesIO()
    counts = export_to(source.engine, out)
    assert counts["feeds"] == 1 and counts["feed_entries"] == 1
    target = FactStore.open(database_url)
    upgrade_bot_tables(target.engine)
    try:
        import_records(target.engine, read_export(io.BytesIO(out.getvalue())))
        assert FeedStore(target.engine).all() == FeedStore(source.engine).all()
        [feed] = FeedStore(target.engine).all()
        assert FeedStore(target.engine).seen(feed.id, ["g1"])["g1"].document_id == 1
        # New feeds still go in after the imported ids.
        assert FeedStore(target.engine).add("https://c.example/f", (), 15, NOW).id > feed.id
    finally:
        target.close()
        source.close()


def test_an_export_without_feeds_still_imports(tmp_path: Path, database_url: str) -> None:
    source = filled_source(tmp_path)
    out = io.BytesIO()
    export_to(source.engine, out)
    source.close()
    # An export written before feeds existed: no feeds sections, and an end line that does not count them.
    lines = out.getvalue().decode("utf-8").splitlines()
    kept, skipping = [], False
    for line in lines:
        if line.startswith('{"table"'):
            skipping = '"feeds"' in line or '"feed_entries"' in line
        elif line.startswith('{"end"'):
            skipping = False
            end = json.loads(line)
            del end["end"]["feeds"], end["end"]["feed_entries"]
            line = json.dumps(end)
        if not skipping:
            kept.append(line)
    old = "\n".join(kept).encode("utf-8")
    assert b"feed_entries" not in old
    target = FactStore.open(database_url)
    upgrade_bot_tables(target.engine)
    try:
        counts = import_records(target.engine, read_export(io.BytesIO(old)))
        assert counts["documents"] == 1 and counts.get("feeds", 0) == 0
        assert FeedStore(target.engine).all() == []
    finally:
        target.close()
