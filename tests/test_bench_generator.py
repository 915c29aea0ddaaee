"""The benchmark article generator is deterministic and its articles ingest into realistic facts."""

from __future__ import annotations

from collections import Counter
from datetime import date

from benchmarks.generator import article, articles
from facts.ingest import Overrides, ingest_document, parse_document
from facts.models import Kind
from facts.store import FactStore


def test_same_seed_gives_same_articles() -> None:
    first = [a.markdown() for a in articles(15, seed=7)]
    again = [a.markdown() for a in articles(15, seed=7)]
    other = [a.markdown() for a in articles(15, seed=8)]
    assert first == again
    assert first != other


def test_smaller_stores_are_prefixes_of_larger_ones() -> None:
    assert article(42, seed=7).markdown() == list(articles(50, seed=7))[42].markdown()


def test_articles_look_like_news_pieces() -> None:
    batch = list(articles(30, seed=7))
    assert all(a.markdown().startswith('---\ntitle: "') for a in batch)
    assert all(280 <= a.words() <= 700 for a in batch)
    assert len({a.title for a in batch}) > 20
    assert all(a.probes for a in batch)


def test_articles_ingest_and_yield_rates_deadlines_and_people(tmp_path) -> None:
    store = FactStore.open(f"sqlite:///{tmp_path / 'bench.db'}")
    try:
        for item in articles(12, seed=7):
            document = parse_document(
                item.markdown().encode(), f"{item.slug}.md", Overrides(), date(2026, 1, 1)
            )
            ingest_document(store, document)
        kinds = Counter(f.kind for f in store.facts(include_superseded=True))
    finally:
        store.close()
    assert kinds[Kind.RATE] >= 10
    assert kinds[Kind.DEADLINE] >= 5
    assert kinds[Kind.PERSON] >= 12
    assert kinds[Kind.QUOTE] >= 6
