"""Getting the bot process ready to answer: the Q&A is loaded and long-lived objects leave the collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.warmup import ready_to_answer
from facts.store import FactStore


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_ready_to_answer_freezes_what_exists(store: FactStore) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    ready_to_answer(store)
    assert gc.get_freeze_count() > 10_000  # the Q&A's tables and compiled patterns


def test_a_failing_warm_up_does_not_stop_the_bot(store: FactStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("no database")

    monkeypatch.setattr("facts.qa.answer", broken)
    ready_to_answer(store)
    assert gc.get_freeze_count() > 0
