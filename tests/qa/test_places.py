"""Where questions: the place answer holds the asked relation in its clause."""

from __future__ import annotations

from datetime import UTC, datetime

from facts.store import FactStore
from tests.qa.rulekit import answer

JAN = datetime(2026, 1, 21, tzinfo=UTC)


def test_a_place_answer_holds_the_asked_relation_in_its_clause(panel: FactStore) -> None:
    result = answer(panel, "Where is Larkspur headquartered?", JAN)
    assert "Leeds" not in result.text, result.text  # Leeds is where its data centres are
