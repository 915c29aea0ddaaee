"""The answer log and the votes on it: every answer given in chat, and one rating per person and answer."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.channels import utc
from bot.messages import VOTES, Vote
from bot.state import answers, ratings
from facts.limits import cut_typed

logger = logging.getLogger(__name__)

# What a vote did: a first vote, a different vote than before, or the same vote again.
RECORDED, CHANGED, SAME = "recorded", "changed", "same"
# A 👎 is a report people can point a fix at by its rating id: `fix r12 35%`.
REPORT_PREFIX = "r"


class UnknownAnswer(LookupError):
    """No answer with that id was given on that platform (a stale or made-up button)."""


@dataclass(frozen=True)
class LoggedAnswer:
    """One answer given in chat: the question, the answer's text and what it was built from."""

    id: int
    platform: str
    channel: str
    user: str
    question: str
    answer: str
    answered: bool
    fact_ids: tuple[int, ...]
    sources: tuple[dict[str, Any], ...]
    asked_at: datetime


@dataclass(frozen=True)
class Rating:
    """A person's vote on a logged answer, with the "what would be right?" text when one was given."""

    id: int
    answer: LoggedAnswer
    user: str
    vote: str
    correction: str | None
    rated_at: datetime


def report_ref(rating_id: int) -> str:
    """How people type a 👎 report: 'r12' for rating 12."""
    return f"{REPORT_PREFIX}{rating_id}"


def sources_of(found: Any) -> list[dict[str, Any]]:
    """The articles a Q&A answer cites (with their document ids), then those of the passages it offers."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    cited = [(s.title, s.published, s.url, s.document_id) for s in found.sources]
    offered = [(r.title, r.published, r.url, None) for r in found.related]
    for title, published, url, document_id in cited + offered:
        key = (title, published.isoformat(), url or "")
        if key in seen:
            continue
        seen.add(key)
        out.append({"document_id": document_id, "title": title, "published": key[1], "url": url or ""})
    return out


def log_answer(
    engine: Engine, platform: str, channel: str, user: str, question: str, found: Any, now: datetime
) -> int:
    """Keep one answer (a facts.qa Answer) given in a channel; its id goes on the rating buttons."""
    row = {
        "platform": platform,
        "channel_key": channel,
        "user_key": user,
        "question": question,
        "answer": found.text,
        "answered": bool(found.answered),
        "fact_ids": [int(f.id) for f in found.facts],
        "sources": sources_of(found),
        "asked_at": now,
    }
    with engine.begin() as conn:
        return int(conn.execute(insert(answers).returning(answers.c.id), row).scalar_one())


def _answer(row: Row[Any]) -> LoggedAnswer:
    return LoggedAnswer(
        id=row.id,
        platform=row.platform,
        channel=row.channel_key,
        user=row.user_key,
        question=row.question,
        answer=row.answer,
        answered=bool(row.answered),
        fact_ids=tuple(int(i) for i in row.fact_ids or ()),
        sources=tuple(row.sources or ()),
        asked_at=utc(row.asked_at),
    )


def find_answer(engine: Engine, answer_id: int) -> LoggedAnswer | None:
    """The logged answer with this id, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(answers).where(answers.c.id == answer_id)).first()
    return _answer(row) if row is not None else None


def last_answer(engine: Engine, platform: str, channel: str) -> LoggedAnswer | None:
    """The newest answer given in a channel (what `rate up` rates), or None."""
    query = (
        select(answers)
        .where(answers.c.platform == platform, answers.c.channel_key == channel)
        .order_by(answers.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _answer(row) if row is not None else None


def record_vote(engine: Engine, vote: Vote, now: datetime) -> str:
    """Record or change a person's vote on an answer: RECORDED, CHANGED or SAME.

    A 👍 drops an earlier "what would be right?" text; a 👎 without text keeps it, so clicking 👎 again
    after filling in the form loses nothing. Raises UnknownAnswer, or ValueError for a vote not up/down.
    """
    if vote.vote not in VOTES:
        raise ValueError(f"a vote is up or down, not {vote.vote!r}")
    correction = cut_typed(" ".join(vote.correction.split()))[0] if vote.correction else None
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                return _record(conn, vote, correction or None, now)
        except IntegrityError:
            # Two clicks of one person at once: the other inserted first; this one now updates it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record(conn: Any, vote: Vote, correction: str | None, now: datetime) -> str:
    platform = conn.execute(select(answers.c.platform).where(answers.c.id == vote.answer_id)).scalar()
    if platform is None or platform != vote.platform:
        raise UnknownAnswer(vote.answer_id)
    where = (ratings.c.answer_id == vote.answer_id) & (ratings.c.user_key == vote.user)
    before = conn.execute(select(ratings.c.vote, ratings.c.correction).where(where)).first()
    if before is None:
        values = {"answer_id": vote.answer_id, "user_key": vote.user, "vote": vote.vote}
        conn.execute(insert(ratings), {**values, "correction": correction, "rated_at": now})
        return RECORDED
    # A 👍 drops the text; a 👎 without text keeps the one given before.
    kept = None if vote.vote == "up" else correction if correction is not None else before.correction
    if (before.vote, before.correction) == (vote.vote, kept):
        return SAME
    conn.execute(update(ratings).where(where).values(vote=vote.vote, correction=kept, rated_at=now))
    return SAME if before.vote == vote.vote else CHANGED


def _ratings_query() -> Any:
    return select(
        answers,
        ratings.c.id.label("rating_id"),
        ratings.c.user_key.label("voter"),
        ratings.c.vote,
        ratings.c.correction,
        ratings.c.rated_at,
    ).join(ratings, ratings.c.answer_id == answers.c.id)


def _rating(row: Row[Any]) -> Rating:
    return Rating(
        id=row.rating_id,
        answer=_answer(row),
        user=row.voter,
        vote=row.vote,
        correction=row.correction,
        rated_at=utc(row.rated_at),
    )


def all_ratings(engine: Engine) -> list[Rating]:
    """Every rating with its answer, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(_ratings_query().order_by(ratings.c.rated_at, ratings.c.id)).all()
    return [_rating(row) for row in rows]


def find_rating(engine: Engine, rating_id: int) -> Rating | None:
    """The rating with this id (a report's, when its vote is down), or None."""
    with engine.connect() as conn:
        row = conn.execute(_ratings_query().where(ratings.c.id == rating_id)).first()
    return _rating(row) if row is not None else None


def rating_of(engine: Engine, answer_id: int, user: str) -> Rating | None:
    """A person's rating of an answer, or None."""
    where = (ratings.c.answer_id == answer_id) & (ratings.c.user_key == user)
    with engine.connect() as conn:
        row = conn.execute(_ratings_query().where(where)).first()
    return _rating(row) if row is not None else None


def answers_using(engine: Engine, fact_ids: Iterable[int]) -> list[LoggedAnswer]:
    """The answers that gave any of these facts, oldest first (read through: the JSON is not indexed)."""
    wanted = set(fact_ids)
    if not wanted:
        return []
    out = []
    with engine.connect() as conn:
        for row in conn.execute(select(answers).order_by(answers.c.id)):
            if wanted.intersection(int(i) for i in row.fact_ids or ()):
                out.append(_answer(row))
    return out
