"""Focused tests for extractor fixes: past-tense dates, speakers, rate ranges, places and figures."""

from __future__ import annotations

from datetime import date

import pytest

from facts.extract import extract
from facts.extract.dates import find_dates
from facts.models import FuzzyDate, Kind

MON = date(2025, 10, 6)  # a Monday


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
