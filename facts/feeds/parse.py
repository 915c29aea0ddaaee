"""A feed's bytes (RSS 0.9x/1.0/2.0 or Atom) read with feedparser into its newest entries."""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import feedparser

logger = logging.getLogger(__name__)

# Entries of one poll that are ingested; a feed listing 10,000 gives its newest this many.
DEFAULT_MAX_ENTRIES = 50
_TAG = re.compile(r"<[^>]+>")


class NotAFeed(ValueError):
    """The bytes are no RSS or Atom feed; the message is one line saying what they are instead."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its identity, its link, and its own text for when the page cannot be had."""

    guid: str
    link: str
    title: str
    published: date | None
    stamp: str
    content: str
    sort_key: float = 0.0

    @property
    def text(self) -> str:
        """The entry's own content as plain text (tags dropped, entities read)."""
        return " ".join(html.unescape(_TAG.sub(" ", self.content)).split())


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title and its newest entries, newest first, with how many it listed in all."""

    title: str
    version: str
    entries: list[FeedEntry]
    listed: int


def _instant(parsed: Any) -> datetime | None:
    """A feedparser time (a UTC struct_time) as an aware datetime."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _content(entry: Any) -> str:
    """The fullest text an entry carries: its content, else its summary."""
    best = ""
    for part in entry.get("content") or ():
        value = part.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _entry(entry: Any, position: int) -> FeedEntry | None:
    link = str(entry.get("link") or "").strip()
    content = _content(entry)
    guid = str(entry.get("id") or link or "").strip()
    title = " ".join(str(entry.get("title") or "").split())
    if not guid:
        if not (title or content):
            return None
        # An entry without id or link: its title and text are all that tell it apart.
        guid = "sha256:" + hashlib.sha256(f"{title}\n{content}".encode()).hexdigest()
    # dict.get: feedparser's own lookup maps a missing `updated_parsed` to `published_parsed`, warning.
    published = _instant(dict.get(entry, "published_parsed")) or _instant(dict.get(entry, "updated_parsed"))
    updated = _instant(dict.get(entry, "updated_parsed")) or published
    # An edited entry shows a new `updated` time or new text; either makes its article worth a new look.
    digest = hashlib.sha256(f"{title}\n{content}".encode()).hexdigest()[:16]
    stamp = f"{updated.isoformat() if updated else ''}|{digest}"
    # Feeds list newest first by convention; undated entries keep that order behind the dated ones.
    sort_key = updated.timestamp() if updated else -float(position)
    return FeedEntry(
        guid=guid,
        link=link,
        title=title,
        published=published.date() if published else None,
        stamp=stamp,
        content=content,
        sort_key=sort_key,
    )


def parse_feed(body: bytes, url: str, content_type: str = "", limit: int = DEFAULT_MAX_ENTRIES) -> ParsedFeed:
    """The newest `limit` entries of a feed's bytes (never fetched by feedparser itself); raises NotAFeed."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, not a string: feedparser would otherwise take a string for a URL or a path to open.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True)
    version = parsed.get("version") or ""
    if not version:
        looks = "an HTML page" if b"<html" in body[:4096].lower() else "no RSS or Atom in it"
        raise NotAFeed(f"not a feed ({looks})")
    entries = [e for i, raw in enumerate(parsed.get("entries") or []) if (e := _entry(raw, i)) is not None]
    listed = len(entries)
    unique = list({e.guid: e for e in reversed(entries)}.values())
    unique.sort(key=lambda e: e.sort_key, reverse=True)
    title = " ".join(str((parsed.get("feed") or {}).get("title") or "").split())
    return ParsedFeed(title=title, version=version, entries=unique[: max(limit, 0)], listed=listed)
