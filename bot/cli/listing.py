"""`briefbot facts`, `briefbot deadlines` and `briefbot topics`: what the store holds, as lines or JSON."""

from __future__ import annotations

import argparse
import logging

from bot.cli.clock import parse_now
from bot.cli.json_output import dumps
from bot.cli.ports import Adapters
from bot.config import Settings
from facts.countdown import countdown
from facts.models import Kind
from facts.store import FactStore

logger = logging.getLogger(__name__)

# The briefing and the taxonomy (YAML) are imported by the commands that use them: every command's parser
# is built at start, and a cold `briefbot ask` must not pay for them.


def cmd_facts(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List facts, current by default."""
    kinds = [args.kind] if args.kind else None
    topics = [args.topic] if args.topic else None
    found = store.facts(kinds=kinds, topics=topics, include_superseded=args.all)
    if not args.statements and not args.kind:
        found = [f for f in found if f.kind is not Kind.STATEMENT]
    if args.json:
        print(dumps([f.to_json() for f in found], indent=1))
        return 0
    for fact in found:
        status = "" if fact.current else f"  [superseded by {fact.superseded_by}]"
        if fact.withdrawn:
            status = "  [withdrawn: article retracted or fix undone]"
        note = fact.correction_note()
        status += f"  [{note}]" if note else ""
        topics_text = f" ({', '.join(fact.topics)})" if fact.topics else ""
        print(adapters.terminal_safe(f"#{fact.id} {fact.kind}: {fact.text}{topics_text}{status}"))
    if not found:
        print("No facts match.")
    return 0


def cmd_deadlines(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List upcoming deadlines and dated events with countdowns from now."""
    from bot.briefing import upcoming

    today = parse_now(args.now).date()
    found = upcoming(store, today, [args.topic] if args.topic else None)
    if args.json:
        out = []
        for fact in found:
            data = fact.to_json()
            left = countdown(fact.known_date(), today)
            data["countdown"] = {"days_min": left.first, "days_max": left.last, "text": left.describe()}
            out.append(data)
        print(dumps(out, indent=1))
        return 0
    if not found:
        print("No upcoming deadlines.")
    for fact in found:
        left = countdown(fact.known_date(), today)
        source = fact.source.title if fact.source else ""
        line = f"{fact.known_date().human():<20} {left.describe():<22} {fact.text}  — {source}"
        print(adapters.terminal_safe(line))
    return 0


def cmd_topics(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List the taxonomy's topics with how many current facts each has."""
    from facts.topics import load_taxonomy

    taxonomy = load_taxonomy(settings.topics_file or None)
    counts = store.topic_counts()
    if args.json:
        print(dumps([{"topic": t, "facts": counts.get(t, 0)} for t in taxonomy.names]))
        return 0
    for topic in taxonomy.names:
        print(f"{topic:<18} {counts.get(topic, 0)} facts")
    return 0


def add_facts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot facts [--kind K] [--topic T] [--all] [--statements] [--json]`."""
    facts_cmd = sub.add_parser("facts", help="list facts")
    facts_cmd.add_argument("--kind", choices=[k.value for k in Kind])
    facts_cmd.add_argument("--topic")
    facts_cmd.add_argument("--all", action="store_true", help="include superseded facts")
    facts_cmd.add_argument("--statements", action="store_true", help="include plain sentences")
    facts_cmd.add_argument("--json", action="store_true")
    facts_cmd.set_defaults(func=cmd_facts)


def add_deadlines(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot deadlines [--now ISO] [--topic T] [--json]`."""
    deadlines = sub.add_parser("deadlines", help="upcoming deadlines with countdowns")
    deadlines.add_argument("--now")
    deadlines.add_argument("--topic")
    deadlines.add_argument("--json", action="store_true")
    deadlines.set_defaults(func=cmd_deadlines)


def add_topics(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot topics [--json]`."""
    topics = sub.add_parser("topics", help="topics a channel can follow")
    topics.add_argument("--json", action="store_true")
    topics.set_defaults(func=cmd_topics)
