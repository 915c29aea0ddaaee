"""Export and import: JSON Lines both ways, SQLite -> PostgreSQL, a broken row, an export cut short, old exports."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.channels import ensure_channel, find_channel, subscribe, update_settings
from bot.cli import main
from bot.delivery import Entry, Ledger
from bot.export_file import Record, read_export
from bot.messages import Message
from bot.state import upgrade_bot_tables
from bot.transfer import TransferError, export_to, import_records
from facts.models import NewDocument
from facts.store import FactStore

TUNE = Path(__file__).parent / "corpus" / "tune"
# Written by `briefbot export` before it streamed (commit 8499128): one indented JSON document.
OLD_EXPORT = Path(__file__).parent / "fixtures" / "export" / "briefbot-export-v1.json"
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
                "k|briefing|x|2025-10-21",
                general.id,
                "briefing",
                "x",
                "2025-10-21",
                NOW,
                Message(text="ö ✓\u2028on one line"),
            )
        ]
    )
    store.close()


def exported_from_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A filled SQLite store exported by `briefbot export -o`; BRIEFBOT_DATABASE_URL is left pointing at it."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", url)
    fill(url)
    exported = tmp_path / "export.jsonl"
    assert main(["export", "-o", str(exported)]) == 0
    return exported


def parsed_lines(text: str) -> list[Any]:
    """Every line of a JSON Lines export, parsed on its own (each must be one JSON value)."""
    return [json.loads(line) for line in text.splitlines()]


def tables_of(lines: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Rows per table from parsed export lines: a table line's columns name the arrays after it."""
    tables: dict[str, list[dict[str, Any]]] = {}
    columns: list[str] = []
    for item in lines[1:]:
        if isinstance(item, dict) and "table" in item:
            columns = item["columns"]
            rows = tables.setdefault(item["table"], [])
        elif isinstance(item, list):
            rows.append(dict(zip(columns, item, strict=True)))
    return tables


def facts_json(url: str) -> list[dict[str, object]]:
    store = FactStore.open(url)
    try:
        return [f.to_json() for f in store.facts(include_superseded=True)]
    finally:
        store.close()


def store_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of a (migrated) store, read through an export to memory."""
    store = FactStore.open(url)
    upgrade_bot_tables(store.engine)
    out = io.BytesIO()
    try:
        export_to(store.engine, out)
    finally:
        store.close()
    return tables_of(parsed_lines(out.getvalue().decode("utf-8")))


def test_export_is_json_lines_and_sqlite_to_postgresql_keeps_every_row(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = exported_from_sqlite(tmp_path, monkeypatch)
    lines = parsed_lines(exported.read_text(encoding="utf-8"))
    assert lines[0]["format"] == "briefbot-export" and lines[0]["version"] == 2
    before = tables_of(lines)
    assert lines[-1] == {"end": {name: len(rows) for name, rows in before.items()}}
    # One line per row: besides the rows, only the header, a line per table and the end line.
    assert len(lines) == sum(len(rows) for rows in before.values()) + len(before) + 2
    assert len(before["documents"]) == len(list(TUNE.glob("*.md")))
    assert any(row["superseded_by"] for row in before["facts"])
    # SQLite keeps articles and analyses deflated; an export holds them as text and JSON.
    assert all(isinstance(row["body"], str) and row["body"].strip() for row in before["documents"])
    assert all(
        isinstance(row["data"], dict) and row["data"]["sentences"] for row in before["document_analyses"]
    )

    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", pg_url)
    capsys.readouterr()
    assert main(["import", str(exported)]) == 0
    assert "imported into postgresql+psycopg://" in capsys.readouterr().out
    assert main(["export"]) == 0
    after = parsed_lines(capsys.readouterr().out)
    assert tables_of(after) == before  # every row of every table, ids and all
    assert facts_json(pg_url) == facts_json(f"sqlite:///{tmp_path / 'source.db'}")

    store = FactStore.open(pg_url)
    try:
        channel = find_channel(store.engine, "slack", "T1:C1")
        assert channel is not None and channel.post_time == "07:30" and channel.timezone == "Europe/Berlin"
        assert sorted(channel.topics) == ["fishing", "tariffs"]
        # The id sequences moved past the imported rows: new rows still go in.
        result = store.ingest(NewDocument(title="New", published=date(2025, 10, 22), body="brand new"), [])
        assert result.document_id > max(row["id"] for row in before["documents"])
        assert ensure_channel(store.engine, "slack", "T1:C2", NOW).id > channel.id
    finally:
        store.close()


def test_sqlite_to_sqlite_round_trip_does_not_seed_and_refuses_a_store_with_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = exported_from_sqlite(tmp_path, monkeypatch)
    target = f"sqlite:///{tmp_path / 'target.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", target)
    assert main(["import", str(exported)]) == 0  # no bundled article is added first
    assert store_rows(target) == tables_of(parsed_lines(exported.read_text(encoding="utf-8")))
    capsys.readouterr()
    assert main(["import", str(exported)]) == 1
    err = capsys.readouterr().err
    assert "briefbot: import failed: the target store is not empty (" in err


def break_row(exported: Path, table: str, column: str, value: Any) -> int:
    """Set one column of the last row of a table in an export file; returns that row's line number."""
    lines = exported.read_text(encoding="utf-8").splitlines()
    items = parsed_lines("\n".join(lines))
    start = next(i for i, item in enumerate(items) if isinstance(item, dict) and item.get("table") == table)
    columns = items[start]["columns"]
    found = start
    while isinstance(items[found + 1], list):
        found += 1
    assert found > start, f"no {table} row in the export"
    row = json.loads(lines[found])
    row[columns.index(column)] = value
    lines[found] = json.dumps(row)
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return found + 1


