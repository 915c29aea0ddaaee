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


def test_rate_range_gives_the_new_value_with_the_old_one_kept():
    facts = extract("In June, Washington raised tariffs on Mexican steel from 25% to 50%.", MON)
    assert [f.kind for f in facts if f.kind in {Kind.RATE, Kind.FIGURE}] == [Kind.RATE]
    (rate,) = [f for f in facts if f.kind == Kind.RATE]
    assert rate.text == "Washington tariffs on Mexican steel: 50% (from 25%)"
    assert rate.attrs["previous"] == "25%" and rate.attrs["target_key"] == "mexico steel"


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


PEOPLE = (
    "Ricardo Fuentes Ortega, Mexico's economy minister, met officials on Monday. "
    "“We will not accept quotas that hurt our mills,” Fuentes told reporters.\n\n"
    "“The market is nervous,” said Ahmed Sayegh, an analyst at Gulf Capital. “Nobody wants another cut.”\n\n"
    "“We are ready to talk,” Lee said. “But we will not wait forever.”\n\n"
    "The delegation was led by Lee Seo-yeon, deputy minister for trade at the Ministry of Trade, Industry "
    "and Energy. Japan's team was headed by Kenji Morimoto, director-general of METI's trade control department.\n\n"
    "The union's president, Dana Ortiz, said the offer was “simply not good enough for our members.”\n\n"
    "Harbourline said in a statement that it “remains committed to a fair deal.”\n\n"
    "“Talks are continuing in good faith,” the spokesperson said. President Trump spoke later.\n\n"
    "“Moving from twelve to twenty pairs changes little,” a Skylark spokesman said."
)


@pytest.fixture(scope="module")
def people_facts():
    facts = extract(PEOPLE, MON)
    people = {f.attrs["name"]: f.text for f in facts if f.kind == Kind.PERSON}
    quotes = [(f.attrs["speaker"], f.attrs["quote"]) for f in facts if f.kind == Kind.QUOTE]
    return people, quotes


def test_people_in_apposition(people_facts):
    people, _ = people_facts
    assert people == {
        "Ricardo Fuentes Ortega": "Ricardo Fuentes Ortega, Mexico economy minister",
        "Ahmed Sayegh": "Ahmed Sayegh, analyst at Gulf Capital",
        "Lee Seo-yeon": "Lee Seo-yeon, deputy minister for trade at Ministry of Trade",
        "Kenji Morimoto": "Kenji Morimoto, director-general of METI's trade control department",
        "Dana Ortiz": "Dana Ortiz, union president",
        "Trump": "President Trump",
    }


def test_speakers(people_facts):
    _, quotes = people_facts
    assert quotes == [
        ("Ricardo Fuentes Ortega", "We will not accept quotas that hurt our mills"),
        ("Ahmed Sayegh", "The market is nervous"),
        ("Ahmed Sayegh", "Nobody wants another cut."),
        ("Lee Seo-yeon", "We are ready to talk"),
        ("Lee Seo-yeon", "But we will not wait forever."),
        ("Dana Ortiz", "simply not good enough for our members."),
        ("Harbourline", "remains committed to a fair deal."),
        ("spokesperson", "Talks are continuing in good faith"),
        ("Skylark spokesman", "Moving from twelve to twenty pairs changes little"),
    ]


def test_deputy_stays_in_the_title():
    facts = extract("Talks were led by Deputy U.S. Trade Representative Carla Whitfield.", MON)
    (person,) = [f for f in facts if f.kind == Kind.PERSON]
    assert person.text == "Carla Whitfield, U.S. Deputy Trade Representative"


def test_place_after_scheduled_for_and_before_a_date():
    facts = extract(
        "A fifth round is scheduled for Edinburgh in January. Ministers met in Oslo on Wednesday.", MON
    )
    assert [f.value for f in facts if f.kind == Kind.PLACE] == ["Edinburgh", "Oslo"]
    assert not [f for f in extract("Tariffs for Mexico rose.", MON) if f.kind == Kind.PLACE]


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


def test_no_rate_target_from_a_number():
    (figure,) = [
        f for f in extract("Output cuts of 2.5% to 400,000 barrels were agreed.", MON) if f.value == "2.5%"
    ]
    assert figure.kind == Kind.FIGURE


def test_countries_table_is_public():
    from facts.geo import countries

    assert countries()["u.s."] == "united states"
