"""Supersession keys: restatements in other words share a key; different deadlines and rates do not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from facts.extract import extract
from facts.ingest import Overrides, read_document
from facts.models import ExtractedFact, FuzzyDate, Kind

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


TODAY = date(2026, 12, 31)


def _facts(name: str) -> list[ExtractedFact]:
    document = read_document(CORPUS / name, Overrides(), TODAY)
    return extract(document.body, document.published, document.title)


NORDVIK = (
    "holdout/2025-09-29-nordvik-aurelia-airline-merger.md",
    "holdout/2025-11-04-nordvik-aurelia-remedies-deadline-extended.md",
)


ARGENTINA = (
    "holdout2/2026-03-03-argentina-imf-review-buenos-aires.md",
    "holdout2/2026-03-27-argentina-imf-deadline-pushed.md",
)


CMA = (
    "holdout3/2026-01-20-cma-vantor-skybridge-provisional.md",
    "holdout3/2026-03-26-cma-vantor-skybridge-extension.md",
)


def _base(subject: str) -> str:
    return subject.split("#")[0]


PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


OLD = date(2025, 9, 1)


NEW = date(2025, 10, 1)


def first(text: str, kind: Kind, published: date = OLD) -> ExtractedFact:
    return next(f for f in extract(text, published) if f.kind == kind)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Acme must sell its widget unit by Sept. 17.",
            "The deadline for the sale of Acme's widget unit was extended to Dec. 16.",
        ),
        (
            "The EU and the UK said the deadline for a deal is 10 December.",
            "EU and UK negotiators now have until 31 January to reach a deal.",
        ),
        (
            "The Commission has until Nov. 12 to decide whether to clear the merger.",
            "The move pushed back the Commission's decision deadline to Nov. 26.",
        ),
        (
            "Officials from Brazil and Chile must agree the figures by 10 December.",
            "Brazil and Chile abandoned their December target and now aim to finalise the accord by 31 January.",
        ),
    ],
)
def test_restated_deadlines_share_a_key(old, new):
    a = first(old, Kind.DEADLINE)
    b = first(new, Kind.DEADLINE, NEW)
    assert a.subject == b.subject
    assert a.date != b.date


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Acme must sell its widget unit by Sept. 17.", "Acme must pay the fine by Sept. 17."),
        ("Spain must decide on the bid by March 3.", "Italy must decide on the bid by March 3."),
        (
            "The EU and Japan must reach a deal by June 1.",
            "The EU and Japan must vote on the rules by June 1.",
        ),
    ],
)
def test_different_deadlines_have_different_keys(one, other):
    assert first(one, Kind.DEADLINE).subject != first(other, Kind.DEADLINE).subject


def test_keys_leave_out_dates_and_stray_words():
    fact = first("Acme must sell its widget unit by December 1.", Kind.DEADLINE)
    assert fact.subject == "acme sale unit widget"


def test_a_lone_name_in_a_later_sentence_means_the_full_name():
    facts = extract(
        "Nordvik notified the European Commission on Friday. The Commission has until Nov. 12 to decide.", OLD
    )
    deadline = next(f for f in facts if f.kind == Kind.DEADLINE)
    assert deadline.subject == "decision european-union nordvik"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "U.S. duties stand at 30% on Chinese goods.",
            "Washington's tariffs on Chinese imports stand at 20%.",
        ),
        ("Canada imposes a 25% tariff on American steel.", "Ottawa's levy on U.S. steel imports is 35%."),
        ("Mexico charges a 10% duty on U.S. pork.", "Mexico's tariffs on American pork products are at 15%."),
    ],
)
def test_restated_rates_share_a_key(old, new):
    assert first(old, Kind.RATE).subject == first(new, Kind.RATE, NEW).subject


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "Canada imposes a 25% tariff on American steel.",
            "Canada imposes a 25% tariff on American aluminum.",
        ),
        ("Canada imposes a 25% tariff on American steel.", "Mexico imposes a 25% tariff on American steel."),
        (
            "Canada imposes a 25% tariff on American steel.",
            "Canada will impose a 25% tariff on American steel.",
        ),
    ],
)
def test_different_rates_have_different_keys(one, other):
    assert first(one, Kind.RATE).subject != first(other, Kind.RATE).subject


def test_figures_are_keyed_by_the_counted_noun():
    old = first("Acme offered to give up 12 daily slot pairs at the airport.", Kind.FIGURE)
    new = first("Acme has now offered 20 daily slot pairs, up from its first offer.", Kind.FIGURE, NEW)
    assert old.subject == new.subject == "daili pair slot"
    assert (old.attrs["number"], new.attrs["number"]) == (12.0, 20.0)


def test_month_as_a_modifier_is_the_nearest_one():
    fact = first("Diplomats said a deal by the December target was still possible.", Kind.EVENT, NEW)
    assert fact.date == FuzzyDate(2025, 12)


@pytest.mark.parametrize(
    ("name", "one", "other"),
    [
        (CMA[0], "2026-02-10", "2026-04-14"),  # responses to the provisional findings vs the final decision
        (CMA[1], "2026-06-09", "2026-04"),  # the final decision vs the consultation on remedies
        (ARGENTINA[0], "2026-03-31", "2026-03"),  # the staff-level agreement vs the reserves target
        (NORDVIK[1], "2025-11-26", "2026-06"),  # the Commission's decision vs completing the merger
        ("holdout3/2026-02-16-indonesia-eu-nickel-wto.md", "2026-03-06", "2026-03"),  # consultation vs round
        (
            "holdout3/2026-02-16-indonesia-eu-nickel-wto.md",
            "2026-04",
            "2026-03",
        ),  # agreement vs round of talks
    ],
)
def test_different_dates_in_one_article_keep_different_keys(name, one, other):
    dated = {f.value: f for f in _facts(name) if f.kind in (Kind.DEADLINE, Kind.EVENT)}
    assert _base(dated[one].subject) != _base(dated[other].subject)


def test_spelled_out_acronyms_are_one_organisation():
    facts = extract(
        "The Competition and Markets Authority (CMA) opened an inquiry. The CMA must decide by 14 April.",
        date(2026, 1, 20),
        "CMA opens inquiry",
    )
    deadline = next(f for f in facts if f.kind == Kind.DEADLINE)
    assert deadline.subject == "cma decision"


def test_deadline_keys_of_sales_name_the_object_and_money_is_no_actor():
    one = facts_of("Acme must sell its widget unit by Sept. 17.", Kind.DEADLINE)[0]
    again = facts_of(
        "The deadline for the sale of Acme's widget unit was extended to Dec. 16.", Kind.DEADLINE
    )[0]
    other = facts_of("Acme must sell its chemicals unit by Sept. 17.", Kind.DEADLINE)[0]
    assert one.subject == again.subject == "acme sale unit widget" != other.subject
    (money,) = facts_of(
        "Argentina must pay about US$4.2 billion to its bondholders by July 9.", Kind.DEADLINE
    )
    assert money.subject == "argentina payment"
    (final,) = facts_of("Commerce is due to issue its final determination by Dec. 31.", Kind.DEADLINE)
    assert final.subject == "commerce decision"


def test_keys_leave_out_the_shared_stop_words_and_the_key_s_own_extra() -> None:
    from facts.extract.keys import KEY_STOP_EXTRA, NOT_ACTORS
    from facts.text import STOP_WORDS

    assert STOP_WORDS <= NOT_ACTORS and KEY_STOP_EXTRA <= NOT_ACTORS
    said = (
        "Ruth Okafor, its chair, estimated that the cut would shave about £60 off the expected £250 increase"
        " in the price of a typical entry-level e-bike."
    )
    (saved,) = [f for f in extract(said, OLD) if f.kind is Kind.FIGURE and "60" in f.value]
    assert saved.subject.startswith("gbp:") and "off" not in saved.subject.split(":")[1].split()
    brent = "Brent crude settled at $61.40 a barrel on Friday, down roughly 14% since January."
    (fall,) = [f for f in extract(brent, OLD) if f.kind is Kind.FIGURE and f.value.startswith("14")]
    assert "down" not in fall.subject.split(":")[1].split()
