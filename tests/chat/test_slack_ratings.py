"""Rating answers in Slack end to end: 👍/👎 buttons, signed block_actions, the 👎 form, after a restart."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr

from adapters.slack.app import SlackRuntime, build_slack
from bot import ratings
from bot.config import Settings
from bot.core import BriefBot
from tests.botkit import Clock
from tests.chat.test_slack_app import command, fixture, signed_headers
from tests.fakes.slack_api import SIGNING_SECRET, FakeSlackApi, block_errors

CHANNEL = "C0TRADE001"
ALICE = "U0ALICE001"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def send(
    http: aiohttp.ClientSession,
    slack: SlackRuntime,
    payload: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST an interaction payload as Slack does (form field `payload`, signed unless headers are given)."""
    body = urlencode({"payload": json.dumps(payload)})
    sent = signed_headers(body, "application/x-www-form-urlencoded") if headers is None else headers
    url = f"http://127.0.0.1:{slack.port}/slack/events"
    async with http.post(url, data=body, headers=sent, timeout=aiohttp.ClientTimeout(total=5)) as response:
        return response.status, await response.text()


def click(
    api: FakeSlackApi, answer_id: int, vote: str, user: str = ALICE, name: str = "click"
) -> dict[str, Any]:
    """A block_actions payload for a click on one of an answer's buttons."""
    payload = fixture("block_actions")
    payload["user"]["id"] = user
    payload["response_url"] = api.response_url(name)
    payload["actions"][0] |= {
        "action_id": f"briefbot_rate_{vote}",
        "block_id": f"briefbot_rate:{answer_id}",
        "value": str(answer_id),
    }
    return payload


async def clicked(
    http: aiohttp.ClientSession, slack: SlackRuntime, api: FakeSlackApi, payload: dict[str, Any]
) -> dict[str, Any]:
    """Send a click and return the private reply the bot sent to its response_url."""
    before = len(api.of("response_url"))
    status, _ = await send(http, slack, payload)
    assert status == 200
    return (await api.wait_for("response_url", before + 1))[before].params


def votes(core: BriefBot) -> list[tuple[int, str, str, str | None]]:
    return [(r.answer.id, r.user, r.vote, r.correction) for r in ratings.all_ratings(core.store.engine)]


async def asked(
    http: aiohttp.ClientSession, slack: SlackRuntime, api: FakeSlackApi
) -> tuple[int, dict[str, Any]]:
    """Ask in the channel; the logged answer's id (read from the store) and the posted reply."""
    reply = await command(http, slack, api, "ask what's the tariff rate?")
    return reply_answer_id(reply), reply


def reply_answer_id(reply: dict[str, Any]) -> int:
    (actions,) = [b for b in reply["blocks"] if b["type"] == "actions"]
    return int(actions["block_id"].removeprefix("briefbot_rate:"))


