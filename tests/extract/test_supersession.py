"""Follow-up articles: a newer deadline or amount supersedes the older one and says what it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from facts.extract import extract
from facts.ingest import Overrides, ingest_document, read_document
from facts.models import ExtractedFact, Kind, StoredFact
from facts.store import FactStore

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


TODAY = date(2026, 12, 31)


def _ingest(store: FactStore, *names: str) -> None:
    for name in names:
        ingest_document(store, read_document(CORPUS / name, Overrides(), TODAY))


def _current(store: FactStore, kind: Kind, value: str) -> StoredFact:
    found = [f for f in store.facts(kinds=[kind]) if f.value == value]
    assert len(found) == 1, [(f.subject, f.value) for f in store.facts(kinds=[kind])]
    return found[0]


def _facts(name: str) -> list[ExtractedFact]:
    document = read_document(CORPUS / name, Overrides(), TODAY)
    return extract(document.body, document.published, document.title)


FISHING = ("tune/2025-10-02-eu-uk-fishing-quotas.md", "tune/2025-10-20-eu-uk-fishing-deal-delayed.md")


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


@pytest.mark.parametrize(
    ("pair", "old", "new", "subject"),
    [
        (FISHING, "2025-12-10", "2026-01-31", "deal european-union united-kingdom"),
        (NORDVIK, "2025-11-12", "2025-11-26", "decision european-union nordvik"),
        (ARGENTINA, "2026-03-31", "2026-04-24", "argentina deal imf"),
        (CMA, "2026-04-14", "2026-06-09", "cma decision vantor"),
    ],
    ids=["fishing", "nordvik", "argentina", "cma"],
)
def test_a_follow_up_deadline_supersedes_the_first(store, pair, old, new, subject):
    _ingest(store, *pair)
    current = _current(store, Kind.DEADLINE, new)
    assert current.subject == subject
    assert [f.value for f in store.history(current.id)] == [old]
    assert old not in {f.value for f in store.facts(kinds=[Kind.DEADLINE]) if f.subject == subject}


@pytest.mark.parametrize(
    ("name", "new", "previous"),
    [
        (ARGENTINA[1], "2026-04-24", "2026-03-31"),  # "back to April 24 from March 31"
        (CMA[1], "2026-06-09", "2026-04-14"),  # "pushing its final deadline back to 9 June from 14 April"
    ],
)
def test_to_x_from_y_is_one_fact_that_keeps_y(name, new, previous):
    dated = [f for f in _facts(name) if f.kind in (Kind.DEADLINE, Kind.EVENT)]
    moved = [f for f in dated if f.value == new]
    assert [f.attrs.get("previous") for f in moved] == [previous]
    assert previous not in {f.value for f in dated}


def test_a_cut_amount_supersedes_the_first_and_keeps_what_it_was(store):
    _ingest(store, *ARGENTINA)
    reserves = _current(store, Kind.FIGURE, "US$3 billion")
    assert (reserves.subject, reserves.attrs["previous"]) == ("usd:reserv", "US$4.5 billion")
    assert [f.value for f in store.history(reserves.id)] == ["US$4.5 billion"]
    assert "US$4.5 billion" not in {f.value for f in store.facts(kinds=[Kind.FIGURE])}
