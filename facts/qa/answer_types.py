"""The answer type a question's words predict, learned from the question sets (a lexical answer type).

"What growth is the fund forecasting?" wants a percentage and "how did the house vote?" a count, though
neither names its type the way "what rate" or "when" do. A naive Bayes model over the question's words and
word pairs, counted from the answers of the sets' questions, gives each type a probability; a candidate is
then judged by how likely the types of value it holds are. Counting needs no training library, so the
model is fitted here and read back from the weights file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from facts.qa.candidates import MONEY

TYPES = ("percent", "money", "date", "number", "words")

_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
_CURRENCY = r"(?:dollars?|euros?|pounds?|yuan|yen|crowns?|francs?|rupees?|won|pesos?)"
_MONEY_ANSWER = re.compile(rf"[$€£¥]|\b{_CURRENCY}\b", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_ANSWER = re.compile(rf"\b{_MONTH}(?!\w)|\d{{4}}-\d\d", re.I)
_DATE_VALUE = re.compile(rf"\b{_MONTH} \d|\b\d{{1,2}} {_MONTH}|\d{{4}}-\d\d-\d\d", re.I)
_COUNT_WORD = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[A-Za-z]+")
_SMOOTHING = 0.5


def label(answer: str) -> str:
    """The type of an expected answer as a question set writes it ("12%", "$3bn", "June 30", "Acme")."""
    if _PERCENT.search(answer):
        return "percent"
    if _MONEY_ANSWER.search(answer):
        return "money"
    if _DATE_ANSWER.search(answer):
        return "date"
    if _COUNT_WORD.search(answer):
        return "number"
    return "words"


def value_types(text: str) -> set[str]:
    """The types of value a candidate's text holds (a bare year is not a number here)."""
    found = set()
    if _PERCENT.search(text):
        found.add("percent")
    if MONEY.search(text):
        found.add("money")
    if _DATE_VALUE.search(text):
        found.add("date")
    if _DIGIT.search(_YEAR.sub("", text)):
        found.add("number")
    return found


def question_tokens(question: str) -> set[str]:
    """The words, adjacent word pairs and first word of a question, as the model counts them.

    Capitalised words after the first are left out: a name says what the question is about, not what
    type of answer it wants, and counting them would tie a type to the topics the sets happened to cover.
    """
    words = [w.lower() for n, w in enumerate(_WORD.findall(question)) if n == 0 or not w[0].isupper()]
    tokens = set(words)
    tokens.update(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    if words:
        tokens.add("^" + words[0])
    return tokens


@dataclass(frozen=True)
class AnswerTypes:
    """Naive Bayes over question tokens: each type's prior and each token's log-probability per type."""

    priors: dict[str, float]
    unseen: dict[str, float]  # a token never counted with the type
    tokens: dict[str, dict[str, float]]

    def probabilities(self, question: str) -> dict[str, float]:
        """Each answer type's probability for this question."""
        scores = dict(self.priors)
        for token in question_tokens(question):
            known = self.tokens.get(token)
            if known is None:
                continue  # a word no question had says nothing about the type
            for kind in TYPES:
                scores[kind] += known.get(kind, self.unseen[kind])
        top = max(scores.values())
        total = sum(math.exp(s - top) for s in scores.values())
        return {kind: math.exp(scores[kind] - top) / total for kind in TYPES}

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        return {"priors": self.priors, "unseen": self.unseen, "tokens": self.tokens}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerTypes:
        """Read the stored form (parsed JSON)."""
        return cls(
            {k: float(data["priors"][k]) for k in TYPES},
            {k: float(data["unseen"][k]) for k in TYPES},
            {t: {k: float(v) for k, v in per.items()} for t, per in data["tokens"].items()},
        )


def fit(examples: Iterable[tuple[str, str]]) -> AnswerTypes:
    """Count (question, answer type) pairs into a model (multinomial, with additive smoothing)."""
    per_type: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in TYPES}
    for question, kind in examples:
        per_type[kind] += 1
        counts[kind].update(question_tokens(question))
    vocabulary = set().union(*counts.values())
    questions = sum(per_type.values())
    priors = {k: math.log((per_type[k] + 1) / (questions + len(TYPES))) for k in TYPES}
    mass = {k: sum(counts[k].values()) + _SMOOTHING * max(len(vocabulary), 1) for k in TYPES}
    unseen = {k: math.log(_SMOOTHING / mass[k]) for k in TYPES}
    tokens = {
        token: {k: _log_share(counts[k][token], mass[k]) for k in TYPES if counts[k][token]}
        for token in sorted(vocabulary)
    }
    return AnswerTypes(priors, unseen, tokens)


def held_features(text: str) -> dict[str, float]:
    """The candidate's own features naming the types of value it holds (`v_percent`, ...)."""
    return {f"v_{kind}": 1.0 for kind in value_types(text)}


def _log_share(count: int, mass: float) -> float:
    return round(math.log((count + _SMOOTHING) / mass), 4)  # 4 places keep the weights file small


def type_features(probabilities: dict[str, float], features: dict[str, float]) -> dict[str, float]:
    """A candidate's features: the question's type probabilities and how well the candidate's values fit."""
    held = [kind for kind in TYPES if features.get(f"v_{kind}")]
    out = {f"lat_{kind}": probabilities[kind] for kind in TYPES}
    out["lat_match"] = max((probabilities[kind] for kind in held), default=0.0)
    out["lat_plain"] = 0.0 if held else probabilities["words"]
    return out
