"""The fact store contract: every backend must pass these (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from facts.models import ExtractedFact, FuzzyDate, Kind, NewDocument
from facts.store import FactStore, prepare


def rate(
    subject: str, value: str, sentence_index: int = 0, topics: tuple[str, ...] = ("tariffs",)
) -> ExtractedFact:
    sentence = f"Duties stand at {value} on widgets."
    return ExtractedFact(
        kind=Kind.RATE,
        subject=subject,
        text=f"Duties on widgets: {value}",
        sentence_index=sentence_index,
        start=0,
        end=len(sentence),
        sentence=sentence,
        value=value,
        attrs={"percent": float(value.rstrip("%")), "imposer": "ruritania", "target": "widgets"},
        topics=topics,
    )


def deadline(subject: str, when: FuzzyDate, sentence_index: int = 1) -> ExtractedFact:
    sentence = f"The sale must close by {when.human()}."
    return ExtractedFact(
        kind=Kind.DEADLINE,
        subject=subject,
        text=f"Deadline for the sale: {when.human()}",
        sentence_index=sentence_index,
        start=10,
        end=10 + len(sentence),
        sentence=sentence,
        value=when.iso(),
        date=when,
        attrs={"what": "the sale closes"},
        topics=("antitrust",),
    )


def doc(body: str, published: date, title: str = "Widget talks") -> NewDocument:
    return NewDocument(title=title, published=published, body=body, url="https://example.test/a")


def test_empty_store(store: FactStore) -> None:
    assert store.is_empty()
    assert store.count() == (0, 0)
    assert store.facts() == []
    assert store.search({"tariff"}, known_by=date(2030, 1, 1)) == {}


def test_ingest_keeps_provenance_and_topics(store: FactStore) -> None:
    result = store.ingest(doc("body one", date(2025, 9, 15)), [rate("ruritania|widgets", "30%")])
    assert not result.duplicate and len(result.added) == 1
    [fact] = store.facts()
    assert fact.text == "Duties on widgets: 30%"
    assert fact.as_of == date(2025, 9, 15)
    assert fact.topics == ("tariffs",)
    assert fact.source is not None and fact.source.title == "Widget talks"
    assert fact.source.sentence == "Duties stand at 30% on widgets."
    assert fact.attrs["percent"] == 30.0
    assert store.facts(topics=["tariffs"]) == [fact]
    assert store.facts(topics=["antitrust"]) == []
    assert store.facts(kinds=[Kind.DEADLINE]) == []


def test_same_content_twice_changes_nothing(store: FactStore) -> None:
    first = store.ingest(doc("same body", date(2025, 9, 15)), [rate("s", "30%")])
    second = store.ingest(doc("same  body\n", date(2025, 9, 16)), [rate("s", "40%")])
    assert second.duplicate and second.document_id == first.document_id
    assert store.count() == (1, 1)


def test_newer_document_supersedes_older_fact(store: FactStore) -> None:
    store.ingest(doc("old", date(2025, 9, 15)), [rate("s", "30%")])
    result = store.ingest(doc("new", date(2025, 10, 1)), [rate("s", "47%")])
    [(old, new)] = result.superseded
    assert (old.value, new.value) == ("30%", "47%")
    [current] = store.facts()
    assert current.value == "47%"
    history = store.facts(include_superseded=True)
    assert sorted(f.value for f in history) == ["30%", "47%"]
    assert [f.value for f in store.history(current.id)] == ["30%"]


def test_older_document_ingested_late_does_not_win(store: FactStore) -> None:
    store.ingest(doc("new", date(2025, 10, 1)), [rate("s", "47%")])
    store.ingest(doc("old", date(2025, 9, 15)), [rate("s", "30%")])
    [current] = store.facts()
    assert current.value == "47%"
    assert len(store.facts(include_superseded=True)) == 2


def test_deadline_dates_keep_precision(store: FactStore) -> None:
    store.ingest(
        doc("d", date(2025, 9, 15)),
        [deadline("sale", FuzzyDate(2025, 9, 17)), deadline("expiry", FuzzyDate(2025, 11), 2)],
    )
    by_subject = {f.subject: f for f in store.facts(kinds=[Kind.DEADLINE])}
    assert by_subject["sale"].date == FuzzyDate(2025, 9, 17)
    assert by_subject["expiry"].date == FuzzyDate(2025, 11)
    assert by_subject["expiry"].to_json()["precision"] == "month"
    assert by_subject["expiry"].to_json()["date"] == "2025-11"
    assert [f.subject for f in store.facts(dated_from=date(2025, 10, 1))] == ["expiry"]


def test_search_uses_the_term_index(store: FactStore) -> None:
    store.ingest(doc("x", date(2025, 9, 15)), [rate("s", "30%"), deadline("sale", FuzzyDate(2025, 9, 17))])
    hits = store.search({"widget", "duti"}, known_by=date(2025, 9, 15))
    [rate_fact] = store.facts(kinds=[Kind.RATE])
    assert rate_fact.id in hits
    assert store.search({"nonexistentterm"}, known_by=date(2025, 9, 15)) == {}
    assert store.term_frequencies({"widget", "nope"}) == {"widget": 1}


def test_search_ranks_by_terms_met_and_sees_only_facts_known_by_the_date(store: FactStore) -> None:
    store.ingest(doc("early", date(2025, 9, 1)), [rate("s1", "10%")])
    store.ingest(doc("later", date(2025, 9, 20)), [rate("s2", "20%"), deadline("sale", FuzzyDate(2025, 10))])
    by_id = {f.id: f for f in store.facts(include_superseded=True)}
    hits = store.search({"widget", "duti", "sale"}, known_by=date(2025, 9, 30))
    assert [by_id[i].value for i in hits] == [
        "10%",
        "20%",
        "2025-10",
    ]  # two terms met, then ties oldest first
    assert list(hits.values()) == [2, 2, 1]
    before = store.search({"widget", "duti", "sale"}, known_by=date(2025, 9, 10))
    assert [by_id[i].value for i in before] == ["10%"]


def test_search_reads_only_the_newest_postings_of_each_term(
    store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("facts.store.RECENT", 2)
    for day in (1, 2, 3, 4):
        store.ingest(doc(f"d{day}", date(2025, 9, day)), [rate(f"s{day}", f"{day}%")])
    by_id = {f.id: f for f in store.facts(include_superseded=True)}
    assert sorted(by_id[i].value for i in store.search({"widget"}, known_by=date(2025, 9, 30))) == [
        "3%",
        "4%",
    ]
    assert sorted(by_id[i].value for i in store.search({"widget"}, known_by=date(2025, 9, 2))) == ["1%", "2%"]
    assert store.term_frequencies({"widget"}) == {"widget": 4}


def test_counts_follow_ingest_and_delete(store: FactStore) -> None:
    first = store.ingest(doc("one", date(2025, 9, 1)), [rate("s1", "10%")])
    assert store.count() == (1, 1)
    assert store.topic_counts() == {"tariffs": 1}
    store.ingest(doc("two", date(2025, 9, 2)), [deadline("sale", FuzzyDate(2025, 10))])
    assert store.count() == (2, 2)
    assert store.term_frequencies({"widget", "sale"}) == {"widget": 1, "sale": 1}
    store.delete_document(first.document_id)
    assert store.count() == (1, 1)
    assert store.topic_counts() == {"antitrust": 1}
    assert store.term_frequencies({"widget", "sale"}) == {"sale": 1}  # its postings went with it


def test_sentence_facts_and_get(store: FactStore) -> None:
    result = store.ingest(
        doc("x", date(2025, 9, 15)), [rate("s", "30%", 4), deadline("d", FuzzyDate(2026), 5)]
    )
    doc_id = result.document_id
    assert [f.kind for f in store.sentence_facts([(doc_id, 4)])] == [Kind.RATE]
    ids = [f.id for f in result.added]
    assert [f.id for f in store.get(reversed(ids))] == list(reversed(ids))


def test_topic_counts_count_current_facts(store: FactStore) -> None:
    store.ingest(doc("a", date(2025, 9, 15)), [rate("s", "30%")])
    store.ingest(doc("b", date(2025, 9, 20)), [rate("s", "35%"), deadline("sale", FuzzyDate(2025, 12))])
    assert store.topic_counts() == {"tariffs": 1, "antitrust": 1}


def test_failed_ingest_leaves_store_unchanged(store: FactStore) -> None:
    store.ingest(doc("a", date(2025, 9, 15)), [rate("s", "30%")])
    before = (store.count(), [f.to_json() for f in store.facts(include_superseded=True)])
    broken = rate("s", "47%")
    broken.attrs = {"unserialisable": object()}
    with pytest.raises(Exception):  # noqa: B017 - any database or encoding error will do
        store.ingest(doc("b", date(2025, 10, 1)), [rate("t", "10%"), broken])
    after = (store.count(), [f.to_json() for f in store.facts(include_superseded=True)])
    assert after == before


def test_delete_document_restores_replaced_facts(store: FactStore) -> None:
    store.ingest(doc("a", date(2025, 9, 15)), [rate("s", "30%")])
    newer = store.ingest(doc("b", date(2025, 10, 1)), [rate("s", "47%")])
    store.delete_document(newer.document_id)
    [current] = store.facts()
    assert current.value == "30%"


def test_topic_counts_follow_changes_made_through_another_connection(
    database_url: str, store: FactStore
) -> None:
    store.ingest(doc("a", date(2025, 9, 15)), [rate("s", "30%")])
    assert store.topic_counts() == {"tariffs": 1}
    other = FactStore.open(database_url)
    try:
        result = other.ingest(doc("b", date(2025, 9, 20)), [deadline("sale", FuzzyDate(2025, 12))])
        assert store.topic_counts() == {"tariffs": 1, "antitrust": 1}
        other.delete_document(result.document_id)
        assert store.topic_counts() == {"tariffs": 1}
    finally:
        other.close()


def test_ingest_many_stores_a_batch_and_rejects_only_a_broken_document(store: FactStore) -> None:
    results = store.ingest_many(
        [
            prepare(doc("first", date(2025, 9, 1)), [rate("s", "10%")]),
            prepare(doc("broken", date(2025, 9, 2)), [rate("s", "99%", None)]),  # type: ignore[arg-type]
            prepare(doc("third", date(2025, 9, 3)), [rate("s", "30%")]),
        ]
    )
    assert isinstance(results[1], Exception)
    first, third = results[0], results[2]
    assert not isinstance(first, Exception) and not isinstance(third, Exception)
    assert [d.title for d in store.documents()] == ["Widget talks", "Widget talks"]
    [current] = store.facts(kinds=[Kind.RATE])
    assert current.value == "30%"
    assert [f.value for f in store.history(current.id)] == ["10%"]
    assert store.term_frequencies({"widget"}) == {"widget": 2}


def test_ingest_many_reports_a_lone_broken_document_instead_of_raising(store: FactStore) -> None:
    [result] = store.ingest_many([prepare(doc("broken", date(2025, 9, 2)), [rate("s", "9%", None)])])  # type: ignore[arg-type]
    assert isinstance(result, Exception)
    assert store.count() == (0, 0)


def test_ingest_many_in_one_batch_matches_one_by_one(store: FactStore) -> None:
    twice = prepare(doc("a", date(2025, 9, 1)), [rate("s", "10%")])
    results = store.ingest_many([twice, twice])
    assert [getattr(r, "duplicate", None) for r in results] == [False, True]
    assert store.count() == (1, 1)


def test_settling_after_a_bulk_ingest_keeps_the_store_as_it_was(store: FactStore) -> None:
    store.ingest(doc("x", date(2025, 9, 15)), [rate("s", "30%")])
    before = (store.count(), store.search({"widget"}, known_by=date(2025, 9, 15)))
    store.settle_after_bulk_ingest()  # VACUUM (ANALYZE) outside a transaction on PostgreSQL
    assert (store.count(), store.search({"widget"}, known_by=date(2025, 9, 15))) == before
