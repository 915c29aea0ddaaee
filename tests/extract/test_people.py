"""People and quotes: names in apposition, titles, organisations and who said what."""

from __future__ import annotations

from datetime import date

import pytest

from facts.extract import extract
from facts.models import ExtractedFact, Kind

MON = date(2025, 10, 6)  # a Monday


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


PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


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
    # Here the modifier belongs to the organisation: "Court" alone names none.
    facts = extract("The board, chaired by retired Supreme Court judge Aurelio Benz, ruled on Friday.", MON)
    (person,) = [f for f in facts if f.kind == Kind.PERSON]
    assert person.text == "Aurelio Benz, Supreme Court judge"


def test_titles_with_and_long_possessive_organisations_and_trailing_phrases():
    text = (
        "“This rate does not reflect reality,” Deputy Minister of Industry and Trade Phan Thi Hoa said. "
        "Heartland Pacific's chief executive, Graham Whitcombe, said it was fine. "
        "According to Linda Osei, chair of the National Mediation Board, the sides met. "
        "Karen Liu, a partner specialising in trade remedies at a law firm, said so. "
        "Rosa Lindqvist, the IMF's mission chief for Argentina, spoke."
    )
    people = {f.attrs["name"]: f.text for f in facts_of(text, Kind.PERSON)}
    assert people == {
        "Phan Thi Hoa": "Phan Thi Hoa, Deputy Minister of Industry and Trade",
        "Graham Whitcombe": "Graham Whitcombe, Heartland Pacific chief executive",
        "Linda Osei": "Linda Osei, chair of National Mediation Board",
        "Karen Liu": "Karen Liu, partner",
        "Rosa Lindqvist": "Rosa Lindqvist, IMF mission chief for Argentina",
    }
    assert [q.attrs["speaker"] for q in facts_of(text, Kind.QUOTE)] == ["Phan Thi Hoa"]


def test_quote_speakers_after_and_and_from_a_leading_pronoun():
    text = (
        'Minister Ana Ruiz told reporters that she expected "a short, constructive negotiation" and insisted '
        'the targets were met. She declined to say more, but said that "the gap is the one that matters."'
    )
    quotes = [(q.attrs["speaker"], q.attrs["quote"]) for q in facts_of(text, Kind.QUOTE)]
    assert quotes == [
        ("Ana Ruiz", "a short, constructive negotiation"),
        ("Ana Ruiz", "the gap is the one that matters."),
    ]


def test_a_role_keeps_its_employer_when_a_place_or_description_follows():
    text = (
        "Nina Berg, a freight analyst at Osterholm Securities in Malmo, puts the odds at 40%. "
        "Speaking were Tom Reyes, a partner at the Geneva advisory firm Lakeway Partners, which advises the "
        "lenders, and Ida Moss, an economist at the bank, who spoke briefly."
    )
    people = {f.attrs["name"]: f.text for f in facts_of(text, Kind.PERSON)}
    assert people == {
        "Nina Berg": "Nina Berg, freight analyst at Osterholm Securities in Malmo",
        "Tom Reyes": "Tom Reyes, partner at Geneva advisory firm Lakeway Partners",
        "Ida Moss": "Ida Moss, economist",
    }


def test_a_title_of_two_roles_and_a_capitalised_title_are_read_whole():
    text = (
        "Jane Doe, president and chief executive of Acme Corp, said the deal was off. "
        "Tom Lee, CEO of Baltic Mills, and Bo Chan, chair of Beta Ports, spoke later.\n\n"
        "Marguerite Oyelaran, Chair and CEO: Thank you all for joining."
    )
    roles = {f.attrs["name"]: (f.attrs["role"], f.attrs["org"]) for f in facts_of(text, Kind.PERSON)}
    assert roles["Jane Doe"] == ("president and chief executive", "Acme Corp")
    assert roles["Tom Lee"] == ("CEO", "Baltic Mills")
    assert roles["Bo Chan"] == ("chair", "Beta Ports")
    assert roles["Marguerite Oyelaran"] == ("Chair and CEO", "")
