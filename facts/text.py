"""Shared word handling: the terms under which facts are indexed and questions are looked up."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
# PyStemmer's, as it is installed (a dependency): the same Snowball algorithm in C, with the same stems
# (tests/test_text_stems.py), without loading snowballstemmer's thirty pure-Python languages.
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
    """The Snowball stem of a lower-case word, spelled the American way ("licence" and "license" meet)."""
    stemmed: str = _STEMMER.stemWord(BRITISH_ENGLISH_SPELLINGS.get(word, word))
    return stemmed


def words(text: str) -> list[str]:
    """Lower-case words of a text, possessive endings removed."""
    # Lowering an ASCII text first is the same as lowering each word, and much quicker; other text is
    # lowered word by word, since lowering can turn a letter outside the pattern into one inside it.
    found = _WORD.findall(text.lower()) if text.isascii() else [w.lower() for w in _WORD.findall(text)]
    if "'" not in text and "’" not in text:
        return found  # no word of it can end in a possessive
    return [_without_possessive(w) if "'" in w or "’" in w else w for w in found]


def _without_possessive(word: str) -> str:
    word = word.replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def index_terms(text: str) -> set[str]:
    """The stemmed content terms of a text, as stored in the fact index and looked up for questions."""
    return terms_of_words(words(text))


def terms_of_words(found: list[str]) -> set[str]:
    """The index terms among a text's `words`."""
    # Every sentence of every article comes through here: one dict look-up a word instead of the
    # stop-word test, the length test and the stem's cache.
    terms = _WORD_TERMS
    if len(terms) > _WORD_TERMS_MAX:
        terms.clear()
    out = set()
    for word in found:
        term = terms.get(word)
        if term is None:
            term = terms[word] = _term_of(word)
        if term is not _LEFT_OUT:
            out.add(term)
    return out


def _term_of(word: str) -> str:
    """The index term of one word, or `_LEFT_OUT` for a word the index leaves out."""
    return stem(word) if word not in STOP_WORDS and len(word) > 1 or word.isdigit() else _LEFT_OUT


_LEFT_OUT = "\x00"  # no word's stem: words are letters, digits and an apostrophe
_WORD_TERMS: dict[str, str] = {}
_WORD_TERMS_MAX = 200_000  # distinct words kept (a few MB); past it the cache starts again


# Phrasal verbs and the one word they mean: "voted it down" rejects, "walk out" strikes, "run out" expires.
PHRASAL: tuple[tuple[str, str], ...] = (
    (r"\bvot(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}down\b", "reject"),
    (r"\bturn(?:s|ed|ing)?\s+(?:\w+\s+){0,3}down\b", "reject"),
    (r"\bwalk(?:s|ed|ing)?\s+out\b", "strike"),
    (r"\b(?:run|runs|ran|running)\s+out\b", "expire"),
    (r"\bstep(?:s|ped|ping)?\s+in\b", "intervene"),
    (r"\b(?:hold|holds|held|holding)\s+(?:\w+\s+)?back\b", "resist"),
    (r"\bphas(?:e|es|ed|ing)\s+(?:\w+\s+)?out\b", "drop"),
    (r"\bpush(?:es|ed|ing)?\s+(?:\w+\s+)?back\b", "delay"),
    (r"\bcall(?:s|ed|ing)?\s+(?:\w+\s+)?off\b", "cancel"),
    (r"\bpull(?:s|ed|ing)?\s+out\b", "withdraw"),
)
_PHRASAL = tuple((re.compile(pattern, re.I), word) for pattern, word in PHRASAL)
# Most sentences hold no phrasal verb: one pass over the text rules them all out before trying each.
_ANY_PHRASAL = re.compile("|".join(f"(?:{pattern})" for pattern, _ in PHRASAL), re.I)


def phrasal(text: str) -> str:
    """A question with its phrasal verbs put as the one word they mean ("voted down" -> "reject")."""
    for pattern, word in _PHRASAL:
        text = pattern.sub(word, text)
    return text


# Every phrasal verb starts with one of these (lower case), so plain ASCII text without any has none;
# `re.I` also matches a few letters outside ASCII ("ſ" as "s"), hence the test only for ASCII text.
_PHRASAL_VERB_STARTS = (
    "vot",
    "turn",
    "walk",
    "run",
    "ran",
    "step",
    "hold",
    "held",
    "phas",
    "push",
    "call",
    "pull",
)


def phrasal_terms(text: str) -> set[str]:
    """Stems of the one-word meanings of the phrasal verbs in a text, to index a sentence under."""
    if text.isascii():
        low = text.lower()
        if not any(start in low for start in _PHRASAL_VERB_STARTS):
            return set()
    if not _ANY_PHRASAL.search(text):
        return set()
    return {stem(word) for pattern, word in _PHRASAL if pattern.search(text)}


def fold(text: str) -> str:
    """A text with accents taken off its letters ("Tomás" -> "Tomas"), as people type names."""
    if text.isascii():  # nothing to take off, and most text is plain ASCII
        return text
    return text.translate(_FOLDED)


class _FoldTable(dict[int, str]):
    """Each character's folded form, worked out the first time it is met (for `str.translate`).

    Folding is character by character: NFKD decomposes each character on its own and only reorders
    combining marks, which are all dropped, so a table of single characters folds any text exactly.
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).translate(_UNDECOMPOSED))
        folded = self[code] = "".join(c for c in decomposed if not unicodedata.combining(c))
        return folded


_FOLDED = _FoldTable()


_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d"}
)


# "1.2 billion" already has its digits: text2num would turn the scale word alone into "1000000000".
_SCALED = re.compile(r"(\d)(\s+)(thousand|million|billion|trillion)\b", re.I)
_ANY_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
    r"|million|billion)\b",
    re.I,
)
_ANY_NUMBER_WORD_LOW = re.compile(_ANY_NUMBER_WORD.pattern)


def has_number_word(text: str) -> bool:
    """Whether a text has a number written as a word ("twenty", "Million")."""
    # A case-sensitive search of the lowered text is quicker and, for ASCII, finds the same words.
    if text.isascii():
        return _ANY_NUMBER_WORD_LOW.search(text.lower()) is not None
    return _ANY_NUMBER_WORD.search(text) is not None


@lru_cache(maxsize=4096)
def digits_for_words(text: str) -> str:
    """The text with its spelled-out numbers as digits; text without number words comes back as it is."""
    if not has_number_word(text):
        return text
    from text_to_num import alpha2digit  # a compiled library: loaded only for text that needs it

    # A zero-width space inside the scale word hides it from text2num, and goes again afterwards.
    guarded = _SCALED.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)[0]}\u200b{m.group(3)[1:]}", text)
    digits: str = alpha2digit(guarded, "en")
    return digits.replace("\u200b", "")
