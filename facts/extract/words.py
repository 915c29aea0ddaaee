"""Cheap exact pre-checks: whole ASCII words a case-insensitive pattern needs, found without `re.I`."""

from __future__ import annotations

import re
from functools import lru_cache

from facts.caseless import caseless, lower

__all__ = ["ascii_words", "caseless", "first_words", "has_word", "lowered"]

_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=64)
def ascii_words(text: str) -> frozenset[str] | None:
    """The runs of ASCII letters and digits in text.lower(), or None when lower-casing is not safe."""
    low = lowered(text)
    return None if low is None else frozenset(_ASCII_WORD.findall(low))


def has_word(text: str, words: frozenset[str]) -> bool:
    """Whether one of `words` (lower-case ASCII letters and digits) may stand alone in `text`.

    Never False when `(?<!\\w)(?:w1|w2|…)(?!\\w)` with `re.I` finds a match, so a pattern whose every
    match holds one of the words that way can be skipped when this is False.
    """
    found = ascii_words(text)
    return found is None or not words.isdisjoint(found)


_FIRST_WORD = re.compile(r"(?P<w>[a-z]+)(?:$| |-|\\\.)")


def first_words(alternatives: str) -> frozenset[str]:
    """The first word of each alternative of a `|`-joined pattern of words ('lt\\. gov\\.' -> 'lt').

    Each alternative must be a lower-case word ended by its end, a space, a dash or an escaped dot,
    so that the word stands alone wherever the alternative matches.
    """
    out = set()
    for alternative in alternatives.split("|"):
        word = _FIRST_WORD.match(alternative)
        if word is None:
            raise ValueError(f"{alternative!r} does not start with a whole lower-case word")
        out.add(word.group("w"))
    return frozenset(out)


@lru_cache(maxsize=64)
def lowered(text: str) -> str | None:
    """`facts.caseless.lower` of a sentence, cached: every extractor reads the same few sentences."""
    return lower(text)
