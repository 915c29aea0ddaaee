"""The fact store contract: every backend must pass these (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

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


def statement(sentence: str, sentence_index: int = 0) -> ExtractedFact:
    return ExtractedFact(
        kind=Kind.STATEMENT,
        subject=f"sentence:{sentence_index}",
        text=sentence,
        sentence_index=sentence_index,
        start=0,
        end=len(sentence),
        sentence=sentence,
    )


def groups(*words: str) -> list[frozenset[str]]:
    return [frozenset({w}) for w in words]


def doc(body: str, published: date, title: str = "Widget talks") -> NewDocument:
    return NewDocument(title=title, published=published, body=body, url="https://example.test/a")


def test_empty_store(store: FactStore) -> None:
    assert store.is_empty()
    assert store.count() == (0, 0)
    assert store.facts() == []
    assert store.search(groups("tariff"), known_by=date(2030, 1, 1), limit=10) == []
    assert store.sentence_count() == 0


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


def test_newest_versions_follow_the_chain_only_as_far_as_the_date_knows(store: FactStore) -> None:
    first = store.ingest(doc("first", date(2025, 9, 1)), [rate("s", "10%")]).added[0]
    store.ingest(doc("second", date(2025, 10, 1)), [rate("s", "20%")])
    store.ingest(doc("third", date(2025, 11, 1)), [rate("s", "30%")])
    [first] = store.get([first.id])  # as stored now, with its link to the fact that replaced it

    def newest_on(day: date) -> str:
        return store.newest_versions([first], day)[first.id].value

    assert [newest_on(date(2025, 9, 15)), newest_on(date(2025, 10, 15)), newest_on(date(2025, 12, 1))] == [
        "10%",
        "20%",
        "30%",
    ]
    assert store.newest_versions([], date(2025, 12, 1)) == {}


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


def test_search_finds_sentences_through_the_full_text_index(store: FactStore) -> None:
    result = store.ingest(
        doc("x", date(2025, 9, 15)),
        [rate("s", "30%"), statement("Duties stand at 30% on widgets."), statement("Talks resume.", 1)],
    )
    [sentence] = [f for f in result.added if f.kind is Kind.STATEMENT and f.sentence_index == 0]
    hits = store.search(groups("widget", "duti"), known_by=date(2025, 9, 15), limit=10)
    assert [h.fact_id for h in hits] == [sentence.id]
    assert store.search(groups("nonexistentterm"), known_by=date(2025, 9, 15), limit=10) == []
    assert store.term_frequencies({"widget", "talk", "nope"}) == {"widget": 1, "talk": 1}
    assert store.sentence_count() == 2


def test_search_ranks_by_weight_met_ties_newest_and_sees_only_sentences_known_by_the_date(
    store: FactStore,
) -> None:
    store.ingest(doc("early", date(2025, 9, 1)), [statement("Widget duties rise.")])
    store.ingest(doc("later", date(2025, 9, 20)), [statement("Widget duties fall."), statement("A sale.", 1)])
    store.ingest(doc("filler", date(2025, 9, 2)), [statement("Widget makers and widget buyers meet.")])
    by_id = {f.id: f.sentence for f in store.facts(kinds=[Kind.STATEMENT])}
    hits = store.search(groups("widget", "duti", "sale"), known_by=date(2025, 9, 30), limit=10)
    # idf weights over four sentences: "sale" (in one) 1.20 outweighs "duti" (two) 0.69 and "widget"
    # (three) 0.36 together; the two duty sentences tie, the one stored last first.
    assert [by_id[h.fact_id] for h in hits] == [
        "A sale.",
        "Widget duties fall.",
        "Widget duties rise.",
        "Widget makers and widget buyers meet.",
    ]
    assert hits[0].score > hits[1].score == hits[2].score > hits[3].score
    before = store.search(groups("widget", "duti", "sale"), known_by=date(2025, 9, 10), limit=10)
    assert [by_id[h.fact_id] for h in before] == [
        "Widget duties rise.",
        "Widget makers and widget buyers meet.",
    ]


def test_search_never_forgets_an_old_sentence_however_many_newer_ones_share_its_words(
    store: FactStore,
) -> None:
    """The best match is found among hundreds of newer sentences each sharing some of its words."""
    old = store.ingest(
        doc("old", date(2024, 1, 5)), [statement("Chile charges a 12% tariff on Peruvian copper.")]
    )
    for n in range(300):
        day = date(2025, 1, 1 + n % 28)
        store.ingest(
            doc(f"new {n}", day),
            [
                statement(f"Chile charges a {n}% tariff on Bolivian tin batch{n}."),
                statement(f"Peruvian copper exports rose by {n}% in batch{n}.", 1),
            ],
        )
    [sentence] = [f for f in old.added if f.kind is Kind.STATEMENT]
    wanted = groups("chile", "charg", "tariff", "peruvian", "copper")
    hits = store.search(wanted, known_by=date(2026, 1, 1), limit=5)
    assert hits[0].fact_id == sentence.id
    assert store.search(wanted, known_by=date(2023, 1, 1), limit=5) == []


@pytest.mark.parametrize("kept_from", [10**9, 1], ids=["read", "kept"])
def test_search_is_exactly_the_ranking_of_every_matching_sentence(
    store: FactStore, kept_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compared with scoring every sentence by hand, for many questions, dates and depths.

    Run with every group's ids read from the index each time, and with every group's ids kept in memory
    from one search to the next (the dates are not in the order of the ids).
    """
    import random

    import facts.store

    monkeypatch.setattr(facts.store, "_CACHE_FROM", kept_from)

    from facts.search import score

    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(12)]
    sentences: dict[int, tuple[date, frozenset[str]]] = {}
    for n in range(120):
        day = date(2025, 1 + n % 12, 1 + n % 27)
        words = rng.sample(vocabulary, rng.randint(1, 5))
        result = store.ingest(doc(f"d{n}", day), [statement(" ".join(words) + f" x{n}.")])
        sentences[result.added[0].id] = (day, frozenset(words))
    total = store.sentence_count()
    for _ in range(40):
        asked = groups(*rng.sample(vocabulary, rng.randint(1, 6)))
        known_by = date(2025, rng.randint(1, 12), 15)
        limit = rng.choice((1, 3, 10, 50))
        counts = store.term_frequencies({t for g in asked for t in g})
        from facts.search import Group, weight

        weighted = [
            Group(g, weight(counts[min(g)], total), counts[min(g)]) for g in asked if counts.get(min(g))
        ]
        expected = sorted(
            (
                (score(terms, weighted), fid)
                for fid, (day, terms) in sentences.items()
                if day <= known_by and score(terms, weighted) > 0
            ),
            reverse=True,
        )[:limit]
        found = store.search(asked, known_by=known_by, limit=limit)
        assert [(round(h.score, 9), h.fact_id) for h in found] == [(round(s, 9), f) for s, f in expected]


