"""Building benchmark stores: generated articles through briefbot's bulk ingest, timing its parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from benchmarks.generator import DEFAULT_SEED, articles
from facts.ingest import Overrides
from facts.pipeline import IngestStats, ingest_all
from facts.store import FactStore

_TODAY = date(2026, 1, 1)


@dataclass
class IngestTiming:
    """Seconds spent ingesting a run of articles, in total and in each part."""

    articles: int = 0
    facts: int = 0
    extract_s: float = 0.0  # summed over the worker processes
    write_s: float = 0.0
    wall_s: float = 0.0

    def add(self, other: IngestTiming) -> None:
        """Count another run of articles into this one."""
        self.articles += other.articles
        self.facts += other.facts
        self.extract_s += other.extract_s
        self.write_s += other.write_s
        self.wall_s += other.wall_s

    def extract_rate(self) -> float:
        """Articles per second per worker, extraction (parse, extract, topics, analysis) alone."""
        return self.articles / self.extract_s if self.extract_s else 0.0

    def write_rate(self) -> float:
        """Articles per second, database writes alone."""
        return self.articles / self.write_s if self.write_s else 0.0

    def total_rate(self) -> float:
        """Articles per second from first read to last commit: what `briefbot ingest` does."""
        return self.articles / self.wall_s if self.wall_s else 0.0


def sources(start: int, stop: int, seed: int = DEFAULT_SEED) -> list[tuple[str, bytes]]:
    """Generated articles start..stop-1 as (file name, Markdown bytes), made before any timing starts."""
    return [
        (f"{item.slug}.md", item.markdown().encode("utf-8")) for item in articles(stop - start, seed, start)
    ]


def grow(store: FactStore, start: int, stop: int, seed: int = DEFAULT_SEED) -> IngestTiming:
    """Ingest generated articles start..stop-1 as `briefbot ingest` would; every one must go in."""
    stats = IngestStats()
    timing = IngestTiming()
    for outcome in ingest_all(store, sources(start, stop, seed), Overrides(), _TODAY, stats=stats):
        if outcome.result is None:
            raise RuntimeError(f"a generated article was rejected: {outcome.error}")
        timing.facts += len(outcome.result.added)
    timing.articles = stats.articles
    timing.extract_s, timing.write_s, timing.wall_s = stats.extract_s, stats.write_s, stats.wall_s
    return timing
