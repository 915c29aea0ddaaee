"""Article analyses: worked out at ingest, read back by questions, and rebuilt when missing or outdated."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, text, update

from facts.analysis import VERSION, DocumentAnalysis, acronyms_in, analyse, passage_terms
from facts.db import FACTS_VERSION_TABLE, make_engine, upgrade
from facts.models import ExtractedFact, Kind, NewDocument
from facts.schema import document_analyses
from facts.store import FactStore

TITLE = "Trade ministers call off the Oslo round"
BODY = (
    "The International Monetary Fund said the Ministry of Industry and Trade voted the plan down. "
    "Trade officials from Malmö met again. Trade talks, trade rules and trade envoys were discussed."
)
SENTENCES = {
    0: "The International Monetary Fund said the Ministry of Industry and Trade voted the plan down.",
    1: "Trade officials from Malmö met again.",
}


def statement(index: int, sentence: str) -> ExtractedFact:
    return ExtractedFact(
        kind=Kind.STATEMENT,
        subject=f"s{index}",
        text=sentence,
        sentence_index=index,
        start=0,
        end=len(sentence),
        sentence=sentence,
    )


def test_passage_terms_add_accent_free_spellings_and_phrasal_meanings() -> None:
    terms = passage_terms("Officials from Malmö voted the other plan down.")
    assert {"malmo", "reject", "other", "plan"} <= terms
    assert "the" not in terms


def test_analyse_reads_title_body_acronyms_salient_words_and_sentences() -> None:
    analysis = analyse(TITLE, BODY, SENTENCES)
    assert {"oslo", "cancel", "fund", "discuss"} <= analysis.terms  # title, phrasal verb, body
    assert analysis.title_terms == frozenset(passage_terms(TITLE))
    assert acronyms_in(f"{TITLE}\n{BODY}") == analysis.acronyms
    assert analysis.acronyms["IMF"] == "fund"
    assert analysis.acronyms["MIT"] == "trade"
    assert analysis.salient.get("trade", 0) >= 3  # four times in the body
    assert "fund" not in analysis.salient
    assert analysis.sentence_terms(1, SENTENCES[1]) == passage_terms(SENTENCES[1])
    assert analysis.sentence_terms(7, "Tariffs rose.") == passage_terms("Tariffs rose.")  # not stored
    assert analysis.title_countries == {"norway"}  # Oslo
    assert analysis.sentence_countries(0, SENTENCES[0]) == set()
    assert analysis.sentence_countries(7, "Beijing and Seoul agreed.") == {
        "china",
        "south korea",
    }  # not stored


def test_stored_form_round_trips_and_rejects_other_versions() -> None:
    analysis = analyse(TITLE, BODY, SENTENCES)
    data = analysis.to_json()
    assert DocumentAnalysis.from_json(data) == analysis
    assert DocumentAnalysis.from_json({**data, "version": VERSION + 1}) is None
    assert DocumentAnalysis.from_json({"version": VERSION}) is None
    assert DocumentAnalysis.from_json([]) is None  # type: ignore[arg-type]


def ingest(store: FactStore) -> int:
    document = NewDocument(title=TITLE, published=date(2025, 9, 15), body=BODY)
    return store.ingest(document, [statement(i, s) for i, s in SENTENCES.items()]).document_id


def test_ingest_keeps_the_analysis_and_questions_read_it(store: FactStore) -> None:
    document_id = ingest(store)
    with store.engine.connect() as conn:
        stored = conn.execute(select(document_analyses.c.data)).scalar_one()
    assert DocumentAnalysis.from_json(stored) == analyse(TITLE, BODY, SENTENCES)
    assert store.analyses([document_id]) == {document_id: analyse(TITLE, BODY, SENTENCES)}
    assert store.analyses([document_id + 1]) == {}


def test_missing_or_outdated_analyses_are_worked_out_again_and_kept(store: FactStore) -> None:
    document_id = ingest(store)
    expected = analyse(TITLE, BODY, SENTENCES)
    # As a store written before analyses, or by an older version, is found when it is opened: a store
    # already running keeps the analyses it read in memory.
    with store.engine.begin() as conn:
        conn.execute(delete(document_analyses))
    assert FactStore(store.engine).analyses([document_id]) == {document_id: expected}
    with store.engine.begin() as conn:
        assert DocumentAnalysis.from_json(conn.execute(select(document_analyses.c.data)).scalar_one())
        conn.execute(update(document_analyses).values(data={"version": VERSION - 1}))
    assert FactStore(store.engine).analyses([document_id]) == {document_id: expected}
    with store.engine.connect() as conn:
        assert conn.execute(select(document_analyses.c.data)).scalar_one()["version"] == VERSION


def test_deleting_a_document_removes_its_analysis(store: FactStore) -> None:
    document_id = ingest(store)
    store.delete_document(document_id)
    with store.engine.connect() as conn:
        assert conn.execute(select(document_analyses.c.document_id)).all() == []


def test_upgrade_from_f0002_moves_the_term_index_into_the_sentence_index(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "facts", FACTS_VERSION_TABLE, target="f0002")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO documents (id, title, published, published_inferred, url, path, content_hash,"
                    " body, ingested_at) VALUES (1, :title, '2025-09-15', false, '', '', 'h', :body,"
                    " '2025-09-15 10:00:00')"
                ),
                {"title": TITLE, "body": BODY},
            )
            conn.execute(
                text(
                    "INSERT INTO facts (id, document_id, kind, subject, text, value, attrs, sentence_index,"
                    " span_start, span_end, sentence, as_of) VALUES (1, 1, 'statement', 's0', :s, '', '{}',"
                    " 0, 0, 10, :s, '2025-09-15')"
                ),
                {"s": SENTENCES[0]},
            )
            conn.execute(text("INSERT INTO fact_terms (term, fact_id) VALUES ('fund', 1), ('trade', 1)"))
    finally:
        engine.dispose()
    store = FactStore.open(database_url)
    try:
        assert [h.fact_id for h in store.search([frozenset({"fund"})], date(2025, 9, 15), limit=5)] == [1]
        assert store.search([frozenset({"fund"})], date(2025, 9, 14), limit=5) == []
        assert store.term_frequencies({"fund", "trade"}) == {"fund": 1, "trade": 1}
        assert store.analyses([1]) == {1: analyse(TITLE, BODY, {0: SENTENCES[0]})}
    finally:
        store.close()


def test_complete_analyses_fills_in_every_missing_one(store: FactStore) -> None:
    document_id = ingest(store)
    assert store.complete_analyses() == 0
    with store.engine.begin() as conn:
        conn.execute(delete(document_analyses))
    assert store.complete_analyses() == 1
    assert store.complete_analyses() == 0
    assert store.analyses([document_id]) == {document_id: analyse(TITLE, BODY, SENTENCES)}
