"""Prometheus metrics: the objects the bot's call sites increment, served as text on /metrics."""

from __future__ import annotations

import logging

from prometheus_client import Counter, Gauge, Histogram

logger = logging.getLogger(__name__)

QUESTIONS = Counter(
    "briefbot_questions_total",
    "Questions asked in chat, by platform and outcome (answered or declined).",
    ["platform", "outcome"],
)
ANSWER_SECONDS = Histogram(
    "briefbot_answer_seconds",
    "Time from a question reaching the bot core to its answer being ready.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POSTS = Counter(
    "briefbot_posts_total",
    "Scheduled posts by outcome: sent, failed (given up), retrying, gone, dropped, deduplicated.",
    ["outcome"],
)
INGESTED_DOCUMENTS = Counter(
    "briefbot_ingested_documents_total",
    "Documents offered for ingest, by outcome (added, duplicate, failed).",
    ["outcome"],
)
INGESTED_FACTS = Counter("briefbot_ingested_facts_total", "Facts stored by ingests.")
SCHEDULER_LEADER = Gauge("briefbot_scheduler_leader", "1 while this replica runs the scheduler, else 0.")
SCHEDULER_TICKS = Counter("briefbot_scheduler_ticks_total", "Scheduler ticks run by this replica.")
FEED_POLLS = Counter(
    "briefbot_feed_polls_total", "Feed polls by outcome (ok, unchanged: a 304, failed).", ["outcome"]
)
FEED_FETCH_ERRORS = Counter(
    "briefbot_feed_fetch_errors_total",
    "Failed feed polls and unreadable entries, by kind (timeout, status, not-a-feed, no-text, ...).",
    ["kind"],
)
FEED_ARTICLES = Counter(
    "briefbot_feed_articles_total", "Articles (and new versions) ingested from each feed.", ["feed"]
)

for _outcome in ("answered", "declined"):
    QUESTIONS.labels(platform="console", outcome=_outcome)
for _outcome in ("sent", "failed", "retrying", "gone", "dropped", "deduplicated"):
    POSTS.labels(outcome=_outcome)
for _outcome in ("added", "duplicate", "failed"):
    INGESTED_DOCUMENTS.labels(outcome=_outcome)
for _outcome in ("ok", "unchanged", "failed"):
    FEED_POLLS.labels(outcome=_outcome)


def record_question(platform: str, answered: bool, seconds: float) -> None:
    """Count one question and its answer latency."""
    QUESTIONS.labels(platform=platform, outcome="answered" if answered else "declined").inc()
    ANSWER_SECONDS.observe(max(seconds, 0.0))


def record_delivery(report: object) -> None:
    """Count one delivery pass's outcomes (a bot.delivery.DeliveryReport)."""
    for outcome, attribute in (
        ("sent", "sent"),
        ("failed", "failed"),
        ("retrying", "retrying"),
        ("gone", "gone"),
        ("dropped", "dropped"),
        ("deduplicated", "lost_claims"),
    ):
        count = int(getattr(report, attribute, 0) or 0)
        if count:
            POSTS.labels(outcome=outcome).inc(count)


def record_ingest(duplicate: bool, facts_added: int) -> None:
    """Count one successful ingest."""
    INGESTED_DOCUMENTS.labels(outcome="duplicate" if duplicate else "added").inc()
    INGESTED_FACTS.inc(facts_added)


def record_ingest_failure() -> None:
    """Count one ingest that was rejected."""
    INGESTED_DOCUMENTS.labels(outcome="failed").inc()


def record_feed_poll(
    outcome: str, error_kind: str | None, entry_error_kinds: list[str], feed: str, taken: int
) -> None:
    """Count one feed poll: its outcome, its fetch errors by kind and the articles it ingested."""
    FEED_POLLS.labels(outcome=outcome).inc()
    for kind in ([error_kind] if error_kind else []) + entry_error_kinds:
        FEED_FETCH_ERRORS.labels(kind=kind).inc()
    if taken:
        FEED_ARTICLES.labels(feed=feed).inc(taken)
