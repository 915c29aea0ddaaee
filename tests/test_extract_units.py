"""Unit tests for the extractor's parts: sentences, dates, rates, geo and subject keys."""

from __future__ import annotations

from datetime import date

import pytest

from facts.extract import extract
from facts.extract.dates import find_dates
from facts.extract.rates import find_rates
from facts.extract.sentences import split_sentences
from facts.geo import country_of, place_of
from facts.models import FuzzyDate, Kind

PUB = date(2025, 9, 15)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks resumed on Monday.", FuzzyDate(2025, 9, 15)),
        ("The vote was held on Friday.", FuzzyDate(2025, 9, 12)),
        ("The panel will meet on Friday.", FuzzyDate(2025, 9, 19)),
        ("Reductions expire in November.", FuzzyDate(2025, 11)),
        ("In July, China agreed to resume exports.", FuzzyDate(2025, 7)),
        ("Officials met in October.", FuzzyDate(2024, 10)),
        ("The summit will be held in March.", FuzzyDate(2026, 3)),
        ("The deal closed last year.", FuzzyDate(2024)),
        ("The September 17 deadline is near.", FuzzyDate(2025, 9, 17)),
        ("Quotas end on 17 September 2025.", FuzzyDate(2025, 9, 17)),
        ("Payment is due Sept. 17.", FuzzyDate(2025, 9, 17)),
        ("Talks may resume in mid-October.", FuzzyDate(2025, 10)),
        ("Rules apply from 2026-01-01.", FuzzyDate(2026, 1, 1)),
        ("Firms must comply by the end of March.", FuzzyDate(2026, 3)),
        ("The regulator must rule by the end of the first quarter.", FuzzyDate(2026, 3)),
        ("It takes effect Jan. 1, 2026.", FuzzyDate(2026, 1, 1)),
    ],
)
def test_dates(text, expected):
    found = find_dates(text, PUB)
    assert [d.date for d in found] == [expected]


def test_month_precision_never_has_a_day():
    (found,) = find_dates("These reductions expire in November.", PUB)
    assert found.date.day is None and found.date.human() == "November 2025"


@pytest.mark.parametrize(
    "text", ["We may let it die.", "Prices rose 4% in 2,025 shops.", "Quota data for 2025."]
)
def test_not_dates(text):
    assert find_dates(text, PUB) == []


def test_sentences_keep_spans_through_markdown():
    body = "# Title here now\n\nThe **U.S.** said [it](http://x.y) would act. Mr. Smith agreed.\n\n- A bullet item here."
    sents = split_sentences(body)
    assert [s.text for s in sents] == [
        "Title here now",
        "The U.S. said it would act.",
        "Mr. Smith agreed.",
        "A bullet item here.",
    ]
    assert body[sents[2].start : sents[2].end] == "Mr. Smith agreed."
    assert sents[0].heading


def test_quote_spanning_sentences_is_one_sentence():
    body = "He said: “It is hard. We will try. Nobody knows.” Then he left."
    sents = split_sentences(body)
    assert len(sents) == 2 and sents[0].text.endswith("Nobody knows.”")


@pytest.mark.parametrize(
    ("alias", "country"),
    [
        ("U.S.", "united states"),
        ("Washington", "united states"),
        ("American", "united states"),
        ("Beijing", "china"),
        ("Chinese", "china"),
        ("Britain", "united kingdom"),
        ("Berlin", "germany"),
        ("Brussels", "european union"),
        ("Canadian", "canada"),
    ],
)
def test_country_aliases(alias, country):
    assert country_of(alias) == country


def test_places():
    assert place_of("Madrid") == ("Madrid", "city")
    assert place_of("South Korea") == ("South Korea", "country")
    assert place_of("March") is None


def test_rates_and_non_rates():
    (rate,) = find_rates("Japan imposes a 15% tariff on American cars.")
    assert rate.is_rate and rate.imposer_key == "japan" and rate.target_key == "united states car"
    (change,) = find_rates("Prices rose 4% in August.")
    assert not change.is_rate and change.change
    (turnout,) = find_rates("Turnout was 62%.")
    assert not turnout.is_rate


def test_subject_keys_are_stable_across_articles():
    old = extract("U.S. duties stand at 30% on Chinese goods.", date(2025, 9, 1))
    new = extract("Washington's tariffs on Chinese imports stand at 20%.", date(2025, 10, 1))
    old_rate = next(f for f in old if f.kind == Kind.RATE)
    new_rate = next(f for f in new if f.kind == Kind.RATE)
    assert old_rate.subject == new_rate.subject == "united states|tariff|china|in_force"
    first = extract("The deadline for ByteDance to sell TikTok’s U.S. operations is September 17.", PUB)
    later = extract(
        "The deadline for ByteDance to sell TikTok’s U.S. operations was extended to December 16.", PUB
    )
    a = next(f for f in first if f.kind == Kind.DEADLINE)
    b = next(f for f in later if f.kind == Kind.DEADLINE)
    assert a.subject == b.subject
    assert (a.date, b.date) == (FuzzyDate(2025, 9, 17), FuzzyDate(2025, 12, 16))


def test_empty_and_plain_text():
    assert extract("", PUB) == []
    facts = extract("Nothing much happened here today at all.", PUB)
    assert [f.kind for f in facts] == [Kind.EVENT, Kind.STATEMENT]
