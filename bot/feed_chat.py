"""Following feeds from chat and the CLI: `feed add`, `feeds`, `feed remove`, checked and described."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bot.commands import CommandError, check_topics, echo
from bot.feed_timing import DEFAULT_EVERY_MINUTES, check_every
from bot.messages import Message
from bot.text import make_message
from facts.feeds.parse import ParsedFeed
from facts.feeds.poll import FeedPoll, FeedUnreadable
from facts.feeds.store import Feed, FeedExists, FeedStore
from facts.store import FactStore

logger = logging.getLogger(__name__)

FEED_USAGE = "Use `feed add <url> [topic ...] [every <minutes>]`, `feeds`, or `feed remove <url|number>`."

Probe = Callable[[str], ParsedFeed]


@dataclass(frozen=True)
class FeedRequest:
    """A parsed `feed …` command: add (url, topics, every), remove (url or number) or list."""

    action: str
    target: str = ""
    topics: tuple[str, ...] = ()
    every: int = DEFAULT_EVERY_MINUTES


def check_url(raw: str) -> str:
    """A feed's web address as typed (Slack's `<url>`, `<url|label>` unwrapped); else CommandError."""
    url = raw.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1].split("|", 1)[0]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CommandError(f"`{echo(raw)}` is not a web address. Give the feed's http(s) URL.")
    return url


def parse_feed_command(name: str, args: Sequence[str], topic_names: list[str]) -> FeedRequest:
    """Read `feeds` or `feed add|remove|list …`; CommandError says what is accepted."""
    if name == "feeds":
        return FeedRequest("list")
    if not args:
        raise CommandError(FEED_USAGE)
    action, rest = args[0].lower(), list(args[1:])
    if action in ("list", "ls"):
        return FeedRequest("list")
    if action in ("remove", "rm", "delete"):
        if len(rest) != 1:
            raise CommandError("Which feed? Give its URL or its number from `feeds`.")
        target = rest[0] if rest[0].isdigit() else check_url(rest[0])
        return FeedRequest("remove", target)
    if action != "add" or not rest:
        raise CommandError(FEED_USAGE)
    url = check_url(rest.pop(0))
    every = DEFAULT_EVERY_MINUTES
    topics: list[str] = []
    while rest:
        word = rest.pop(0)
        if word.lower() == "every" and rest:
            every = parse_every(rest.pop(0))
        else:
            topics.append(word)
    chosen = tuple(check_topics(tuple(topics), topic_names)) if topics else ()
    return FeedRequest("add", url, chosen, every)


def parse_every(text: str) -> int:
    """A polling interval in minutes ("30", "30m"); CommandError below the minimum or not a number."""
    raw = text.lower().removesuffix("min").removesuffix("m")
    if not raw.isdigit():
        raise CommandError(f"`{echo(text)}` is not a number of minutes.")
    try:
        return check_every(int(raw))
    except ValueError as error:
        raise CommandError(f"Too often: {error}.") from None


class FeedManager:
    """Adds, lists and removes feeds; a feed is read once before it is followed, so a bad URL is refused."""

    def __init__(self, store: FactStore, now: Callable[[], datetime], probe: Probe | None = None) -> None:
        self.feeds = FeedStore(store.engine)
        self.now = now
        self._probe = probe or FeedPoll(store).probe

    def add(
        self, url: str, topics: tuple[str, ...], every: int, added_by: str = ""
    ) -> tuple[Feed, ParsedFeed]:
        """Follow a feed after reading it once; CommandError (one line) when it is no feed or followed."""
        if self.feeds.find(url) is not None:
            raise CommandError(f"Already polling {url}. See `feeds`.")
        try:
            parsed = self._probe(url)
        except FeedUnreadable as error:
            raise CommandError(f"Cannot follow {url}: {error}.") from None
        try:
            feed = self.feeds.add(url, topics, every, self.now(), added_by, parsed.title)
        except FeedExists:
            raise CommandError(f"Already polling {url}. See `feeds`.") from None
        logger.info("feed added: %s (%d entries listed) by %s", url, parsed.listed, added_by or "the CLI")
        return feed, parsed

    def remove(self, target: str) -> Feed:
        """Stop polling a feed given by URL or number; CommandError when there is no such feed."""
        feed = self.feeds.find(target)
        if feed is None or not self.feeds.remove(feed.id):
            raise CommandError(f"No feed `{echo(target)}`. See `feeds` for their URLs and numbers.")
        logger.info("feed removed: %s", feed.url)
        return feed

    def all(self) -> list[Feed]:
        """Every feed followed."""
        return self.feeds.all()


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def feed_line(feed: Feed) -> str:
    """One feed as `feeds` lists it: number, name, schedule, last success, last error, entries taken."""
    name = f"{feed.title} <{feed.url}>" if feed.title else feed.url
    topics = f", topics {', '.join(feed.topics)}" if feed.topics else ""
    error = f"; last error {_when(feed.last_error_at)}: {feed.last_error}" if feed.last_error else ""
    return (
        f"{feed.id}. {name}: every {feed.every_minutes} min{topics};"
        f" last success {_when(feed.last_success_at)}{error}; {feed.entries_taken} entries taken"
    )


def feed_message(manager: FeedManager, request: FeedRequest, added_by: str) -> Message:
    """Carry out a feed command and say what happened."""
    if request.action == "list":
        found = manager.all()
        if not found:
            return make_message("info", "No feeds yet. Add one with `feed add <url> [topic ...]`.")
        return make_message("info", "Feeds polled for new articles:", [feed_line(f) for f in found])
    if request.action == "remove":
        feed = manager.remove(request.target)
        return make_message("info", f"Stopped polling {feed.url}; the articles taken from it stay.")
    feed, parsed = manager.add(request.target, request.topics, request.every, added_by)
    title = f"“{parsed.title}”" if parsed.title else feed.url
    topics = f" on {', '.join(feed.topics)}" if feed.topics else ""
    return make_message(
        "info",
        f"Now polling {title}{topics} every {feed.every_minutes} min (feed {feed.id}, {parsed.listed}"
        " entries listed). New articles arrive with the next poll.",
    )
