"""Fixes, undos and retractions in the store (SQLite and PostgreSQL): supersession, history, the audit."""

from __future__ import annotations

from datetime import date

import pytest

from facts.corrections import MAX_REASON, CorrectionError, Corrections
from facts.models import Kind, StoredFact
from facts.store import FactStore
from tests.botkit import at, fishing_story

NOW = at("2025-10-21 10:00")


def cod(store: FactStore, include_superseded: bool = False) -> list[StoredFact]:
    """The cod-share rate facts, oldest first."""
    found = store.facts(kinds=[Kind.RATE], include_superseded=include_superseded)
    return sorted((f for f in found if f.subject == "r:cod"), key=lambda f: f.id)


def links(store: FactStore) -> list[tuple[int, int | None]]:
    """Every fact's id and supersession link: what a change to the facts would change."""
    return [(f.id, f.superseded_by) for f in store.facts(include_superseded=True)]


def test_fix_supersedes_the_fact_with_its_provenance(store: FactStore) -> None:
    fishing_story(store, later=False)
    [wrong] = cod(store)
    done = Corrections(store).fix(wrong.id, "52%", "slack:U0ALICE", "the article said 52", NOW)

    [current] = cod(store)
    assert current.id == done.current.id != wrong.id
    assert (current.kind, current.subject, current.value) == (Kind.RATE, "r:cod", "52%")
    assert current.text == "UK share of North Sea cod sought: 52%"
    assert current.attrs["percent"] == 52.0
    assert current.topics == wrong.topics and current.document_id == wrong.document_id
    assert current.correction_note() == "corrected by slack:U0ALICE on 2025-10-21: was 47%"
    data = current.to_json()
    assert data["correction"]["note"] == current.correction_note()
    assert data["correction"]["reason"] == "the article said 52" and "correction" not in data["attrs"]
    # The one reader of supersession gives the fix for the wrong fact, and the history keeps it.
    [replaced] = store.get([wrong.id])
    assert replaced.superseded_by == current.id
    assert store.newest_versions([replaced], NOW.date())[wrong.id].id == current.id
    assert [f.id for f in store.history(current.id)] == [wrong.id]
    assert store.topic_counts()["agriculture"] == 2  # a version replaced, not a fact added


def test_undo_restores_the_version_before_and_keeps_the_fix_as_history(store: FactStore) -> None:
    fishing_story(store, later=False)
    [wrong] = cod(store)
    corrections = Corrections(store)
    fixed = corrections.fix(wrong.id, "52%", "alice", "", NOW)
    undone = corrections.undo(fixed.current.id, "bob", NOW)

    assert undone.current.id == wrong.id and undone.current.current
    assert [f.id for f in cod(store)] == [wrong.id]
    history = {f.id: f for f in cod(store, include_superseded=True)}
    assert history[fixed.current.id].withdrawn and not history[fixed.current.id].current
    [restored] = store.get([wrong.id])
    assert store.newest_versions([restored, history[fixed.current.id]], NOW.date()) == {wrong.id: restored}
    with pytest.raises(CorrectionError, match="already undone"):
        corrections.undo(fixed.current.id, "bob", NOW)


def test_undo_by_the_fixed_facts_id_and_a_second_fix_builds_on_the_first(store: FactStore) -> None:
    fishing_story(store, later=False)
    [wrong] = cod(store)
    corrections = Corrections(store)
    first = corrections.fix(wrong.id, "50%", "alice", "", NOW)
    second = corrections.fix(first.current.id, "52%", "alice", "", NOW)
    with pytest.raises(CorrectionError, match="no longer current"):
        corrections.fix(wrong.id, "53%", "alice", "", NOW)
    undone = corrections.undo(second.current.id, "bob", NOW)
    assert undone.current.id == first.current.id and [f.value for f in cod(store)] == ["50%"]


def test_a_newer_article_supersedes_a_fix_like_any_version(store: FactStore) -> None:
    fishing_story(store, later=False)
    [wrong] = cod(store)
    fixed = Corrections(store).fix(wrong.id, "52%", "alice", "", NOW)
    fishing_story(store, later=True)
    [current] = cod(store)
    assert current.value == "55%" and [f.id for f in store.history(current.id)][:1] == [fixed.current.id]


def test_forget_brings_back_the_older_version_and_keeps_the_history(store: FactStore) -> None:
    first = fishing_story(store, later=False)
    later = fishing_story(store, later=True)
    assert [f.value for f in cod(store)] == ["55%"]
    before = store.search([frozenset({"cod"})], NOW.date(), 10)
    assert {store.place_of_ids([r.fact_id])[r.fact_id][0] for r in before} == {
        first.document_id,
        later.document_id,
    }

    sentences = store.sentence_count()

    done = Corrections(store).forget(str(later.document_id), "carol", NOW)

    # Counts cached by the store see the retraction (they are kept while the store is unchanged).
    assert store.sentence_count() == sentences - 2

    [restored] = cod(store)
    assert restored.value == "47%" and restored.document_id == first.document_id
    assert restored.id in done.restored
    deadlines = store.facts(kinds=[Kind.DEADLINE])
    assert [d.date.iso() for d in deadlines if d.date] == ["2025-12-10"]
    everything = cod(store, include_superseded=True)
    assert [(f.value, f.withdrawn) for f in everything] == [("47%", False), ("55%", True)]
    # Its sentences are out of the search: questions are no longer answered from it.
    after = store.search([frozenset({"cod"})], NOW.date(), 10)
    assert {store.place_of_ids([r.fact_id])[r.fact_id][0] for r in after} == {first.document_id}
    assert store.newest_versions(everything, NOW.date()) == {restored.id: restored}
    with pytest.raises(CorrectionError, match="already retracted"):
        Corrections(store).forget(str(later.document_id), "carol", NOW)


