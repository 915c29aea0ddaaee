"""Which fact a `fix` means: a fact id, or `last` for the facts of the answer just given in that channel."""

from __future__ import annotations

import logging
import re

from bot.commands import CommandError, echo
from bot.ratings import last_answer
from facts.fix_values import FIXABLE_KINDS
from facts.store import FactStore

logger = logging.getLogger(__name__)

LAST = "last"


def resolve_fact(store: FactStore, platform: str, channel: str, word: str) -> int:
    """The fact id a person means by `word` (an id, `#id` or `last`); CommandError says what is accepted.

    `last` is the one fixable fact of the newest answer in the channel's answer log (the one ratings
    use), so any replica knows it.
    """
    if re.fullmatch(r"#?\d{1,18}", word):
        return int(word.lstrip("#"))
    if word.lower() != LAST:
        raise CommandError(
            f"`{echo(word)}` is not a fact: give its id (e.g. `fix 36 35%`) or `last` for the last answer."
        )
    last = last_answer(store.engine, platform, channel)
    used = store.get(last.fact_ids) if last is not None and last.answered else []
    ids = [f.id for f in used if f.kind in FIXABLE_KINDS]
    if not ids:
        raise CommandError("No answer here to fix yet: ask a question first, or give the fact's id.")
    if len(ids) > 1:
        listed = ", ".join(str(i) for i in ids)
        raise CommandError(f"The last answer used facts {listed}; say which, e.g. `fix {ids[0]} …`.")
    return ids[0]
