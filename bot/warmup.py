"""Getting a long-running bot process ready to answer: load the Q&A's tables, then settle the heap."""

from __future__ import annotations

import gc
import logging
from datetime import UTC, datetime

from facts.store import FactStore

logger = logging.getLogger(__name__)


def ready_to_answer(store: FactStore) -> None:
    """Answer one question (loading geography, stemmer and parsers), then freeze the objects made so far.

    Python's full collections walk every live object; a bot holds hundreds of thousands that live as
    long as it does (geography tables, compiled statements), and walking them took 60-75 ms in the
    middle of an answer. Frozen, they are skipped, and collections only look at new objects.
    """
    from facts.qa import answer

    try:
        answer(store, "What is the tariff rate?", datetime.now(UTC))
    except Exception:  # a failed warm-up only means the first real question pays for it
        logger.warning("warming up the Q&A failed", exc_info=True)
    gc.collect()
    gc.freeze()
