"""Feed commands in chat and on the CLI: checked arguments, the Manage Channels right, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters.recording import RecordingChat
from bot.cli import main
from bot.commands import CommandError
from bot.core import BriefBot
from bot.feed_chat import parse_feed_command
from bot.state import upgrade_bot_tables
from facts.feeds.store import FeedStore
from facts.store import FactStore
from facts.web.fetch import forget_robots
from tests.botkit import Clock
from tests.feedkit import TARIFF_TEXT, Item, Route, Site, article_page, rss, serve

TOPICS = ["tariffs", "tiktok"]
NOW = datetime(2025, 9, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "127.0.0.1")
    forget_robots()
    with serve(Site()) as running:
        yield running
    forget_robots()


def test_feed_command_parsing() -> None:
    add = parse_feed_command(
        "feed", ("add", "<https://a.example/rss|a.example>", "Tariffs", "every", "30"), TOPICS
    )
    assert (add.action, add.target, add.topics, add.every) == (
        "add",
        "https://a.example/rss",
        ("tariffs",),
        30,
    )
    assert parse_feed_command("feeds", (), TOPICS).action == "list"
    assert parse_feed_command("feed", ("remove", "3"), TOPICS).target == "3"
    for args, said in [
        ((), "Use `feed add"),
        (("add", "ftp://a.example/x"), "is not a web address"),
        (("add", "https://a.example/rss", "tarifs"), "Did you mean `tariffs`?"),
        (("add", "https://a.example/rss", "every", "2"), "at most every 5 minutes"),
        (("remove",), "Which feed?"),
    ]:
        with pytest.raises(CommandError, match=said.replace("?", r"\?")):
            parse_feed_command("feed", args, TOPICS)


def test_chat_needs_manage_channels_to_add_or_remove_but_anyone_lists(store: FactStore, site: Site) -> None:
    upgrade_bot_tables(store.engine)
    site.routes["/rss"] = Route(rss([]), content_type="application/rss+xml")
    core = BriefBot(store, Clock(NOW))
    guest = RecordingChat(core, can_manage_channel=False)
    assert "Only people who can manage this channel can use `feed add`" in guest.say(
        f"feed add {site.url('/rss')}"
    )
    assert FeedStore(store.engine).all() == [] and site.hits("/rss") == 0
    admin = RecordingChat(core)
    assert "Now polling “Trade wire”" in admin.say(f"feed add {site.url('/rss')} tariffs")
    assert "Already polling" in admin.say(f"feed add {site.url('/rss')}")
    listed = guest.say("feeds")
    assert f"1. Trade wire <{site.url('/rss')}>: every 15 min, topics tariffs; last success never" in listed
    assert "Only people who can manage" in guest.say("feed remove 1")
    assert "No feed `7`" in admin.say("feed remove 7")
    assert "Stopped polling" in admin.say("feed remove 1") and FeedStore(store.engine).all() == []


@pytest.mark.parametrize(
    ("route", "said"),
    [
        (None, "404"),
        (Route(b"down", status=500, content_type="text/plain"), "500"),
        (Route(article_page("A page", TARIFF_TEXT)), "not a feed (an HTML page)"),
    ],
)
def test_adding_something_that_is_no_feed_is_refused_in_one_line(
    store: FactStore, site: Site, route: Route | None, said: str
) -> None:
    upgrade_bot_tables(store.engine)
    if route is not None:
        site.routes["/x"] = route
    reply = RecordingChat(BriefBot(store, Clock(NOW))).say(f"feed add {site.url('/x')}")
    assert reply.startswith(f"Cannot follow {site.url('/x')}: ") and said in reply and "\n" not in reply
    assert FeedStore(store.engine).all() == []


def test_cli_feeds_add_list_poll_remove(
    site: Site, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    site.routes["/steel"] = Route(article_page("US raises steel tariff", TARIFF_TEXT, "2025-09-15"))
    item = Item("s1", "US raises steel tariff", site.url("/steel"), NOW, "A teaser.")
    site.routes["/rss"] = Route(rss([item]), content_type="application/rss+xml")
    assert main(["feeds", "add", site.url("/rss"), "--topic", "tariffs", "tiktok", "--every", "30"]) == 0
    assert "feed 1: " in capsys.readouterr().out
    assert main(["feeds", "add", site.url("/nothing")]) == 1
    assert "404" in capsys.readouterr().err
    assert main(["feeds", "add", site.url("/rss"), "--every", "1"]) == 1
    assert main(["feeds", "poll"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"1. {site.url('/rss')}: 1 new article")
    assert main(["feeds", "list", "--json"]) == 0
    [feed] = json.loads(capsys.readouterr().out)
    assert feed["url"] == site.url("/rss") and feed["topics"] == ["tariffs", "tiktok"]
    assert feed["every_minutes"] == 30 and feed["entries_taken"] == 1 and feed["last_error"] is None
    assert main(["feeds", "remove", site.url("/rss")]) == 0
    assert main(["feeds", "remove", "1"]) == 1
    assert "No feed `1`" in capsys.readouterr().err
    assert main(["feeds", "list"]) == 0 and "No feeds" in capsys.readouterr().out
