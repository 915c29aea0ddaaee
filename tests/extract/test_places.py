"""Places: where things happen, and the country table behind them."""

from __future__ import annotations

from datetime import date

from facts.extract import extract
from facts.models import ExtractedFact, Kind

MON = date(2025, 10, 6)  # a Monday


PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


def test_place_after_scheduled_for_and_before_a_date():
    facts = extract(
        "A fifth round is scheduled for Edinburgh in January. Ministers met in Oslo on Wednesday.", MON
    )
    assert [f.value for f in facts if f.kind == Kind.PLACE] == ["Edinburgh", "Oslo"]
    assert not [f for f in extract("Tariffs for Mexico rose.", MON) if f.kind == Kind.PLACE]


def test_no_place_from_the_start_of_a_longer_name():
    places = facts_of("It is published in the Federal Register. Talks resumed in Geneva Tuesday.", Kind.PLACE)
    assert [p.value for p in places] == ["Geneva"]


def test_countries_table_is_public():
    from facts.geo import countries

    assert countries()["u.s."] == "united states"
