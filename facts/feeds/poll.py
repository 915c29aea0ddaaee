"""One poll of one feed: a conditional GET, its newest entries, and each new article fetched and ingested."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from facts.feeds.parse import DEFAULT_MAX_ENTRIES, FeedEntry, NotAFeed, ParsedFeed, parse_feed
from facts.feeds.store import Feed, FeedStore
from facts.ingest import Extractor, IngestError, read_facts
from facts.models import ExtractedFact, NewDocument
from facts.store import FactStore
from facts.topics import Taxonomy
from facts.web.fetch import FetchError

logger = logging.getLogger(__name__)


class FeedUnreadable(ValueError):
    """A URL that gives no readable feed (fetch failed, or not RSS/Atom); the message is one line."""


class Fetcher(Protocol):
    """What polling needs of facts.web.fetch.fetch (tests may pass their own)."""

    def __call__(
        self, url: str, *, accept: Any = ..., etag: str | None = None, last_modified: str | None = None
    ) -> Any:
        """GET one URL; returns a facts.web.fetch.Fetched or raises its FetchError."""


@dataclass
class PollResult:
    """What one poll of one feed did, and how to say it in one line."""

    feed: Feed
    outcome: str = "ok"  # ok | unchanged | failed
    error: str | None = None
    error_kind: str | None = None
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    listed: int = 0
    considered: int = 0
    taken: int = 0
    versions: int = 0
    facts: int = 0
    known: int = 0
    # (entry link, one-line error, kind): "no-text" for an article without text, else the fetch error's kind.
    entry_errors: list[tuple[str, str, str]] = field(default_factory=list)

    def line(self) -> str:
        """The poll in one line, as `briefbot feeds poll` prints it."""
        name = f"{self.feed.id}. {self.feed.url}"
        if self.outcome == "failed":
            return f"{name}: failed: {self.error}"
        if self.outcome == "unchanged":
            return f"{name}: not modified since the last poll"
        said = f"{name}: {self.taken} new article{'s' if self.taken != 1 else ''}"
        if self.versions:
            said += f" ({self.versions} a new version)"
        said += f", {self.facts} facts"
        if self.listed > self.considered:
            said += f"; the feed lists {self.listed} entries, only the newest {self.considered} were read"
        if self.entry_errors:
            first = self.entry_errors[0][1]
            more = f" (and {len(self.entry_errors) - 1} more)" if len(self.entry_errors) > 1 else ""
            said += f"; {len(self.entry_errors)} could not be read: {first}{more}"
        return said


def _default_fetcher() -> Fetcher:
    from facts.web.fetch import fetch

    return fetch


def with_feed_topics(extracted: list[ExtractedFact], topics: tuple[str, ...]) -> list[ExtractedFact]:
    """Facts the taxonomy found no topic for take the feed's topics (a feed added as being on them)."""
    if not topics:
        return extracted
    return [f if f.topics else replace(f, topics=tuple(topics)) for f in extracted]


