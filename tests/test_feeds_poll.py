"""Polling feeds from a real HTTP server on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.feed_chat import feed_line
from bot.feeds import FeedPoller
from facts.feeds.store import FeedStore
from facts.models import Kind
from facts.store import FactStore
from facts.web.fetch import forget_robots
from tests.feedkit import TARIFF_TEXT, FakeTime, Item, Route, Site, article_page, atom, rss, serve

NOW = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)
RSS_TYPE = "application/rss+xml"
SHORT = "A teaser."
LONG_SUMMARY = (
    "<p>Negotiators said the tariff on Chinese aluminium will fall to 10% on November 1, 2025.</p>"
    "<p>The cut follows weeks of talks in Geneva between the two delegations, officials said on Monday, "
    "and it covers every aluminium product listed in the agreement signed by both trade ministers.</p>"
    "<p>Exporters welcomed the move, which they said would restore shipments lost since the spring.</p>"
)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "127.0.0.1")
    forget_robots()
    with serve(Site()) as running:
        yield running
    forget_robots()


def poller(store: FactStore, fake: FakeTime | None = None, max_entries: int = 50) -> FeedPoller:
    fake = fake or FakeTime(NOW)
    return FeedPoller(store, clock=fake, sleep=fake.sleep, max_entries=max_entries)


def steel(site: Site, rate: str = "50%") -> Item:
    site.routes["/steel"] = Route(article_page("US raises steel tariff", TARIFF_TEXT.replace("50%", rate)))
    return Item("steel-1", "US raises steel tariff", site.url("/steel"), NOW - timedelta(hours=1), SHORT)


def test_poll_ingests_new_entries_then_a_304_changes_nothing(store: FactStore, site: Site) -> None:
    items = [
        steel(site),
        Item("alu-1", "Aluminium tariff cut", site.url("/gone-alu"), NOW - timedelta(hours=2), LONG_SUMMARY),
        Item("short-1", "Teaser only", site.url("/gone-short"), NOW - timedelta(hours=3), SHORT),
    ]
    site.routes["/feed.xml"] = Route(rss(items), content_type=RSS_TYPE, etag='"v1"')
    feeds = FeedStore(store.engine)
    feed = feeds.add(site.url("/feed.xml"), (), 15, NOW)
    fake = FakeTime(NOW)
    polls = poller(store, fake)

    [result] = polls.poll_due(NOW)
    assert result.outcome == "ok" and result.taken == 2 and result.facts > 0
    # The page that is gone with only a teaser is reported; its neighbour's own text stood in.
    assert [link for link, _, _ in result.entry_errors] == [site.url("/gone-short")]
    assert "2 new articles" in result.line() and "1 could not be read" in result.line()
    titles = {d.title: d.url for d in store.documents()}
    assert titles["US raises steel tariff"] == site.url("/steel")
    assert titles["Aluminium tariff cut"] == site.url("/gone-alu")
    # One request per second to the one host: each request after the first waited its second.
    requests = [p for p, _ in site.requests if p != "/robots.txt"]
    assert len(requests) == 4 and fake.slept == [1.0] * 3

    stored = feeds.get(feed.id)
    assert stored is not None and stored.etag == '"v1"' and stored.entries_taken == 2
    assert stored.last_success_at == NOW and stored.next_poll_at == NOW + timedelta(minutes=15)
    assert "last success 2025-09-16 09:00 UTC" in feed_line(stored) and "2 entries taken" in feed_line(stored)
    assert polls.poll_due(NOW + timedelta(minutes=14)) == []

    documents = store.count()
    later = NOW + timedelta(minutes=15)
    [again] = polls.poll_due(later)
    assert again.outcome == "unchanged" and store.count() == documents
    assert site.requests[-1][1].get("if-none-match") == '"v1"'
    assert feeds.get(feed.id).next_poll_at == later + timedelta(minutes=15)  # type: ignore[union-attr]


def test_atom_feed_and_each_article_once(store: FactStore, site: Site) -> None:
    item = steel(site)
    site.routes["/atom"] = Route(atom([item]), content_type="application/atom+xml")
    site.routes["/rss"] = Route(rss([item]), content_type=RSS_TYPE)
    feeds = FeedStore(store.engine)
    feeds.add(site.url("/atom"), (), 15, NOW)
    feeds.add(site.url("/rss"), (), 15, NOW)
    polls = poller(store)
    first, second = polls.poll_due(NOW)
    assert first.taken == 1 and second.taken == 0 and second.known == 1
    # The other feed's copy of the same article was not fetched again, and the feed listing it again
    # (no 304: no validators) changes nothing.
    assert site.hits("/steel") == 1
    assert [r.taken for r in polls.poll_all(NOW + timedelta(minutes=20))] == [0, 0]
    assert site.hits("/steel") == 1 and store.count()[0] == 1


def test_changed_article_is_a_new_version_whose_facts_supersede(store: FactStore, site: Site) -> None:
    item = steel(site, "50%")
    site.routes["/feed"] = Route(rss([item]), content_type=RSS_TYPE)
    FeedStore(store.engine).add(site.url("/feed"), ("tariffs",), 15, NOW)
    polls = poller(store)
    assert polls.poll_due(NOW)[0].taken == 1
    rates = {f.value for f in store.facts(kinds=[Kind.RATE])}
    assert "50%" in rates

    # The entry is edited (new summary) but the page is the same: same text, nothing changes.
    edited = Item(item.guid, item.title, item.link, item.published, "Updated teaser.")
    site.routes["/feed"] = Route(rss([edited]), content_type=RSS_TYPE)
    result = polls.poll_all(NOW + timedelta(minutes=15))[0]
    assert result.taken == 0 and result.known == 1 and store.count()[0] == 1

    # Now the page's text changes at the same URL: a new version, and its rate replaces the old one.
    steel(site, "60%")
    revised = Item(item.guid, item.title, item.link, item.published, "Corrected: 60%.")
    site.routes["/feed"] = Route(rss([revised]), content_type=RSS_TYPE)
    result = polls.poll_all(NOW + timedelta(minutes=30))[0]
    assert result.taken == 1 and result.versions == 1 and store.count()[0] == 2
    current = {f.value for f in store.facts(kinds=[Kind.RATE])}
    assert "60%" in current and "50%" not in current


@pytest.mark.parametrize(
    ("route", "said", "kind"),
    [
        (None, "404", "status"),
        (Route(b"oops", status=500, content_type="text/plain"), "500", "status"),
        (Route(article_page("Just a page", TARIFF_TEXT)), "not a feed (an HTML page)", "not-a-feed"),
    ],
)
def test_bad_feeds_get_one_line_back_off_and_change_nothing(
    store: FactStore, site: Site, route: Route | None, said: str, kind: str
) -> None:
    if route is not None:
        site.routes["/feed"] = route
    feeds = FeedStore(store.engine)
    feed = feeds.add(site.url("/feed"), (), 15, NOW)
    polls = poller(store)
    before = store.count()
    [result] = polls.poll_due(NOW)
    assert result.outcome == "failed" and result.error_kind == kind and said in (result.error or "")
    line = result.line()
    assert "\n" not in line and line.startswith(f"{feed.id}. {site.url('/feed')}: failed: ")
    assert store.count() == before and feeds.entry_count() == 0
    failed = feeds.get(feed.id)
    assert failed is not None and failed.failures == 1 and failed.last_success_at is None
    assert failed.next_poll_at == NOW + timedelta(minutes=30) and said in (failed.last_error or "")
    assert "last success never; last error 2025-09-16 09:00 UTC" in feed_line(failed)
    # Backed off: not due at the usual interval; the next failure doubles the wait.
    assert polls.poll_due(NOW + timedelta(minutes=15)) == []
    polls.poll_due(NOW + timedelta(minutes=30))
    assert feeds.get(feed.id).next_poll_at == NOW + timedelta(minutes=90)  # type: ignore[union-attr]


def test_a_feed_of_ten_thousand_entries_gives_its_newest_n(store: FactStore, site: Site) -> None:
    site.routes["/a"] = Route(article_page("Steel tariff raised", TARIFF_TEXT))
    site.routes["/b"] = Route(article_page("Geneva talks set", TARIFF_TEXT.replace("Geneva", "Madrid")))
    listed = [
        Item(f"old-{i}", f"Old {i}", site.url(f"/missing/{i}"), NOW - timedelta(days=30, minutes=i), SHORT)
        for i in range(9_998)
    ]
    newest = [
        Item("new-a", "Steel tariff raised", site.url("/a"), NOW - timedelta(minutes=2), SHORT),
        Item("new-b", "Geneva talks set", site.url("/b"), NOW - timedelta(minutes=1), SHORT),
    ]
    site.routes["/big"] = Route(rss(listed + newest), content_type=RSS_TYPE)
    FeedStore(store.engine).add(site.url("/big"), (), 15, NOW)
    [result] = poller(store, max_entries=2).poll_due(NOW)
    assert result.taken == 2 and result.listed == 10_000 and result.considered == 2
    assert "the feed lists 10000 entries, only the newest 2 were read" in result.line()
    assert not any(p.startswith("/missing/") for p, _ in site.requests)
