"""Why questions: answered by the sentence giving the reason, declined without one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from facts.store import FactStore
from tests.qa.rulekit import answer

NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)


def test_why_is_answered_by_the_sentence_giving_the_reason(fees: FactStore) -> None:
    result = answer(fees, "Why is Portugal raising the track fees?", NOW)
    assert result.answered and "underpaid maintenance" in result.text, result.text


def test_a_purpose_answers_why_for_the_clause_it_follows(fees: FactStore) -> None:
    result = answer(fees, "Why did officials meet in Lisbon?", NOW)
    assert result.answered and "settle a dispute" in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "Why does Spain reject the charge?",  # said, but no reason given; Portugal's reason is not Spain's
        "Why does Spain say the fees break EU law?",
    ],
)
def test_why_without_a_sentence_giving_that_reason_declines(fees: FactStore, question: str) -> None:
    result = answer(fees, question, NOW)
    assert not result.answered, result.text
