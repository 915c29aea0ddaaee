"""Building benchmark stores: ingest generated articles, timing extraction and database writes apart."""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from benchmarks.generator import DEFAULT_SEED, articles
from facts.extract import extract
from facts.ingest import Overrides, parse_document, with_topics
from facts.models import ExtractedFact, NewDocument
from facts.store import FactStore
from facts.topics import load_taxonomy

_TODAY = date(2026, 1, 1)


@dataclass
class IngestTiming:
    """Seconds spent extracting and writing a run of articles."""

    articles: int = 0
    facts: int = 0
    extract_s: float = 0.0
    write_s: float = 0.0

    def extract_rate(self) -> float:
        """Articles per second, extraction (parse, extract, topics) alone."""
        return self.articles / self.extract_s if self.extract_s else 0.0

    def write_rate(self) -> float:
        """Articles per second, database writes alone."""
        return self.articles / self.write_s if self.write_s else 0.0

    def total_rate(self) -> float:
        """Articles per second, extraction plus database writes (what `briefbot ingest` does)."""
        spent = self.extract_s + self.write_s
        return self.articles / spent if spent else 0.0


def extracted_articles(
    start: int, stop: int, seed: int = DEFAULT_SEED
) -> Iterator[tuple[NewDocument, list[ExtractedFact], float]]:
    """(document, facts with topics, seconds spent) for generated articles start..stop-1."""
    taxonomy = load_taxonomy()
    for item in articles(stop - start, seed, start):
        raw = item.markdown().encode("utf-8")
        began = time.perf_counter()
        document = parse_document(raw, f"{item.slug}.md", Overrides(), _TODAY)
        found = with_topics(extract(document.body, document.published, document.title), taxonomy)
        yield document, found, time.perf_counter() - began


def grow(
    store: FactStore, start: int, stop: int, seed: int = DEFAULT_SEED, cache: BinaryIO | None = None
) -> IngestTiming:
    """Ingest articles start..stop-1 into a store; optionally pickle each extraction to `cache`."""
    timing = IngestTiming()
    for document, found, spent in extracted_articles(start, stop, seed):
        timing.extract_s += spent
        began = time.perf_counter()
        store.ingest(document, found)
        timing.write_s += time.perf_counter() - began
        timing.articles += 1
        timing.facts += len(found)
        if cache is not None:
            pickle.dump((document, found), cache, protocol=pickle.HIGHEST_PROTOCOL)
    return timing


def cached(path: Path) -> Iterator[tuple[NewDocument, list[ExtractedFact]]]:
    """The (document, facts) pairs `grow` pickled, in order."""
    with path.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def load_cached(store: FactStore, path: Path, limit: int) -> IngestTiming:
    """Write up to `limit` cached extractions into a store, timing the writes only."""
    timing = IngestTiming()
    for document, found in cached(path):
        if timing.articles >= limit:
            break
        began = time.perf_counter()
        store.ingest(document, found)
        timing.write_s += time.perf_counter() - began
        timing.articles += 1
        timing.facts += len(found)
    return timing
