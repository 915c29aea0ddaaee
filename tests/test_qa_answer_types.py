"""The answer type a question's words predict: labels, values held, the counted model and its use."""

from __future__ import annotations

import json

from facts.qa.answer_types import (
    TYPES,
    AnswerTypes,
    fit,
    held_features,
    label,
    question_tokens,
    type_features,
    value_types,
)
from facts.qa.candidates import Candidate
from facts.qa.model import Model, Scorer
from facts.qa.train import Asked, Row, annotate

EXAMPLES = [
    ("what growth is the fund forecasting?", "percent"),
    ("what growth does the bank expect?", "percent"),
    ("how did the house vote on the package?", "number"),
    ("how did the senate vote?", "number"),
    ("what is the cost estimate for the plant?", "money"),
    ("what did the buyer pay for the routes?", "money"),
    ("when does the strike start?", "date"),
    ("when is the hearing?", "date"),
    ("who chairs the panel?", "words"),
    ("which plants were sold?", "words"),
]


def test_expected_answers_are_labelled_by_the_type_they_are_written_in() -> None:
    assert label("12.5 per cent") == "percent" and label("4%") == "percent"
    assert label("£3.8m") == "money" and label("3 billion euros") == "money"
    assert label("June 30") == "date" and label("2027-06-30") == "date"
    assert label("112") == "number" and label("three of five") == "number"
    assert label("Cremona") == "words"


def test_a_text_holds_the_types_of_value_it_states_and_a_bare_year_is_no_number() -> None:
    assert value_types("duties of 12.5% on $4bn of goods from June 30") == {
        "percent",
        "money",
        "date",
        "number",
    }
    assert value_types("The vote passed in 2026.") == set()
    assert value_types("The house voted 112 to 79.") == {"number"}
    assert held_features("a 4 per cent rise") == {"v_percent": 1.0, "v_number": 1.0}


def test_the_question_words_predict_the_answer_type_they_were_counted_with() -> None:
    model = fit(EXAMPLES)
    growth = model.probabilities("what growth is the IMF forecasting this year?")
    assert max(growth, key=lambda k: growth[k]) == "percent"
    vote = model.probabilities("how did parliament vote on the law?")
    assert max(vote, key=lambda k: vote[k]) == "number"
    assert abs(sum(vote.values()) - 1.0) < 1e-9
    assert "^how" in question_tokens("How did it go?") and "how_did" in question_tokens("How did it go?")
    # A name tells what the question is about, not the type of its answer.
    assert question_tokens("what does China classify as?") == question_tokens("what does Acme classify as?")
    again = AnswerTypes.from_json(json.loads(json.dumps(model.to_json())))
    assert again.probabilities("when does the strike start?") == model.probabilities(
        "when does the strike start?"
    )


def test_a_model_counted_from_nothing_gives_every_type_alike() -> None:
    assert set(fit([]).probabilities("what is the rate?").values()) == {1 / len(TYPES)}


def test_a_candidate_is_judged_by_how_likely_the_types_it_holds_are() -> None:
    probabilities = {"percent": 0.7, "money": 0.1, "date": 0.1, "number": 0.05, "words": 0.05}
    held = type_features(probabilities, {"v_percent": 1.0, "v_number": 1.0})
    assert held["lat_match"] == 0.7 and held["lat_plain"] == 0.0 and held["lat_percent"] == 0.7
    plain = type_features(probabilities, {})
    assert plain["lat_match"] == 0.0 and plain["lat_plain"] == 0.05
    assert set(held) == {f"lat_{k}" for k in TYPES} | {"lat_match", "lat_plain"}


def _candidate(head: str) -> Candidate:
    return Candidate("span", "sentence", head, [head], [], None, features=held_features(head))


def test_the_model_gives_the_candidate_whose_type_the_question_predicts() -> None:
    # One tree: a candidate whose values fit the predicted type clears the bar, any other does not.
    tree = ((0, 0.5, 1, 2, 0.0), (0, 0.0, -1, -1, -5.0), (0, 0.0, -1, -1, 5.0))
    model = Model({"span": Scorer(("lat_match",), 0.0, (tree,))}, {"rules": 1.1, "span": 0.9}, fit(EXAMPLES))
    candidates = [_candidate("The fund expects growth of 2.8%."), _candidate("The fund met on Monday.")]
    chosen = model.choose(candidates, "what growth is the fund forecasting?")
    assert chosen is not None and "2.8%" in chosen.head
    assert (
        model.choose([_candidate("The fund met on Monday.")], "what growth is the fund forecasting?") is None
    )
    stored = Model.from_json(json.loads(json.dumps(model.to_json())))
    assert stored.answer_types == model.answer_types


def test_training_gives_each_set_answer_types_counted_without_it() -> None:
    def asked(set_name: str, kind: str) -> Asked:
        row = Row("span", {"v_date": 1.0}, label=1, right=1)
        return Asked(set_name, "1", "answer", [row], question="zorblat quux?", answer_type=kind)

    by_set = {"a": [asked("a", "percent")], "b": [asked("b", "date")], "c": [asked("c", "percent")]}

    def features(name: str) -> dict[str, float]:
        return by_set[name][0].rows[0].features

    annotate(by_set, None)
    assert features("a")["lat_percent"] == features("a")["lat_date"]  # b and c: its own example left out
    assert features("b")["lat_percent"] > features("b")["lat_date"]
    annotate(by_set, "c")  # c held out: never counted for another set
    assert features("a")["lat_date"] > features("a")["lat_percent"]  # b alone
    assert features("c")["lat_percent"] == features("c")["lat_date"]  # a and b
    assert features("c")["lat_match"] == features("c")["lat_date"]
