"""`briefbot briefing`: print the daily countdown post a channel following some topics would get."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.clock import parse_now
from bot.cli.ports import Adapters
from bot.config import Settings
from facts.store import FactStore

logger = logging.getLogger(__name__)


def cmd_briefing(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Print the daily countdown a channel with these subscriptions would get at `--now`."""
    from bot.briefing import daily_post, dated_facts
    from bot.commands import CommandError, check_timezone, check_topics
    from bot.due import local_day
    from facts.topics import load_taxonomy

    names = load_taxonomy(settings.topics_file or None).names
    try:
        topics = check_topics(tuple(args.topic), names) if args.topic else names
        timezone = check_timezone(args.tz)
    except CommandError as error:
        print(f"briefbot: {error}".replace("`", ""), file=sys.stderr)
        return 2
    now = parse_now(args.now)
    today = local_day(now, timezone)
    message = daily_post(dated_facts(store, today), topics, today)
    if message is None:
        print(f"No post on {today.isoformat()}: nothing upcoming on {', '.join(topics)}.")
        return 0
    print(adapters.render(message))
    return 0


def add_briefing(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot briefing [--now ISO] [--topic T ...] [--tz ZONE]`."""
    briefing = sub.add_parser("briefing", help="print the daily countdown post for some topics")
    briefing.add_argument("--now", help="ISO-8601 instant (default: now)")
    briefing.add_argument("--topic", action="append", default=[], help="a followed topic (repeatable)")
    briefing.add_argument("--tz", default="UTC", help="the channel's time zone (default UTC)")
    briefing.set_defaults(func=cmd_briefing)
