"""When and countdown questions: the date of the asked event, ahead when asked so, the newest when moved."""

from __future__ import annotations

from datetime import UTC, date, datetime

from facts.store import FactStore
from tests.qa.rulekit import answer

NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)


SEPT_3 = datetime(2025, 9, 3, 12, tzinfo=UTC)


JAN = datetime(2026, 1, 21, tzinfo=UTC)


APRIL = datetime(2026, 3, 30, tzinfo=UTC)


def test_a_countdown_is_to_something_ahead_not_what_had_happened(review: FactStore) -> None:
    result = answer(
        review,
        "How many days until the new freight wagon rules take effect?",
        datetime(2025, 6, 10, tzinfo=UTC),
    )
    assert result.answered and "September 1" in result.text and "Monday" not in result.text, result.text


def test_a_deadline_restated_in_new_words_by_a_newer_article_wins(review: FactStore) -> None:
    result = answer(
        review,
        "When does the competition authority have to rule on the Douro deal?",
        datetime(2025, 7, 2, tzinfo=UTC),
    )
    assert result.answered and "July 29" in result.text, result.text
    assert "moved from July 15" in result.text


def test_a_date_said_to_have_been_set_before_is_history(review: FactStore) -> None:
    result = answer(
        review, "How many days until the competition authority must decide?", datetime(2025, 7, 2, tzinfo=UTC)
    )
    assert result.answered and "in 27 days" in result.text, result.text


def test_the_next_round_is_ahead_and_the_pair_may_be_in_the_title(talks: FactStore) -> None:
    result = answer(talks, "When is the next round of Chile-Peru talks?", NOW)
    assert result.answered and "July 2025" in result.text and "June" not in result.text, result.text


def test_a_final_ruling_is_not_dated_by_the_preliminary_one(salmon: FactStore) -> None:
    result = answer(salmon, "When is the ministry's final decision on Chilean salmon due?", SEPT_3)
    assert result.answered and "December 15" in result.text, result.text
    assert "September 2" not in result.text, result.text


def test_a_date_of_another_clause_does_not_date_the_asked_event(salmon: FactStore) -> None:
    result = answer(salmon, "When does the cooling-off period expire?", SEPT_3)
    assert not result.answered, result.text


def test_the_next_round_is_not_the_one_that_opened_that_day(salmon: FactStore) -> None:
    result = answer(salmon, "How many days until the next round of talks opens?", SEPT_3)
    assert result.answered and "October 5" in result.text and "32 days" in result.text, result.text


def test_a_day_said_without_its_year_and_read_as_last_year_is_not_given() -> None:
    from facts.models import FuzzyDate, Kind, StoredFact
    from facts.qa.rank import _misdated

    said = "The cooling-off period ends at 12:01 a.m. on Oct. 3."
    misread = StoredFact(
        Kind.EVENT, "x", "x", 0, 0, 1, said, date=FuzzyDate(2025, 10, 3), as_of=date(2026, 9, 21)
    )
    misread.attrs = {"phrase": "on Oct. 3"}
    assert _misdated(misread)
    last = StoredFact(
        Kind.EVENT, "x", "x", 0, 0, 1, "approved last April", date=FuzzyDate(2025, 4), as_of=date(2026, 3, 3)
    )
    last.attrs = {"phrase": "April"}
    assert not _misdated(last)


def test_a_date_s_clause_names_the_question_s_head(panel: FactStore) -> None:
    # "hold a ballot on strikes": the ballot's own (relative) clause dates it, not any dated event.
    result = answer(panel, "When could the union hold a ballot on strikes?", JAN)
    assert result.answered and "June" in result.text and "May 20" not in result.text, result.text
    # A consultation is not the talks on the same remedies.
    result = answer(panel, "How many days are left in the regulator's consultation on the takeover?", JAN)
    assert "Paris" not in result.text and "fourth round" not in result.text, result.text


def test_an_owned_deadline_needs_a_deadline_of_its_owner(panel: FactStore) -> None:
    result = answer(panel, "Has the union's deadline on the takeover passed?", JAN)
    assert "ballot" not in result.text, result.text
    result = answer(panel, "Has the Competition Authority's deadline on the Larkspur takeover passed?", APRIL)
    assert result.answered and "June 9" in result.text and "No, it is still ahead" in result.text, result.text


def test_a_date_a_newer_article_moves_gives_way_to_the_new_one(panel: FactStore) -> None:
    result = answer(panel, "When does the watchdog have to rule on the Larkspur takeover?", APRIL)
    assert result.answered and "June 9" in result.text and "moved from April 14" in result.text, result.text
    assert "(in 15 days)" not in result.text, result.text
