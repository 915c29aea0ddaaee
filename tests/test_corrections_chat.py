"""Fixing facts and retracting articles through the chat words, with the next answer, daily and update posts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.recording import RecordingChat, RecordingSender
from bot.core import BriefBot
from bot.schedule import Scheduler
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document, read_facts
from facts.store import FactStore
from tests.botkit import Clock, at
from tests.conftest import BUNDLED

START = at("2025-09-15 12:00")
RATE_QUESTION = "what's the tariff on Chinese goods?"
TARIFF = 36  # "U.S. duties on Chinese goods: 30%" in the bundled article
TIKTOK = 19  # "Deadline for ByteDance to sell TikTok's U.S. operations: September 17, 2025"


@pytest.fixture
def core(store: FactStore) -> Iterator[BriefBot]:
    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), START.date()))
    assert store.get([TARIFF])[0].text == "U.S. duties on Chinese goods: 30%"
    yield BriefBot(store, Clock(START))


def links(store: FactStore) -> list[tuple[int, int | None]]:
    return [(f.id, f.superseded_by) for f in store.facts(include_superseded=True)]


async def test_fix_last_shows_in_the_next_answer_and_undo_restores_it(core: BriefBot) -> None:
    chat = RecordingChat(core, user="alice")
    assert "30%" in await chat.ask(RATE_QUESTION)
    said = await chat.ask("fix last 35% because the article misprinted it")
    assert said.startswith("Fixed: fact 36 is replaced by fact")

    answer = await chat.ask(RATE_QUESTION)
    assert "U.S. duties on Chinese goods: 35%" in answer and "30%" not in answer.split("Note:")[0]
    assert "corrected by test:alice on 2025-09-15: was 30%" in answer

    from facts.qa import answer as ask

    data = ask(core.store, RATE_QUESTION, START).to_json()
    [fixed] = [f for f in data["facts"] if f["kind"] == "rate"]
    assert fixed["correction"]["note"] == "corrected by test:alice on 2025-09-15: was 30%"
    assert any("corrected by test:alice" in note for note in data["notes"])

    assert "Fix undone: fact 36 is current again" in await chat.ask("fix undo last")
    again = await chat.ask(RATE_QUESTION)
    assert "U.S. duties on Chinese goods: 30%" in again and "corrected" not in again


async def test_a_fix_reaches_the_next_daily_post_and_an_update_post(core: BriefBot) -> None:
    editor = RecordingChat(core, channel="tiktok-desk")
    assert "Now following" in await editor.ask("subscribe tiktok")
    sender = RecordingSender()
    clock = Clock(START)
    scheduler = Scheduler(core.store, {"test": sender}, clock)  # type: ignore[arg-type]
    await scheduler.tick(START)
    assert sender.posts == []

    assert "Fixed" in await editor.ask(f"fix {TIKTOK} December 16, 2025 because the deadline was extended")
    await scheduler.tick(clock.set(at("2025-09-15 12:01")))
    [update] = sender.to("tiktok-desk", "update")
    assert update.title.startswith("Correction: ")
    assert "December 16, 2025, was September 17, 2025 (corrected by test:tester)" in update.text

    await scheduler.tick(clock.set(at("2025-09-16 09:00")))
    [daily] = sender.to("tiktok-desk", "briefing")
    assert "December 16, 2025" in daily.text and "September 17" not in daily.text.split("was")[0]
    assert "(corrected by test:tester on 2025-09-15: was September 17, 2025)" in daily.text


async def test_a_member_without_the_right_is_refused_and_nothing_changes(core: BriefBot) -> None:
    guest = RecordingChat(core, can_edit_facts=False)
    before = links(core.store)
    for line in [f"fix {TARIFF} 40%", f"fix undo {TARIFF}", "forget 1"]:
        reply = await guest.ask(line)
        assert reply.startswith("Sorry, only editors can use") and "\n" not in reply
        assert guest.last[0].ephemeral
    assert links(core.store) == before
    assert "#1 " in await guest.ask("articles")  # anyone may list the articles


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("fix 999 40%", "There is no fact 999"),
        (f"fix {TARIFF} banana", "`banana` is not a rate"),
        (f"fix {TARIFF} 40% because " + "x" * 10_000, "The reason is 10,0"),
        ("fix last 40%", "No answer here to fix yet"),
        ("forget 99", "There is no article 99"),
        ("fix", "Which fact"),
        ("articles tarifs", "Unknown topic `tarifs`"),
    ],
)
async def test_bad_input_is_one_line_and_changes_nothing(core: BriefBot, line: str, expected: str) -> None:
    chat = RecordingChat(core)
    before = links(core.store)
    reply = await chat.ask(line)
    assert reply.startswith(expected) and "\n" not in reply
    assert links(core.store) == before


async def test_fix_last_needs_one_fact_and_forget_retracts_by_id(core: BriefBot) -> None:
    chat = RecordingChat(core)
    await chat.ask("what's the tariff rate?")  # both sides' rates: which one is meant?
    reply = await chat.ask("fix last 40%")
    assert reply.startswith("The last answer used facts") and "36" in reply
    listed = await chat.ask("articles tariffs")
    assert "#1 U.S. and China resume TikTok talks" in listed and "current facts" in listed
    assert "Retracted “U.S. and China resume TikTok talks" in await chat.ask("forget 1")
    assert "retracted" in await chat.ask("articles")
    assert "30%" not in await chat.ask(RATE_QUESTION)


async def test_a_fix_to_an_article_ingested_long_ago_still_makes_an_update_post(store: FactStore) -> None:
    upgrade_bot_tables(store.engine)
    document = read_document(BUNDLED, Overrides(), START.date())
    store.ingest(document, read_facts(document), now=START)
    later = Clock(at("2025-10-01 12:00"))  # weeks after the ingest: far beyond the grace window
    core = BriefBot(store, later)
    editor = RecordingChat(core, channel="trade-desk")
    assert "Now following" in await editor.ask("subscribe tariffs")
    sender = RecordingSender()
    scheduler = Scheduler(store, {"test": sender}, later)  # type: ignore[arg-type]
    await scheduler.tick(later.now)
    assert "Fixed" in await editor.ask(f"fix {TARIFF} 35%")
    await scheduler.tick(later.set(at("2025-10-01 12:01")))
    [update] = sender.to("trade-desk", "update")
    assert "U.S. duties on Chinese goods: 35%, was 30% (corrected by test:tester)" in update.text
