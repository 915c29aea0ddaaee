"""Feeds read with feedparser from their bytes: RSS 2.0, RSS 1.0, Atom, not a feed, and a huge feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from facts.feeds.parse import NotAFeed, parse_feed
from tests.feedkit import Item, atom, rss

START = datetime(2025, 9, 16, 8, 0, tzinfo=UTC)


def items(n: int) -> list[Item]:
    return [
        Item(
            f"id-{i}",
            f"Story {i}",
            f"https://trade.example/{i}",
            START + timedelta(minutes=i),
            f"<p>Text {i}</p>",
        )
        for i in range(n)
    ]


def test_rss2_entries_newest_first_with_their_text() -> None:
    parsed = parse_feed(rss(items(3)), "https://trade.example/feed.xml", "application/rss+xml")
    assert parsed.version == "rss20" and parsed.title == "Trade wire"
    assert [e.title for e in parsed.entries] == ["Story 2", "Story 1", "Story 0"]
    first = parsed.entries[0]
    assert first.link == "https://trade.example/2" and first.published == date(2025, 9, 16)
    assert first.text == "Text 2" and first.guid.endswith("id-2")


def test_atom_entries() -> None:
    parsed = parse_feed(atom(items(2)), "https://trade.example/atom.xml", "application/atom+xml")
    assert parsed.version.startswith("atom")
    # feedparser reads an id relative to the feed's address, as it does links.
    assert [e.guid.rsplit("/", 1)[-1] for e in parsed.entries] == ["id-1", "id-0"]
    assert parsed.entries[0].text == "Text 1"


def test_rss1_rdf() -> None:
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://trade.example/"><title>RDF wire</title><link>https://trade.example/</link>
<description>d</description></channel>
<item rdf:about="https://trade.example/a"><title>A</title><link>https://trade.example/a</link>
<dc:date>2025-09-15T10:00:00Z</dc:date></item></rdf:RDF>"""
    parsed = parse_feed(body, "https://trade.example/rdf", "application/rdf+xml")
    assert parsed.version == "rss10"
    assert [(e.link, e.published) for e in parsed.entries] == [("https://trade.example/a", date(2025, 9, 15))]


def test_edited_entry_gets_a_new_stamp() -> None:
    before = parse_feed(rss(items(1)), "https://t.example/f").entries[0]
    edited = [Item("id-0", "Story 0", "https://trade.example/0", START, "<p>Text 0, corrected</p>")]
    after = parse_feed(rss(edited), "https://t.example/f").entries[0]
    assert before.guid == after.guid and before.stamp != after.stamp


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<!DOCTYPE html><html><body><p>Welcome</p></body></html>", "not a feed (an HTML page)"),
        (b"just some text", "not a feed (no RSS or Atom in it)"),
        (b"", "not a feed (no RSS or Atom in it)"),
    ],
)
def test_not_a_feed_is_one_line(body: bytes, said: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_feed(body, "https://trade.example/page")
    assert str(caught.value) == said


def test_ten_thousand_entries_give_the_newest_n() -> None:
    parsed = parse_feed(rss(items(10_000)), "https://trade.example/big", limit=50)
    assert parsed.listed == 10_000 and len(parsed.entries) == 50
    assert parsed.entries[0].title == "Story 9999" and parsed.entries[-1].title == "Story 9950"
