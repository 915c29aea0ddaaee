"""`briefbot feeds add|list|remove|poll`: the CLI twins of the chat's feed commands."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from bot.cli.json_output import dumps
from bot.cli.ports import Adapters
from bot.config import Settings
from bot.feed_timing import DEFAULT_EVERY_MINUTES
from facts.store import FactStore

logger = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


# The feed modules (feedparser, httpx), the chat's commands and the taxonomy (YAML) are imported by the
# commands that use them, not when the parser is built: `briefbot ask` starts without them.


def cmd_feeds_add(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Follow a feed after reading it once; a bad URL or a page that is no feed is refused in one line."""
    from bot.commands import CommandError, check_topics
    from bot.feed_chat import FeedManager, check_url, parse_every
    from facts.topics import load_taxonomy

    try:
        url = check_url(args.url)
        names = load_taxonomy(settings.topics_file or None).names
        topics = tuple(check_topics(tuple(args.topic), names)) if args.topic else ()
        every = parse_every(str(args.every))
        feed, parsed = FeedManager(store, _now).add(url, topics, every, "cli")
    except CommandError as error:
        print(f"briefbot: {adapters.terminal_safe(str(error))}", file=sys.stderr)
        return 1
    title = f" “{parsed.title}”" if parsed.title else ""
    print(
        adapters.terminal_safe(
            f"feed {feed.id}: {feed.url}{title}, polled every {feed.every_minutes} min"
            f" ({parsed.listed} entries listed; the next poll takes the newest {settings.feed_max_entries})"
        )
    )
    return 0


def cmd_feeds_list(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List the feeds with their last success, last error and entries taken."""
    from bot.feed_chat import FeedManager, feed_line

    found = FeedManager(store, _now).all()
    if args.json:
        print(dumps([f.to_json() for f in found], indent=1))
        return 0
    if not found:
        print("No feeds. Add one with: briefbot feeds add URL [--topic T ...] [--every MINUTES]")
    for feed in found:
        print(adapters.terminal_safe(feed_line(feed)))
    return 0


def cmd_feeds_remove(
    args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters
) -> int:
    """Stop polling a feed given by URL or number; its articles stay."""
    from bot.commands import CommandError
    from bot.feed_chat import FeedManager, check_url

    try:
        target = args.feed if args.feed.isdigit() else check_url(args.feed)
        feed = FeedManager(store, _now).remove(target)
    except CommandError as error:
        print(f"briefbot: {adapters.terminal_safe(str(error))}", file=sys.stderr)
        return 1
    print(adapters.terminal_safe(f"removed feed {feed.id}: {feed.url} (its articles stay)"))
    return 0


def cmd_feeds_poll(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Poll every feed now, one line per feed; exit 1 when any feed could not be read."""
    from bot.feeds import poller_for

    results = poller_for(store, settings).poll_all(_now())
    if not results:
        print("No feeds to poll.")
    for result in results:
        print(adapters.terminal_safe(result.line()))
    return 1 if any(r.outcome == "failed" for r in results) else 0


def add_feeds_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `feeds add|list|remove|poll` on the main parser."""
    feeds = sub.add_parser("feeds", help="RSS and Atom feeds polled for new articles")
    actions = feeds.add_subparsers(dest="feeds_command", required=True)
    add = actions.add_parser("add", help="poll a feed for new articles")
    add.add_argument("url", help="the feed's http(s) URL")
    add.add_argument(
        "--topic", nargs="+", action="extend", default=[], metavar="T", help="topics its articles are on"
    )
    add.add_argument(
        "--every",
        type=int,
        default=DEFAULT_EVERY_MINUTES,
        metavar="MINUTES",
        help="minutes between polls, 5 or more",
    )
    add.set_defaults(func=cmd_feeds_add)
    listing = actions.add_parser("list", help="the feeds, with last success, last error and entries taken")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_feeds_list)
    remove = actions.add_parser("remove", help="stop polling a feed")
    remove.add_argument("feed", metavar="URL|NUMBER")
    remove.set_defaults(func=cmd_feeds_remove)
    poll = actions.add_parser("poll", help="poll every feed now, one line per feed")
    poll.set_defaults(func=cmd_feeds_poll)
