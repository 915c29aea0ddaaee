"""Pure converters: Discord interaction data and mentions -> Incoming; Message -> discord.Embed."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

import discord

from adapters.links import link_target
from bot.messages import RELATED_HEADING, Incoming, Message

logger = logging.getLogger(__name__)

PLATFORM = "discord"
COMMAND_NAME = "brief"

# Permission bits as Discord documents them.
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4

# Subcommands whose options become "name value" pairs after the subcommand ("settings time 09:00 tz X").
NAMED_OPTIONS = frozenset({"settings"})
# Options whose value the core reads after a word of their own ("fix 36 35% because …").
WORDED_OPTIONS = frozenset({"because"})
# Subcommands whose chat words differ from their Discord name (a name is one word).
COMMAND_WORDS = {"fix-undo": "fix undo"}

# Embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000

COLOURS: dict[str, int] = {
    "answer": 0x5865F2,
    "decline": 0x99AAB5,
    "info": 0x5865F2,
    "error": 0xED4245,
    "help": 0x57F287,
    "briefing": 0xFEE75C,
    "reminder": 0xE67E22,
    "update": 0x1ABC9C,
}

# Kinds whose lines are shown as they are (no bullets), and whose headline is a sentence, not a title.
PLAIN_LINE_KINDS = frozenset({"help", "error"})
SENTENCE_KINDS = frozenset({"answer", "decline", "error"})

_MENTION_OF = "<@{id}>|<@!{id}>"


def can_manage(permissions: int | str | None) -> bool:
    """True when a permission integer (as Discord sends it) includes Manage Channels or Administrator."""
    value = int(permissions or 0)
    return bool(value & (MANAGE_CHANNELS | ADMINISTRATOR))


def command_text(data: Mapping[str, Any]) -> str:
    """The bot-core command line for a /brief interaction's `data`: "subscribe tariffs", "ask what…"."""
    words: list[str] = []
    options: Sequence[Mapping[str, Any]] = data.get("options") or []
    while options and options[0].get("type") in (1, 2):  # subcommand group or subcommand
        name = str(options[0]["name"])
        words.append(COMMAND_WORDS.get(name, name))
        options = options[0].get("options") or []
    named = bool(words) and words[-1] in NAMED_OPTIONS
    for option in options:
        value = str(option.get("value", "")).strip()
        if not value:
            continue
        worded = named or option.get("name") in WORDED_OPTIONS
        words.extend([str(option["name"]), value] if worded else [value])
    return " ".join(words)


def focused_value(data: Mapping[str, Any]) -> tuple[str, str]:
    """The (option name, typed text) of the focused option in an autocomplete interaction's `data`."""
    options: Sequence[Mapping[str, Any]] = data.get("options") or []
    while options:
        for option in options:
            if option.get("focused"):
                return str(option["name"]), str(option.get("value", ""))
        options = (options[0].get("options") or []) if options[0].get("type") in (1, 2) else []
    return "", ""


def incoming_for_command(
    data: Mapping[str, Any],
    *,
    interaction_id: int | str,
    channel_id: int | str,
    user_id: int | str,
    in_guild: bool,
    permissions: int | str | None,
) -> Incoming:
    """An Incoming for an application command: its `data`, where it came from, and the member's permissions.

    In a guild, Manage Channels (or Administrator) in that channel lets the user change its settings; in a DM
    the user owns the conversation.
    """
    return Incoming(
        platform=PLATFORM,
        channel=str(channel_id),
        user=str(user_id),
        text=command_text(data),
        is_direct=not in_guild,
        can_manage_channel=can_manage(permissions) if in_guild else True,
        event_id=f"discord:{interaction_id}",
        # Fixing facts changes every channel's answers: Manage Channels in a server, never in a DM.
        can_edit_facts=can_manage(permissions) if in_guild else False,
    )


def incoming_from_interaction(payload: Mapping[str, Any]) -> Incoming:
    """An Incoming for an application-command interaction, from its raw INTERACTION_CREATE payload."""
    member = payload.get("member") or {}
    user = member.get("user") or payload.get("user") or {}
    return incoming_for_command(
        payload.get("data") or {},
        interaction_id=payload["id"],
        channel_id=payload.get("channel_id") or (payload.get("channel") or {}).get("id", ""),
        user_id=user.get("id", ""),
        in_guild=bool(payload.get("guild_id")),
        permissions=member.get("permissions"),
    )


