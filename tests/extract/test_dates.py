"""Dates of deadlines and events: the governing verb, clauses, clock times, spans and hedges."""

from __future__ import annotations

from datetime import date

import pytest

from facts.extract import extract
from facts.extract.dates import find_dates
from facts.models import ExtractedFact, FuzzyDate, Kind

MON = date(2025, 10, 6)  # a Monday


PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eight producers agreed on Sunday to cut output.", FuzzyDate(2025, 10, 5)),
        ("The offer was rejected by delegates by a vote of 52 to 47 in September.", FuzzyDate(2025, 9)),
        ("Acme notified the regulator on Friday of its planned takeover of Beta.", FuzzyDate(2025, 10, 3)),
        ("The bank held rates in September and will meet again soon.", FuzzyDate(2025, 9)),
        ("The ministers signed the accord in November, officials said.", FuzzyDate(2024, 11)),
        ("Diplomats said a deal by the December target was still possible.", FuzzyDate(2025, 12)),
        ("The deadline, which had been set for Oct. 12, was extended.", FuzzyDate(2025, 10, 12)),
        ("Talks will resume on Friday.", FuzzyDate(2025, 10, 10)),
    ],
)
def test_dates_follow_the_governing_verb(text, expected):
    assert find_dates(text, MON)[0].date == expected


def test_a_date_with_a_comma_inside_keeps_its_clause():
    facts = extract("The ministry said that, from Jan. 1, 2026, exporters will need licences.", MON)
    (event,) = [f for f in facts if f.kind in {Kind.EVENT, Kind.DEADLINE}]
    assert event.attrs["what"] == "exporters will need licences"


def test_deadline_named_before_the_word_deadline():
    facts = extract("The move pushed back the Commission's decision deadline to Nov. 26.", MON)
    (deadline,) = [f for f in facts if f.kind == Kind.DEADLINE]
    assert deadline.attrs["what"] == "Commission's decision"
    assert deadline.date == FuzzyDate(2025, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Officials hoped to sign it well before the new date, possibly in mid-April, but declined to say more.",
            "2026-04",
        ),
        ("The ballot, which officials said would most likely be held in mid-January, is next.", "2027-01"),
    ],
)
def test_hedged_dates_look_ahead(text, expected):
    published = date(2026, 11, 13) if "January" in text else date(2026, 3, 27)
    fact = next(f for f in extract(text, published) if f.date is not None)
    assert fact.value == expected


def test_a_deadline_that_ends_at_a_clock_time_is_ahead_and_its_clause_keeps_no_time():
    text = "The cooling-off period that began after the board issued its report ends at 12:01 a.m. Eastern time on Oct. 3."
    (fact,) = facts_of(text, Kind.DEADLINE)
    assert fact.date == FuzzyDate(2026, 10, 3)
    assert fact.attrs["what"] == "cooling-off period that began after the board issued its report ends"


def test_days_left_before_something_is_a_dated_deadline():
    text = "Talks resumed, with 12 days left before a federal cooling-off period expires."
    (fact,) = facts_of(text, Kind.DEADLINE)
    assert fact.date == FuzzyDate(2026, 10, 3)
    assert fact.attrs["what"] == "federal cooling-off period expires"
    assert [f.value for f in facts_of(text, Kind.FIGURE)] == ["12 days"]


def test_last_month_name_and_end_of_the_year():
    (april,) = facts_of("The programme approved last April runs for 48 months.", Kind.EVENT, date(2026, 3, 3))
    assert april.date == FuzzyDate(2025, 4)
    (goal,) = facts_of("Negotiators aim to conclude the agreement by the end of the year.", Kind.DEADLINE)
    assert goal.date == FuzzyDate(2026) and goal.attrs["qualifier"] == "end"


def test_agreed_to_meet_looks_ahead_and_a_list_item_keeps_its_clause():
    (fact,) = facts_of(
        "The two sides have agreed to meet every day this week, including Saturday.", Kind.EVENT
    )
    assert fact.date == FuzzyDate(2026, 9, 26)
    assert fact.attrs["what"] == "two sides have agreed to meet every day this week"


def test_a_possessive_date_names_the_noun_after_it():
    (fact,) = facts_of("Officials expect next year's budget talks to be difficult.", Kind.EVENT)
    assert fact.date == FuzzyDate(2027) and fact.attrs["what"] == "budget talks"


def test_an_appositive_date_takes_the_clause_it_sums_up():
    text = "The commission will then vote on the injury case, a decision expected in February 2027."
    (fact,) = facts_of(text, Kind.EVENT)
    assert fact.attrs["what"] == "commission will then vote on the injury case, decision expected"
