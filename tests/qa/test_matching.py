"""Any question against an article: general readings find their sentence; what no sentence says is declined."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from facts.store import FactStore
from tests.qa.rulekit import answer

NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What levy did Korea put on Nordmejeri Foods' butter?", "95%"),  # 'the rate' is the one before
        ("What rates do the other Danish butter exporters face?", "20%"),  # the product is the title's
        ("What was the tally when the dockers voted down the contract?", "1,204"),  # 'voted down' rejects
        ("How much does Denmark owe the bank altogether?", "$2 billion"),
        ("Who is Tomas Bergman?", "Trade Minister"),  # typed without the accent
        ("What did the KTC set on butter from Denmark?", "95%"),  # the acronym is spelled out
    ],
)
def test_general_readings_of_questions_find_their_sentence(
    dairy: FactStore, question: str, expected: str
) -> None:
    result = answer(dairy, question, NOW)
    assert result.answered and expected in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "What rates do the other Danish cheese exporters face?",  # cheese is in neither sentence nor title
        "What levy did Korea put on Fyn Dairy's cheese?",
    ],
)
def test_a_product_nowhere_in_the_article_is_not_answered(dairy: FactStore, question: str) -> None:
    result = answer(dairy, question, NOW)
    assert not result.answered, result.text


@pytest.mark.parametrize(
    "question",
    [
        "By when does Norway want the Iceland pact signed?",  # the date is of talks ending, not a signing
        "Where will the Norway-Iceland pact be signed?",  # Bergen is where the talks were
        "On what date did the quota dispute begin?",  # the article gives a year, not a day
        "How much salmon does Norway export to Iceland each year?",  # a duty on salmon counts no salmon
    ],
)
def test_what_the_article_does_not_say_is_declined(pact: FactStore, question: str) -> None:
    result = answer(pact, question, NOW)
    assert not result.answered, result.text
