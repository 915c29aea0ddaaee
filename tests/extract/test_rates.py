"""Rates: who imposes them on whom, ranges, cuts to a value and what they were before."""

from __future__ import annotations

from datetime import date

from facts.extract import extract
from facts.models import ExtractedFact, Kind

MON = date(2025, 10, 6)  # a Monday


PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


def test_rate_range_gives_the_new_value_with_the_old_one_kept():
    facts = extract("In June, Washington raised tariffs on Mexican steel from 25% to 50%.", MON)
    assert [f.kind for f in facts if f.kind in {Kind.RATE, Kind.FIGURE}] == [Kind.RATE]
    (rate,) = [f for f in facts if f.kind == Kind.RATE]
    assert rate.text == "Washington tariffs on Mexican steel: 50% (from 25%)"
    assert rate.attrs["previous"] == "25%" and rate.attrs["target_key"] == "mexico steel"


def test_a_rate_moved_to_a_value_from_another_keeps_the_one_it_replaced():
    (rate,) = facts_of("Australia lowered its duty on Peruvian table grapes to 20% from 30%.", Kind.RATE)
    assert rate.text == "Australia duty on Peruvian table grapes: 20% (from 30%)"
    assert not [f for f in facts_of("Australia lowered its duty on grapes to 20% from 30%.", Kind.FIGURE)]
    # A share is no rate: both figures stay.
    shares = facts_of("Varnland's share rises to 55 per cent from 52 per cent.", Kind.FIGURE)
    assert sorted(f.value for f in shares) == ["52%", "55%"]


def test_a_rate_whose_noun_stands_before_an_aside():
    text = (
        "The decree raises Kestria's export duty on dysprosium oxide and terbium oxide, the two heavy "
        "rare earths that keep magnets stable at high temperatures, to 15% from 5%."
    )
    (rate,) = facts_of(text, Kind.RATE)
    assert (rate.value, rate.attrs["imposer"], rate.attrs["target"], rate.attrs["previous"]) == (
        "15%",
        "Kestria",
        "dysprosium oxide and terbium oxide",
        "5%",
    )


def test_no_imposer_from_initials_or_objects():
    (junk,) = [f for f in extract("J. Smith said the duty of 25% was too high.", MON) if f.kind == Kind.RATE]
    assert junk.attrs["imposer"] == "" and junk.text == "Duty: 25%"
    text = (
        "Officials said Seoul was considering removing Japan from its list of partners and raising "
        "duties on Japanese steel bars from 15% to 25%."
    )
    (rate,) = [f for f in extract(text, MON) if f.kind == Kind.RATE]
    assert rate.attrs["imposer_key"] == "south korea" and rate.attrs["status"] == "planned"
    assert rate.subject == "south korea|tariff|japan bar|planned"


def test_lower_case_institution_as_imposer():
    (rate,) = [
        f for f in extract("The central bank raised its benchmark rate to 4.5%.", MON) if f.kind == Kind.RATE
    ]
    assert rate.attrs["imposer"] == "central bank" and rate.text == "Central bank benchmark rate: 4.5%"


def test_no_rate_target_from_a_number():
    (figure,) = [
        f for f in extract("Output cuts of 2.5% to 400,000 barrels were agreed.", MON) if f.value == "2.5%"
    ]
    assert figure.kind == Kind.FIGURE


def test_cut_to_zero_from_a_rate():
    text = "Australia has offered to cut duties on European cars to zero from 5%."
    (rate,) = facts_of(text, Kind.RATE)
    assert rate.value == "0%" and rate.attrs["previous"] == "5%" and rate.attrs["status"] == "planned"
    assert rate.text == "Australia duties on European cars: 0% (from 5%, planned)"
    text = "Brussels would cut its duties on Australian seafood, including rock lobster, to zero from 11% over time."
    (rate,) = facts_of(text, Kind.RATE)
    assert (rate.value, rate.attrs["target_key"], rate.attrs["imposer_key"]) == (
        "0%",
        "australia seafood",
        "european union",
    )


def test_a_rate_received_is_on_its_subject_from_the_last_imposer():
    text = (
        "The U.S. set a duty of 218% on frozen shrimp from one of Vietnam's exporters. "
        "The second respondent, Ca Mau Seafood Co., received a rate of 4.6%, while other Vietnamese "
        "exporters were assigned duties of up to 25%."
    )
    rates = [(r.attrs["imposer_key"], r.attrs["target_key"], r.value) for r in facts_of(text, Kind.RATE)]
    assert rates == [
        ("united states", "vietnam shrimp", "218%"),
        ("united states", "ca mau seafood co.", "4.6%"),
        ("united states", "vietnam export", "25%"),
    ]
