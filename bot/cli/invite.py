"""`briefbot discord-invite`: print the URL that adds the bot to a Discord server (no discord import here)."""

from __future__ import annotations

import argparse
import base64
import binascii
import sys
from urllib.parse import urlencode

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.cli.ports import Adapters
from bot.config import Settings

# Permission bits as Discord documents them (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
SEND_MESSAGES_IN_THREADS = 1 << 38
BOT_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS
SCOPES = ("bot", "applications.commands")
AUTHORIZE_URL = "https://discord.com/oauth2/authorize"


class _InviteSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_client_id: str = Field("", validation_alias="DISCORD_CLIENT_ID")


def invite_url(client_id: int | str, permissions: int = BOT_PERMISSIONS) -> str:
    """The OAuth2 URL adding the bot with its slash commands and the least permissions it needs."""
    query = urlencode({"client_id": int(client_id), "scope": " ".join(SCOPES), "permissions": permissions})
    return f"{AUTHORIZE_URL}?{query}"


def client_id_from_token(token: str) -> str | None:
    """The application id a bot token starts with (base64 of the bot user's id), or None if it does not."""
    first = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if decoded.isdigit() else None


def cmd_discord_invite(
    args: argparse.Namespace, store: object, settings: Settings, adapters: Adapters
) -> int:
    """Print the invite URL for --client-id, DISCORD_CLIENT_ID, or the id inside DISCORD_TOKEN."""
    client_id = args.client_id or _InviteSettings().discord_client_id
    if not client_id and settings.discord_token is not None:
        client_id = client_id_from_token(settings.discord_token.get_secret_value()) or ""
    if not client_id or not str(client_id).isdigit():
        print(
            "briefbot: give the application id: --client-id 123… or DISCORD_CLIENT_ID "
            "(Developer Portal -> your application -> General Information -> Application ID)",
            file=sys.stderr,
        )
        return 2
    print(invite_url(client_id))
    return 0


def add_discord_invite(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot discord-invite`."""
    parser = sub.add_parser("discord-invite", help="print the URL that adds briefbot to a Discord server")
    parser.add_argument(
        "--client-id", help="the application id (default: DISCORD_CLIENT_ID, else read from DISCORD_TOKEN)"
    )
    parser.set_defaults(func=cmd_discord_invite, needs_store=False)
