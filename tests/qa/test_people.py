"""Who questions and quotes: people by name, role and organisation; what they said."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from facts.qa import consider
from facts.store import FactStore
from tests.qa.rulekit import answer

NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)


JAN = datetime(2026, 1, 21, tzinfo=UTC)


APRIL = datetime(2026, 3, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who leads Santiago's delegation?", "Soto-Vial"),  # a capital stands for its country
        ("Who heads Lima's team?", "Quispe-Huamán"),
        ("Who is Jorge Quispe-Huamán?", "director-general"),
        ("What did Ana María Soto-Vial say after the meeting?", "quota imposed"),  # quoted by surname
    ],
)
def test_people_are_found_by_what_they_lead_and_by_part_of_their_name(
    talks: FactStore, question: str, expected: str
) -> None:
    result = answer(talks, question, NOW)
    assert result.answered and expected in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "Who leads the Bolivian delegation?",
        "Who is the Chilean mining minister?",  # an undersecretary at the ministry is not its minister
        "Who leads the Lima Institute for Mining Studies?",  # an economist there does not lead it
    ],
)
def test_people_questions_without_the_person_decline(talks: FactStore, question: str) -> None:
    result = answer(talks, question, NOW)
    assert not result.answered, result.text


def test_a_role_s_organisation_must_be_the_person_s_own(panel: FactStore) -> None:
    result = answer(panel, "Who is the CEO of Larkspur Cloud?", JAN)  # Vell runs Kestrel, not Larkspur
    assert not result.answered, result.text
    result = answer(panel, "Who is the chief executive of Kestrel?", JAN)
    assert result.answered and "Tomas Vell" in result.text, result.text


def test_who_is_lists_each_role_and_description(panel: FactStore) -> None:
    result = answer(panel, "Who is Mara Quint?", APRIL)
    assert result.answered and "executive" in result.text and "chairs" in result.text, result.text
    assert len(result.lines) <= 3


def test_what_did_x_say_lists_their_quotes_the_asked_setting_first(panel: FactStore) -> None:
    result = answer(panel, "What did Tomas Vell tell reporters?", JAN)
    assert result.answered and "patient" in result.lines[0] and "business plan" in result.text, result.text
    assert len(result.lines) <= 3


def test_who_is_gives_the_full_title_written_before_the_name(pact: FactStore) -> None:
    result = answer(pact, "Who is Sigrun Olafsdottir?", NOW)
    assert result.answered and "Iceland's Fisheries and Agriculture Minister" in result.text, result.text


def test_who_asks_for_an_organisation_gives_the_names_of_its_sentence(rail: FactStore) -> None:
    considered = consider(rail, "Who is buying Douro Freight?", NOW)
    assert considered is not None
    names = [c.head for c in considered.candidates if c.kind == "name"]
    assert "Maré Rail" in names
    assert not any("Douro" in n for n in names)  # the question's own names are not its answer
    assert "Monday" not in names and "LISBON" not in names  # a day, and a dateline's first word
