"""`briefbot feedback`: every rating of an answer, as lines or JSON, or with the fixes as a question set."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.json_output import dumps
from bot.cli.ports import Adapters
from bot.config import Settings
from facts.store import FactStore

if TYPE_CHECKING:
    from bot.ratings import Rating
    from facts.corrections import AuditEntry

logger = logging.getLogger(__name__)

# The ratings, the audit trail and the question-set writer (YAML) are imported where they are used:
# every command's parser is built at start, and a cold `briefbot ask` must not pay for them.

FACES = {"up": "👍", "down": "👎"}


def rating_json(rating: Rating, fixes: FixesOfReports | None = None) -> dict[str, Any]:
    """One rating as `feedback --json` gives it: question, answer, vote, who, when, and the rest.

    A 👎 is a report: `report` is how a fix names it (`fix r12 …`), `fixed_by` the fix made from it.
    """
    from bot import feedback_set
    from bot.ratings import report_ref
    from bot.report_fixes import fixed_by_json

    answer = rating.answer
    fix = fixes.of(rating) if fixes is not None else None
    return {
        "id": rating.id,
        "question": answer.question,
        "answer": answer.answer,
        "vote": rating.vote,
        "who": rating.user,
        "when": feedback_set.moment(rating.rated_at),
        "correction": rating.correction,
        "answer_id": answer.id,
        "answered": answer.answered,
        "platform": answer.platform,
        "channel": answer.channel,
        "asked_by": answer.user,
        "asked_at": feedback_set.moment(answer.asked_at),
        "facts": list(answer.fact_ids),
        "sources": [
            {"title": s.get("title"), "published": s.get("published"), "url": s.get("url") or None}
            for s in answer.sources
        ],
        "report": report_ref(rating.id) if rating.vote == "down" else None,
        "fixed_by": fixed_by_json(fix, fixes.undone) if fix is not None and fixes is not None else None,
    }


class FixesOfReports:
    """The fixes made from 👎 reports, read once from the audit trail."""

    def __init__(self, store: FactStore) -> None:
        from bot.report_fixes import fixes_by_report, standing_fixes, undone
        from facts.corrections import Corrections

        entries = Corrections(store).audit()
        self.by_report = fixes_by_report(entries)
        self.undone = undone(entries)
        self.standing = standing_fixes(entries)

    def of(self, rating: Rating) -> AuditEntry | None:
        """The newest fix made from this rating, when it is a report one was made from."""
        return self.by_report.get(rating.id) if rating.vote == "down" else None


def rating_line(rating: Rating, fixes: FixesOfReports | None = None) -> str:
    """One rating as a line: when, the vote (a 👎 with its report id), who and where, question and answer."""
    from bot import feedback_set
    from bot.ratings import report_ref

    answer = rating.answer
    when = rating.rated_at.strftime("%Y-%m-%d %H:%M UTC")
    said = feedback_set.first_line(answer.answer)
    who = f"{answer.platform}/{rating.user}"
    vote = f"{FACES[rating.vote]} {rating.vote:<4}"
    if rating.vote == "down":
        vote += f" {report_ref(rating.id)}"
    line = f"{when}  {vote}  {who}  “{answer.question}” → “{said}”"
    if rating.correction:
        line += f"  (would be right: “{rating.correction}”)"
    fix = fixes.of(rating) if fixes is not None else None
    if fix is not None and fixes is not None:
        state = ", since undone" if fix.id in fixes.undone else ""
        line += (
            f"  [fixed by {fix.by}: fact {fix.fact_id} -> {fix.new_fact_id}, {fix.was} -> {fix.value}{state}]"
        )
    elif rating.vote == "down":
        line += f"  (an editor can fix it: `fix {report_ref(rating.id)} <right value>`)"
    return line


def cmd_feedback(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List every rating (or, with --questions, write them as a question set and say what was written)."""
    from bot import feedback_set
    from bot.ratings import all_ratings

    rated = all_ratings(store.engine)
    fixes = FixesOfReports(store)
    if args.questions:
        folder = Path(args.questions)
        if folder.exists() and not folder.is_dir():
            print(f"briefbot: --questions {folder}: not a folder", file=sys.stderr)
            return 1
        built = feedback_set.build(store, rated, fixes.standing)
        try:
            written = feedback_set.write(store, built, folder)
        except OSError as error:
            print(
                f"briefbot: cannot write the question set to {folder}: {error.strerror or error}",
                file=sys.stderr,
            )
            return 1
        summary = (
            f"wrote {written}: {_count(len(built.questions), 'question')}, {len(built.to_label)} to label, "
            f"{_count(len(built.document_ids), 'article')} (from {_count(built.ratings, 'rating')} and "
            f"{_count(built.fixes, 'fix', 'fixes')})"
        )
        # With --json the JSON alone goes to stdout, so it stays one document a program can read.
        print(adapters.terminal_safe(summary), file=sys.stderr if args.json else sys.stdout)
        if not args.json:
            return 0
    if args.json:
        print(dumps([rating_json(r, fixes) for r in rated], indent=1))
        return 0
    if not rated:
        print("No ratings yet: answers in Slack and Discord have 👍/👎 buttons; the terminal has `rate up`.")
    for rating in rated:
        print(adapters.terminal_safe(rating_line(rating, fixes)))
    return 0


def _count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def add_feedback(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot feedback [--json] [--questions DIR]`."""
    feedback = sub.add_parser(
        "feedback",
        help="every rating of an answer (a 👎 with its report id, r12): question, answer, vote, who, when",
    )
    feedback.add_argument("--json", action="store_true")
    feedback.add_argument(
        "--questions",
        metavar="DIR",
        help="also write the ratings and fixes as a question set (DIR/questions.yaml and the articles cited)",
    )
    feedback.set_defaults(func=cmd_feedback)