@pytest.mark.parametrize(
    ("table", "column", "value", "reason"),
    [
        # Refused by the database (its foreign key), after documents and facts went in.
        ("fact_topics", "fact_id", 999_999, "fact_topics row refused"),
        ("facts", "text", None, "facts row refused"),
        # Refused before the database sees it.
        ("facts", "as_of", "2025-13-01", "facts.as_of: month must be in 1..12"),
        ("documents", "body", 5, "documents.body: 5 is not text"),
    ],
)
def test_a_broken_row_names_its_line_and_nothing_is_imported(
    table: str,
    column: str,
    value: Any,
    reason: str,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    exported = exported_from_sqlite(tmp_path, monkeypatch)
    intact = exported.read_bytes()
    line = break_row(exported, table, column, value)
    before = store_rows(database_url)
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    capsys.readouterr()

    assert main(["import", str(exported)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"briefbot: import failed: line {line}: {reason}")
    assert err.strip().endswith("nothing was imported") and len(err.strip().splitlines()) == 1
    assert store_rows(database_url) == before  # rolled back: still empty

    exported.write_bytes(intact)
    assert main(["import", str(exported)]) == 0  # and the store takes the intact export afterwards


def test_an_export_cut_short_is_refused_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = exported_from_sqlite(tmp_path, monkeypatch)
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", target)
    capsys.readouterr()
    assert main(["import", str(exported)]) == 1
    err = capsys.readouterr().err
    assert f"the export stops at line {len(lines) // 2} without its end line: it was cut short" in err
    assert all(rows == [] for rows in store_rows(target).values())


def test_an_old_one_document_export_still_imports(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = json.loads(OLD_EXPORT.read_text(encoding="utf-8"))
    assert old["version"] == 1 and any(row["superseded_by"] for row in old["tables"]["facts"])
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    assert main(["import", str(OLD_EXPORT)]) == 0
    assert "2 documents" in capsys.readouterr().out
    rows = store_rows(database_url)
    assert {name: rows[name] for name in old["tables"]} == old["tables"]


def streamed(text: str) -> Iterator[Record]:
    """An export's records as import reads them: one at a time."""
    return read_export(io.BytesIO(text.encode("utf-8")))


def records(text: str) -> list[Record]:
    return list(streamed(text))


def test_bad_exports_are_refused_in_one_line(
    store: FactStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade_bot_tables(store.engine)
    header = '{"format": "briefbot-export", "version": 2}\n'
    with pytest.raises(TransferError, match="not a briefbot export"):
        records('{"tables": {}}')
    with pytest.raises(TransferError, match="line 1 is not a briefbot export header"):
        records('{"hello": 1}\n')
    with pytest.raises(TransferError, match="version 9 is not supported"):
        records('{"format": "briefbot-export", "version": 9, "tables": {}}')
    with pytest.raises(TransferError, match="version 9 is not supported"):
        records('{"format": "briefbot-export", "version": 9}\n')
    with pytest.raises(TransferError, match="line 2: a row before any table line"):
        records(header + "[1]\n")
    with pytest.raises(TransferError, match="line 3: 1 values for the 2 columns of documents"):
        records(header + '{"table": "documents", "columns": ["id", "title"]}\n[1]\n')
    with pytest.raises(TransferError, match=r"line 3: the end line counts other rows .*documents 0 of 1"):
        records(header + '{"table": "documents", "columns": ["id"]}\n{"end": {"documents": 1}}\n')
    with pytest.raises(TransferError, match="line 3: not JSON"):
        records(header + '{"table": "documents", "columns": ["id"]}\n[1,\n')
    with pytest.raises(TransferError, match="line 3: the export has a table nope this database lacks"):
        import_records(
            store.engine, streamed(header + '{"table": "nope", "columns": ["a"]}\n[1]\n{"end": {}}\n')
        )
    with pytest.raises(
        TransferError, match="line 3: the export has a column channels.nope this database lacks"
    ):
        import_records(
            store.engine, streamed(header + '{"table": "channels", "columns": ["nope"]}\n[1]\n{"end": {}}\n')
        )
    with pytest.raises(TransferError, match="line 3: documents.id: 'x' is not a whole number"):
        import_records(store.engine, streamed(header + '{"table": "documents", "columns": ["id"]}\n["x"]\n'))

    out = io.BytesIO()
    export_to(store.engine, out)
    assert (
        import_records(store.engine, streamed(out.getvalue().decode()))["documents"] == 0
    )  # empty into empty

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["import", str(broken)]) == 1
    assert "import failed: not a briefbot export: it is not JSON" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.jsonl")]) == 1
    assert "briefbot: cannot read" in capsys.readouterr().err
