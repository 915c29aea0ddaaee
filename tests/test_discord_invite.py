"""`briefbot discord-invite`: the URL without importing discord equals the one discord.py computes."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from adapters.discord.invite import bot_permissions
from adapters.discord.invite import invite_url as library_invite_url
from bot.cli import main
from bot.cli.invite import BOT_PERMISSIONS, client_id_from_token, invite_url

APP_ID = "1100000000000000001"


def test_permission_integer_matches_discord_py() -> None:
    assert BOT_PERMISSIONS == bot_permissions().value == 274877991936
    expected = discord.Permissions.none()
    expected.update(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        embed_links=True,
        read_message_history=True,
    )
    assert expected.value == BOT_PERMISSIONS
    assert not bot_permissions().manage_channels and not bot_permissions().mention_everyone


def test_url_matches_discord_py_oauth_url() -> None:
    assert invite_url(APP_ID) == library_invite_url(APP_ID)
    query = parse_qs(urlparse(invite_url(APP_ID)).query)
    assert query == {
        "client_id": [APP_ID],
        "scope": ["bot applications.commands"],
        "permissions": ["274877991936"],
    }


def test_client_id_read_from_a_bot_token() -> None:
    token = (
        base64.b64encode(APP_ID.encode()).decode().rstrip("=")
        + ".GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ABC"
    )
    assert client_id_from_token(token) == APP_ID
    assert client_id_from_token("not-a-token") is None


def test_cli_prints_the_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord-invite", "--client-id", APP_ID]) == 0
    assert capsys.readouterr().out.strip() == library_invite_url(APP_ID)


def test_cli_reads_the_client_id_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_CLIENT_ID", APP_ID)
    assert main(["discord-invite"]) == 0
    assert f"client_id={APP_ID}" in capsys.readouterr().out


def test_cli_without_an_id_says_where_to_find_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord-invite"]) == 2
    assert "--client-id" in capsys.readouterr().err
