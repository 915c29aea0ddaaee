"""Which fact a `fix` means: a fact id, `last` for the answer just given in that channel, or a 👎 report."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.commands import CommandError, echo
from bot.ratings import LoggedAnswer, find_rating, last_answer, report_ref
from facts.fix_values import FIXABLE_KINDS
from facts.store import FactStore

logger = logging.getLogger(__name__)

LAST = "last"
_FACT_ID = re.compile(r"#?(\d{1,18})")
_REPORT = re.compile(r"r(\d{1,18})", re.IGNORECASE)


@dataclass(frozen=True)
class FixTarget:
    """The fact a person means, and the 👎 report (rating id) they named it by, if they did."""

    fact_id: int
    report: int | None = None


def resolve_fact(store: FactStore, word: str, platform: str = "", channel: str = "") -> FixTarget:
    """The fact a person means by `word` (an id, `#id`, `last` or a report `r12`); CommandError if none.

    `last` is the one fixable fact of the newest answer in the channel's answer log (the one ratings
    use), so any replica knows it; without a channel (the command line) there is no `last`. A report is
    a 👎 rating: the one fixable fact of the answer it rated.
    """
    if matched := _FACT_ID.fullmatch(word):
        return FixTarget(int(matched.group(1)))
    if matched := _REPORT.fullmatch(word):
        return _from_report(store, int(matched.group(1)))
    if word.lower() != LAST:
        raise CommandError(
            f"`{echo(word)}` is not a fact: give its id (e.g. `fix 36 35%`), a 👎 report (`fix r12 35%`) "
            "or `last` for the last answer."
        )
    if not channel:
        raise CommandError("`last` means the last answer in a chat channel: give the fact's id or a report.")
    last = last_answer(store.engine, platform, channel)
    if last is None or not last.answered:
        raise CommandError("No answer here to fix yet: ask a question first, or give the fact's id.")
    return FixTarget(_one_fact(store, last, "The last answer"))


def _from_report(store: FactStore, rating_id: int) -> FixTarget:
    rating = find_rating(store.engine, rating_id)
    ref = report_ref(rating_id)
    if rating is None:
        raise CommandError(f"There is no report {ref}; `briefbot feedback` lists them.")
    if rating.vote != "down":
        raise CommandError(f"{ref} is a 👍, not a report of a wrong answer; give the fact's id instead.")
    if not rating.answer.answered:
        raise CommandError(f"The answer {ref} reports gave no facts to fix; give the fact's id instead.")
    return FixTarget(_one_fact(store, rating.answer, f"The answer {ref} reports", ref), rating_id)


def _one_fact(store: FactStore, answer: LoggedAnswer, which: str, ref: str = "") -> int:
    """The one fixable fact an answer used; CommandError naming them when it used none or several."""
    used = store.get(answer.fact_ids) if answer.fact_ids else []
    ids = [f.id for f in used if f.kind in FIXABLE_KINDS]
    if not ids:
        raise CommandError(f"{which} used no fact that can be fixed; give the fact's id.")
    if len(ids) > 1:
        listed = ", ".join(str(i) for i in ids)
        raise CommandError(f"{which} used facts {listed}; say which, e.g. `fix {ids[0]} …`.")
    return ids[0]
