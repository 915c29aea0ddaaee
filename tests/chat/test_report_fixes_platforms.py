"""A 👎 with "what would be right?", then an editor's `fix r<N>`, through real slack-bolt and discord.py code."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.discord.app import DiscordRuntime
from adapters.slack.app import SlackRuntime
from bot import ratings
from bot.cli.feedback import FixesOfReports, rating_json
from bot.core import BriefBot
from facts.store import FactStore
from tests.chat import test_discord_ratings as discord_rating
from tests.chat import test_slack_ratings as slack_rating
from tests.chat.conftest import started
from tests.chat.test_discord_app import EDITOR, READER, Chat, embed_text, is_ephemeral
from tests.chat.test_slack_app import command, fixture, said
from tests.fakes.discord_api import FakeDiscord, load_fixture
from tests.fakes.slack_api import FakeSlackApi

ONE_FACT = "what's the tariff on Chinese goods?"  # answered with fact 36 alone: 30%
TARIFF = 36
ALICE = "U0ALICE001"  # who sends the recorded slash commands: made a workspace admin below
BOB = "U0BOB00001"  # a member: may rate, may not fix


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def links(store: FactStore) -> list[tuple[int, int | None]]:
    return [(f.id, f.superseded_by) for f in store.facts(include_superseded=True)]


def the_report(core: BriefBot) -> ratings.Rating:
    [rating] = ratings.all_ratings(core.store.engine)
    assert rating.vote == "down"
    return rating


def fixed_by(core: BriefBot, rating: ratings.Rating) -> object:
    return rating_json(rating, FixesOfReports(core.store))["fixed_by"]


async def test_slack_report_then_an_editors_fix_shows_in_the_next_answer(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    asked = await command(http, slack, slack_api, f"ask {ONE_FACT}")
    assert "30%" in said(asked)
    answer_id = slack_rating.reply_answer_id(asked)

    # Bob clicks 👎: the thanks name the report; the form's text is kept with it.
    thanks = await slack_rating.clicked(
        http, slack, slack_api, slack_rating.click(slack_api, answer_id, "down", BOB)
    )
    report = the_report(core)
    hint = f"An editor can correct it with `fix r{report.id} <right value>`."
    # Slack's mrkdwn escapes < and >; people read `fix r1 <right value>`.
    escaped = hint.replace("<", "&lt;").replace(">", "&gt;")
    assert thanks["response_type"] == "ephemeral" and escaped in thanks["text"]
    (opened,) = slack_api.of("views.open")
    submitted = fixture("view_submission")
    submitted["user"]["id"] = BOB
    submitted["view"]["private_metadata"] = opened.params["view"]["private_metadata"]
    submitted["view"]["state"]["values"]["correction"]["text"]["value"] = "35%, not 30%"
    status, body = await slack_rating.send(http, slack, submitted)
    assert status == 200 and hint in json.dumps(json.loads(body)["view"], ensure_ascii=False)
    assert the_report(core).correction == "35%, not 30%"

    # Bob may not fix it: one polite line, nothing changes.
    before = links(core.store)
    refused = await command(http, slack, slack_api, f"fix r{report.id} 35%", user_id=BOB)
    assert refused["response_type"] == "ephemeral" and "only editors can use `fix`" in said(refused)
    assert links(core.store) == before and fixed_by(core, report) is None

    # Alice, a workspace admin, fixes it by the report's id.
    slack_api.admins.add(ALICE)
    fixed = await command(http, slack, slack_api, f"fix r{report.id} 35% because the article misprinted it")
    assert f"Fixed: fact {TARIFF}" in said(fixed) and f"answering report r{report.id}" in said(fixed)
    answer = await command(http, slack, slack_api, f"ask {ONE_FACT}")
    assert "U.S. duties on Chinese goods: 35%" in said(answer)
    assert f"corrected by slack:{ALICE} on 2025-09-15: was 30%" in said(answer)
    link = fixed_by(core, report)
    assert isinstance(link, dict) and link["who"] == f"slack:{ALICE}" and link["fact_id"] == TARIFF


async def test_discord_report_then_a_managers_fix_shows_in_the_next_answer(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    chat = Chat(fake)
    asked = await chat.command("ask", question=ONE_FACT)
    assert "30%" in embed_text(asked)
    (row,) = asked["data"]["components"]
    answer_id = int(row["components"][1]["custom_id"].rsplit(":", 1)[1])

    offered = await discord_rating.respond(fake, discord_rating.click(answer_id, "down"))
    assert offered["type"] == discord_rating.MODAL_CALLBACK
    thanks = await discord_rating.respond(fake, discord_rating.form(answer_id, "35%, not 30%"))
    report = the_report(core)
    assert report.user == discord_rating.BEN and report.correction == "35%, not 30%"
    assert is_ephemeral(thanks)
    assert thanks["data"]["content"] == (
        f"Thanks, noted. An editor can correct it with `fix r{report.id} <right value>`."
    )

    before = links(core.store)
    refused = await chat.command("fix", permissions=READER, fact=f"r{report.id}", value="35%")
    assert is_ephemeral(refused) and "only editors can use `fix`" in embed_text(refused)
    assert links(core.store) == before and fixed_by(core, report) is None

    fixed = await chat.command("fix", permissions=EDITOR, fact=f"r{report.id}", value="35%")
    assert f"answering report r{report.id}" in embed_text(fixed)
    editor = load_fixture("interaction_create_command")["member"]["user"]["id"]
    answer = await chat.command("ask", question=ONE_FACT)
    assert "U.S. duties on Chinese goods: 35%" in embed_text(answer)
    assert f"corrected by discord:{editor} on 2025-09-15: was 30%" in embed_text(answer)
    link = fixed_by(core, report)
    assert isinstance(link, dict) and link["who"] == f"discord:{editor}"


@pytest.fixture
async def discord_bot(fake: FakeDiscord, core: BriefBot) -> AsyncIterator[DiscordRuntime]:
    runtime = await started(fake, core)
    yield runtime
    await runtime.stop()
