"""The rules' own answer (facts/qa/rules.py), the first candidate of every question, with no model weighing it.

Whether the shipped model then gives or withholds one is measured on the question sets (tests/test_qa_sets.py).
"""

from __future__ import annotations

from datetime import datetime

from facts.qa import Answer, Config
from facts.qa import answer as answer_with
from facts.store import FactStore

RULES = Config(use_shipped_model=False)


def answer(store: FactStore, question: str, now: datetime) -> Answer:
    """The rules' answer, as given when no model weighs it."""
    return answer_with(store, question, now, RULES)
