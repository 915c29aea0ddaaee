"""Articles and analyses are deflated in SQLite, plain in PostgreSQL, and read back the same on both."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from facts.analysis import analyse
from facts.models import NewDocument
from facts.packing import pack, unpack
from facts.store import FactStore

BODY = "Ministers agreed a 15% duty on steel – «ça va», they said.\n\n" + "More text follows. " * 200


def test_pack_round_trips_and_plain_text_passes_through() -> None:
    packed = pack(BODY)
    assert isinstance(packed, bytes) and len(packed) < len(BODY.encode()) / 5
    assert unpack(packed) == BODY
    assert unpack(BODY) == BODY  # a value written before packing


def test_store_keeps_body_and_analysis_and_reads_them_back(store: FactStore) -> None:
    result = store.ingest(NewDocument(title="Steel duty", published=date(2025, 3, 1), body=BODY), [])
    [document] = store.documents_with_bodies([result.document_id])
    assert document.body == BODY
    assert store.analyses([result.document_id])[result.document_id].salient["follow"] == 200
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT body FROM documents").scalar_one()
    if store.engine.dialect.name == "sqlite":
        assert isinstance(stored, bytes) and unpack(stored) == BODY
    else:
        assert stored == BODY  # PostgreSQL compresses long values itself


def test_rows_written_before_packing_read_the_same(tmp_path: Path) -> None:
    store = FactStore.open(f"sqlite:///{tmp_path}/store.db")
    try:
        result = store.ingest(NewDocument(title="Steel duty", published=date(2025, 3, 1), body=BODY), [])
        expected = analyse("Steel duty", BODY, {})
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE documents SET body = ?", (BODY,))
            conn.exec_driver_sql(
                "UPDATE document_analyses SET data = ?",
                (unpack(conn.exec_driver_sql("SELECT data FROM document_analyses").scalar_one()),),
            )
        [document] = store.documents_with_bodies([result.document_id])
        assert document.body == BODY
        assert store.analyses([result.document_id])[result.document_id].terms == expected.terms
    finally:
        store.close()
