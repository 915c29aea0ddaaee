"""Bulk ingest: worker processes extract, the store writes in batches, and the result is as one by one."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from facts.ingest import Overrides, ingest_document, read_document
from facts.pipeline import POOL_FROM, IngestStats, ingest_all
from facts.store import FactStore

CORPUS = sorted(Path(__file__).parent.joinpath("corpus").glob("*/*.md"))
TODAY = date(2026, 11, 26)


def listing(store: FactStore) -> list[tuple[str, str, str, str, bool]]:
    """Every fact as (document title, kind, subject, value, current): comparable across stores."""
    by_id = {d.id: d.title for d in store.documents()}
    rows = [
        (by_id[f.document_id], str(f.kind), f.subject, f.value, f.current)
        for f in store.facts(include_superseded=True)
    ]
    return sorted(rows)


@pytest.fixture
def folder(tmp_path: Path) -> list[Path]:
    paths = []
    for n, source in enumerate(CORPUS):
        target = tmp_path / f"{n:02d}-{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    broken = tmp_path / "05-broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    paths.insert(5, broken)
    return paths


def test_workers_give_the_same_store_as_one_by_one(
    folder: list[Path], database_url: str, tmp_path: Path
) -> None:
    assert len(folder) >= POOL_FROM  # so the worker pool really runs
    store = FactStore.open(database_url)
    stats = IngestStats()
    outcomes = list(ingest_all(store, folder, Overrides(), TODAY, workers=1, stats=stats))
    assert [o.name for o in outcomes] == [str(p) for p in folder]
    [broken] = [o for o in outcomes if o.result is None]
    assert broken.name.endswith("05-broken.md")
    assert broken.error.startswith(f"{broken.name}: broken front matter") and "\n" not in broken.error
    assert stats.articles == len(folder) and stats.extract_s > 0 and stats.write_s > 0
    one_by_one = FactStore.open(f"sqlite:///{tmp_path / 'serial.db'}")
    for path in folder:
        if path.name != "05-broken.md":
            ingest_document(one_by_one, read_document(path, Overrides(), TODAY))
    try:
        assert listing(store) == listing(one_by_one)
        assert store.count() == one_by_one.count()
    finally:
        store.close()
        one_by_one.close()


def test_again_changes_nothing_and_reports_duplicates(folder: list[Path], store: FactStore) -> None:
    first = list(ingest_all(store, folder[:4], Overrides(), TODAY, workers=0))
    assert [o.result.duplicate for o in first if o.result] == [False] * 4
    before = store.count()
    again = list(ingest_all(store, folder[:4], Overrides(), TODAY, workers=0))
    assert [o.result.duplicate for o in again if o.result] == [True] * 4
    assert store.count() == before


def test_an_article_the_store_refuses_is_rejected_alone(
    folder: list[Path], store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = read_document(folder[2], Overrides(), TODAY).title
    original = FactStore._insert_facts

    def failing(self, conn, document_id, document, extracted, terms):  # type: ignore[no-untyped-def]
        if document.title == refused:
            raise RuntimeError("disk full\nsecond line")
        return original(self, conn, document_id, document, extracted, terms)

    monkeypatch.setattr(FactStore, "_insert_facts", failing)
    outcomes = list(ingest_all(store, folder[:4], Overrides(), TODAY, workers=0))
    assert [o.result is None for o in outcomes] == [False, False, True, False]
    assert outcomes[2].error == f"{outcomes[2].name}: could not store (disk full)"
    assert refused not in {d.title for d in store.documents()}
    assert len(store.documents()) == 3
