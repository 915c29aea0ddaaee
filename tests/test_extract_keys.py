"""Supersession keys: restatements in other words share a key; different deadlines and rates do not."""

from __future__ import annotations

from datetime import date

import pytest

from facts.extract import extract
from facts.models import ExtractedFact, FuzzyDate, Kind

OLD = date(2025, 9, 1)
NEW = date(2025, 10, 1)


def first(text: str, kind: Kind, published: date = OLD) -> ExtractedFact:
    return next(f for f in extract(text, published) if f.kind == kind)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Acme must sell its widget unit by Sept. 17.",
            "The deadline for the sale of Acme's widget unit was extended to Dec. 16.",
        ),
        (
            "The EU and the UK said the deadline for a deal is 10 December.",
            "EU and UK negotiators now have until 31 January to reach a deal.",
        ),
        (
            "The Commission has until Nov. 12 to decide whether to clear the merger.",
            "The move pushed back the Commission's decision deadline to Nov. 26.",
        ),
        (
            "Officials from Brazil and Chile must agree the figures by 10 December.",
            "Brazil and Chile abandoned their December target and now aim to finalise the accord by 31 January.",
        ),
    ],
)
def test_restated_deadlines_share_a_key(old, new):
    a = first(old, Kind.DEADLINE)
    b = first(new, Kind.DEADLINE, NEW)
    assert a.subject == b.subject
    assert a.date != b.date


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Acme must sell its widget unit by Sept. 17.", "Acme must pay the fine by Sept. 17."),
        ("Spain must decide on the bid by March 3.", "Italy must decide on the bid by March 3."),
        (
            "The EU and Japan must reach a deal by June 1.",
            "The EU and Japan must vote on the rules by June 1.",
        ),
    ],
)
def test_different_deadlines_have_different_keys(one, other):
    assert first(one, Kind.DEADLINE).subject != first(other, Kind.DEADLINE).subject


def test_keys_leave_out_dates_and_stray_words():
    fact = first("Acme must sell its widget unit by December 1.", Kind.DEADLINE)
    assert fact.subject == "acme sale unit widget"


def test_a_lone_name_in_a_later_sentence_means_the_full_name():
    facts = extract(
        "Nordvik notified the European Commission on Friday. The Commission has until Nov. 12 to decide.", OLD
    )
    deadline = next(f for f in facts if f.kind == Kind.DEADLINE)
    assert deadline.subject == "decision european-union nordvik"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "U.S. duties stand at 30% on Chinese goods.",
            "Washington's tariffs on Chinese imports stand at 20%.",
        ),
        ("Canada imposes a 25% tariff on American steel.", "Ottawa's levy on U.S. steel imports is 35%."),
        ("Mexico charges a 10% duty on U.S. pork.", "Mexico's tariffs on American pork products are at 15%."),
    ],
)
def test_restated_rates_share_a_key(old, new):
    assert first(old, Kind.RATE).subject == first(new, Kind.RATE, NEW).subject


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "Canada imposes a 25% tariff on American steel.",
            "Canada imposes a 25% tariff on American aluminum.",
        ),
        ("Canada imposes a 25% tariff on American steel.", "Mexico imposes a 25% tariff on American steel."),
        (
            "Canada imposes a 25% tariff on American steel.",
            "Canada will impose a 25% tariff on American steel.",
        ),
    ],
)
def test_different_rates_have_different_keys(one, other):
    assert first(one, Kind.RATE).subject != first(other, Kind.RATE).subject


def test_figures_are_keyed_by_the_counted_noun():
    old = first("Acme offered to give up 12 daily slot pairs at the airport.", Kind.FIGURE)
    new = first("Acme has now offered 20 daily slot pairs, up from its first offer.", Kind.FIGURE, NEW)
    assert old.subject == new.subject == "daili pair slot"
    assert (old.attrs["number"], new.attrs["number"]) == (12.0, 20.0)


def test_month_as_a_modifier_is_the_nearest_one():
    fact = first("Diplomats said a deal by the December target was still possible.", Kind.EVENT, NEW)
    assert fact.date == FuzzyDate(2025, 12)
