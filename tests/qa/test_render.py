"""How a dated fact reads: one `dated_line`, laid out for an answer or for a countdown list."""

from __future__ import annotations

from datetime import date

from facts.models import FuzzyDate, Kind, StoredFact
from facts.qa.render import DatedLayout, dated_line

TODAY = date(2025, 9, 15)
SENTENCE = "ByteDance must sell TikTok's U.S. operations by Sept. 17, Treasury said."


def _deadline(when: FuzzyDate, **attrs: str) -> StoredFact:
    fact = StoredFact(
        Kind.DEADLINE, "tiktok sale", f"TikTok sale deadline: {when.human()}", 0, 0, 1, SENTENCE, date=when
    )
    fact.attrs = dict(attrs)
    return fact


SEPT_17 = _deadline(FuzzyDate(2025, 9, 17))


def test_an_answer_leads_with_what_was_asked_and_a_countdown_list_with_the_countdown() -> None:
    assert dated_line(SEPT_17, TODAY) == "TikTok sale deadline: September 17, 2025 (in 2 days)"
    assert (
        dated_line(SEPT_17, TODAY, layout=DatedLayout.COUNTDOWN_LIST)
        == "in 2 days — TikTok sale deadline (September 17, 2025)"
    )


def test_an_answer_to_a_countdown_question_gives_its_verdict_and_where_the_date_moved_from() -> None:
    was = _deadline(FuzzyDate(2025, 6, 19))
    line = dated_line(SEPT_17, TODAY, was, True, "Is the TikTok deadline still ahead?")
    assert (
        line
        == "Yes, it is still ahead. TikTok sale deadline: September 17, 2025 — in 2 days; moved from June 19, 2025"
    )
    passed = dated_line(SEPT_17, date(2025, 9, 20), None, True, "Has the TikTok deadline passed?")
    assert passed.startswith("Yes, it has passed. TikTok sale deadline: September 17, 2025 — ")


def test_both_layouts_give_a_month_with_the_article_s_qualifier() -> None:
    end_of_november = _deadline(FuzzyDate(2025, 11), qualifier="end")
    assert dated_line(end_of_november, TODAY).startswith("TikTok sale deadline: end of November 2025 (")
    assert dated_line(end_of_november, TODAY, layout=DatedLayout.COUNTDOWN_LIST).endswith(
        " — TikTok sale deadline (end of November 2025)"
    )


def test_a_fragment_label_is_the_sentence_in_an_answer_and_kept_short_in_a_list() -> None:
    fragment = StoredFact(
        Kind.DEADLINE, "astana", "ASTANA: April 20, 2026", 0, 0, 1, SENTENCE, date=FuzzyDate(2026, 4, 20)
    )
    assert dated_line(fragment, TODAY).startswith(
        "ByteDance must sell TikTok's U.S. operations by Sept. 17, Treasury said: "
    )
    assert dated_line(fragment, TODAY, layout=DatedLayout.COUNTDOWN_LIST).endswith(
        " — ASTANA (April 20, 2026)"
    )
