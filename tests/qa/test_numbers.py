"""Number, money and duration questions: the number must count what was asked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from facts.store import FactStore
from tests.qa.rulekit import answer

NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)


def test_a_number_answer_names_what_it_counts(rail: FactStore) -> None:
    result = answer(rail, "How many rail terminals is Maré Rail selling in Porto?", NOW)
    assert result.answered and "8 rail terminals" in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "How many rail terminals is Maré Rail selling in Madrid?",  # the number counts terminals in Porto
        "How many buses does the combined company run?",  # the sentence counts trains
        "How much is Maré Rail paying for Lusa Cargo?",  # €640 million was paid for Douro
        "How much are Douro shareholders paying for the terminals?",  # a share or a count is not a price
    ],
)
def test_a_number_about_something_else_is_not_an_answer(rail: FactStore, question: str) -> None:
    result = answer(rail, question, NOW)
    assert not result.answered, result.text


def test_money_questions_get_an_amount_of_money(rail: FactStore) -> None:
    result = answer(rail, "How much is Maré Rail paying for Douro Freight?", NOW)
    assert result.answered and "€640 million" in result.text and "25%" not in result.text.split("—")[0]


def test_the_company_in_a_sentence_is_the_article_s_company(rail: FactStore) -> None:
    result = answer(rail, "What was the vote when Douro shareholders rejected Maré Rail's earlier bid?", NOW)
    assert result.answered and "61" in result.text and "39" in result.text, result.text


def test_buying_is_importing(talks: FactStore) -> None:
    result = answer(talks, "How much copper concentrate does Chile buy from Peru each year?", NOW)
    assert result.answered and "$1.1 billion" in result.text, result.text


def test_how_long_is_answered_by_a_span_of_time(pact: FactStore) -> None:
    result = answer(pact, "How long did the 2019 fisheries stoppage last?", NOW)
    assert result.answered and "61 days" in result.text, result.text