class FeedPoll:
    """Polls feeds into a fact store: fetching through `fetch`, with `before_request(url)` before each GET."""

    def __init__(
        self,
        store: FactStore,
        fetch: Fetcher | None = None,
        before_request: Callable[[str], None] = lambda _url: None,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        extractor: Extractor | None = None,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.store = store
        self.feeds = FeedStore(store.engine)
        self._fetch = fetch
        self.before_request = before_request
        self.max_entries = max_entries
        self.extractor = extractor
        self.taxonomy = taxonomy

    @property
    def fetch(self) -> Fetcher:
        """The fetcher: the one given, else facts.web.fetch (imported on first use)."""
        if self._fetch is None:
            self._fetch = _default_fetcher()
        return self._fetch

    def probe(self, url: str) -> ParsedFeed:
        """Fetch and read a feed without taking anything from it (before following it); FeedUnreadable."""
        from facts.web.fetch import FEED_TYPES, HTML_TYPES

        try:
            self.before_request(url)
            fetched = self.fetch(url, accept=tuple(FEED_TYPES) + tuple(HTML_TYPES))
            return parse_feed(fetched.body, fetched.url, fetched.content_type, self.max_entries)
        except (NotAFeed, FetchError) as error:
            raise FeedUnreadable(str(error)) from None

    def poll(self, feed: Feed, now: datetime) -> PollResult:
        """Poll one feed at `now`: nothing is stored when the feed itself cannot be read."""
        from facts.web.fetch import FEED_TYPES, HTML_TYPES

        result = PollResult(feed, etag=feed.etag, last_modified=feed.last_modified)
        try:
            self.before_request(feed.url)
            # HTML is let through so that a page given as a feed is told apart from a broken download.
            fetched = self.fetch(
                feed.url,
                accept=tuple(FEED_TYPES) + tuple(HTML_TYPES),
                etag=feed.etag,
                last_modified=feed.last_modified,
            )
        except FetchError as error:
            result.outcome, result.error = "failed", str(error)
            result.error_kind = getattr(error, "kind", "fetch")
            return result
        if fetched.status == 304:
            result.outcome = "unchanged"
            return result
        try:
            parsed = parse_feed(fetched.body, fetched.url, fetched.content_type, self.max_entries)
        except NotAFeed as error:
            result.outcome, result.error, result.error_kind = "failed", str(error), "not-a-feed"
            return result
        result.title = parsed.title
        result.etag = fetched.etag
        result.last_modified = fetched.last_modified
        result.listed, result.considered = parsed.listed, len(parsed.entries)
        seen = self.feeds.seen(feed.id, [e.guid for e in parsed.entries])
        # Oldest first, so that a digest and the store's history read in the order things happened.
        for entry in reversed(parsed.entries):
            self._take(feed, entry, seen.get(entry.guid), now, result)
        return result

    def _take(self, feed: Feed, entry: FeedEntry, seen: Any, now: datetime, result: PollResult) -> None:
        """Ingest one entry's article unless it was taken before unchanged."""
        if seen is not None and seen.stamp == entry.stamp:
            result.known += 1
            return
        if seen is None:
            elsewhere = self.feeds.document_at(entry.link)
            if elsewhere is not None:
                # Another feed (or this one under an old guid) brought this article already.
                self.feeds.took(feed.id, entry.guid, entry.link, entry.stamp, elsewhere, now)
                result.known += 1
                return
        try:
            document = self._document(entry, now)
            extracted = read_facts(document, self.extractor, self.taxonomy)
            stored = self.store.ingest(document, with_feed_topics(extracted, feed.topics), now)
        except (IngestError, FetchError) as error:
            kind = getattr(error, "kind", "no-text")
            result.entry_errors.append((entry.link or entry.guid, str(error), kind))
            # Remembered, so a page that is gone is not fetched every poll; an edited entry is read again.
            self.feeds.took(feed.id, entry.guid, entry.link, entry.stamp, None, now)
            return
        self.feeds.took(feed.id, entry.guid, document.url or entry.link, entry.stamp, stored.document_id, now)
        if stored.duplicate:
            result.known += 1
            return
        result.taken += 1
        result.facts += len(stored.added)
        if seen is not None and seen.document_id is not None:
            result.versions += 1

    def _document(self, entry: FeedEntry, now: datetime) -> NewDocument:
        """The entry's article: its page's main text, else the entry's own text when long enough."""
        from facts.web.fetch import HTML_TYPES
        from facts.web.page import MIN_ARTICLE_CHARS, document_from_text, page_document

        problem: Exception | None = None
        if entry.link:
            try:
                self.before_request(entry.link)
                fetched = self.fetch(entry.link, accept=HTML_TYPES)
                return page_document(fetched, fallback_title=entry.title, today=now.date())
            except (IngestError, FetchError) as error:
                problem = error
        # The entry's own text stands in for its page when a page would pass with it: not a teaser.
        if len(entry.text) >= MIN_ARTICLE_CHARS:
            title = entry.title or entry.link
            return document_from_text(entry.link, title, entry.published, entry.content, today=now.date())
        if problem is not None:
            raise problem
        raise IngestError(f"{entry.guid}: no link and too little text in the entry")
