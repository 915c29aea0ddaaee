"""Countries and names in free text, normalised with the extractor's geo aliases."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from facts.geo import country_of
from facts.text import index_terms

logger = logging.getLogger(__name__)

# Capitalised runs ("South Korea", "Mexico City"), dotted initialisms ("U.S.") and short upper-case codes.
_CAPITAL_RUN = re.compile(r"U\.S\.A?\.?|U\.K\.?|E\.U\.?|[A-Z][\w’'.]*(?:\s+(?:of\s+)?[A-Z][\w’'.]*)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'.]*")
# Lower-case words that are also country names, capitals or demonyms but mostly mean something else.
_LOWERCASE_AMBIGUOUS = frozenset({"us", "turkey", "chad", "jordan", "georgia", "guinea", "male", "nice"})
# Two-letter codes that are no ordinary English word, so "eu" typed in lower case still names the bloc.
_LOWERCASE_CODES = frozenset({"eu", "uk"})


def _clean(token: str) -> str:
    token = token.replace("’", "'")
    token = token.removesuffix("'s").removesuffix("'")
    return token.rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", token) else token


def countries_in(text: str, lowercase: bool = False) -> set[str]:
    """Canonical countries named in a text by name, capital, alias or demonym ('Beijing' -> 'china').

    With `lowercase`, lower-case words count too (questions are often typed without capitals), except
    the few that are mostly ordinary words ("us", "turkey").
    """
    found: set[str] = set()
    for part in re.split(r"[-–/]", text) if "-" in text or "/" in text or "–" in text else [text]:
        found |= _countries_in_part(part, lowercase)
    return found


def _countries_in_part(text: str, lowercase: bool) -> set[str]:
    found: set[str] = set()
    for m in _CAPITAL_RUN.finditer(text):
        words = [_clean(w) for w in m.group(0).split()]
        found |= _longest_countries(words)
    if lowercase:
        tokens = [_clean(w) for w in _WORD.findall(text)]
        for i, token in enumerate(tokens):
            low = token.lower()
            if low == "us" and i > 0 and tokens[i - 1].lower() == "the":
                found.add("united states")
                continue
            if low in _LOWERCASE_CODES and token.islower():
                found.add(country_of(low.upper()) or low)
                continue
            if not token.islower() or low in _LOWERCASE_AMBIGUOUS or len(low) < 3:
                continue
            two = f"{low} {tokens[i + 1].lower()}" if i + 1 < len(tokens) else ""
            hit = (country_of(two) if two else None) or country_of(low)
            if hit:
                found.add(hit)
    return found


def _longest_countries(words: list[str]) -> set[str]:
    found: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            cand = " ".join(words[i : i + n])
            if n == 1 and cand.lower() in {"us"} and cand != "US":
                continue
            hit = country_of(cand)
            if hit:
                found.add(hit)
                i += n
                break
        else:
            i += 1
    return found


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
