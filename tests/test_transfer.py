"""Export and import: SQLite -> PostgreSQL -> export again gives the same data, and the store keeps working."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.channels import ensure_channel, find_channel, subscribe, update_settings
from bot.cli import main
from bot.delivery import Entry, Ledger
from bot.messages import Message
from bot.state import upgrade_bot_tables
from bot.transfer import TransferError, export_data, import_data
from facts.models import NewDocument
from facts.store import FactStore

TUNE = Path(__file__).parent / "corpus" / "tune"
NOW = datetime(2025, 10, 21, 8, 0, tzinfo=UTC)


def fill(url: str) -> None:
    """Articles (with superseded facts), two channels with settings and subscriptions, a ledger row."""
    assert main(["ingest", str(TUNE)]) == 0
    store = FactStore.open(url)
    upgrade_bot_tables(store.engine)
    general = ensure_channel(store.engine, "slack", "T1:C1", NOW)
    subscribe(store.engine, general, ["tariffs", "fishing"], NOW)
    update_settings(store.engine, general, NOW, post_time="07:30", timezone="Europe/Berlin")
    quiet = ensure_channel(store.engine, "discord", "g1:c9", NOW)
    subscribe(store.engine, quiet, ["energy"], NOW)
    Ledger(store.engine).add(
        [
            Entry(
                "k|briefing|x|2025-10-21", general.id, "briefing", "x", "2025-10-21", NOW, Message(text="ö ✓")
            )
        ]
    )
    store.close()


def facts_json(url: str) -> list[dict[str, object]]:
    store = FactStore.open(url)
    try:
        return [f.to_json() for f in store.facts(include_superseded=True)]
    finally:
        store.close()


def test_sqlite_to_postgresql_round_trip(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", sqlite_url)
    fill(sqlite_url)
    exported = tmp_path / "export.json"
    assert main(["export", "-o", str(exported)]) == 0
    before = json.loads(exported.read_text())
    assert len(before["tables"]["documents"]) == len(list(TUNE.glob("*.md")))
    assert any(row["superseded_by"] for row in before["tables"]["facts"])

    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", pg_url)
    capsys.readouterr()
    assert main(["import", str(exported)]) == 0
    assert "imported into postgresql+psycopg://" in capsys.readouterr().out
    assert main(["export"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["tables"] == before["tables"]  # every row of every table, ids and all
    assert facts_json(pg_url) == facts_json(sqlite_url)

    store = FactStore.open(pg_url)
    try:
        channel = find_channel(store.engine, "slack", "T1:C1")
        assert channel is not None and channel.post_time == "07:30" and channel.timezone == "Europe/Berlin"
        assert sorted(channel.topics) == ["fishing", "tariffs"]
        # The id sequences moved past the imported rows: new rows still go in.
        result = store.ingest(NewDocument(title="New", published=date(2025, 10, 22), body="brand new"), [])
        assert result.document_id > max(row["id"] for row in before["tables"]["documents"])
        assert ensure_channel(store.engine, "slack", "T1:C2", NOW).id > channel.id
    finally:
        store.close()


def test_import_does_not_seed_and_refuses_a_store_with_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", source)
    fill(source)
    assert main(["export", "-o", str(tmp_path / "e.json")]) == 0
    target = f"sqlite:///{tmp_path / 'b.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", target)
    assert main(["import", str(tmp_path / "e.json")]) == 0
    assert FactStore.open(target).count() == FactStore.open(source).count()  # no bundled article added
    capsys.readouterr()
    assert main(["import", str(tmp_path / "e.json")]) == 1
    err = capsys.readouterr().err
    assert "briefbot: import failed: the target store is not empty (" in err


def test_bad_exports_are_refused(
    store: FactStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade_bot_tables(store.engine)
    with pytest.raises(TransferError, match="not a briefbot export"):
        import_data(store.engine, {"tables": {}})
    with pytest.raises(TransferError, match="version 9"):
        import_data(store.engine, {"format": "briefbot-export", "version": 9, "tables": {}})
    with pytest.raises(TransferError, match="tables this database does not: nope"):
        import_data(store.engine, {"format": "briefbot-export", "version": 1, "tables": {"nope": []}})
    data = export_data(store.engine)
    assert import_data(store.engine, data)["documents"] == 0  # empty into empty is fine
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["import", str(broken)]) == 1
    assert "cannot read" in capsys.readouterr().err
