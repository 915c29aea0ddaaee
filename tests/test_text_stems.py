"""Stems: PyStemmer's C Snowball stemmer is the one used, and it stems as snowballstemmer's own English."""

from __future__ import annotations

import re
from pathlib import Path

import Stemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from facts import text

ROOT = Path(__file__).resolve().parent.parent


def test_the_c_stemmer_is_the_one_stems_come_from() -> None:
    # snowballstemmer hands out PyStemmer's stemmer when that is installed; without it a cold
    # `briefbot ask` loads thirty pure-Python stemmers and stems several times slower.
    assert isinstance(text._STEMMER, Stemmer.Stemmer)


def test_c_and_pure_python_stemmers_agree_on_every_word_of_the_articles() -> None:
    # Stores built where either stemmer ran hold the same terms only if the two stem alike.
    found: set[str] = set()
    for path in [*ROOT.joinpath("tests").rglob("*.md"), *ROOT.joinpath("facts", "corpus").glob("*.md")]:
        found |= set(re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", path.read_text(encoding="utf-8").lower()))
    vocabulary = sorted(found)
    assert len(vocabulary) > 5000  # the test corpora, not a handful of words
    pure = EnglishStemmer().stemWords(vocabulary)
    in_c = Stemmer.Stemmer("english").stemWords(vocabulary)
    assert [w for w, a, b in zip(vocabulary, pure, in_c, strict=True) if a != b] == []
