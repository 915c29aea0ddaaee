"""Ingesting many articles: read and extracted in worker processes while the store writes them in batches.

Extraction is pure CPU work and the store has one writer, so with two or more cores the two overlap:
`briefbot ingest` on a folder runs about as fast as the slower of the two, not their sum.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from facts.ingest import IngestError, Overrides, parse_document, read_document, read_facts
from facts.models import IngestResult, NewDocument
from facts.refusals import StoreRefusesWrites, refusal_reason
from facts.store import FactStore, Prepared, prepare
from facts.topics import load_taxonomy
from facts.workers import bound_pool

logger = logging.getLogger(__name__)

# Documents per write transaction: large enough to share index pages, small enough to see progress.
BATCH = 250
# Below this many articles, starting worker processes costs more than it saves.
POOL_FROM = 16
# Articles handed to the workers ahead of the writer.
AHEAD = 2 * BATCH


@dataclass(frozen=True)
class WebPage:
    """A web page to fetch and ingest, with the addresses it may reach although internal (an allow-list)."""

    url: str
    allow: str | None = None


# An article to ingest: a file, (name, bytes) already in memory, a document already read, or a web page.
Source = Path | tuple[str, bytes] | NewDocument | WebPage


@dataclass(frozen=True)
class Outcome:
    """What happened to one article: stored (or found already stored), or rejected with a one-line error."""

    name: str
    document: NewDocument | None
    result: IngestResult | None
    error: str = ""


@dataclass
class IngestStats:
    """Where the time went: extraction in the workers (summed) and writes in this process."""

    articles: int = 0
    extract_s: float = 0.0
    write_s: float = 0.0
    wall_s: float = 0.0


@dataclass(frozen=True)
class _Job:
    """What a worker needs to prepare one article (picklable)."""

    source: Source
    overrides: Overrides
    today: date
    topics_file: str | None = None


@dataclass
class _Prepared:
    """A worker's answer: the prepared article or its error, and the seconds it took."""

    name: str
    prepared: Prepared | None
    error: str = ""
    seconds: float = 0.0


def _prepare(job: _Job) -> _Prepared:
    """Read, extract and prepare one article; errors come back as one line, never as an exception."""
    began = time.perf_counter()
    name = _name(job)
    try:
        if isinstance(job.source, Path):
            document = read_document(job.source, job.overrides, job.today)
        elif isinstance(job.source, NewDocument):
            document = job.source
        elif isinstance(job.source, WebPage):
            document = read_web_page(job.source, job.today)
        else:
            document = parse_document(job.source[1], name, job.overrides, job.today)
        prepared = prepare(document, read_facts(document, taxonomy=load_taxonomy(job.topics_file)))
    except IngestError as error:
        return _Prepared(name, None, str(error), time.perf_counter() - began)
    except Exception as error:  # the analysis met arbitrary text too: reject this one article
        logger.exception("preparing %s failed", name)
        return _Prepared(name, None, f"{name}: could not read facts ({error})", time.perf_counter() - began)
    return _Prepared(name, prepared, "", time.perf_counter() - began)


def read_web_page(page: WebPage, today: date) -> NewDocument:
    """Fetch a page and read its article; a failed fetch is an IngestError (one line, naming the URL)."""
    # Loaded here: httpx and trafilatura cost a file-only ingest nothing.
    from facts.web.fetch import FetchError, fetch
    from facts.web.page import page_document

    try:
        return page_document(fetch(page.url, allow=page.allow), today=today)
    except FetchError as error:
        raise IngestError(str(error)) from None


