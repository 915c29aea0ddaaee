"""The retrieval floor: a bm25s top-5 over the same sentences' terms, timed on the same questions.

An answer reads the store, ranks candidates and checks them; bm25s only ranks sentences held in memory.
The ratio of the two on one machine at one time says what an answer costs beyond bare retrieval, however
loaded the machine is.
"""

from __future__ import annotations

import logging
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import select

from benchmarks.asking import Question
from facts.schema import sentence_terms
from facts.store import FactStore
from facts.text import digits_for_words, index_terms

logger = logging.getLogger(__name__)

TOP = 5


@dataclass(frozen=True)
class Anchor:
    """bm25s over a store's sentences: how many, seconds to index, and each query's latency (ms)."""

    sentences: int
    index_s: float
    latencies_ms: list[float]

    def p50(self) -> float:
        """The median query latency in milliseconds."""
        return statistics.median(self.latencies_ms)

    def p99(self) -> float:
        """The 99th percentile query latency (nearest rank) in milliseconds."""
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, min(len(ordered) - 1, round(0.99 * len(ordered) + 0.5) - 1))]


def query_terms(question: str) -> list[str]:
    """A question's search terms, normalised as the sentences' are (stems, numbers as digits)."""
    return sorted(index_terms(question) | index_terms(digits_for_words(question)))


def measure(store: FactStore, mix: list[Question], rounds: int = 3) -> Anchor | None:
    """Index every stored sentence's terms with bm25s and time a top-5 for each question of the mix."""
    try:
        import bm25s
        import numpy
    except ImportError:  # a dev extra: `make bench` installs it
        logger.warning("bm25s is not installed; the retrieval anchor is skipped")
        return None
    with store.engine.connect() as conn:
        corpus = [terms.split() for terms in conn.execute(select(sentence_terms.c.terms)).scalars()]
    began = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    index_s = time.perf_counter() - began
    known = set(retriever.vocab_dict)
    queries = [[t for t in query_terms(q.text) if t in known] for q in mix]
    queries = [q for q in queries if q]
    latencies: list[float] = []
    top = min(TOP, len(corpus))
    for round_no in range(rounds + 1):
        for query in queries:
            began = time.perf_counter()
            # Scores and the top 5 without bm25s's `retrieve`, whose thread pool costs more than the
            # scoring on a loaded machine (85 ms against 0.1 ms measured).
            scores = retriever.get_scores(query)
            best = numpy.argpartition(-scores, top - 1)[:top]
            best[numpy.argsort(-scores[best], kind="stable")]
            if round_no:  # the first round warms up
                latencies.append((time.perf_counter() - began) * 1000)
    return Anchor(len(corpus), index_s, latencies)
