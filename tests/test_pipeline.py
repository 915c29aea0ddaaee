"""Bulk ingest: worker processes extract, the store writes in batches, and the result is as one by one."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

import pytest

from facts import pipeline
from facts.ingest import IngestError, Overrides, ingest_document, read_document
from facts.models import ExtractedFact, IngestResult, Kind, NewDocument
from facts.pipeline import POOL_FROM, IngestStats, default_workers, ingest_all
from facts.store import FactStore, Prepared, prepare

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


# Two workers race each other; the writer must still store the articles in the order given.
@pytest.mark.parametrize("workers", [1, 2])
def test_workers_give_the_same_store_as_one_by_one(
    folder: list[Path], database_url: str, tmp_path: Path, workers: int
) -> None:
    assert len(folder) >= POOL_FROM  # so the worker pool really runs
    store = FactStore.open(database_url)
    stats = IngestStats()
    outcomes = list(ingest_all(store, folder, Overrides(), TODAY, workers=workers, stats=stats))
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
    original = FactStore._ingest_batch

    def failing(self, conn, items, now):  # type: ignore[no-untyped-def]
        if any(item.document.title == refused for item in items):
            raise RuntimeError("disk full\nsecond line")
        return original(self, conn, items, now)

    monkeypatch.setattr(FactStore, "_ingest_batch", failing)
    outcomes = list(ingest_all(store, folder[:4], Overrides(), TODAY, workers=0))
    assert [o.result is None for o in outcomes] == [False, False, True, False]
    assert outcomes[2].error == f"{outcomes[2].name}: could not store (disk full)"
    assert refused not in {d.title for d in store.documents()}
    assert len(store.documents()) == 3


@pytest.mark.parametrize(("cores", "workers"), [(None, 0), (1, 0), (2, 2), (8, 8)])
def test_one_extraction_worker_per_core_none_on_one_core(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, workers: int
) -> None:
    # The writer mostly waits for articles: a core kept for it alone stood half idle.
    monkeypatch.setattr("facts.pipeline.os.cpu_count", lambda: cores)
    assert default_workers() == workers


class _PoolBrokenAfter(ThreadPoolExecutor):
    """A pool whose submits fail once `answered` jobs went in, as when a worker dies while another's
    answer is on its way back (the pool then refuses new jobs rather than the pending ones)."""

    def __init__(self, answered: int) -> None:
        super().__init__(1)
        self.left = answered

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.left == 0:
            raise BrokenProcessPool("A child process terminated abruptly")
        self.left -= 1
        return super().submit(fn, *args, **kwargs)


def test_a_pool_that_breaks_between_answers_stops_with_one_line(
    folder: list[Path], store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "bound_pool", lambda _workers: _PoolBrokenAfter(7))
    outcomes = []
    with pytest.raises(IngestError) as raised:
        for outcome in ingest_all(store, folder, Overrides(), TODAY, workers=1):
            outcomes.append(outcome)
    # The first job the pool refused is named; the answers before it were waiting for their batch, and
    # what the command listed (nothing here) is what is stored.
    assert str(raised.value).startswith(f"{folder[7]}: a worker process ended before reading it")
    assert "\n" not in str(raised.value)
    assert outcomes == [] and store.documents() == []


def _rate_document(body: str, published: date, value: str) -> Prepared:
    """A one-sentence article whose one rate fact is on the subject every such article shares."""
    sentence = f"Duties on widgets stand at {value}."
    fact = ExtractedFact(
        kind=Kind.RATE,
        subject="ruritania|widgets",
        text=f"Duties on widgets: {value}",
        sentence_index=0,
        start=0,
        end=len(sentence),
        sentence=sentence,
        value=value,
        attrs={"percent": float(value.rstrip("%"))},
        topics=("tariffs",),
    )
    document = NewDocument(title=body, published=published, body=f"{sentence} {body}", url="")
    return prepare(document, [fact])


def _outcome(result: IngestResult | Exception) -> tuple[object, ...]:
    assert isinstance(result, IngestResult)
    return (
        result.document_id,
        result.duplicate,
        [(f.id, f.superseded_by) for f in result.added],
        [(old.id, new.id) for old, new in result.superseded],
    )


def test_one_batch_stores_and_reports_as_one_by_one(database_url: str, tmp_path: Path) -> None:
    # Later articles in a batch supersede earlier ones, an older one comes late, one comes twice.
    items = [
        _rate_document("first", date(2025, 9, 1), "30%"),
        _rate_document("second", date(2025, 9, 15), "35%"),
        _rate_document("first", date(2025, 9, 1), "30%"),
        _rate_document("older", date(2025, 8, 1), "25%"),
        _rate_document("third", date(2025, 10, 1), "40%"),
    ]
    batched = FactStore.open(database_url)
    alone = FactStore.open(f"sqlite:///{tmp_path / 'alone.db'}")
    try:
        together = [_outcome(r) for r in batched.ingest_many(items)]
        apart = [_outcome(r) for item in items for r in alone.ingest_many([item])]
        assert together == apart
        assert [duplicate for _, duplicate, _, _ in together] == [False, False, True, False, False]
        assert [len(superseded) for *_, superseded in together] == [0, 1, 0, 0, 1]
        assert listing(batched) == listing(alone)
    finally:
        batched.close()
        alone.close()
