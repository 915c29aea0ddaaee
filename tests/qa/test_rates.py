"""Rate questions: the rate a sentence gives, and the value a cut goes to."""

from __future__ import annotations

from datetime import UTC, datetime

from facts.store import FactStore
from tests.qa.rulekit import answer

NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)


SEPT_3 = datetime(2025, 9, 3, 12, tzinfo=UTC)


def test_a_rate_said_after_from_is_given_with_its_sentence(salmon: FactStore) -> None:
    result = answer(salmon, "What is Norway offering on duties for Chilean wine?", SEPT_3)
    assert result.answered and "5%" in result.text and ("0%" in result.text or "zero" in result.text)


def test_a_rate_cut_to_a_value_is_answered_by_that_value(pact: FactStore) -> None:
    result = answer(pact, "What does Norway want Iceland's salmon duty cut to?", NOW)
    assert result.answered and "8%" in result.text and "30%" not in result.text, result.text