def test_forget_finds_an_article_by_its_url_and_lists_it_as_retracted(store: FactStore) -> None:
    first = fishing_story(store, later=False)
    assert store.topic_counts() == {"agriculture": 2}
    Corrections(store).forget(str(first.document_id), "carol", NOW)
    assert store.topic_counts() == {}  # nothing came before: no version of its facts is current
    later = fishing_story(store, later=True)
    corrections = Corrections(store)
    listed = corrections.articles()
    assert [(a.id, a.facts, a.retracted) for a in listed][0] == (later.document_id, 2, False)
    url = listed[0].url
    corrections.forget(url, "carol", NOW)
    assert [(a.id, a.facts, a.retracted) for a in corrections.articles()][0] == (later.document_id, 0, True)
    assert [a.id for a in corrections.articles(topic="agriculture")] == [later.document_id, first.document_id]
    assert corrections.articles(topic="tiktok") == []


@pytest.mark.parametrize(
    ("fact_id", "value", "reason", "expected"),
    [
        (999, "52%", "", "There is no fact 999"),
        (None, "banana", "", "`banana` is not a rate"),
        (None, "52%", "x" * 10_000, f"keep it to {MAX_REASON}"),
        (None, "47%", "", "already says 47%"),
        (None, "", "", "Give the new value"),
    ],
)
def test_bad_fixes_are_one_line_and_change_nothing(
    store: FactStore, fact_id: int | None, value: str, reason: str, expected: str
) -> None:
    fishing_story(store, later=False)
    [rate] = cod(store)
    before = links(store)
    with pytest.raises(CorrectionError) as error:
        Corrections(store).fix(fact_id or rate.id, value, "alice", reason, NOW)
    assert expected in str(error.value) and "\n" not in str(error.value)
    assert links(store) == before and Corrections(store).audit() == []


def test_a_date_is_checked_as_a_date_and_a_quote_cannot_be_fixed(store: FactStore) -> None:
    fishing_story(store, later=False)
    [deadline] = store.facts(kinds=[Kind.DEADLINE])
    corrections = Corrections(store)
    with pytest.raises(CorrectionError, match="is not a date"):
        corrections.fix(deadline.id, "banana", "alice", "", NOW)
    done = corrections.fix(deadline.id, "January 15", "alice", "", NOW)
    assert done.current.date is not None and done.current.date.iso() == "2026-01-15"
    assert done.current.text == "EU-UK fishing quota deadline: January 15, 2026"
    assert [f.date.first_day() for f in store.facts(kinds=[Kind.DEADLINE], dated_from=date(2026, 1, 1))] == [
        date(2026, 1, 15)
    ]


def test_unknown_article_and_bad_undo_are_one_line(store: FactStore) -> None:
    fishing_story(store, later=False)
    [rate] = cod(store)
    corrections = Corrections(store)
    before = links(store)
    for action, expected in [
        (lambda: corrections.forget("99", "carol", NOW), "There is no article 99"),
        (lambda: corrections.forget("https://nowhere.example/x", "carol", NOW), "There is no article"),
        (lambda: corrections.forget("the cod story", "carol", NOW), "Give an article's id"),
        (lambda: corrections.undo(rate.id, "bob", NOW), "has no fix to undo"),
        (lambda: corrections.undo(999, "bob", NOW), "There is no fact 999"),
    ]:
        with pytest.raises(CorrectionError, match=expected):
            action()
    assert links(store) == before and corrections.audit() == []


def test_the_audit_keeps_who_when_and_what(store: FactStore) -> None:
    fishing_story(store, later=False)
    later = fishing_story(store, later=True)
    [rate] = cod(store)
    corrections = Corrections(store)
    fixed = corrections.fix(rate.id, "57%", "slack:U0ALICE", "misread", NOW)
    corrections.undo(fixed.current.id, "discord:42", at("2025-10-21 11:00"))
    corrections.forget(str(later.document_id), "console:carol", at("2025-10-21 12:00"))
    entries = [e.to_json() for e in corrections.audit()]
    assert [(e["action"], e["who"], e["when"][:16]) for e in entries] == [
        ("fix", "slack:U0ALICE", "2025-10-21T10:00"),
        ("undo", "discord:42", "2025-10-21T11:00"),
        ("forget", "console:carol", "2025-10-21T12:00"),
    ]
    assert entries[0]["was"] == "55%" and entries[0]["value"] == "57%" and entries[0]["reason"] == "misread"
    assert entries[1]["fact_id"] == fixed.current.id and entries[1]["new_fact_id"] == rate.id
    assert entries[2]["document_id"] == later.document_id and "retracted" in entries[2]["what"]