def strip_mentions_of(content: str, bot_id: int | str) -> str:
    """A message's text without the bot's own mention(s) and surrounding blanks."""
    text = re.sub(_MENTION_OF.format(id=re.escape(str(bot_id))), " ", content)
    return " ".join(text.split())


def incoming_from_mention(
    *,
    content: str,
    bot_id: int | str,
    channel: int | str,
    user: int | str,
    message_id: int | str,
    is_direct: bool,
    can_manage_channel: bool,
    thread: int | str | None = None,
    can_edit_facts: bool = False,
) -> Incoming:
    """An Incoming for a message that mentions the bot (or a DM): the text without the mention."""
    return Incoming(
        platform=PLATFORM,
        channel=str(channel),
        user=str(user),
        text=strip_mentions_of(content, bot_id),
        is_direct=is_direct,
        thread=str(thread) if thread is not None else None,
        can_manage_channel=can_manage_channel,
        event_id=f"discord:{message_id}",
        can_edit_facts=can_edit_facts,
    )


# A zero-width space leaves the words as they read but breaks the markup: "[text](url)" is a masked
# link in Discord's markdown, and "<@…>", "<#…>", "</…>" (or Slack's "<!…>") a mention or link token.
_MARKUP_OPENER = re.compile(r"\](?=\()|<(?=[@!#&/])")


def safe(text: str) -> str:
    """Text that cannot ping even with mentions allowed (@everyone, @here, <@id>, <@&id>) nor mask a link."""
    return _MARKUP_OPENER.sub(lambda m: m.group(0) + "\u200b", discord.utils.escape_mentions(text))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def footer_text(message: Message) -> str:
    """The embed footer: the source, or numbered sources matching the [n] markers in the lines."""
    if len(message.citations) == 1:
        return _cut("Source: " + message.citations[0].describe(), FOOTER_LIMIT)
    numbered = (f"[{n}] {c.describe()}" for n, c in enumerate(message.citations, 1))
    return _cut("Sources: " + " · ".join(numbered), FOOTER_LIMIT) if message.citations else ""


def _title_and_body(message: Message) -> tuple[str, str]:
    bullet = "" if message.kind in PLAIN_LINE_KINDS else "• "
    lines = [f"{bullet}{line}" for line in message.lines]
    if not message.title:
        return "", "\n".join(lines) if lines else message.text
    if message.kind in SENTENCE_KINDS or len(message.title) > TITLE_LIMIT:
        # An answer's headline is a sentence: it reads better as the body than as a bold title.
        return "", "\n".join([message.title, *lines])
    return message.title, "\n".join(lines)


def to_embed(message: Message) -> discord.Embed:
    """A Message as one Discord embed: title, lines, fields, and the source in the footer; mention-safe."""
    title, body = _title_and_body(message)
    embed = discord.Embed(
        title=_cut(safe(title), TITLE_LIMIT) or None,
        description=_cut(safe(body), DESCRIPTION_LIMIT) or None,
        colour=COLOURS.get(message.kind, COLOURS["info"]),
    )
    urls = [c.url for c in message.citations if c.url]
    target = link_target(urls[0]) if len(urls) == 1 else None
    if embed.title and target is not None:
        embed.url = target
    for item in message.fields[:FIELD_COUNT_LIMIT]:
        embed.add_field(
            name=_cut(safe(item.label), FIELD_NAME_LIMIT) or "\u200b",
            value=_cut(safe(item.value), FIELD_VALUE_LIMIT) or "\u200b",
            inline=len(item.value) <= 40,
        )
    if message.related:
        embed.add_field(
            name=RELATED_HEADING,
            value=_cut(safe("\n".join(p.describe() for p in message.related)), FIELD_VALUE_LIMIT),
            inline=False,
        )
    footer = footer_text(message)
    if footer:
        embed.set_footer(text=safe(footer))
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_LIMIT and embed.description:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        embed.description = _cut(embed.description, max(1, len(embed.description) - excess - 1))
    return embed


def to_content(message: Message) -> str:
    """A Message as plain message content (for notifications and clients without embeds), mention-safe."""
    return _cut(safe(message.text), CONTENT_LIMIT)


def topic_choices(topics: Sequence[str], typed: str, limit: int = 25) -> list[str]:
    """Topics for autocomplete: those starting with what was typed first, then those containing it."""
    needle = typed.strip().lower()
    starts = [t for t in topics if t.lower().startswith(needle)]
    contains = [t for t in topics if needle in t.lower() and t not in starts]
    return (starts + contains)[:limit]
