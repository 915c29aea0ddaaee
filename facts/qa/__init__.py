"""Question answering over the fact store, in stages, each a module of its own:

question (intent) -> retrieve -> rules -> candidates -> features -> model (score) -> reply (answer or
decline) -> render. The rules' answer is the first candidate; spans of the expected type in the best
sentences are the others; a learned, calibrated model decides which, if any, is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from facts.qa.candidates import Candidate, candidates
from facts.qa.features import describe
from facts.qa.intent import Intent, parse
from facts.qa.model import Model, shipped
from facts.qa.policy import Policy
from facts.qa.reply import Answer, Related, declined, given
from facts.qa.retrieve import Retrieval, retrieve
from facts.qa.rules import apply_rules
from facts.qa.versions import earlier_version
from facts.store import FactStore

__all__ = ["Answer", "Config", "answer", "consider"]

# A decline offers this many of the closest passages it read.
RELATED = 3


@dataclass(frozen=True)
class Config:
    """How questions are answered: the rules' fallbacks, and the model (None: the rules' answer as it is)."""

    policy: Policy = field(default_factory=Policy)
    model: Model | None = None
    use_shipped_model: bool = True
    topics_file: str | None = None  # the taxonomy a decline suggests topics from (None: the shipped one)

    def scorer(self) -> Model | None:
        """The model answers are chosen by."""
        return self.model or (shipped() if self.use_shipped_model else None)


@dataclass
class Considered:
    """Everything the Q&A worked out for one question before choosing (for training and explanations)."""

    intent: Intent
    retrieval: Retrieval
    candidates: list[Candidate]
    today: date


def consider(
    store: FactStore, question: str, now: datetime, config: Config | None = None
) -> Considered | None:
    """A question's candidates with their features, or None when it has no words to look up."""
    config = config or Config()
    intent = parse(question, config.policy)
    today = now.date()
    if not intent.terms and not intent.countries:
        return None
    retrieval = retrieve(store, intent, today)
    rule = apply_rules(store, retrieval, intent, today)
    found = candidates(retrieval, intent, today, rule, history=lambda fact: earlier_version(store, fact))
    describe(found, retrieval, intent, today)
    return Considered(intent, retrieval, found, today)


def answer(store: FactStore, question: str, now: datetime, config: Config | None = None) -> Answer:
    """Answer a question from the store as of `now`, or decline with the closest passages read."""
    config = config or Config()
    considered = consider(store, question, now, config)
    if considered is None:
        intent = parse(question, config.policy)
        return declined(store, intent, "I need a bit more to go on", topics_file=config.topics_file)
    model = config.scorer()
    if model is None:
        chosen = next((c for c in considered.candidates if c.source == "rules"), None)
        if chosen is not None:
            chosen.probability = 1.0
    else:
        chosen = model.choose(considered.candidates, question)
    if chosen is None:
        return declined(store, considered.intent, related=related(considered), topics_file=config.topics_file)
    return given(chosen.lines, chosen.facts, considered.intent, considered.today, chosen.probability)


def related(considered: Considered, limit: int = RELATED) -> list[Related]:
    """The best passages retrieved, one per sentence text, as a decline offers them."""
    out: list[Related] = []
    seen: set[str] = set()
    for passage in considered.retrieval.by_rank():
        text = passage.sentence.strip()
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        source = passage.source
        out.append(Related(text, source.title, source.published, source.url))
        if len(out) >= limit:
            break
    return out
