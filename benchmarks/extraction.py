"""Extraction time against article length: one article of 1,000, 5,000 and 20,000 short sentences."""

from __future__ import annotations

import time
from datetime import date

from facts.extract import extract

SENTENCES = (1_000, 5_000, 20_000)


def long_article(sentences: int) -> str:
    """One paragraph of short sentences, each with a rate and a date (the shape that used to be quadratic)."""
    return " ".join(f"Levies on item {i} rose to 5% on May 3." for i in range(sentences))


def extraction_seconds(sizes: tuple[int, ...] = SENTENCES) -> dict[int, float]:
    """Seconds to extract the facts of one article of each size."""
    out = {}
    for size in sizes:
        body = long_article(size)
        began = time.perf_counter()
        extract(body, date(2025, 4, 1), "t")
        out[size] = time.perf_counter() - began
    return out
