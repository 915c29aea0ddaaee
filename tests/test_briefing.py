"""Composing the daily countdown, reminders and update posts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.briefing import (
    Composer,
    daily_post,
    dated_facts,
    find_changes,
    reminder_dates,
    reminder_post,
    update_post,
)
from bot.channels import Channel
from bot.due import due_posts
from bot.text import citation
from facts.countdown import age_in_words
from facts.models import FuzzyDate, Kind, Source
from facts.qa.render import STALE_DAYS, age_of
from facts.store import FactStore
from tests.botkit import deadline, fact, fishing_story, ingest


def seeded(store: FactStore) -> FactStore:
    ingest(
        store,
        "Trade round-up",
        date(2025, 9, 15),
        [
            deadline("d:tiktok", "TikTok sale deadline", FuzzyDate(2025, 9, 17), ("tiktok",), 0),
            deadline("d:truce", "Tariff truce ends", FuzzyDate(2025, 11), ("tariffs",), 1),
            fact(Kind.EVENT, "e:summit", "Leaders meet in Seoul", when=FuzzyDate(2025, 10, 30), index=2),
            deadline("d:old", "Old tariff deadline", FuzzyDate(2025, 9, 14), ("tariffs",), 3),
            fact(Kind.RATE, "r:us", "U.S. tariff on Chinese imports: 30%", "30%", index=4),
        ],
    )
    return store


def test_daily_post_soonest_first_with_ranges_sources_and_passed(store: FactStore) -> None:
    facts = dated_facts(seeded(store), date(2025, 9, 15))
    post = daily_post(facts, ["tariffs", "tiktok"], date(2025, 9, 15))
    assert post is not None and post.kind == "briefing"
    assert post.lines == (
        "in 2 days — TikTok sale deadline (September 17, 2025)",
        "in 45 days — Leaders meet in Seoul (October 30, 2025)",
        "in 47–76 days — Tariff truce ends (November 2025)",
        "Passed: Old tariff deadline (September 14, 2025): passed 1 day ago",
    )
    assert post.citations[0].title == "Trade round-up"
    assert "Source: Trade round-up (September 15, 2025)" in post.text
    assert post.title.startswith("Daily countdown for tariffs, tiktok — Monday, September 15, 2025")


def test_passed_items_drop_off_and_nothing_to_say_means_no_post(store: FactStore) -> None:
    facts = dated_facts(seeded(store), date(2025, 9, 1))
    on_18th = daily_post(facts, ["tiktok"], date(2025, 9, 18))
    assert on_18th is not None and on_18th.lines == (
        "Passed: TikTok sale deadline (September 17, 2025): passed 1 day ago",
    )
    assert daily_post(facts, ["tiktok"], date(2025, 9, 21)) is None
    assert daily_post(facts, ["energy"], date(2025, 9, 15)) is None
    during = daily_post(facts, ["tariffs"], date(2025, 11, 10))
    assert during is not None and "under way now (ends within 20 days) — Tariff truce ends" in during.lines[0]


def test_reminders_only_for_day_precision_deadlines(store: FactStore) -> None:
    facts = {f.subject: f for f in dated_facts(seeded(store), date(2025, 9, 1))}
    assert reminder_dates(facts["d:tiktok"]) == [
        (7, date(2025, 9, 10)),
        (1, date(2025, 9, 16)),
        (0, date(2025, 9, 17)),
    ]
    assert reminder_dates(facts["d:truce"]) == []  # a month has no day to count down to
    assert reminder_dates(facts["e:summit"]) == []
    post = reminder_post(facts["d:tiktok"], 1, date(2025, 9, 16))
    assert post.title == "Reminder: deadline tomorrow"
    assert "TikTok sale deadline — September 17, 2025" in post.text and "Source: Trade round-up" in post.text


def test_update_post_says_what_changed_and_what_is_new(store: FactStore) -> None:
    first = fishing_story(store, later=False)
    cursor = max(f.id for f in first.added)
    second = fishing_story(
        store,
        later=True,
        extra=[
            fact(
                Kind.STATEMENT,
                "s:1",
                "Reaction from the industry was mixed",
                topics=("agriculture",),
                index=2,
            ),
            fact(
                Kind.FIGURE,
                "f:mack",
                "Mackerel catch cut by 18 per cent",
                "18%",
                topics=("agriculture",),
                index=3,
            ),
        ],
    )
    updates = find_changes(store, second.added, cursor)
    assert len(updates) == 1
    post = update_post(updates, ["agriculture"], date(2025, 10, 20))
    assert post is not None and post.kind == "update"
    assert post.title == "Update: EU and UK push fishing deadline into next year"
    assert post.lines == (
        "EU-UK fishing quota deadline: January 31, 2026, was December 10, 2025",
        "UK share of North Sea cod sought: 55%, was 47%",
        "New: Mackerel catch cut by 18 per cent",
    )
    assert "Source: EU and UK push fishing deadline into next year (October 20, 2025)" in post.text
    assert update_post(updates, ["energy"], date(2025, 10, 20)) is None


def test_update_post_is_short(store: FactStore) -> None:
    many = [fact(Kind.FIGURE, f"f:{n}", f"Figure {n}", str(n), index=n) for n in range(9)]
    result = ingest(store, "A long article", date(2025, 10, 1), many)
    post = update_post(find_changes(store, result.added, 0), ["tariffs"], date(2025, 10, 1))
    assert post is not None and len(post.lines) == 5
    assert post.lines[-1].startswith("…and 5 more")


def test_ten_thousand_channels_get_their_posts_composed_once_per_topic_set_and_day(store: FactStore) -> None:
    seeded(store)
    topic_sets = [("tariffs",), ("tiktok",), ("tariffs", "tiktok"), ("tariffs", "energy"), ("energy",)]
    zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
    channels = [
        Channel(id=n, platform="slack", key=f"C{n}", timezone=zones[n % 4], topics=topic_sets[n % 5])
        for n in range(10_000)
    ]
    now = datetime(2025, 9, 16, 23, 30, tzinfo=UTC)
    facts = dated_facts(store, date(2025, 9, 12))
    composer = Composer(facts)
    dues = due_posts(channels, facts, now, timedelta(hours=24))
    posts = [
        composer.daily(d.channel.topics, d.local_date)
        if d.kind == "briefing"
        else reminder_post(d.fact, d.offset, d.local_date)
        for d in dues
    ]
    assert len(dues) >= 10_000 and sum(p is not None for p in posts) >= 8_000
    # Speed is measured in `make bench`; here, that channels share one post per topic set and day.
    daily = [p for d, p in zip(dues, posts, strict=True) if d.kind == "briefing" and p is not None]
    assert len({id(p) for p in daily}) <= len(topic_sets) * len({d.local_date for d in dues})


def test_the_composer_makes_the_posts_daily_post_makes(store: FactStore) -> None:
    topics = ["tariffs", "tiktok", "energy", "steel"]
    many = []
    for n in range(60):
        on = tuple(topics[i] for i in range(4) if (n >> i) & 1) or ("tariffs",)
        when = FuzzyDate(2025, 9 + n % 3, 1 + n % 28) if n % 7 else FuzzyDate(2025, 9 + n % 4)
        many.append(deadline(f"d:{n}", f"Deadline {n}", when, on, n))
    many.append(deadline("d:year", "Year-long review", FuzzyDate(2025), ("steel",), 60))
    ingest(store, "Many deadlines", date(2025, 9, 1), many)
    facts = dated_facts(store, date(2025, 9, 1))
    composer = Composer(facts)
    sets = [(a,) for a in topics] + [(a, b) for a in topics for b in topics if a < b]
    sets += [tuple(t for t in topics if t != left_out) for left_out in topics]
    compared = 0
    for day in [date(2025, 9, 1) + timedelta(days=d) for d in range(0, 120, 3)]:
        for wanted in sets:
            expected = daily_post(facts, wanted, day)
            assert composer.daily(wanted, day) == expected, (wanted, day)
            compared += expected is not None
    assert compared > 300


def test_a_busy_store_gives_a_short_daily_post_with_the_soonest_items(store: FactStore) -> None:
    many = [
        deadline(f"d:{n}", f"Deadline number {n}", FuzzyDate(2025, 10, 1 + n), ("tariffs",), n)
        for n in range(20)
    ]
    ingest(store, "Busy week", date(2025, 9, 15), many)
    post = daily_post(dated_facts(store, date(2025, 9, 15)), ["tariffs"], date(2025, 9, 15))
    assert post is not None
    assert len(post.lines) == 13
    assert post.lines[0].endswith("Deadline number 0 (October 1, 2025)")
    assert post.lines[11].endswith("Deadline number 11 (October 12, 2025)")
    assert post.lines[12] == "…and 8 more later (type `deadlines` for all)."


def test_a_source_age_is_said_alike_in_answers_and_citations() -> None:
    """One rule for a source's age; answers only stay quiet while it is fresh (a named parameter)."""
    published = date(2024, 8, 1)
    for today, said in [
        (date(2024, 8, 2), "1 day old"),
        (date(2024, 9, 20), "50 days old"),
        (date(2025, 9, 1), "1 year old"),
        (date(2026, 9, 1), "2 years old"),
    ]:
        assert citation(_source(published), today).age_note == said
        assert age_in_words(published, today) == said
    assert age_of(published, date(2024, 8, 2)) == ""
    assert age_of(published, published + timedelta(days=STALE_DAYS + 1)) == f"{STALE_DAYS + 1} days old"
    assert age_of(published, date(2025, 9, 1)) == citation(_source(published), date(2025, 9, 1)).age_note


def _source(published: date) -> Source:
    return Source("t", published, "", "A sentence.", 1)
