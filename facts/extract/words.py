"""Cheap exact pre-checks: whole ASCII words a case-insensitive pattern needs, found without `re.I`."""

from __future__ import annotations

import re
from functools import lru_cache

# Characters that match an ASCII letter under `re.I` although str.lower() does not give that letter
# (dotless i, long s, dotted capital I). Every other character lowers to one character of the same
# class (\w, \s, \d) and to an ASCII letter or digit only when `re.I` matches it to that letter or digit.
_UNLOWERED = "ıſİ"
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=64)
def ascii_words(text: str) -> frozenset[str] | None:
    """The runs of ASCII letters and digits in text.lower(), or None when lower-casing is not safe."""
    if not text.isascii() and any(c in text for c in _UNLOWERED):
        return None
    return frozenset(_ASCII_WORD.findall(text.lower()))


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
