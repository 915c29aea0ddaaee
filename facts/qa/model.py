"""The learned confidence: gradient-boosted trees fitted by `python -m facts.qa.train`, read from a file.

Answering imports no training library: a probability is a walk down each tree and a sigmoid. Each candidate
source (the rules' answer, a span from a sentence) has its own weights and its own bar, chosen by
cross-validation so that false answers stay rare.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from facts.qa.answer_types import AnswerTypes, type_features
from facts.qa.candidates import Candidate

WEIGHTS_FILE = "weights.json"


@dataclass(frozen=True)
class Scorer:
    """Gradient-boosted trees for one candidate source: a baseline plus one leaf value per tree.

    Each tree is a flat list of nodes [feature, threshold, left, right, value]; a node whose left child is
    -1 is a leaf. A feature at or below the threshold goes left, as in scikit-learn's trees.
    """

    features: tuple[str, ...]
    baseline: float
    trees: tuple[tuple[tuple[int, float, int, int, float], ...], ...]

    def probability(self, values: dict[str, float]) -> float:
        """The model's probability that a candidate with these features is a right answer."""
        x = [values.get(name, 0.0) for name in self.features]
        z = self.baseline
        for tree in self.trees:
            node = tree[0]
            while node[2] >= 0:
                node = tree[node[2]] if x[node[0]] <= node[1] else tree[node[3]]
            z += node[4]
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        return {
            "features": list(self.features),
            "baseline": self.baseline,
            "trees": [list(t) for t in self.trees],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        """Read the stored form (parsed JSON: the conversions below check its values)."""
        trees = tuple(
            tuple((int(f), float(t), int(left), int(right), float(v)) for f, t, left, right, v in tree)
            for tree in data["trees"]
        )
        return cls(tuple(data["features"]), float(data["baseline"]), trees)


@dataclass(frozen=True)
class Model:
    """Scorers and answer bars for each candidate source, and the answer types a question's words predict."""

    scorers: dict[str, Scorer]
    bars: dict[str, float]
    answer_types: AnswerTypes | None = None

    def score(self, candidates: list[Candidate], question: str = "") -> None:
        """Set every candidate's probability (the question's words give its likely answer types)."""
        if self.answer_types is not None:
            probabilities = self.answer_types.probabilities(question)
            for candidate in candidates:
                candidate.features.update(type_features(probabilities, candidate.features))
        for candidate in candidates:
            scorer = self.scorers.get(candidate.source)
            candidate.probability = scorer.probability(candidate.features) if scorer else 0.0

    def choose(self, candidates: list[Candidate], question: str = "") -> Candidate | None:
        """The rules' answer when it clears its bar, else the likeliest span over its bar, else None."""
        self.score(candidates, question)
        for source in ("rules", "span"):
            pool = [c for c in candidates if c.source == source]
            if pool:
                best = max(pool, key=lambda c: c.probability)
                if best.probability >= self.bars.get(source, 1.1):
                    return best
        return None

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        scorers = {k: v.to_json() for k, v in self.scorers.items()}
        out: dict[str, object] = {"scorers": scorers, "bars": self.bars}
        if self.answer_types is not None:
            out["answer_types"] = self.answer_types.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        """Read the stored form (parsed JSON)."""
        scorers = {k: Scorer.from_json(v) for k, v in data["scorers"].items()}
        types = AnswerTypes.from_json(data["answer_types"]) if "answer_types" in data else None
        return cls(scorers, {k: float(v) for k, v in data["bars"].items()}, types)


@lru_cache(maxsize=1)
def shipped() -> Model | None:
    """The model shipped with the package, or None before one was trained."""
    path = resources.files("facts.qa").joinpath("data", WEIGHTS_FILE)
    if not path.is_file():
        return None
    return Model.from_json(json.loads(path.read_text(encoding="utf-8")))