def test_kept_ids_of_common_words_follow_ingest_delete_and_rebuild(
    store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search sees what was stored or removed since the last one, though it keeps common words' ids."""
    import facts.store

    monkeypatch.setattr(facts.store, "_CACHE_FROM", 1)  # every group's ids are kept
    asked = groups("tariff")
    first = store.ingest(doc("one", date(2025, 3, 1)), [statement("A tariff on tin.")])
    assert [h.fact_id for h in store.search(asked, known_by=date(2026, 1, 1), limit=5)] == [first.added[0].id]
    second = store.ingest(doc("two", date(2025, 3, 2)), [statement("A tariff on lead.")])
    found = [h.fact_id for h in store.search(asked, known_by=date(2026, 1, 1), limit=5)]
    assert found == [second.added[0].id, first.added[0].id]
    # Asked on a date before the second article: the kept ids are cut to what was known then.
    found = [h.fact_id for h in store.search(asked, known_by=date(2025, 3, 1), limit=5)]
    assert found == [first.added[0].id]
    store.delete_document(second.document_id)
    found = [h.fact_id for h in store.search(asked, known_by=date(2026, 1, 1), limit=5)]
    assert found == [first.added[0].id]
    assert store.rebuild_search_index() == 1
    found = [h.fact_id for h in store.search(asked, known_by=date(2026, 1, 1), limit=5)]
    assert found == [first.added[0].id]


def test_facts_beside_are_every_fact_of_the_given_facts_sentences(store: FactStore) -> None:
    result = store.ingest(
        doc("one", date(2025, 3, 1)),
        [statement("Duties stand at 5% on widgets.", 4), rate("s1", "5%", 4), statement("Other.", 5)],
    )
    by_index = {f.sentence_index: f for f in result.added if f.kind is Kind.STATEMENT}
    beside = store.facts_beside([by_index[4].id, by_index[4].id])
    assert sorted((f.sentence_index, f.kind.value) for f in beside) == [(4, "rate"), (4, "statement")]
    assert [f.id for f in beside] == sorted(f.id for f in beside)
    assert store.facts_beside([]) == []


def test_counts_follow_ingest_and_delete(store: FactStore) -> None:
    first = store.ingest(doc("one", date(2025, 9, 1)), [rate("s1", "10%")])
    assert store.count() == (1, 1)
    assert store.topic_counts() == {"tariffs": 1}
    store.ingest(
        doc("two", date(2025, 9, 2)), [deadline("sale", FuzzyDate(2025, 10)), statement("A sale.", 2)]
    )
    assert store.count() == (2, 3)
    # Every sentence with a fact is searchable, under its statement when it has one.
    assert store.term_frequencies({"widget", "sale"}) == {"widget": 1, "sale": 2}
    assert store.sentence_count() == 3
    store.delete_document(first.document_id)
    assert store.count() == (1, 2)
    assert store.topic_counts() == {"antitrust": 1}
    assert store.term_frequencies({"widget", "sale"}) == {"sale": 2}  # its sentences went with it
    store.delete_document(store.documents()[0].id)
    assert store.term_frequencies({"widget", "sale"}) == {}
    assert store.sentence_count() == 0


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
            prepare(doc("first", date(2025, 9, 1)), [rate("s", "10%"), statement("Widgets cost more.", 1)]),
            prepare(doc("broken", date(2025, 9, 2)), [rate("s", "99%", None)]),  # type: ignore[arg-type]
            prepare(doc("third", date(2025, 9, 3)), [rate("s", "30%"), statement("Widgets cost less.", 1)]),
        ]
    )
    assert isinstance(results[1], Exception)
    first, third = results[0], results[2]
    assert not isinstance(first, Exception) and not isinstance(third, Exception)
    assert [d.title for d in store.documents()] == ["Widget talks", "Widget talks"]
    [current] = store.facts(kinds=[Kind.RATE])
    assert current.value == "30%"
    assert [f.value for f in store.history(current.id)] == ["10%"]
    assert store.term_frequencies({"widget"}) == {"widget": 4}  # each article: its rate and its statement


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
    store.ingest(doc("y", date(2025, 9, 15)), [statement("Widgets again.")])
    before = (store.count(), store.search(groups("widget"), known_by=date(2025, 9, 15), limit=5))
    store.settle_after_bulk_ingest()  # VACUUM (ANALYZE) outside a transaction on PostgreSQL
    assert (store.count(), store.search(groups("widget"), known_by=date(2025, 9, 15), limit=5)) == before
    assert before[1]