async def test_an_answer_carries_both_buttons_with_its_logged_id(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    answer_id, reply = await asked(http, slack, slack_api)
    assert block_errors(reply["blocks"]) == []
    assert reply["blocks"][-1]["type"] == "actions"
    buttons = reply["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["briefbot_rate_up", "briefbot_rate_down"]
    assert {b["value"] for b in buttons} == {str(answer_id)}
    logged = ratings.find_answer(core.store.engine, answer_id)
    assert logged is not None and logged.question == "what's the tariff rate?"
    assert (logged.platform, logged.channel, logged.user) == ("slack", CHANNEL, ALICE)
    assert "30%" in logged.answer and logged.fact_ids and logged.sources[0]["document_id"]
    # Not every message is an answer: help has no buttons.
    helped = await command(http, slack, slack_api, "help")
    assert not [b for b in helped["blocks"] if b["type"] == "actions"]


async def test_a_click_records_one_vote_and_a_second_click_changes_it(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    answer_id, _ = await asked(http, slack, slack_api)
    thanks = await clicked(http, slack, slack_api, click(slack_api, answer_id, "up"))
    assert thanks["response_type"] == "ephemeral" and thanks["replace_original"] is False
    assert thanks["text"] == "Thanks, noted."
    assert votes(core) == [(answer_id, ALICE, "up", None)]

    await clicked(http, slack, slack_api, click(slack_api, answer_id, "up"))
    assert votes(core) == [(answer_id, ALICE, "up", None)]
    assert not slack_api.of("views.open")  # 👍 opens no form

    await clicked(http, slack, slack_api, click(slack_api, answer_id, "down"))
    assert votes(core) == [(answer_id, ALICE, "down", None)]
    (form,) = slack_api.of("views.open")
    assert form.params["trigger_id"] == fixture("block_actions")["trigger_id"]
    assert json.loads(form.params["view"]["private_metadata"]) == {"answer": answer_id, "channel": CHANNEL}
    assert form.params["view"]["blocks"][0]["optional"] is True

    # Someone else's vote on the same answer is a vote of its own.
    await clicked(http, slack, slack_api, click(slack_api, answer_id, "up", user="U0BOB00001"))
    assert sorted(votes(core)) == [(answer_id, ALICE, "down", None), (answer_id, "U0BOB00001", "up", None)]


async def test_the_down_forms_text_is_stored_with_the_vote(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    answer_id, _ = await asked(http, slack, slack_api)
    await clicked(http, slack, slack_api, click(slack_api, answer_id, "down"))
    (form,) = slack_api.of("views.open")
    submitted = fixture("view_submission")
    submitted["view"]["private_metadata"] = form.params["view"]["private_metadata"]
    status, body = await send(http, slack, submitted)
    assert status == 200
    closed = json.loads(body)
    assert closed["response_action"] == "update" and "Thanks, noted." in json.dumps(closed["view"])
    assert votes(core) == [(answer_id, ALICE, "down", "25% since October 1")]
    # Clicking 👎 again keeps the text; 👍 drops it.
    await clicked(http, slack, slack_api, click(slack_api, answer_id, "down"))
    assert votes(core) == [(answer_id, ALICE, "down", "25% since October 1")]
    await clicked(http, slack, slack_api, click(slack_api, answer_id, "up"))
    assert votes(core) == [(answer_id, ALICE, "up", None)]


@pytest.mark.parametrize("case", ["forged", "unsigned", "stale"])
async def test_a_forged_or_unsigned_action_is_refused_and_records_nothing(
    case: str, http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    answer_id, _ = await asked(http, slack, slack_api)
    payload = click(slack_api, answer_id, "down")
    body = urlencode({"payload": json.dumps(payload)})
    form = "application/x-www-form-urlencoded"
    headers = {
        "forged": signed_headers(body, form, secret="not-the-signing-secret"),
        "unsigned": {"Content-Type": form},
        "stale": signed_headers(body, form, timestamp=int(time.time()) - 301),
    }[case]
    calls_before = len(slack_api.attempts)
    status, _ = await send(http, slack, payload, headers=headers)
    assert status == 401
    assert votes(core) == []
    assert len(slack_api.attempts) == calls_before  # no thanks, no form
    # The same click, signed, is the one that counts.
    await clicked(http, slack, slack_api, payload)
    assert votes(core) == [(answer_id, ALICE, "down", None)]


async def test_a_click_on_an_unknown_answer_gets_one_line_and_records_nothing(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    reply = await clicked(http, slack, slack_api, click(slack_api, 4242, "down"))
    assert reply["response_type"] == "ephemeral" and "no longer know that answer" in reply["text"]
    assert "\n" not in reply["text"]
    assert votes(core) == [] and not slack_api.of("views.open")


async def test_buttons_work_after_a_restart(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot, clock: Clock
) -> None:
    answer_id, _ = await asked(http, slack, slack_api)
    await slack.stop()
    settings = Settings(
        SLACK_BOT_TOKEN=SecretStr(slack_api.token),
        SLACK_SIGNING_SECRET=SecretStr(SIGNING_SECRET),
        BRIEFBOT_SLACK_API_URL=slack_api.base_url,
        BRIEFBOT_HTTP_PORT=0,
    )
    restarted = build_slack(settings, BriefBot(core.store, clock), host="127.0.0.1")
    await restarted.start()
    try:
        thanks = await clicked(http, restarted, slack_api, click(slack_api, answer_id, "up"))
        assert thanks["text"] == "Thanks, noted."
        assert votes(core) == [(answer_id, ALICE, "up", None)]
    finally:
        await restarted.stop()
