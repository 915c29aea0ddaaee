"""Which fact a `fix` means: a fact id, or `last` for the facts of the answer just given in that channel."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot.commands import CommandError, echo
from bot.state import last_answers

logger = logging.getLogger(__name__)

LAST = "last"


def remember_answer(
    engine: Engine, platform: str, channel: str, fact_ids: Sequence[int], now: datetime
) -> None:
    """Keep the fact ids of the answer just given in a channel (replacing the one before)."""
    try:
        with engine.begin() as conn:
            key = (last_answers.c.platform == platform) & (last_answers.c.channel_key == channel)
            conn.execute(delete(last_answers).where(key))
            conn.execute(
                insert(last_answers).values(
                    platform=platform, channel_key=channel, fact_ids=list(fact_ids), answered_at=now
                )
            )
    except IntegrityError:
        # Another replica kept an answer in this channel at the same moment: the later one is as good.
        logger.info("last answer in %s/%s kept by another process", platform, channel)


def last_answer(engine: Engine, platform: str, channel: str) -> list[int]:
    """The fact ids of the last answer given in a channel (empty when none was)."""
    with engine.connect() as conn:
        found = conn.execute(
            select(last_answers.c.fact_ids).where(
                last_answers.c.platform == platform, last_answers.c.channel_key == channel
            )
        ).scalar()
    return [int(i) for i in found or []]


def resolve_fact(engine: Engine, platform: str, channel: str, word: str) -> int:
    """The fact id a person means by `word` (an id, `#id` or `last`); CommandError says what is accepted."""
    if re.fullmatch(r"#?\d{1,18}", word):
        return int(word.lstrip("#"))
    if word.lower() != LAST:
        raise CommandError(
            f"`{echo(word)}` is not a fact: give its id (e.g. `fix 36 35%`) or `last` for the last answer."
        )
    ids = last_answer(engine, platform, channel)
    if not ids:
        raise CommandError("No answer here to fix yet: ask a question first, or give the fact's id.")
    if len(ids) > 1:
        listed = ", ".join(str(i) for i in ids)
        raise CommandError(f"The last answer used facts {listed}; say which, e.g. `fix {ids[0]} …`.")
    return ids[0]
