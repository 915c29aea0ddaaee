"""The bot's invite URL, computed with discord.py: the scopes and the least permissions briefbot needs."""

from __future__ import annotations

import logging

import discord

logger = logging.getLogger(__name__)

SCOPES = ("bot", "applications.commands")


def bot_permissions() -> discord.Permissions:
    """View Channels, Send Messages, Send Messages in Threads, Embed Links, Read Message History."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        embed_links=True,
        read_message_history=True,
    )


def invite_url(client_id: int | str) -> str:
    """The OAuth2 URL that adds the bot to a server with its commands and those permissions."""
    return discord.utils.oauth_url(int(client_id), permissions=bot_permissions(), scopes=SCOPES)
