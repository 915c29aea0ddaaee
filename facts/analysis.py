"""What the Q&A reads of each article besides its facts, worked out once when the article is stored.

Tokenising candidate articles and sentences for every question was most of the time an answer took
(about half of it at 10,000 articles), so the store keeps this per document and questions only look it up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from facts.geo import countries_in
from facts.text import (
    STOP_WORDS,
    digits_for_words,
    fold,
    index_terms,
    phrasal_terms,
    stem,
    terms_of_words,
    words,
)

# Bump when what `analyse` computes changes: stored analyses of another version are worked out again.
VERSION = 3
# A name mentioned this often in an article is what it is about ("the company" in a sentence means it).
SALIENT = 3

_EXPANSION = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+|for\s+|on\s+|the\s+)*[A-Z][a-z]+){1,5}")
_LINKS = frozenset({"of", "and", "for", "on", "the"})
_OTHER = re.compile(r"\bother\b", re.I)


def passage_terms(text: str) -> set[str]:
    """Index terms of a text, its accent-free spellings and the one-word meanings of its phrasal verbs.

    Numbers written in words count as their digits ("twenty per cent" is found by "20%").
    """
    text = digits_for_words(text)
    folded = fold(text)
    return _terms(text, folded, words(folded))


def _terms(text: str, folded: str, folded_words: list[str]) -> set[str]:
    """`passage_terms` of a text whose fold and its words are known already."""
    other = {"other"} if _OTHER.search(text) else set()  # a stop word the index drops
    plain = terms_of_words(folded_words)
    if folded != text:
        plain |= index_terms(text)
    return plain | phrasal_terms(text) | other


def acronyms_in(text: str) -> dict[str, str]:
    """Acronyms a text spells out, each with its head word: 'International Monetary Fund' gives IMF: fund."""
    out: dict[str, str] = {}
    for m in _EXPANSION.finditer(text):
        names = [w for w in m.group(0).split() if w.lower() not in _LINKS]
        # Every run of three or more capitalised words inside, so "The U.S. International Trade Commission"
        # and "Vietnam's Ministry of Industry and Trade" both give their own acronyms.
        for start in range(len(names) - 1):
            part = names[start:]
            if len(part) >= 3 or (start == 0 and len(part) == 2):
                out.setdefault("".join(w[0] for w in part), stem(part[-1].lower()))
    return out


@dataclass
class DocumentAnalysis:
    """An article's terms, title terms, spelled-out acronyms, salient words and each sentence's terms."""

    terms: frozenset[str]
    title_terms: frozenset[str]
    acronyms: dict[str, str]
    salient: dict[str, int]
    # Sentence index (as text, as JSON keeps it) -> its terms, space-joined: parsed only for the
    # sentences a question reaches.
    sentences: dict[str, str] = field(default_factory=dict)
    title_countries: frozenset[str] = frozenset()
    # Sentence index (as text) -> the countries it names, "|"-joined (country names have spaces).
    countries: dict[str, str] = field(default_factory=dict)

    def sentence_terms(self, index: int, sentence: str) -> set[str]:
        """The terms of one sentence (worked out from its text when the analysis lacks it)."""
        joined = self.sentences.get(str(index))
        return set(joined.split()) if joined is not None else passage_terms(sentence)

    def sentence_countries(self, index: int, sentence: str) -> set[str]:
        """The countries one sentence names (worked out from its text when the analysis lacks it)."""
        joined = self.countries.get(str(index))
        if joined is None:
            return countries_in(sentence)
        return set(joined.split("|")) if joined else set()

    def all_countries(self) -> frozenset[str]:
        """Every country the article's sentences name."""
        return frozenset(c for joined in self.countries.values() for c in joined.split("|") if c)

    def to_json(self) -> dict[str, Any]:
        """The stored form: compact strings rather than lists, since questions load many at once."""
        return {
            "version": VERSION,
            "terms": " ".join(sorted(self.terms)),
            "title": " ".join(sorted(self.title_terms)),
            "acronyms": self.acronyms,
            "salient": self.salient,
            "sentences": self.sentences,
            "title_countries": "|".join(sorted(self.title_countries)),
            "countries": self.countries,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DocumentAnalysis | None:
        """The analysis stored by `to_json`, or None when it is of another version or malformed."""
        if not isinstance(data, Mapping) or data.get("version") != VERSION:
            return None
        try:
            return cls(
                terms=frozenset(str(data["terms"]).split()),
                title_terms=frozenset(str(data["title"]).split()),
                acronyms=dict(data["acronyms"]),
                salient=dict(data["salient"]),
                sentences=dict(data["sentences"]),
                title_countries=frozenset(c for c in str(data["title_countries"]).split("|") if c),
                countries=dict(data["countries"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def analyse(title: str, body: str, sentences: Mapping[int, str]) -> DocumentAnalysis:
    """Work out an article's analysis from its title, body and indexed sentences."""
    title_terms = passage_terms(title)
    folded = fold(body)
    folded_words = words(folded)
    mentions = Counter(stem(w) for w in folded_words if w not in STOP_WORDS)
    return DocumentAnalysis(
        terms=frozenset(_terms(body, folded, folded_words) | title_terms),
        title_terms=frozenset(title_terms),
        acronyms=acronyms_in(f"{title}\n{body}"),
        salient={term: n for term, n in mentions.items() if n >= SALIENT},
        sentences={str(i): " ".join(sorted(passage_terms(s))) for i, s in sentences.items()},
        title_countries=frozenset(countries_in(title)),
        countries={str(i): "|".join(sorted(countries_in(s))) for i, s in sentences.items()},
    )
