"""The learned side of the Q&A: candidates from sentences, general language, the training command, the weights."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from facts.ingest import Overrides, ingest_document, parse_document
from facts.qa import Config, answer, consider
from facts.qa.model import Model, shipped
from facts.qa.train import ROOT, Asked, Row, _load_cache, choose_bars, decide, main
from facts.store import FactStore

APRIL = datetime(2026, 4, 2, 9, tzinfo=UTC)
RELEASE = """The Ministry of Trade has decided to apply provisional duties on imports of steel products from
Ruritania. The duties are set as follows:

- cold-rolled coils: 12.5 per cent
- galvanised sheet: 14.8 per cent
- wire rod: twenty per cent

The public may comment on the proposed rule until 14 April 2026. An export licence will be required for
scrap from 1 May 2026, the ministry said. The tariffs would protect about 4,200 jobs, officials estimate.
"""


def _article(store: FactStore, title: str, published: str, body: str) -> None:
    raw = f'---\ntitle: "{title}"\npublished: {published}\n---\n{body}\n'.encode()
    ingest_document(store, parse_document(raw, f"{title}.md", Overrides(), date(2025, 1, 1)))


@pytest.fixture
def release(store: FactStore) -> FactStore:
    _article(store, "Ruritania steel duties announced", "2026-03-31", RELEASE)
    return store


def _heads(store: FactStore, question: str) -> list[str]:
    considered = consider(store, question, APRIL, Config(use_shipped_model=False))
    assert considered is not None
    return [c.head for c in considered.candidates if c.source == "span"]


def test_a_sentence_gives_spans_of_the_asked_type(release: FactStore) -> None:
    assert "12.5 per cent" in _heads(release, "what's the duty on cold-rolled coils?")
    assert any(
        "April 14, 2026" in h and "in 12 days" in h
        for h in _heads(release, "how many days left to comment on the rule?")
    )
    assert any("4,200 jobs" in h for h in _heads(release, "how many jobs do the tariffs protect?"))


def test_british_spelling_and_number_words_meet_the_question(release: FactStore) -> None:
    # "license" finds the sentence with "licence"; "20%" finds "twenty per cent".
    licence = consider(
        release, "when will a scrap export license be needed?", APRIL, Config(use_shipped_model=False)
    )
    assert licence is not None
    assert "licence will be required" in licence.retrieval.by_rank()[0].sentence
    assert "20 per cent" in _heads(release, "which product gets a duty of 20%?") or any(
        "twenty per cent" in c for c in _heads(release, "what is the duty on wire rod?")
    )


def test_the_rules_answer_carries_the_evidence_of_the_span_that_says_its_value(release: FactStore) -> None:
    considered = consider(
        release, "how many jobs do the tariffs protect?", APRIL, Config(use_shipped_model=False)
    )
    assert considered is not None
    rules = next(c for c in considered.candidates if c.source == "rules")
    agreeing = [c for c in considered.candidates if c.source == "span" and c.features["s_rules_agree"]]
    assert "4,200" in rules.head and agreeing and "4,200" in agreeing[0].head
    assert rules.features["r_span_agrees"] == 1.0
    for name in ("s_head_distance", "s_alone", "s_counted_follows", "s_number"):
        assert rules.features[f"r_{name}"] == agreeing[0].features[name]
    assert "r_s_rules_agree" not in rules.features
    assert rules.features["r_s_counted_follows"] == 1.0  # "jobs" follows the figure


def test_a_date_span_knows_whether_it_is_the_news_itself_and_whether_it_has_passed(store: FactStore) -> None:
    _article(
        store,
        "Ruritania sets steel duty start",
        "2026-03-31",
        "The ministry announced the steel duties on 30 March 2026. The steel duties take effect on 1 May 2026.",
    )
    question = "when do the steel duties take effect?"
    for now, passed in (
        (APRIL, {"March 30": 1.0, "May 1": 0.0}),
        (datetime(2026, 5, 5, tzinfo=UTC), {"May 1": 1.0}),
    ):
        considered = consider(store, question, now, Config(use_shipped_model=False))
        assert considered is not None
        spans = {c.head: c.features for c in considered.candidates if c.source == "span" and c.when}
        for day, past in passed.items():
            features = next(f for head, f in spans.items() if day in head)
            assert features["s_date_news"] == float(day == "March 30")  # within days of publication
            assert features["s_date_past"] == past


def test_without_a_model_the_rules_answer_stands(release: FactStore) -> None:
    result = answer(release, "what's the tariff on Canadian lumber?", APRIL, Config(use_shipped_model=False))
    assert not result.answered  # the rules decline: nothing else is given without a model


def test_the_shipped_model_is_in_the_package_and_answers_with_a_confidence(release: FactStore) -> None:
    model = shipped()
    assert model is not None and set(model.scorers) == {"rules", "span"}
    assert 0.5 <= model.bars["rules"] <= 1.0 and 0.5 <= model.bars["span"] <= 1.0
    result = answer(release, "what is the tariff on Canadian lumber?", APRIL)
    assert not result.answered and result.related  # a decline with the closest passages
    data = result.to_json()
    assert data["confidence"] is None and data["related"][0]["title"] == "Ruritania steel duties announced"


def test_answering_never_imports_the_training_library(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from facts.qa import answer\n"
        "from facts.store import FactStore\n"
        "from tests.qa_eval import BUNDLED, load_store\n"
        f"store = FactStore.open('sqlite:///{tmp_path / 's.db'}')\n"
        "load_store(store, sorted(BUNDLED.glob('*.md')))\n"
        "result = answer(store, 'Who is He Lifeng?', datetime(2025, 9, 15, 12, tzinfo=UTC))\n"
        "assert result.answered and 'Vice Premier' in result.text, result.text\n"
        "assert not [m for m in sys.modules if m.startswith(('sklearn', 'scipy'))]\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_training_is_deterministic_and_its_trees_give_scikit_learns_probabilities(tmp_path: Path) -> None:
    """Two small sets through the real training command, twice: the same weights byte for byte."""
    sets = [str(ROOT / "tests" / "qa" / "dev.yaml"), str(ROOT / "tests" / "corpus" / "holdout")]
    cache = tmp_path / "cache.json"
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    # fit() checks every exported tree against predict_proba and raises if they disagree.
    assert main([*sets, "--cache", str(cache), "--out", str(first), "--no-report"]) == 0
    assert main([*sets, "--cache", str(cache), "--out", str(second), "--no-report"]) == 0
    assert first.read_bytes() == second.read_bytes()
    model = Model.from_json(json.loads(first.read_text()))
    asked = [a for questions in _load_cache(cache).values() for a in questions]
    assert any(a.made for a in asked)  # traps made by swapping a slot train the model too
    # Each answerable question carries its expected answer's type; traps and abstains carry none.
    assert {a.answer_type for a in asked if a.expect != "abstain"} >= {"date", "percent", "words"}
    assert not [a for a in asked if a.answer_type and (a.made or a.expect == "abstain")]
    assert model.answer_types is not None and "lat_match" in model.scorers["span"].features
    assert "span" in model.scorers  # the rules' answers on these two sets may all be right: no scorer then
    probabilities = [
        model.scorers[r.source].probability(r.features)
        for a in asked
        for r in a.rows
        if r.source in model.scorers
    ]
    assert probabilities and all(0.0 <= p <= 1.0 for p in probabilities)
    assert len(set(probabilities)) > 10


def test_bars_are_fine_enough_to_part_a_right_answer_from_a_false_one_close_below_it() -> None:
    def asked(qid: str, p: float, right: int) -> tuple[Asked, dict[str, list[float]]]:
        row = Row("rules", {}, label=right, right=right)
        return Asked("set", qid, "answer", [row]), {"rules": [p], "span": []}

    predicted = [asked("a", 0.887, 1), asked("b", 0.85, 0)]
    bars = choose_bars(predicted, share=0.0)
    assert [decide(a, p, bars) for a, p in predicted] == ["right", "missed"]