def test_rebuilding_the_search_index_gives_what_ingest_wrote(store: FactStore) -> None:
    from sqlalchemy import select, update

    from facts.schema import sentence_terms, term_counts

    store.ingest(
        doc("x", date(2025, 9, 15)),
        [
            rate("s", "30%"),
            statement("Duties stand at 30% on widgets."),
            statement("Licence talks resume.", 1),
        ],
    )

    def snapshot() -> tuple[list, list]:
        with store.engine.connect() as conn:
            rows = conn.execute(select(sentence_terms).order_by(sentence_terms.c.fact_id)).all()
            counts = conn.execute(
                select(term_counts).where(term_counts.c.sentences > 0).order_by(term_counts.c.term)
            ).all()
        return [tuple(r) for r in rows], [tuple(c) for c in counts]

    before = snapshot()
    with store.engine.begin() as conn:  # as a store migrated from older postings might hold them
        conn.execute(update(sentence_terms).values(terms="stale"))
    assert store.search(groups("licens"), known_by=date(2025, 9, 15), limit=5) == []
    assert store.rebuild_search_index() == 2
    assert snapshot()[0] == before[0]
    assert [h.fact_id for h in store.search(groups("licens"), known_by=date(2025, 9, 15), limit=5)]


def test_facts_added_since_a_cursor_and_when_their_documents_came(store: FactStore) -> None:
    assert store.newest_fact_id() == 0
    first = store.ingest(doc("first", date(2025, 9, 1)), [rate("s", "10%")])
    cursor = store.newest_fact_id()
    stamp = datetime(2025, 9, 2, 8, 30, tzinfo=UTC)
    second = store.ingest(doc("second", date(2025, 9, 2)), [rate("t", "20%")], now=stamp)
    assert [f.value for f in store.facts_added(cursor, store.newest_fact_id())] == ["20%"]
    assert store.facts_added(store.newest_fact_id(), store.newest_fact_id()) == []
    at = store.ingested_at([second.document_id, first.document_id])
    assert at[second.document_id] == stamp and at[first.document_id].tzinfo is not None


def test_search_dates_sentences_stored_by_another_writer_and_after_a_removal(database_url: str) -> None:
    reader, writer = FactStore.open(database_url), FactStore.open(database_url)
    try:
        writer.ingest(doc("first", date(2025, 9, 10)), [statement("Widget duties rise.")])
        asked = groups("widget")
        assert len(reader.search(asked, known_by=date(2025, 9, 9), limit=5)) == 0
        writer.ingest(doc("second", date(2025, 9, 20)), [statement("Widget duties fall.")])
        # The reader remembered the first sentence's date; the second one's it must learn.
        assert len(reader.search(asked, known_by=date(2025, 9, 15), limit=5)) == 1
        assert len(reader.search(asked, known_by=date(2025, 9, 25), limit=5)) == 2
        [second] = [d for d in reader.documents() if d.published == date(2025, 9, 20)]
        reader.delete_document(second.id)
        # Ids may be given again: the new sentence's date, not the removed one's, decides.
        writer.ingest(
            doc("third", date(2025, 9, 1)), [statement("Widget sales."), statement("Widget makers.", 1)]
        )
        assert len(reader.search(asked, known_by=date(2025, 9, 5), limit=5)) == 2
        assert len(reader.search(asked, known_by=date(2025, 9, 12), limit=5)) == 3
    finally:
        reader.close()
        writer.close()
