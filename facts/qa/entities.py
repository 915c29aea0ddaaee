"""Countries and names in free text, normalised with the extractor's geo aliases."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from facts.geo import countries_in
from facts.text import index_terms

logger = logging.getLogger(__name__)


@lru_cache(maxsize=256)
def country_words(country: str) -> frozenset[str]:
    """Index stems of the names, capitals, aliases and demonyms of a canonical country (for retrieval)."""
    from facts.geo import countries  # the extractor's alias table, read-only

    # Single words only: "white house" must not make every "house" a mention of the United States.
    surfaces = [k for k, v in countries().items() if v == country and " " not in k] + [country]
    stems: set[str] = set()
    for surface in surfaces:
        stems |= index_terms(surface)
    return frozenset(stems)


def country_stems_in(text: str) -> set[str]:
    """Stems of words in a text that are part of a country mention (not content words of their own)."""
    stems: set[str] = set()
    from facts.geo import countries  # the shared alias table, read-only

    low = text.lower()
    for country in countries_in(text, lowercase=True):
        stems |= country_words(country)
        # "Buenos Aires" and "South Korea" are one mention: none of their words is a content word.
        for alias, canonical in countries().items():
            if canonical == country and " " in alias and re.search(rf"\b{re.escape(alias)}\b", low):
                stems |= index_terms(alias)
    return stems
