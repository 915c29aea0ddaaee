"""Pure Slack converters: payloads -> Incoming, Message -> Block Kit, with article text escaped."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from adapters.links import link_target
from adapters.slack.rating import rating_block
from bot.messages import RELATED_HEADING, Citation, Field, Incoming, Message, answer_id_of

logger = logging.getLogger(__name__)

PLATFORM = "slack"

# Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_HOME = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 4000

# Message kinds that only the asking person should see.
EPHEMERAL_KINDS = frozenset({"error", "help"})
# Message kinds whose short title is a heading; an answer's title is the answer itself.
HEADER_KINDS = frozenset({"briefing", "reminder", "update", "info", "help"})

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_PLAIN_SPECIAL = re.compile(r"@(?=(?:everyone|channel|here)\b)", re.I)
_LINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^|>]*)(?:\|([^>]*))?>")


def escape(text: str) -> str:
    """Escape &, < and > so text from articles never pings (<!channel>, <@U…>) or breaks formatting.

    A plain "@channel" does not ping in a bot's post, but would once copied into Slack's composer: a
    zero-width space after its "@" keeps it as it reads and makes it inert there too.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PLAIN_SPECIAL.sub("@\u200b", text)


def unescape(text: str) -> str:
    """Undo Slack's HTML entities in text a person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain_words(text: str, bot_user_id: str | None = None) -> str:
    """A typed Slack message as plain words: the bot's mention removed, links and mentions made readable."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    else:
        text = _MENTION.sub(" ", text, count=1) if text.lstrip().startswith("<@") else text
    text = _MENTION.sub(lambda m: f"@{m.group(1)}", text)
    text = _CHANNEL_LINK.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)
    text = _SPECIAL.sub(lambda m: m.group(2) or f"@{m.group(1)}", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(unescape(text).split())


def _is_direct_channel(channel: str, channel_name: str = "") -> bool:
    return channel.startswith("D") or channel_name == "directmessage"


def incoming_from_command(body: Mapping[str, Any]) -> Incoming:
    """A `/brief …` slash command (form fields) as Incoming: the text after /brief goes in verbatim."""
    channel = str(body.get("channel_id", ""))
    return Incoming(
        platform=PLATFORM,
        channel=channel,
        user=str(body.get("user_id", "")),
        text=str(body.get("text", "")).strip(),
        is_direct=_is_direct_channel(channel, str(body.get("channel_name", ""))),
        thread=None,
        can_manage_channel=True,
        event_id=None,
    )


def incoming_from_mention(body: Mapping[str, Any], bot_user_id: str | None = None) -> Incoming:
    """An app_mention event_callback as Incoming, threaded under the message that mentioned the bot."""
    event = body["event"]
    channel = str(event.get("channel", ""))
    return Incoming(
        platform=PLATFORM,
        channel=channel,
        user=str(event.get("user", "")),
        text=plain_words(str(event.get("text", "")), bot_user_id),
        is_direct=_is_direct_channel(channel),
        thread=str(event.get("thread_ts") or event.get("ts") or "") or None,
        can_manage_channel=True,
        event_id=body.get("event_id"),
    )


def is_person_dm(event: Mapping[str, Any]) -> bool:
    """True for a plain message a person sent in a DM with the bot (not edits, bot posts or joins)."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(str(event.get("text", "")).strip())
    )


def incoming_from_dm(body: Mapping[str, Any], bot_user_id: str | None = None) -> Incoming:
    """A message.im event_callback as Incoming (a direct conversation; threads kept when used)."""
    event = body["event"]
    return Incoming(
        platform=PLATFORM,
        channel=str(event.get("channel", "")),
        user=str(event.get("user", "")),
        text=plain_words(str(event.get("text", "")), bot_user_id),
        is_direct=True,
        thread=event.get("thread_ts"),
        can_manage_channel=True,
        event_id=body.get("event_id"),
    )


def is_ephemeral(message: Message) -> bool:
    """Errors and help are shown only to the person who asked."""
    return message.ephemeral or message.kind in EPHEMERAL_KINDS


def _cut(text: str, limit: int) -> str:
    """Shorten escaped text to a limit without splitting an entity, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    amp = head.rfind("&", max(0, len(head) - 5))
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    return head + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """Split escaped text into pieces of at most `limit` characters, at newlines or spaces when possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
            amp = text.rfind("&", max(0, cut - 5), cut)
            if amp > 0 and ";" not in text[amp:cut]:
                cut = amp
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _sections(escaped: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": _mrkdwn(part)} for part in _chunks(escaped, MAX_SECTION_TEXT)]


def _field_sections(fields: Iterable[Field]) -> list[dict[str, Any]]:
    items = [_mrkdwn(_cut(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT)) for f in fields]
    return [
        {"type": "section", "fields": items[start : start + MAX_FIELDS]}
        for start in range(0, len(items), MAX_FIELDS)
    ]


def citation_text(citation: Citation, number: int | None = None) -> str:
    """A context line for a source: its number, linked title, published date and as-of age, all escaped."""
    title = escape(citation.title) or "source"
    url = link_target(citation.url)
    if url is not None:
        title = f"<{url}|{title.replace('|', '¦')}>"
    when = f"{citation.published:%B} {citation.published.day}, {citation.published.year}"
    note = f" · {escape(citation.age_note)}" if citation.age_note else ""
    marker = f"[{number}] " if number is not None else ":newspaper: "
    return _cut(f"{marker}{title} · {when}{note}", MAX_SECTION_TEXT)


def _context(citations: tuple[Citation, ...]) -> list[dict[str, Any]]:
    numbered = len(citations) > 1
    elements = [_mrkdwn(citation_text(c, n if numbered else None)) for n, c in enumerate(citations, 1)]
    return [
        {"type": "context", "elements": elements[start : start + MAX_CONTEXT_ELEMENTS]}
        for start in range(0, len(elements), MAX_CONTEXT_ELEMENTS)
    ]


def _related(message: Message) -> list[dict[str, Any]]:
    """A decline's closest passages as context: a heading, then one escaped, linked passage each."""
    if not message.related:
        return []
    elements = [_mrkdwn(f"*{RELATED_HEADING}:*")]
    for passage in message.related[: MAX_CONTEXT_ELEMENTS - 1]:
        cited = citation_text(Citation(passage.title, passage.published, passage.url))
        elements.append(
            _mrkdwn(
                _cut(f"“{escape(passage.sentence)}” — {cited.removeprefix(':newspaper: ')}", MAX_SECTION_TEXT)
            )
        )
    return [{"type": "context", "elements": elements}]


def _title_block(message: Message) -> list[dict[str, Any]]:
    """A header for a post's short title; an answer, an error or a long title is ordinary text instead."""
    title = " ".join(message.title.split())
    if not title:
        return []
    if (
        message.kind in HEADER_KINDS
        and (message.lines or message.fields)
        and len(escape(title)) <= MAX_HEADER_TEXT
    ):
        return [{"type": "header", "text": {"type": "plain_text", "text": escape(title), "emoji": True}}]
    return _sections(escape(message.title.strip()))


def _body(message: Message) -> list[dict[str, Any]]:
    """The message's structure when it has one (its `text` repeats it in plain words), else its text."""
    if not (message.lines or message.fields or message.title):
        return _sections(escape(message.text.strip())) if message.text.strip() else []
    body = _title_block(message)
    if message.lines:
        bullet = "" if message.kind in EPHEMERAL_KINDS else "• "
        body.extend(_sections("\n".join(f"{bullet}{escape(line)}" for line in message.lines)))
    body.extend(_field_sections(message.fields))
    return body


def blocks_for(message: Message, max_blocks: int = MAX_BLOCKS_MESSAGE) -> list[dict[str, Any]]:
    """Block Kit for a message: its title (a header for posts), lines and fields, then sources as context.

    A logged answer ends with its 👍/👎 buttons.
    """
    body = _body(message)
    tail = _related(message) + _context(message.citations)
    answer_id = answer_id_of(message)
    if answer_id is not None:
        tail.append(rating_block(answer_id))
    room = max_blocks - len(tail)
    if len(body) > room:
        body = body[: max(room - 1, 0)] + [{"type": "context", "elements": [_mrkdwn("… (shortened)")]}]
    return (body + tail)[:max_blocks] or [{"type": "section", "text": _mrkdwn("(nothing to say)")}]


def fallback_text(message: Message) -> str:
    """The notification text that goes with the blocks (shown where blocks cannot be)."""
    text = message.text.strip() or message.title or "briefbot"
    return _cut(escape(text), MAX_FALLBACK_TEXT)


def home_view(message: Message) -> dict[str, Any]:
    """The App Home tab (views.publish) for the bot's overview message."""
    return {"type": "home", "blocks": blocks_for(message, MAX_BLOCKS_HOME)}
