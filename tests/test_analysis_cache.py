"""Parsed analyses are kept between questions, bounded, and dropped whenever the store changes."""

from __future__ import annotations

from datetime import date

from facts.analysis import analyse
from facts.analysis_cache import AnalysisCache
from facts.models import NewDocument
from facts.store import FactStore

V1 = (10, 2, 2, 0)
V2 = (12, 3, 3, 0)


def test_kept_analyses_come_back_and_a_new_version_empties_the_cache() -> None:
    cache = AnalysisCache()
    one = analyse("Steel", "Duties on steel rose.", {0: "Duties on steel rose."})
    assert cache.take(V1, [1]) == {}
    cache.keep(V1, {1: one})
    assert cache.take(V1, [1, 2]) == {1: one}
    assert cache.take(V2, [1]) == {}  # the store changed
    cache.keep(V1, {1: one})  # read before the change: not kept
    assert cache.take(V2, [1]) == {}


def test_the_least_recently_used_go_past_the_limit() -> None:
    cache = AnalysisCache(limit=2)
    parts = {i: analyse(f"T{i}", f"Body {i}.", {}) for i in (1, 2, 3)}
    cache.take(V1, [])
    cache.keep(V1, {1: parts[1], 2: parts[2]})
    cache.take(V1, [1])  # 1 is now the most recently used
    cache.keep(V1, {3: parts[3]})
    assert cache.take(V1, [1, 2, 3]) == {1: parts[1], 3: parts[3]}


def test_the_store_reads_an_analysis_once_until_it_changes(store: FactStore) -> None:
    first = store.ingest(
        NewDocument(title="Steel", published=date(2025, 3, 1), body="Duties on steel rose."), []
    )
    read = store.analyses([first.document_id])[first.document_id]
    assert store.analyses([first.document_id])[first.document_id] is read
    store.ingest(NewDocument(title="Rice", published=date(2025, 3, 2), body="Rice quotas were cut."), [])
    again = store.analyses([first.document_id])[first.document_id]
    assert again is not read and again == read
    store.delete_document(first.document_id)
    assert store.analyses([first.document_id]) == {}
