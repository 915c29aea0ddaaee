"""The chat commands, read as transcripts through the recording adapter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from adapters.recording import RecordingChat
from bot.cli import main
from bot.commands import Command, CommandError, parse, parse_settings
from bot.core import BriefBot
from bot.state import upgrade_bot_tables
from facts.models import FuzzyDate, Kind
from facts.store import FactStore
from tests.botkit import Clock, at, deadline, fact, ingest


@pytest.fixture
def bot_store(store: FactStore) -> Iterator[FactStore]:
    upgrade_bot_tables(store.engine)
    ingest(
        store,
        "US and China agree to extend tariff truce",
        date(2025, 9, 15),
        [
            fact(Kind.RATE, "rate:us-china", "U.S. tariff on Chinese imports: 30%", "30%"),
            deadline("deadline:tiktok-sale", "TikTok sale deadline", FuzzyDate(2025, 9, 17), ("tiktok",), 1),
            deadline("deadline:truce", "Tariff truce ends", FuzzyDate(2025, 11), ("tariffs",), 2),
        ],
    )
    yield store


@pytest.fixture
def clock() -> Clock:
    return Clock(at("2025-09-15 12:00"))


@pytest.fixture
def chat(bot_store: FactStore, clock: Clock) -> RecordingChat:
    return RecordingChat(BriefBot(bot_store, clock))


def test_parse_commands_questions_and_typos() -> None:
    assert parse("subscribe tariffs, tiktok") == Command("subscribe", ("tariffs", "tiktok"))
    assert parse("  ASK  what is the rate? ") == Command("ask", ("what is the rate?",))
    assert parse("what's the tariff rate?").name == "ask"
    assert parse("tariffs").name == "ask"
    assert parse("").name == "help"
    with pytest.raises(CommandError, match="Did you mean `subscribe`"):
        parse("subscrbe tariffs")
    with pytest.raises(CommandError, match="Ask me a question"):
        parse("ask")


def test_parse_settings_validates_time_and_zone() -> None:
    change = parse_settings(("time", "9:05", "tz", "europe/berlin"))
    assert (change.post_time, change.timezone) == ("09:05", "Europe/Berlin")
    with pytest.raises(CommandError, match="not a time"):
        parse_settings(("time", "24:00"))
    with pytest.raises(CommandError, match="Did you mean Europe/Berlin"):
        parse_settings(("tz", "Europe/Berln"))


def test_topics_lists_counts(chat: RecordingChat) -> None:
    reply = chat.say("topics")
    assert "tariffs — 2 facts" in reply
    assert "tiktok — 1 fact" in reply
    assert "security — 0 facts" in reply


def test_subscribe_unsubscribe_and_subscriptions(chat: RecordingChat) -> None:
    assert "Now following tariffs, tiktok" in chat.say("subscribe tariffs tiktok")
    assert "Already following tariffs" in chat.say("subscribe tariffs")
    reply = chat.say("subscriptions")
    assert "Following: tariffs, tiktok" in reply
    assert "Daily post: 09:00 UTC" in reply
    assert "Next post: Tue 16 Sep 09:00 UTC" in reply
    assert "Stopped following tiktok" in chat.say("unsubscribe tiktok")
    assert "does not follow energy" in chat.say("unsubscribe energy")
    assert "Stopped following tariffs" in chat.say("unsubscribe all")
    assert "nothing yet" in chat.say("subscriptions")


def test_friendly_errors_list_valid_choices(chat: RecordingChat) -> None:
    reply = chat.say("subscribe tarifs")
    assert "Unknown topic `tarifs`. Did you mean `tariffs`?" in reply
    assert "tiktok, rare-earths" in reply
    assert chat.last[0].kind == "error" and chat.last[0].ephemeral
    assert "Which topics" in chat.say("subscribe")
    assert "Unknown time zone `Mars/Olympus`" in chat.say("settings tz Mars/Olympus")
    assert "Europe/Berlin" in chat.last[0].text
    assert "not a time" in chat.say("settings time noon")
    assert "Commands: ask, deadlines" in chat.say("topic")


def test_settings_change_time_and_zone_and_survive_restart(bot_store: FactStore, clock: Clock) -> None:
    chat = RecordingChat(BriefBot(bot_store, clock), channel="C1")
    chat.say("subscribe tariffs")
    reply = chat.say("settings time 08:30 tz Europe/Berlin")
    assert "Settings saved" in reply and "Daily post: 08:30 Europe/Berlin" in reply
    # A new core on the same database (a restart) sees the same channel.
    again = RecordingChat(BriefBot(bot_store, clock), channel="C1")
    reply = again.say("subscriptions")
    assert "Following: tariffs" in reply and "08:30 Europe/Berlin" in reply
    other = RecordingChat(BriefBot(bot_store, clock), channel="C2")
    assert "nothing yet" in other.say("subscriptions")


def test_managing_needs_permission(bot_store: FactStore, clock: Clock) -> None:
    chat = RecordingChat(BriefBot(bot_store, clock), can_manage_channel=False)
    reply = chat.say("subscribe tariffs")
    assert "Only people who can manage this channel" in reply
    assert chat.last[0].ephemeral
    assert "nothing yet" in chat.say("subscriptions")
    assert "Only people" in chat.say("settings time 10:00")


def test_deadlines_count_down_from_now(chat: RecordingChat, clock: Clock) -> None:
    reply = chat.say("deadlines")
    assert "in 2 days — TikTok sale deadline (September 17, 2025)" in reply
    assert "in 47–76 days — Tariff truce ends (November 2025)" in reply
    assert "Source: US and China agree to extend tariff truce (September 15, 2025)" in reply
    assert reply.index("TikTok") < reply.index("truce ends")
    assert "TikTok" not in chat.say("deadlines tariffs")
    clock.set(at("2025-12-05 12:00"))
    assert "No upcoming deadlines" in chat.say("deadlines")


def test_help(chat: RecordingChat) -> None:
    reply = chat.say("help")
    for word in ("ask", "deadlines", "topics", "subscribe", "unsubscribe", "subscriptions", "settings"):
        assert word in reply


async def test_first_time_overview_and_channel_gone(bot_store: FactStore, clock: Clock) -> None:
    core = BriefBot(bot_store, clock)
    assert await core.first_time("slack:Ev1")
    assert not await core.first_time("slack:Ev1")
    chat = RecordingChat(core, platform="slack", channel="C9")
    await chat.ask("subscribe tiktok")
    overview = await core.overview("slack")
    assert overview.extra["followers"] == {"tiktok": ["C9"]}
    assert "TikTok sale deadline" in overview.text
    assert "tiktok" in await core.topic_names()
    await core.channel_gone("slack", "C9")
    assert (await core.overview("slack")).extra["followers"] == {}
    # Someone using the bot there again means the bot is back in the channel.
    await chat.ask("subscriptions")
    assert (await core.overview("slack")).extra["followers"] == {"tiktok": ["C9"]}


def question_samples(platform: str) -> tuple[float, float, float]:
    """(answered, declined, answer-latency observations) as the Prometheus registry holds them now."""
    from prometheus_client import REGISTRY

    def value(name: str, labels: dict[str, str]) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    return (
        value("briefbot_questions_total", {"platform": platform, "outcome": "answered"}),
        value("briefbot_questions_total", {"platform": platform, "outcome": "declined"}),
        value("briefbot_answer_seconds_count", {}),
    )


def test_questions_are_counted_by_outcome_with_their_latency(bot_store: FactStore, clock: Clock) -> None:
    chat = RecordingChat(BriefBot(bot_store, clock), platform="metrics-test")
    before = question_samples("metrics-test")
    chat.say("help")
    chat.say("ask")  # no question: an error, not a question declined
    assert question_samples("metrics-test") == before
    chat.say("what's the tariff rate on Chinese imports?")
    assert chat.last[0].kind == "answer"
    chat.say("what is the weather in Paris?")
    assert chat.last[0].kind == "decline"
    answered, declined, timed = question_samples("metrics-test")
    assert (answered - before[0], declined - before[1], timed - before[2]) == (1, 1, 2)


def test_a_real_answer_shows_its_source_once_in_slack_blocks_and_in_a_discord_embed(store: FactStore) -> None:
    import json

    from conftest import BUNDLED

    from adapters.discord.convert import to_embed
    from adapters.slack.convert import blocks_for
    from facts.ingest import Overrides, ingest_document, read_document

    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), date(2025, 9, 15)))
    chat = RecordingChat(BriefBot(store, Clock(at("2025-11-20 12:00"))))
    chat.say("what's the tariff rate on Chinese goods?")
    message = chat.last[0]
    assert message.kind == "answer" and message.title == "" and "Source:" in message.text
    (line,) = message.lines
    (source,) = message.citations
    slack = json.dumps(blocks_for(message), ensure_ascii=False)
    discord = json.dumps(to_embed(message).to_dict(), ensure_ascii=False)
    for rendered in (slack, discord):
        assert rendered.count(source.title) == 1 and rendered.count(line) == 1
        assert rendered.count("2 months old") == 1  # the source's age, said once too


def test_the_overview_numbers_sources_only_when_there_are_several(bot_store: FactStore, clock: Clock) -> None:
    core = BriefBot(bot_store, clock)
    overview = core._overview("slack")
    assert len(overview.lines) == 2 and len(overview.citations) == 1
    assert not any("[1]" in line for line in overview.lines) and "[1]" not in overview.text
    assert "Source: US and China agree to extend tariff truce" in overview.text
    ingest(
        bot_store,
        "Tariff truce talks",
        date(2025, 9, 16),
        [deadline("deadline:talks", "Next round of talks", FuzzyDate(2025, 10, 1), ("tariffs",), 1)],
    )
    overview = core._overview("slack")
    assert [line[-4:] for line in overview.lines] == [" [1]", " [2]", " [1]"]


def test_questions_answer_with_sources_through_the_real_qa(store: FactStore) -> None:
    from conftest import BUNDLED

    from facts.ingest import Overrides, ingest_document, read_document

    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), date(2025, 9, 15)))
    chat = RecordingChat(BriefBot(store, Clock(at("2025-09-15 12:00"))))
    reply = chat.say("what's the tariff rate on Chinese goods?")
    assert "30%" in reply and "Source:" in reply
    assert chat.last[0].kind == "answer"
    assert chat.last[0].citations[0].published == date(2025, 9, 15)
    assert "September 17, 2025" in chat.say("ask when is the TikTok deadline?")
    chat.say("what is the weather in Paris?")
    assert chat.last[0].kind == "decline"


def test_a_failure_inside_the_core_is_a_polite_private_line_and_a_logged_traceback(
    chat: RecordingChat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(BriefBot, "_ask", broken)
    reply = chat.say("what's the tariff rate?")
    assert reply.startswith("Sorry, something went wrong")
    assert chat.last[0].ephemeral and chat.last[0].kind == "error"
    assert "index exploded" not in reply
    assert "index exploded" in caplog.text
    assert "tariffs" in chat.say("topics"), "the bot keeps answering after a failure"


def test_command_arguments_are_cut_like_questions() -> None:
    from facts.limits import MAX_TYPED

    command = parse("unsubscribe " + "tariffs " * 20_000)
    assert 0 < len(" ".join(command.args)) <= MAX_TYPED
    [word] = parse("subscribe " + "x" * 100_000).args
    assert len(word) == MAX_TYPED


@pytest.mark.parametrize(
    "line",
    [
        "unsubscribe " + "x" * 100_000,
        "subscribe " + "x" * 100_000,
        "settings tz " + "x" * 100_000,
        "settings time " + "9" * 100_000,
        "settings " + "x" * 100_000,
        "deadlines " + "x" * 100_000,
    ],
)
def test_a_huge_argument_gets_a_short_error_in_one_slack_post(chat: RecordingChat, line: str) -> None:
    from adapters.slack.convert import blocks_for

    reply = chat.say(line)
    [message] = chat.last
    assert message.kind == "error"
    assert len(reply) < 400  # the error quotes a bounded piece of what was typed
    assert len(blocks_for(message)) == 1


def test_deadlines_in_chat_and_on_the_command_line_list_the_same_items(
    chat: RecordingChat,
    bot_store: FactStore,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A year already under way counts down to nothing: neither list shows it (one `upcoming` for both)."""
    ingest(
        bot_store,
        "Budget talks drag on",
        date(2025, 9, 14),
        [deadline("deadline:budget", "Budget review ends", FuzzyDate(2025), ("tariffs",), 1)],
    )
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    assert main(["deadlines", "--now", "2025-09-15T12:00:00Z"]) == 0
    listed = capsys.readouterr().out
    said = chat.say("deadlines")
    for text in ("TikTok sale deadline", "Tariff truce ends"):
        assert text in listed and text in said
    assert "Budget review ends" not in listed and "Budget review ends" not in said
