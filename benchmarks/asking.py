"""The fixed ask mix (answerable and unanswerable questions) and its in-process latency."""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock

from benchmarks.generator import DEFAULT_SEED, articles
from facts.store import FactStore

MIX_ARTICLES = 100
PER_KIND = {"rate": 8, "deadline": 6, "person": 8, "quote": 4, "figure": 4, "place": 4}
# Questions no generated article answers (goods, people and places outside the generator's lists).
UNANSWERABLE = (
    "What is the tariff on Canadian lumber?",
    "Who is the CEO of ByteDance?",
    "When is the deadline for the TikTok sale?",
    "What did Jacinda Okoro say about whisky exports?",
    "How many days until the Reykjavik summit?",
    "Who is Bartholomew Quince?",
    "What is the interest rate in Iceland?",
    "Where will the bicycle talks be held?",
    "What duty does Liechtenstein charge on Peruvian llamas?",
    "How much timber did Latvia ship last year?",
)
_UNANSWERABLE_NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Question:
    """One question of the mix, asked at a fixed instant, with what a right answer contains."""

    text: str
    now: datetime
    expect: str = ""

    @property
    def answerable(self) -> bool:
        """True when a generated article answers it."""
        return bool(self.expect)


@dataclass
class AskResult:
    """Latencies (ms) of every ask and how many questions were answered, and answered right."""

    latencies_ms: list[float]
    answered: int
    correct: int
    declined_unanswerable: int
    answerable: int
    unanswerable: int

    def p(self, pct: float) -> float:
        """The pct-th percentile latency (nearest rank), in milliseconds."""
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    def p50(self) -> float:
        """The median latency in milliseconds."""
        return statistics.median(self.latencies_ms)


def question_mix(seed: int = DEFAULT_SEED) -> list[Question]:
    """The same questions at every store size: drawn from the first 100 articles plus unanswerable ones."""
    rng = random.Random(f"{seed}:mix")
    by_kind: dict[str, list[Question]] = {}
    for item in articles(MIX_ARTICLES, seed):
        now = datetime.combine(item.published, clock(12), tzinfo=UTC)
        for probe in item.probes:
            by_kind.setdefault(probe.kind, []).append(Question(probe.question, now, probe.expect))
    mix: list[Question] = []
    for kind, count in PER_KIND.items():
        mix.extend(rng.sample(by_kind[kind], count))
    mix.extend(Question(text, _UNANSWERABLE_NOW) for text in UNANSWERABLE)
    rng.shuffle(mix)
    return mix


# Questions whose answer a newer article of the same storyline may change: a rate (whatever noun the
# question uses for it) and who leads a side.
_AFTER_KINDS = ("rate", "person")
_RATE_NOUN = re.compile(r"^What \w+ does ")


def _same_fact(question: str) -> str:
    """The question with its rate noun made one, so 'What levy does' and 'What duty does' meet."""
    return _RATE_NOUN.sub("What tariff does ", question)


def after_last_article(size: int, seed: int = DEFAULT_SEED) -> list[Question]:
    """Rate and person questions about the first 100 articles, asked the day after the store's last article.

    Each expects the newest value the store's articles give for it (questions whose newest value two
    articles of the same day disagree on are left out). Asked this late, a question's answer competes with
    every newer article sharing its words: a search that forgets older sentences answers fewer of them as
    the store grows, where the mix asked on each article's own date would not notice.
    """
    newest: dict[str, tuple[datetime, str]] = {}
    unclear: set[str] = set()
    last = None
    for item in articles(size, seed):
        day = datetime.combine(item.published, clock(12), tzinfo=UTC)
        last = day if last is None else max(last, day)
        for probe in item.probes:
            if probe.kind not in _AFTER_KINDS:
                continue
            key = _same_fact(probe.question)
            seen = newest.get(key)
            if seen is None or day > seen[0]:
                newest[key] = (day, probe.expect)
                unclear.discard(key)
            elif day == seen[0] and probe.expect != seen[1]:
                unclear.add(key)
    if last is None:
        return []
    asked: dict[str, Question] = {}
    for item in articles(min(size, MIX_ARTICLES), seed):
        for probe in item.probes:
            key = _same_fact(probe.question)
            if probe.kind in _AFTER_KINDS and key not in unclear and key not in asked:
                asked[key] = Question(key, last + timedelta(days=1), newest[key][1])
    return list(asked.values())


def answer_function() -> Callable[[FactStore, str, datetime], object] | None:
    """The Q&A entry point `facts.qa.answer`, or None while it has not landed."""
    try:
        from facts.qa import answer
    except ImportError:
        return None
    return answer


def ask_as_the_bot(url: str, mix: list[Question], rounds: int) -> AskResult:
    """The ask mix on a store opened afresh, as the bot opens it (not the ingest's connection and cache)."""
    from bot.warmup import ready_to_answer  # the bot's own warm-up, not needed by `benchmarks.rss`

    store = FactStore.open(url)
    try:
        ready_to_answer(store)  # what `briefbot run` does before it takes questions
        return run_mix(store, mix, rounds=rounds)
    finally:
        store.close()


def run_mix(store: FactStore, mix: list[Question], rounds: int = 5, warmup: int = 1) -> AskResult:
    """Ask every question `warmup + rounds` times; time the last `rounds` rounds one ask at a time."""
    answer = answer_function()
    if answer is None:
        raise RuntimeError("facts.qa.answer is not available")
    latencies: list[float] = []
    answered = correct = declined = 0
    for round_no in range(warmup + rounds):
        for question in mix:
            began = time.perf_counter()
            result = answer(store, question.text, question.now)
            spent = (time.perf_counter() - began) * 1000
            if round_no < warmup:
                continue
            latencies.append(spent)
            if round_no != warmup:
                continue
            ok = bool(getattr(result, "answered", False))
            text = str(getattr(result, "text", "")).lower()
            answered += ok
            if question.answerable:
                correct += ok and question.expect.lower() in text
            else:
                declined += not ok
    return AskResult(
        latencies_ms=latencies,
        answered=answered,
        correct=correct,
        declined_unanswerable=declined,
        answerable=sum(q.answerable for q in mix),
        unanswerable=sum(not q.answerable for q in mix),
    )
