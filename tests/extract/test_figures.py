"""Figures: spelled-out and comma numbers, and where a counted noun ends."""

from __future__ import annotations

from datetime import date

from facts.extract import extract
from facts.models import ExtractedFact, Kind

MON = date(2025, 10, 6)  # a Monday


PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


def test_spelled_out_and_comma_numbers():
    facts = extract(
        "The accord runs for five years, took three rounds of talks and cut 400,000 barrels a day.", MON
    )
    figures = [(f.text, f.attrs["number"], f.subject) for f in facts if f.kind == Kind.FIGURE]
    assert figures == [
        ("Five years", 5.0, "year"),
        ("Three rounds of talks", 3.0, "round talk"),
        ("400,000 barrels", 400000.0, "barrel"),
    ]


def test_counts_end_at_function_words_and_verbs():
    text = (
        "Members rejected the deal by 2,611 votes to 1,538. The mission, made up of 11 Fund staff, stayed. "
        "The two sides have agreed to talk. The union wants seven paid sick days a year. "
        "It runs 6,800 miles of track across nine states. About 4,500 workers represented by the union "
        "would strike. There is no deal in which one side gets everything."
    )
    assert [f.value for f in facts_of(text, Kind.FIGURE)] == [
        "2,611 votes to 1,538",
        "11 Fund staff",
        "two sides",
        "seven paid sick days",
        "6,800 miles of track",
        "nine states",
        "4,500 workers",
    ]
