"""Tests for the article fact extractor on the bundled corpus article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from facts.extract import extract
from facts.models import ExtractedFact, FuzzyDate, Kind, Precision

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "facts" / "corpus" / "2025-09-15-us-china-tiktok-madrid.md"


def load(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    return yaml.safe_load(front), body


@pytest.fixture(scope="module")
def bundled() -> tuple[str, list[ExtractedFact]]:
    meta, body = load(BUNDLED)
    return body, extract(body, meta["published"], meta["title"])


def of_kind(facts: list[ExtractedFact], kind: Kind) -> list[ExtractedFact]:
    return [f for f in facts if f.kind == kind]


def test_rates(bundled):
    _, facts = bundled
    rates = {f.value: f for f in of_kind(facts, Kind.RATE)}
    assert set(rates) == {"30%", "10%", "55%"}
    us = rates["30%"]
    assert us.attrs["imposer"] == "U.S." and us.attrs["imposer_key"] == "united states"
    assert us.attrs["target"] == "Chinese goods" and us.attrs["status"] == "in_force"
    assert us.text == "U.S. duties on Chinese goods: 30%"
    cn = rates["10%"]
    assert cn.attrs["imposer_key"] == "china" and cn.attrs["target"] == "American exports"
    assert cn.attrs["status"] == "in_force"
    ceiling = rates["55%"]
    assert ceiling.attrs["imposer"] == "Washington" and ceiling.attrs["imposer_key"] == "united states"
    assert ceiling.attrs["status"] == "ceiling" and ceiling.attrs["planned"] is True
    assert ceiling.attrs["target"] == "Chinese imports"
    assert ceiling.attrs["percent"] == 55.0
    assert len({f.subject for f in rates.values()}) == 3


def test_deadlines_and_events(bundled):
    _, facts = bundled
    deadlines = of_kind(facts, Kind.DEADLINE)
    tiktok = [f for f in deadlines if "ByteDance" in f.attrs["what"]]
    assert len(tiktok) == 1
    assert tiktok[0].date == FuzzyDate(2025, 9, 17)
    assert tiktok[0].attrs["what"] == "ByteDance to sell TikTok’s U.S. operations"
    assert tiktok[0].text == "Deadline for ByteDance to sell TikTok’s U.S. operations: September 17, 2025"
    expiry = [f for f in deadlines if "expire" in f.attrs["what"]]
    assert len(expiry) == 1
    assert expiry[0].date == FuzzyDate(2025, 11)
    assert expiry[0].date.precision == Precision.MONTH
    events = of_kind(facts, Kind.EVENT)
    october = [f for f in events if f.date == FuzzyDate(2025, 10)]
    assert len(october) == 1 and "APEC summit in South Korea" in october[0].attrs["what"]
    july = [f for f in events if f.date == FuzzyDate(2025, 7)]
    assert len(july) == 1 and "rare earth exports" in july[0].attrs["what"]
    monday = [f for f in events if f.date == FuzzyDate(2025, 9, 15)]
    assert len(monday) == 1 and monday[0].attrs["what"].startswith("Talks resumed in Madrid")
    for fact in deadlines + events:
        if fact.date.precision != Precision.DAY:
            assert fact.date.day is None


def test_people(bundled):
    _, facts = bundled
    people = {f.attrs["name"]: f for f in of_kind(facts, Kind.PERSON)}
    assert people["Scott Bessent"].value == "Treasury Secretary"
    assert people["Scott Bessent"].attrs["org"] == "U.S."
    assert people["Scott Bessent"].subject == "scott bessent"
    assert people["He Lifeng"].value == "Vice Premier"
    assert people["He Lifeng"].attrs["country"] == "china"
    assert people["Jamieson Greer"].value == "Trade Representative"
    assert people["William Reinsch"].value == "senior trade adviser"
    assert people["William Reinsch"].attrs["org"] == "Center for Strategic and International Studies"
    assert people["Donald Trump"].value == "President"


def test_quotes(bundled):
    _, facts = bundled
    quotes = of_kind(facts, Kind.QUOTE)

    def speaker_of(start: str) -> str:
        hits = [q for q in quotes if q.attrs["quote"].startswith(start)]
        assert len(hits) == 1, start
        return hits[0].attrs["speaker"]

    assert speaker_of("We are not willing") == "Scott Bessent"
    assert speaker_of("From the Chinese perspective") == "Jamieson Greer"
    assert speaker_of("We may let it die") == "Donald Trump"
    assert speaker_of("I’m not expecting") == "William Reinsch"
    trump = next(q for q in quotes if q.attrs["speaker"] == "Donald Trump")
    assert trump.attrs["quote"].endswith("It depends on China.")
    reinsch = next(q for q in quotes if q.attrs["speaker"] == "William Reinsch")
    assert "Setting that up" in reinsch.attrs["quote"]


def test_places_and_figures(bundled):
    _, facts = bundled
    places = {f.value for f in of_kind(facts, Kind.PLACE)}
    assert {"Madrid", "South Korea"} <= places
    madrid = next(f for f in of_kind(facts, Kind.PLACE) if f.value == "Madrid")
    assert madrid.text == "Talks resumed in Madrid"
    figures = [f.value for f in of_kind(facts, Kind.FIGURE)]
    assert "fourth round of discussions" in figures


def test_spans_and_statements(bundled):
    body, facts = bundled
    statements = of_kind(facts, Kind.STATEMENT)
    assert len(statements) == 26
    for fact in facts:
        assert " ".join(body[fact.start : fact.end].split()) == fact.sentence
        assert fact.topics == ()
    classify = next(s for s in statements if "sensitive export" in s.text)
    assert classify.subject == f"sentence:{classify.sentence_index}"
    assert len({(f.kind, f.subject) for f in facts}) == len(facts)


def test_deterministic(bundled):
    body, facts = bundled
    again = extract(body, date(2025, 9, 15))
    assert [(f.kind, f.subject, f.text) for f in again] == [(f.kind, f.subject, f.text) for f in facts]
