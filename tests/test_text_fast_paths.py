"""The word handling's shortcuts give what the plain definitions give: folding, number words, phrasal verbs, terms."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from facts import text

ROOT = Path(__file__).resolve().parent.parent


def reference_fold(value: str) -> str:
    """Folding as the whole text at once: NFKD, then every combining mark dropped."""
    value = unicodedata.normalize("NFKD", value.translate(text._UNDECOMPOSED))
    return "".join(c for c in value if not unicodedata.combining(c))


def article_sentences() -> list[str]:
    """Every line of the test and bundled corpora (accented names, curly quotes, number words)."""
    paths = [*ROOT.joinpath("tests", "corpus").rglob("*.md"), *ROOT.joinpath("facts", "corpus").glob("*.md")]
    paths = [p for p in paths if "final" not in p.parts]
    return [line for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_folding_by_table_equals_folding_the_whole_text_for_every_character() -> None:
    every = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    assert [text.fold(c) for c in every] == [reference_fold(c) for c in every]


@pytest.mark.parametrize(
    "value",
    [
        "Tomás Ñúñez of São Paulo said “no”",
        "a\u0301\u0327 stacked marks, e\u0323\u0302 and ǅ, ﬁ, ①, ㎏, 한국",
        "Malmö, Øresund, Łódź, Straße, Æsir",
    ],
)
def test_folding_by_table_equals_folding_the_whole_text(value: str) -> None:
    assert text.fold(value) == reference_fold(value)


def test_folding_the_corpora_equals_folding_the_whole_text() -> None:
    lines = article_sentences()
    assert any(not line.isascii() for line in lines)
    assert [text.fold(line) for line in lines] == [reference_fold(line) for line in lines]


def test_number_words_are_found_in_any_case_as_before() -> None:
    extra = ["Twenty ships", "TWENTY ships", "twenty-one", "often done", "Hundreds", "a Million", "ſix"]
    for value in [*article_sentences(), *extra]:
        for variant in (value, value.upper(), value.title()):
            assert text.has_number_word(variant) == bool(text._ANY_NUMBER_WORD.search(variant)), variant
    assert text.has_number_word("TWENTY ships") and not text.has_number_word("often done")


def test_phrasal_verbs_are_found_in_any_case_as_before() -> None:
    lines = article_sentences()
    extra = ["They VOTED the bill DOWN", "Workers Walked Out", "talks were Called Off", "nothing here"]
    for value in [variant for v in [*lines, *extra] for variant in (v, v.upper(), v.title())]:
        expected = {text.stem(word) for pattern, word in text._PHRASAL if pattern.search(value)}
        assert text.phrasal_terms(value) == expected, value
    assert text.phrasal_terms(extra[0]) == {"reject"}


def test_terms_of_words_are_the_stems_of_the_content_words_and_numbers() -> None:
    words = text.words(" ".join(article_sentences())) + ["a", "x", "7", "2025", "the", "don"]
    for word in words:
        expected = (
            {text.stem(word)} if word not in text.STOP_WORDS and len(word) > 1 or word.isdigit() else set()
        )
        assert text.terms_of_words([word]) == expected, word
    assert text.terms_of_words(["7", "x", "tariffs", "the"]) == {"7", text.stem("tariffs")}


def test_the_word_term_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_WORD_TERMS_MAX", 3)
    text._WORD_TERMS.clear()
    found = [f"word{i}" for i in range(10)]
    assert text.terms_of_words(found) == {text.stem(w) for w in found}
    assert len(text._WORD_TERMS) <= 10
    assert text.terms_of_words(["tariffs"]) == {text.stem("tariffs")}
    assert {"tariffs": text.stem("tariffs")} == text._WORD_TERMS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mexico's tariffs", ["mexico", "tariffs"]),
        ("Mexico’s tariffs", ["mexico", "tariffs"]),
        ("the ministers' talks", ["the", "ministers", "talks"]),
        ("Tomás SAID no", ["tom", "s", "said", "no"]),  # callers fold accents first
        ("no apostrophe here", ["no", "apostrophe", "here"]),
    ],
)
def test_words_are_lower_case_without_possessive_endings(value: str, expected: list[str]) -> None:
    assert text.words(value) == expected
