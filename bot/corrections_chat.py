"""The chat words for corrections: `fix <fact> <value> [because …]`, `fix undo`, `forget`, `articles`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.commands import CommandError, check_topics, echo
from bot.fix_target import resolve_fact
from bot.messages import Incoming, Message
from bot.ratings import report_ref
from bot.report_fixes import detail_for
from bot.text import make_message
from facts.corrections import Changed, CorrectionError, Corrections
from facts.store import FactStore

logger = logging.getLogger(__name__)

# A channel reads a list at a glance; `briefbot articles` gives them all.
MAX_ARTICLE_LINES = 15
FIX_USAGE = "Use `fix <fact id|last|r12> <new value> [because …]` or `fix undo <fact id|last|r12>`."
_BECAUSE = re.compile(r"\s+because\b:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FixRequest:
    """A parsed `fix`: the fact as typed, and the new value and reason (None for an undo)."""

    fact: str
    value: str | None
    reason: str = ""


def parse_fix(rest: str) -> FixRequest:
    """Read `fix <fact> <new value> [because …]` or `fix undo <fact>`; CommandError shows the usage."""
    words = rest.split(" ", 1)
    if not rest or len(words) < 2:
        raise CommandError(f"Which fact, and what should it say? {FIX_USAGE}")
    first, tail = words[0], words[1].strip()
    if first.lower() == "undo":
        if len(tail.split()) != 1:
            raise CommandError(f"Undo which fix? {FIX_USAGE}")
        return FixRequest(tail, None)
    parts = _BECAUSE.split(tail, maxsplit=1)
    value = parts[0].strip()
    if not value:
        raise CommandError(f"What should fact {echo(first)} say instead? {FIX_USAGE}")
    return FixRequest(first, value, parts[1].strip() if len(parts) > 1 else "")


def who(incoming: Incoming) -> str:
    """How the audit and the provenance name a person: platform and user id ('slack:U0123')."""
    return f"{incoming.platform}:{incoming.user}"


def fix_message(store: FactStore, incoming: Incoming, rest: str, now: datetime) -> Message:
    """Run a chat `fix` (or `fix undo`) and say what changed, or one line why nothing did."""
    request = parse_fix(rest)
    target = resolve_fact(store, request.fact, incoming.platform, incoming.channel)
    corrections = Corrections(store)
    try:
        if request.value is None:
            done = corrections.undo(target.fact_id, who(incoming), now)
        else:
            detail = detail_for(target.report)
            done = corrections.fix(target.fact_id, request.value, who(incoming), request.reason, now, detail)
    except CorrectionError as error:
        raise CommandError(str(error)) from None
    return make_message(
        "info", _said(done, target.report), (f"{done.current.text} (fact {done.current.id})",)
    )


def _said(done: Changed, report: int | None) -> str:
    if done.action == "undo":
        return f"Fix undone: fact {done.current.id} is current again (was {_value(done.replaced)})."
    answered = f", answering report {report_ref(report)}" if report is not None else ""
    return (
        f"Fixed: fact {done.replaced.id} is replaced by fact {done.current.id} "
        f"({done.current.correction_note()}{answered}). Channels following its topics get an update post."
    )


def _value(fact: object) -> str:
    date = getattr(fact, "date", None)
    return date.human() if date is not None else str(getattr(fact, "value", ""))


def forget_message(store: FactStore, incoming: Incoming, args: tuple[str, ...], now: datetime) -> Message:
    """Run a chat `forget <article id or url>` and say what it withdrew."""
    if len(args) != 1:
        raise CommandError("Which article? Use `forget <article id or url>`; `articles` lists them.")
    try:
        done = Corrections(store).forget(args[0], who(incoming), now)
    except CorrectionError as error:
        raise CommandError(str(error)) from None
    back = f"; {len(done.restored)} earlier versions are current again" if done.restored else ""
    return make_message(
        "info",
        f"Retracted “{done.title}” (article {done.document_id}): "
        f"{len(done.withdrawn)} facts are no longer current{back}.",
    )


def articles_message(store: FactStore, args: tuple[str, ...], topics: Callable[[], list[str]]) -> Message:
    """The recent articles (on a topic), with ids, published dates and current facts."""
    topic = check_topics(args, topics())[0] if args else None
    found = Corrections(store).articles(topic, limit=MAX_ARTICLE_LINES + 1)
    scope = f" on {topic}" if topic else ""
    if not found:
        return make_message("info", f"No articles{scope} yet.")
    lines = []
    for article in found[:MAX_ARTICLE_LINES]:
        state = "retracted" if article.retracted else f"{article.facts} current facts"
        lines.append(f"#{article.id} {article.title} ({article.published.isoformat()}; {state})")
    if len(found) > MAX_ARTICLE_LINES:
        lines.append("…and older ones: `briefbot articles` lists them all")
    return make_message("info", f"Recent articles{scope} (forget <id> retracts one):", lines)
