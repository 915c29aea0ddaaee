"""`briefbot feedback`: every rating people gave answers in chat, as lines, JSON or a question set."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from bot import feedback_set
from bot.cli.json_output import dumps
from bot.cli.ports import Adapters
from bot.config import Settings
from bot.ratings import Rating, all_ratings
from facts.store import FactStore

logger = logging.getLogger(__name__)

FACES = {"up": "👍", "down": "👎"}


def rating_json(rating: Rating) -> dict[str, Any]:
    """One rating as `feedback --json` gives it: question, answer, vote, who, when, and the rest."""
    answer = rating.answer
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
    }


def rating_line(rating: Rating) -> str:
    """One rating as a line: when, the vote, who and where, the question and the answer's first line."""
    answer = rating.answer
    when = rating.rated_at.strftime("%Y-%m-%d %H:%M UTC")
    said = feedback_set.first_line(answer.answer)
    who = f"{answer.platform}/{rating.user}"
    line = f"{when}  {FACES[rating.vote]} {rating.vote:<4}  {who}  “{answer.question}” → “{said}”"
    if rating.correction:
        line += f"  (would be right: “{rating.correction}”)"
    return line


def cmd_feedback(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List every rating (or, with --questions, write them as a question set and say what was written)."""
    rated = all_ratings(store.engine)
    if args.questions:
        folder = Path(args.questions)
        if folder.exists() and not folder.is_dir():
            print(f"briefbot: --questions {folder}: not a folder", file=sys.stderr)
            return 1
        built = feedback_set.build(store, rated)
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
            f"{_count(len(built.document_ids), 'article')}"
        )
        # With --json the JSON alone goes to stdout, so it stays one document a program can read.
        print(adapters.terminal_safe(summary), file=sys.stderr if args.json else sys.stdout)
        if not args.json:
            return 0
    if args.json:
        print(dumps([rating_json(r) for r in rated], indent=1))
        return 0
    if not rated:
        print("No ratings yet: answers in Slack and Discord have 👍/👎 buttons; the terminal has `rate up`.")
    for rating in rated:
        print(adapters.terminal_safe(rating_line(rating)))
    return 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def add_feedback(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot feedback [--json] [--questions DIR]`."""
    feedback = sub.add_parser("feedback", help="every rating of an answer: question, answer, vote, who, when")
    feedback.add_argument("--json", action="store_true")
    feedback.add_argument(
        "--questions",
        metavar="DIR",
        help="also write the ratings as a question set (DIR/questions.yaml and the articles cited)",
    )
    feedback.set_defaults(func=cmd_feedback)
