"""Topic candidates: looked up per word, they are the topics whose anchor word occurs anywhere in the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts import topics
from facts.caseless import lower
from facts.topics import Taxonomy, load_taxonomy, parse_taxonomy

ROOT = Path(__file__).resolve().parent.parent


def reference_candidates(taxonomy: Taxonomy, low: str) -> frozenset[str]:
    """The plain definition: every topic without anchors, and each whose anchor is a substring."""
    return taxonomy._unanchored.union(name for word, name in taxonomy._pairs if word in low)


def corpus_lines() -> list[str]:
    """Every line of the test and bundled corpora, lowered as topic matching lowers them."""
    paths = [*ROOT.joinpath("tests", "corpus").rglob("*.md"), *ROOT.joinpath("facts", "corpus").glob("*.md")]
    lines = [
        line for p in paths if "final" not in p.parts for line in p.read_text(encoding="utf-8").splitlines()
    ]
    return [low for low in map(lower, lines) if low is not None]


def test_candidates_equal_the_substring_definition_over_the_corpora() -> None:
    taxonomy = load_taxonomy()
    lines = corpus_lines()
    extra = ["antitrustlike", "tariffs2025", "x-tariff/levy", "no anchor here", "", "semiconductors’ wafers"]
    for low in [*lines, *extra]:
        assert taxonomy._candidates(low) == reference_candidates(taxonomy, low), low
    assert any(taxonomy._candidates(low) for low in lines)


def test_anchors_inside_longer_words_and_next_to_digits_are_found() -> None:
    taxonomy = parse_taxonomy("trade:\n  - tariff*\n  - customs duty\nenergy:\n  - oil\n")
    assert taxonomy._candidates("protariffs and 12oil") == {"trade", "energy"}
    assert taxonomy._candidates("nothing") == frozenset()
    assert taxonomy.topics_for("New TARIFFS on steel") == ("trade",)


def test_the_word_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics, "_RUNS_KEPT", 2)
    taxonomy = parse_taxonomy("trade:\n  - tariff*\n")
    assert taxonomy._candidates("one two three tariffs") == {"trade"}
    assert taxonomy._candidates("tariff") == {"trade"}
    assert taxonomy._by_run == {"tariff": frozenset({"trade"})}


def test_a_hand_built_taxonomy_with_other_anchors_tests_each_anchor() -> None:
    built = parse_taxonomy("trade:\n  - trade war\n")
    taxonomy = Taxonomy(built.patterns, {"trade": ("trade war",)})
    assert taxonomy._by_run is None
    assert taxonomy._candidates("a trade war looms") == {"trade"}
    assert taxonomy._candidates("trade and war") == frozenset()
