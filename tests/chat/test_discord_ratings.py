"""Rating answers in Discord end to end: 👍/👎 components, the 👎 modal, and buttons after a restart."""

from __future__ import annotations

from typing import Any

from adapters.discord.app import DiscordRuntime
from bot import ratings
from bot.core import BriefBot
from tests.botkit import Clock
from tests.chat.conftest import started
from tests.chat.test_discord_app import CHANNEL, Chat, is_ephemeral
from tests.fakes.discord_api import FakeDiscord, load_fixture

COMMAND_CALLBACK = 4
MODAL_CALLBACK = 9
BEN = "1400000000000000002"  # the member in the component fixtures: no Manage Channels


async def respond(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """Send an interaction through the gateway and return the bot's interaction response."""
    payload["id"] = fake.next_id()
    payload["token"] = f"token-{payload['id']}"
    await fake.dispatch("INTERACTION_CREATE", payload)
    calls = await fake.wait_for_calls("POST", rf"/interactions/{payload['id']}/[^/]+/callback")
    return calls[0].json


def click(answer_id: int, vote: str, user: str = BEN) -> dict[str, Any]:
    """A button click on an answer message carrying both buttons of `answer_id`."""
    payload = load_fixture("interaction_create_component")
    payload["member"]["user"]["id"] = user
    for button in payload["message"]["components"][0]["components"]:
        button["custom_id"] = button["custom_id"].rsplit(":", 1)[0] + f":{answer_id}"
    payload["data"]["custom_id"] = f"briefbot:rate:{vote}:{answer_id}"
    return payload


def form(answer_id: int, text: str) -> dict[str, Any]:
    payload = load_fixture("interaction_create_modal_submit")
    payload["data"]["custom_id"] = f"briefbot:correct:{answer_id}"
    payload["data"]["components"][0]["components"][0]["value"] = text
    return payload


def votes(core: BriefBot) -> list[tuple[int, str, str, str | None]]:
    return [(r.answer.id, r.user, r.vote, r.correction) for r in ratings.all_ratings(core.store.engine)]


async def asked(fake: FakeDiscord) -> int:
    """Ask in the channel; the answer's id as its buttons carry it."""
    response = await Chat(fake).command("ask", question="what's the tariff rate?")
    assert response["type"] == COMMAND_CALLBACK and not is_ephemeral(response)
    (row,) = response["data"]["components"]
    ids = [button["custom_id"] for button in row["components"]]
    assert [b["emoji"]["name"] for b in row["components"]] == ["👍", "👎"]
    answer_id = int(ids[0].rsplit(":", 1)[1])
    assert ids == [f"briefbot:rate:up:{answer_id}", f"briefbot:rate:down:{answer_id}"]
    return answer_id


async def test_an_answer_carries_both_buttons_with_its_logged_id(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    answer_id = await asked(fake)
    logged = ratings.find_answer(core.store.engine, answer_id)
    assert logged is not None and (logged.platform, logged.channel) == ("discord", CHANNEL)
    assert "30%" in logged.answer and logged.fact_ids
    helped = await Chat(fake).command("help")
    assert not helped["data"].get("components")


async def test_a_click_records_one_vote_and_a_second_click_changes_it(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    answer_id = await asked(fake)
    thanks = await respond(fake, click(answer_id, "up"))
    assert thanks["type"] == COMMAND_CALLBACK and is_ephemeral(thanks)
    assert thanks["data"]["content"] == "Thanks, noted."
    assert votes(core) == [(answer_id, BEN, "up", None)]

    await respond(fake, click(answer_id, "up"))
    assert votes(core) == [(answer_id, BEN, "up", None)]

    offered = await respond(fake, click(answer_id, "down"))
    assert offered["type"] == MODAL_CALLBACK
    assert offered["data"]["custom_id"] == f"briefbot:correct:{answer_id}"
    assert "What would be right" in str(offered["data"]["components"])
    assert votes(core) == [(answer_id, BEN, "down", None)]


async def test_the_down_modals_text_is_stored(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    answer_id = await asked(fake)
    await respond(fake, click(answer_id, "down"))
    thanks = await respond(fake, form(answer_id, "  25% since October 1 "))
    [report] = ratings.all_ratings(core.store.engine)
    assert is_ephemeral(thanks)
    assert thanks["data"]["content"] == (
        f"Thanks, noted. An editor can correct it with `fix r{report.id} <right value>`."
    )
    assert votes(core) == [(answer_id, BEN, "down", "25% since October 1")]


async def test_a_click_on_an_unknown_answer_gets_one_line_and_records_nothing(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    refused = await respond(fake, click(987654, "down"))
    assert refused["type"] == COMMAND_CALLBACK and is_ephemeral(refused)
    assert "no longer know that answer" in refused["data"]["content"]
    assert votes(core) == []


async def test_buttons_and_the_form_work_after_a_restart(
    fake: FakeDiscord, core: BriefBot, clock: Clock
) -> None:
    first = await started(fake, core)
    try:
        answer_id = await asked(fake)
    finally:
        await first.stop()
    restarted = await started(fake, BriefBot(core.store, clock))
    try:
        thanks = await respond(fake, click(answer_id, "down"))
        assert thanks["type"] == MODAL_CALLBACK
        assert votes(core) == [(answer_id, BEN, "down", None)]
    finally:
        await restarted.stop()
    # A form opened before a restart and sent after it still counts.
    again = await started(fake, BriefBot(core.store, clock))
    try:
        await respond(fake, form(answer_id, "25%"))
        assert votes(core) == [(answer_id, BEN, "down", "25%")]
    finally:
        await again.stop()
