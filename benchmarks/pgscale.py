"""`--pg-only`: grow one PostgreSQL store through the sizes; ingest, answers, size and RSS at each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from benchmarks import build, processes
from benchmarks.asking import AskResult, Question, after_last_article, ask_as_the_bot
from benchmarks.build import IngestTiming
from facts.store import FactStore

# Articles are generated and ingested this many at a time, so memory stays bounded at 100,000.
CHUNK = 10_000


@dataclass
class SizeRun:
    """What one size of the PostgreSQL run measured."""

    articles: int
    ingest: IngestTiming
    database_bytes: int
    ask: AskResult
    after: AskResult
    peak_rss_mb: float


@dataclass
class ScaleRun:
    """Every size of one `--pg-only` run, in order."""

    sizes: list[SizeRun] = field(default_factory=list)

    def markdown(self) -> str:
        """The table of every size, then the growth from the first size to the last."""
        head = ["measure", *(f"PostgreSQL {run.articles:,}" for run in self.sizes)]
        rows = [
            ["ingest: articles timed", *(f"{r.ingest.articles:,}" for r in self.sizes)],
            [
                "ingest: extraction + writes (articles/s)",
                *(f"{r.ingest.total_rate():.0f}" for r in self.sizes),
            ],
            [
                "ingest: database writes alone (articles/s)",
                *(f"{r.ingest.write_rate():.0f}" for r in self.sizes),
            ],
            ["database size (MB)", *(f"{r.database_bytes / 1e6:.0f}" for r in self.sizes)],
            ["database bytes per article", *(f"{r.database_bytes / r.articles:,.0f}" for r in self.sizes)],
            ["ask p50 / p99 (ms)", *(f"{r.ask.p50():.1f} / {r.ask.p(99):.1f}" for r in self.sizes)],
            [
                "mix: answered right / answerable",
                *(f"{r.ask.correct}/{r.ask.answerable}" for r in self.sizes),
            ],
            [
                "mix: declined / unanswerable",
                *(f"{r.ask.declined_unanswerable}/{r.ask.unanswerable}" for r in self.sizes),
            ],
            [
                "asked after the last article: right / asked",
                *(f"{r.after.correct}/{r.after.answerable}" for r in self.sizes),
            ],
            [
                "asked after the last article: p50 / p99 (ms)",
                *(f"{r.after.p50():.1f} / {r.after.p(99):.1f}" for r in self.sizes),
            ],
            ["peak RSS, ask mix in a fresh process (MB)", *(f"{r.peak_rss_mb:.0f}" for r in self.sizes)],
        ]
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
        lines.extend("| " + " | ".join(row) + " |" for row in rows)
        if len(self.sizes) > 1:
            first, last = self.sizes[0], self.sizes[-1]
            times = last.articles / first.articles
            lines += [
                "",
                f"Growth {first.articles:,} → {last.articles:,} articles ({times:.0f}x): "
                f"ask p50 {last.ask.p50() / first.ask.p50():.2f}x, "
                f"p99 {last.ask.p(99) / first.ask.p(99):.2f}x; "
                f"ingest rate {last.ingest.total_rate() / max(first.ingest.total_rate(), 1e-9):.2f}x; "
                f"database {last.database_bytes / first.database_bytes:.1f}x; "
                f"peak RSS {last.peak_rss_mb / first.peak_rss_mb:.2f}x.",
            ]
        return "\n".join(lines)


def database_bytes(url: str) -> int:
    """The whole database's size on disk, tables and indexes (`pg_database_size`)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one()
            )
    finally:
        engine.dispose()


def run(
    url: str, sizes: list[int], mix: list[Question], seed: int, rounds: int, log: Callable[[str], None]
) -> ScaleRun:
    """Grow the store at `url` through `sizes` (ascending) and measure each size as the bot would use it."""
    result = ScaleRun()
    done = 0
    for size in sizes:
        timing = IngestTiming()
        store = FactStore.open(url)
        try:
            while done < size:
                stop = min(size, done + CHUNK)
                log(f"ingest {done:,}..{stop:,} into PostgreSQL")
                timing.add(build.grow(store, done, stop, seed))
                done = stop
        finally:
            store.close()
        log(f"ask mix, peak RSS and size at {size:,}")
        result.sizes.append(
            SizeRun(
                articles=size,
                ingest=timing,
                database_bytes=database_bytes(url),
                ask=ask_as_the_bot(url, mix, rounds),
                after=ask_as_the_bot(url, after_last_article(size, seed), 1),
                peak_rss_mb=processes.peak_rss_mb(url),
            )
        )
    return result