def default_workers() -> int:
    """Worker processes for extraction: one per core on two or more cores (none on one core).

    Not one core fewer for the writer: it waits for a batch of articles about half the time and spends
    most of the rest in SQLite, so a core left to it alone stood half idle (2 cores, 5,000 articles: one
    worker 88 articles/s, two 115). The writer stores the articles in the order given either way.
    """
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def ingest_all(
    store: FactStore,
    sources: Iterable[Source],
    overrides: Overrides | None = None,
    today: date | None = None,
    topics_file: str | None = None,
    workers: int | None = None,
    stats: IngestStats | None = None,
) -> Generator[Outcome, None, None]:
    """Ingest articles, yielding each one's outcome in the order given.

    Each article goes in whole or not at all, as with `ingest_document`; a broken one is rejected with a
    one-line error and the others still go in. A store that refuses every write raises StoreRefusesWrites,
    and a worker process that dies (killed, out of memory) raises IngestError; the articles yielded
    before are stored. Workers are spawned and end with this process, so a script calling this with 16
    or more articles needs the usual `if __name__ == "__main__":` guard.
    """
    began = time.perf_counter()
    stats = stats if stats is not None else IngestStats()
    jobs = [_Job(s, overrides or Overrides(), today or date.today(), topics_file) for s in sources]
    workers = default_workers() if workers is None else workers
    pool: Executor | None = None
    if workers and len(jobs) >= POOL_FROM:
        pool = bound_pool(workers)
    try:
        prepared = _in_order(pool, jobs) if pool else map(_prepare, jobs)
        pending: list[_Prepared] = []
        for item in prepared:
            stats.extract_s += item.seconds
            pending.append(item)
            if len(pending) >= BATCH:
                yield from _write(store, pending, stats)
                pending = []
        yield from _write(store, pending, stats)
        if len(jobs) >= POOL_FROM:
            store.settle_after_bulk_ingest()
    finally:
        if pool is not None:
            _shut(pool)
        stats.wall_s += time.perf_counter() - began


def _shut(pool: Executor) -> None:
    """Shut the pool down: jobs not started are dropped, the workers finish their current one and end."""
    pool.shutdown(cancel_futures=True)


def _in_order(pool: Executor, jobs: list[_Job]) -> Iterator[_Prepared]:
    """The workers' answers in the jobs' order, with at most `AHEAD` jobs in flight.

    Enough to keep the workers busy while the store writes a batch, few enough that a folder of
    ten thousand articles is never all in memory at once.
    """
    pending: deque[tuple[_Job, Future[_Prepared] | None]] = deque()

    def send(job: _Job) -> None:
        try:
            future: Future[_Prepared] | None = pool.submit(_prepare, job)
        except BrokenProcessPool:
            # A worker died while another's answer was on its way: this job is reported in its turn,
            # after the answers that did come back.
            future = None
        pending.append((job, future))

    queue = iter(jobs)
    for job in islice(queue, AHEAD):
        send(job)
    while pending:
        job, future = pending.popleft()
        try:
            if future is None:
                raise BrokenProcessPool
            done = future.result()
        except BrokenProcessPool:
            raise IngestError(
                f"{_name(job)}: a worker process ended before reading it (killed, or out of memory?);"
                " the articles listed above are stored, the others are not"
            ) from None
        for job in islice(queue, 1):
            send(job)
        yield done


def _name(job: _Job) -> str:
    source = job.source
    if isinstance(source, Path):
        return str(source)
    if isinstance(source, NewDocument):
        return source.path or source.url or source.title
    if isinstance(source, WebPage):
        return source.url
    return source[0]


def _write(store: FactStore, pending: list[_Prepared], stats: IngestStats) -> Iterator[Outcome]:
    """Store a batch of prepared articles; outcomes in order, errors in their places."""
    ready = [p.prepared for p in pending if p.prepared is not None]
    began = time.perf_counter()
    results = iter(store.ingest_many(ready) if ready else [])
    stats.write_s += time.perf_counter() - began
    stats.articles += len(pending)
    for item in pending:
        if item.prepared is None:
            yield Outcome(item.name, None, None, item.error)
            continue
        result = next(results)
        if isinstance(result, Exception):
            refused = refusal_reason(result)
            if refused is not None:
                raise StoreRefusesWrites(refused) from None
            # The first line only: the database error's later lines quote the statement's values,
            # the article's text among them.
            reason = str(result).splitlines()[0] if str(result) else type(result).__name__
            logger.error("storing %s failed: %s", item.name, reason)
            yield Outcome(item.name, item.prepared.document, None, f"{item.name}: could not store ({reason})")
        else:
            yield Outcome(item.name, item.prepared.document, result)
