"""Extractor tests on articles written for these tests, in other topics and styles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from facts.extract import extract
from facts.extract.sentences import clean_markdown, readable
from facts.models import ExtractedFact, FuzzyDate, Kind, Precision

ARTICLES = Path(__file__).resolve().parent / "articles" / "extract"


def facts_of(name: str) -> list[ExtractedFact]:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    facts = extract(body, meta["published"], meta["title"])
    clean = clean_markdown(body)
    assert len(clean) == len(body)
    for fact in facts:
        assert readable(clean[fact.start : fact.end]) == fact.sentence
        assert fact.sentence.split()[0] in body[fact.start : fact.end]
    return facts


def by_kind(facts: list[ExtractedFact], kind: Kind) -> list[ExtractedFact]:
    return [f for f in facts if f.kind == kind]


def one(facts: list[ExtractedFact], kind: Kind, **where: object) -> ExtractedFact:
    hits = [f for f in by_kind(facts, kind) if all(getattr(f, k) == v for k, v in where.items())]
    assert len(hits) == 1, (kind, where, [f.text for f in by_kind(facts, kind)])
    return hits[0]


@pytest.fixture(scope="module")
def steel() -> list[ExtractedFact]:
    return facts_of("eu-steel-safeguard.md")


@pytest.fixture(scope="module")
def vote() -> list[ExtractedFact]:
    return facts_of("state-vote.md")


@pytest.fixture(scope="module")
def merger() -> list[ExtractedFact]:
    return facts_of("merger.md")


def test_steel_rates(steel):
    rates = {f.value: f for f in by_kind(steel, Kind.RATE)}
    assert set(rates) == {"50%", "25%"}
    new = rates["50%"]
    assert new.attrs["imposer_key"] == "european union"
    assert new.attrs["status"] == "planned"
    assert new.text == "European Commission duty on volumes: 50% (planned)"
    old = rates["25%"]
    assert old.attrs["status"] == "expiring" and old.attrs["target"] == "out-of-quota steel"
    cut = one(steel, Kind.FIGURE, value="47%")
    assert cut.attrs["change"] is True


def test_steel_dates(steel):
    expiry = one(steel, Kind.DEADLINE, date=FuzzyDate(2026, 6, 30))
    assert expiry.attrs["what"] == "current safeguard expires"
    respond = one(steel, Kind.DEADLINE, date=FuzzyDate(2026, 9, 17))
    assert respond.attrs["what"].startswith("Turkey and India must respond")
    regime = one(steel, Kind.EVENT, date=FuzzyDate(2026, 7, 1))  # "is due to take effect": scheduled
    assert regime.attrs["what"] == "new regime is due to take effect"
    ankara = one(steel, Kind.EVENT, date=FuzzyDate(2025, 9))
    assert ankara.attrs["qualifier"] == "mid" and ankara.date.precision == Precision.MONTH
    announced = one(steel, Kind.EVENT, date=FuzzyDate(2025, 10, 7))  # "on Tuesday", published Wednesday
    assert "European Commission" in announced.attrs["what"]
    one(steel, Kind.EVENT, date=FuzzyDate(2024))  # "last year"


def test_steel_people_quotes_places_figures(steel):
    sefcovic = one(steel, Kind.PERSON, subject="maros sefcovic")
    assert sefcovic.value == "Trade Commissioner"
    eggert = one(steel, Kind.PERSON, subject="axel eggert")
    assert eggert.value == "director general" and eggert.attrs["org"] == "European Steel Association"
    quotes = by_kind(steel, Kind.QUOTE)
    assert {q.attrs["speaker"] for q in quotes} == {"Maros Sefcovic"}
    assert any(q.attrs["quote"].startswith("European steelmakers cannot compete") for q in quotes)
    assert {f.value for f in by_kind(steel, Kind.PLACE)} == {"Brussels", "Ankara"}
    jobs = one(steel, Kind.FIGURE, value="300,000 jobs")
    assert jobs.attrs["number"] == 300000 and jobs.attrs["unit"] == "jobs"
    tonnes = one(steel, Kind.FIGURE, value="30 million tonnes")
    assert tonnes.attrs["number"] == 30_000_000


def test_steel_markdown_noise(steel):
    statements = by_kind(steel, Kind.STATEMENT)
    texts = [s.text for s in statements]
    assert texts[0] == "EU tightens steel safeguard"
    assert any(t.startswith("Trade Commissioner Maros Sefcovic said the measure") for t in texts)
    assert not any("**" in t or "](http" in t or t.startswith("*") for t in texts)
    assert any("according to Eurofer data." in t for t in texts)


def test_vote(vote):
    tally = one(vote, Kind.FIGURE, value="76 votes to 5")
    assert tally.attrs["number"] == 76
    passed = one(vote, Kind.EVENT, date=FuzzyDate(2025, 5, 21))  # "on Wednesday", published Thursday
    assert "passed a consumer data privacy bill" in passed.attrs["what"]
    effect = one(vote, Kind.EVENT, date=FuzzyDate(2026, 1, 1))
    assert effect.attrs["what"] == "bill would take effect"
    assert effect.text == "Bill would take effect: January 1, 2026"
    session = one(vote, Kind.DEADLINE, date=FuzzyDate(2025, 6, 30))
    assert "session ends" in session.attrs["what"]
    march = one(vote, Kind.EVENT, date=FuzzyDate(2025, 3))  # "said in March": past, month only
    assert march.date.day is None
    people = {f.attrs["name"]: f.value for f in by_kind(vote, Kind.PERSON)}
    assert people == {
        "Angela Ruiz": "Representative",
        "Mike DeWine": "Governor",
        "Rob McColley": "Senate President",
        "Tom Hart": "spokesman",
    }
    ruiz = one(vote, Kind.QUOTE, subject="angela ruiz:ohioans deserve to know who is")
    assert (
        ruiz.attrs["quote"] == "Ohioans deserve to know who is buying and selling their personal information"
    )
    assert {f.value for f in by_kind(vote, Kind.PLACE)} >= {"Columbus"}
    assert {f.value for f in by_kind(vote, Kind.FIGURE)} >= {"$7,500", "$1.2 billion", "19 other states"}
    assert one(vote, Kind.FIGURE, value="$1.2 billion").attrs["number"] == 1.2e9


def test_merger(merger):
    deal = one(merger, Kind.FIGURE, value="$12 billion")
    assert deal.attrs["number"] == 12e9 and deal.attrs["unit"] == "USD"
    ruling = one(merger, Kind.DEADLINE, date=FuzzyDate(2026, 3))
    assert ruling.attrs["what"] == "Federal Trade Commission must rule"
    assert ruling.attrs["qualifier"] == "end"
    one(merger, Kind.EVENT, date=FuzzyDate(2026))  # "second half of 2026"
    one(merger, Kind.EVENT, date=FuzzyDate(2025, 3, 3))  # "on Monday", published Monday
    doe = one(merger, Kind.PERSON, subject="jane doe")
    assert doe.value == "chief executive" and doe.attrs["org"] == "Northwind"
    quotes = by_kind(merger, Kind.QUOTE)
    assert [q.attrs["speaker"] for q in quotes] == ["Jane Doe", "Jane Doe"]
    assert quotes[0].attrs["quote"].startswith("This is a once-in-a-generation opportunity")
    patel = one(merger, Kind.PERSON, subject="priya patel")
    assert patel.value == "chief financial officer" and patel.attrs["org"] == "Contoso"
    lee = one(merger, Kind.PERSON, subject="mark lee")
    assert lee.attrs["org"] == "Bernstein"
    assert one(merger, Kind.FIGURE, value="3,000 jobs").attrs["number"] == 3000
    assert {f.value for f in by_kind(merger, Kind.PLACE)} == {"Chicago", "Toronto"}
    assert one(merger, Kind.FIGURE, value="32%").attrs["number"] == 32.0
    assert not by_kind(merger, Kind.RATE)
