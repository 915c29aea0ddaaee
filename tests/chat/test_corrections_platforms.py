"""Who may fix facts and retract articles, through the real slack-bolt and discord.py code and fake APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.discord.app import DiscordRuntime
from adapters.slack.app import SlackRuntime
from bot.core import BriefBot
from facts.corrections import Corrections
from facts.store import FactStore
from tests.chat.conftest import started
from tests.chat.test_discord_app import EDITOR, READER, Chat, embed_text, is_ephemeral
from tests.chat.test_slack_app import command, said
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi

ALICE = "U0ALICE001"  # the user of the recorded slash command
TARIFF = 36  # "U.S. duties on Chinese goods: 30%" in the bundled article


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def links(store: FactStore) -> list[tuple[int, int | None]]:
    return [(f.id, f.superseded_by) for f in store.facts(include_superseded=True)]


async def test_slack_member_is_refused_politely_and_nothing_changes(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    before = links(core.store)
    for text in [f"fix {TARIFF} 40%", f"fix undo {TARIFF}", "forget 1"]:
        reply = await command(http, slack, slack_api, text)
        assert reply["response_type"] == "ephemeral"
        assert "only editors can use" in said(reply)
    assert links(core.store) == before
    assert [c.params["user"] for c in slack_api.of("users.info")] == [ALICE]  # asked once, then cached
    listed = await command(http, slack, slack_api, "articles")  # anyone may list
    assert "U.S. and China resume TikTok talks" in said(listed)


async def test_slack_workspace_admin_may_fix_and_undo(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    slack_api.admins.add(ALICE)
    fixed = await command(http, slack, slack_api, f"fix {TARIFF} 35% because misread")
    assert "Fixed: fact 36" in said(fixed) and f"corrected by slack:{ALICE}" in said(fixed)
    assert not core.store.get([TARIFF])[0].current
    answer = await command(http, slack, slack_api, "ask what's the tariff on Chinese goods?")
    assert "35%" in said(answer) and f"corrected by slack:{ALICE}" in said(answer)
    undone = await command(http, slack, slack_api, "fix undo last")
    assert "Fix undone" in said(undone) and core.store.get([TARIFF])[0].current


async def test_slack_editors_list_grants_the_right_without_admin(
    http: aiohttp.ClientSession, slack: SlackRuntime, slack_api: FakeSlackApi, core: BriefBot
) -> None:
    slack.editors = frozenset({ALICE})
    reply = await command(http, slack, slack_api, f"fix {TARIFF} 35%")
    assert "Fixed: fact 36" in said(reply) and not core.store.get([TARIFF])[0].current
    assert slack_api.of("users.info") == []


async def test_discord_member_without_manage_channels_is_refused(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    chat = Chat(fake)
    before = links(core.store)
    refused = await chat.command("fix", permissions=READER, fact=str(TARIFF), value="40%")
    assert is_ephemeral(refused) and "only editors can use `fix`" in embed_text(refused)
    forget = await chat.command("forget", permissions=READER, article="1")
    assert is_ephemeral(forget) and "only editors can use `forget`" in embed_text(forget)
    assert links(core.store) == before


async def test_discord_manager_fixes_with_a_reason_and_undoes(
    fake: FakeDiscord, discord_bot: DiscordRuntime, core: BriefBot
) -> None:
    chat = Chat(fake)
    fixed = await chat.command("fix", permissions=EDITOR, fact=str(TARIFF), value="35%", because="misread")
    assert "Fixed: fact 36" in embed_text(fixed)
    [entry] = Corrections(core.store).audit()
    assert entry.reason == "misread" and entry.by.startswith("discord:")
    undone = await chat.command("fix-undo", permissions=EDITOR, fact=str(TARIFF))
    assert "Fix undone" in embed_text(undone) and core.store.get([TARIFF])[0].current


@pytest.fixture
async def discord_bot(fake: FakeDiscord, core: BriefBot) -> AsyncIterator[DiscordRuntime]:
    runtime = await started(fake, core)
    yield runtime
    await runtime.stop()
