"""Shared word handling: the terms under which facts are indexed and questions are looked up."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_STEMMER = snowballstemmer.stemmer("english")

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just let me more most my myself no nor not now of off on once only or other ought our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves also s t
    don shall may might must one ones
    """.split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word."""
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Lower-case words of a text, possessive endings removed."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        out.append(word)
    return out


def index_terms(text: str) -> set[str]:
    """The stemmed content terms of a text, as stored in the fact index and looked up for questions."""
    return {stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1 or w.isdigit()}
