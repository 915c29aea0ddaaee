"""The one list of month and weekday names, as the extractors use it."""

from __future__ import annotations

import re

from facts.calendar_words import MONTH_WORDS, alternation


def test_alternation_tries_longer_words_first_so_a_prefix_never_wins() -> None:
    pattern = re.compile(rf"^(?:{alternation(('sep', 'sept', 'september'))})")
    assert pattern.match("september 3").group(0) == "september"
    assert pattern.match("sept. 3").group(0) == "sept"


def test_capitalised_alternation_leaves_the_modal_may_alone() -> None:
    months = re.compile(rf"\b(?:{alternation(('may', 'june'), capitalised=True)})\b")
    assert months.findall("Talks may resume in May or June.") == ["May", "June"]


def test_month_words_hold_names_and_abbreviations() -> None:
    assert {"january", "jan", "sept", "sep", "may"} <= MONTH_WORDS
    assert "monday" not in MONTH_WORDS
