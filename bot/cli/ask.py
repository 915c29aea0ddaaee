"""The `briefbot ask` subcommand: answer questions from the store, as text or one JSON object per question."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.cli.clock import parse_now
from bot.cli.json_output import dumps
from bot.cli.ports import Adapters
from bot.config import Settings
from facts.qa import Answer, Config, answer
from facts.store import FactStore

logger = logging.getLogger(__name__)

_ASK_OPTIONS = {"--json", "--now", "-h", "--help"}

FAILED = "Sorry, something went wrong while answering that; please try again or rephrase."


def add_ask(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot ask [--json] [--now ISO] QUESTION|-`."""
    ask = sub.add_parser("ask", help="answer a question from the facts, with sources")
    ask.add_argument("question", nargs="+", help="the question, or - to read one question per line on stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--now", help="the clock for countdowns and staleness (ISO-8601; default: now)")
    ask.set_defaults(func=cmd_ask)


def safe_answer(store: FactStore, question: str, now: datetime, config: Config | None = None) -> Answer:
    """An answer that never raises: an unexpected failure becomes a polite, unanswered reply."""
    try:
        return answer(store, question, now, config)
    except Exception:  # one question must not take the command (or a batch) down
        logger.exception("answering failed")
        return Answer(False, FAILED)


def _emit(result: Answer, as_json: bool, out: TextIO, terminal_safe: Callable[[str], str]) -> None:
    if as_json:
        out.write(dumps(result.to_json()) + "\n")
    else:
        out.write(terminal_safe(result.text) + "\n")
    out.flush()


def cmd_ask(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Answer the question given, or each line of stdin for `-`; exit 0 whether answered or declined."""
    now = parse_now(args.now)
    config = Config(topics_file=settings.topics_file or None)
    words = args.question
    if words == ["-"]:
        first = True
        for line in sys.stdin:
            if not args.json and not first:
                sys.stdout.write("\n")
            first = False
            _emit(
                safe_answer(store, line.rstrip("\r\n"), now, config),
                args.json,
                sys.stdout,
                adapters.terminal_safe,
            )
        return 0
    _emit(safe_answer(store, " ".join(words), now, config), args.json, sys.stdout, adapters.terminal_safe)
    return 0


def question_words_as_words(argv: list[str]) -> list[str]:
    """`briefbot ask "---"`: words of a question that look like options are the question's own words."""
    if not argv or argv[0] != "ask" or "--" in argv:
        return argv
    out = [argv[0]]
    rest = argv[1:]
    while rest:
        word = rest.pop(0)
        if word in _ASK_OPTIONS or word.startswith("--now="):
            out.append(word)
            if word == "--now" and rest:
                out.append(rest.pop(0))
            continue
        return [*out, "--", word, *rest] if word.startswith("-") and word != "-" else [*out, word, *rest]
    return out
