"""Q&A over the question sets: every dev question right; spent sets as regression sets, the blind one at its floors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import database_backends

from facts.qa import answer
from facts.store import FactStore
from tests.qa_eval import (
    BUNDLED,
    DEV,
    ROOT,
    articles_for,
    backend_url,
    evaluate,
    judge,
    load_questions,
    load_store,
)

DEV_QUESTIONS, DEV_CORPUS = load_questions(DEV)
TUNE = ROOT / "tests" / "corpus" / "tune" / "questions.yaml"
HOLDOUT = ROOT / "tests" / "corpus" / "holdout" / "questions.yaml"
HOLDOUT2 = ROOT / "tests" / "corpus" / "holdout2" / "questions.yaml"
HOLDOUT3 = ROOT / "tests" / "corpus" / "holdout3" / "questions.yaml"
HOLDOUT4 = ROOT / "tests" / "corpus" / "holdout4" / "questions.yaml"
HOLDOUT5 = ROOT / "tests" / "corpus" / "holdout5" / "questions.yaml"


@pytest.fixture(scope="module", params=database_backends())
def dev_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FactStore]:
    """The bundled corpus ingested once per backend for all dev questions (answering never writes)."""
    opened = FactStore.open(backend_url(request, tmp_path_factory, "dev"))
    load_store(opened, articles_for(DEV, DEV_CORPUS))
    yield opened
    opened.close()


@pytest.mark.parametrize("question", DEV_QUESTIONS, ids=[q.id for q in DEV_QUESTIONS])
def test_dev_question(dev_store: FactStore, question) -> None:  # type: ignore[no-untyped-def]
    verdict = judge(question, answer(dev_store, question.q, question.now))
    assert verdict.outcome == "right", f"{question.q!r}: {verdict.reason}\n{verdict.answer.text}"


def test_dev_corpus_is_the_bundled_article() -> None:
    assert [p.parent for p in articles_for(DEV, DEV_CORPUS)] == [BUNDLED]


# The large sets run on SQLite only to keep the suite fast; the dev set and the behaviour tests cover
# every backend, and answering reads the store through the same FactStore queries on each.
@pytest.fixture(params=["sqlite"])
def set_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FactStore]:
    """An empty store for one question set."""
    opened = FactStore.open(backend_url(request, tmp_path_factory, "set"))
    yield opened
    opened.close()


def _run(store: FactStore, path: Path):  # type: ignore[no-untyped-def]
    questions, corpus = load_questions(path)
    load_store(store, articles_for(path, corpus))
    return evaluate(store, questions)


def test_tune_set_floor(set_store: FactStore) -> None:
    report = _run(set_store, TUNE)
    # Measured 80/80 with no false answers; the floor leaves room for two misses from extractor changes,
    # none for guessing.
    assert report.false_on_abstain == 0, report.summary()
    assert report.count("false") == 0, report.summary()
    assert report.accuracy >= 0.975, report.summary()


def test_holdout_set_floor(set_store: FactStore) -> None:
    report = _run(set_store, HOLDOUT)
    # This set is SPENT: its one blind measurement was 23/36 (63.9%), 6 false answers, 2 of them on
    # abstain questions. Its failures were then studied and fixed with general rules, so it is now a
    # regression set, not a measure of unseen questions: measured 35/36 (97.2%), no false answers, one
    # miss ("which airline …", answered by a name the question does not give).
    assert report.false_on_abstain == 0, report.summary()
    assert report.count("false") == 0, report.summary()
    assert report.accuracy >= 0.97, report.summary()


def test_holdout2_set_floor(set_store: FactStore) -> None:
    report = _run(set_store, HOLDOUT2)
    # This set is SPENT: its one blind measurement was 47/79 (59.5%), 3 false answers, none on abstain
    # questions, 29 missed (and one "right" that only matched the source title). Its failures were then
    # studied and fixed with general rules, so it is now a regression set, not a measure of unseen
    # questions: measured 72/79 (91.1%), no false answers, 7 missed.
    assert report.false_on_abstain == 0, report.summary()
    assert report.count("false") == 0, report.summary()
    assert report.accuracy >= 0.91, report.summary()


def test_holdout3_set_floor(set_store: FactStore) -> None:
    report = _run(set_store, HOLDOUT3)
    # This set is SPENT: its one blind measurement was 43/75 (57.3%), 8 false answers, 1 on an abstain
    # question, 24 missed. Its false answers were then studied and removed with structural rules (a
    # date's clause names the question's head, an owned deadline is the owner's, a moved date gives way,
    # a place's clause holds the relation, a role's organisation is the person's), so it is now a
    # regression set, not a measure of unseen questions: measured 49/75 (65.3%), no false answers,
    # 26 missed.
    assert report.false_on_abstain == 0, report.summary()
    assert report.count("false") == 0, report.summary()
    assert report.accuracy >= 0.65, report.summary()


def test_holdout4_set_floor(set_store: FactStore) -> None:
    report = _run(set_store, HOLDOUT4)
    # This set is SPENT: its one blind measurement was 64/100 (64.0%), 10 false answers, 5 of them on
    # abstain questions, 26 missed. Its false answers were then studied and removed with general rules (a
    # participle of the asked event is said in the answer's own sentence, "what date" wants a day, "next"
    # is after the article's day, "how much X" is not a duty on X, "cut to" is the value after "to", "how
    # long" is a span, "over"/"amid" give a reason only for what their sentence names, a title written
    # before a name), so it is now a regression set, not a measure of unseen questions: measured 71/100
    # (71.0%), one false answer (on an abstain question: "when did … first start negotiating" dated by the
    # signing that ended the negotiation), 28 missed.
    assert report.false_on_abstain <= 1, report.summary()
    assert report.count("false") <= 1, report.summary()
    assert report.accuracy >= 0.71, report.summary()


def test_holdout5_set_floor(set_store: FactStore) -> None:
    report = _run(set_store, HOLDOUT5)
    # Floors from the one blind measurement, made after the fallback ablation and the holdout4 work and
    # never tuned on: 55/89 right (61.8%), 10 false answers, 3 of them on abstain questions, 24 missed.
    # These are the numbers as they are, not targets; raising them honestly needs a fresh held-out set.
    assert report.false_on_abstain <= 3, report.summary()
    assert report.count("false") <= 10, report.summary()
    assert report.accuracy >= 0.617, report.summary()
