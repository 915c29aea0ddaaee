"""Rating answers on Discord: 👍/👎 buttons that outlive restarts, and the 👎 "what would be right?" form."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, cast

import discord

from adapters.discord.convert import PLATFORM
from adapters.inflight import InFlight
from bot.messages import VOTES, BotCore, Message, Vote
from facts.limits import MAX_TYPED

logger = logging.getLogger(__name__)

# The answer id travels in each button's custom_id; a DynamicItem reads it back from any click, so no
# view needs to be remembered and the buttons keep working after a restart.
RATE_ID = re.compile(r"briefbot:rate:(?P<vote>up|down):(?P<answer>[0-9]{1,18})")
CORRECTION_PREFIX = "briefbot:correct:"
CORRECTION_FIELD = "correction"
FORM_TITLE = "Thanks, noted. What would be right?"  # Discord allows 45 characters
BUTTONS = {"up": "👍", "down": "👎"}
NO_MENTIONS = discord.AllowedMentions.none()
# How long discord.py keeps an opened form in memory: as long as its interaction token lives.
FORM_SECONDS = 15 * 60


class RatingHost(Protocol):
    """What the rating components need of the client: the bot core and the answers in flight."""

    core: BotCore
    in_flight: InFlight


def _host(interaction: discord.Interaction) -> RatingHost:
    return cast(RatingHost, interaction.client)


async def _say(interaction: discord.Interaction, message: Message) -> None:
    await interaction.response.send_message(message.text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class RateButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=RATE_ID):
    """A 👍 or 👎 under one answer: records the vote; 👎 then offers the "what would be right?" form."""

    def __init__(self, answer_id: int, vote: str) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji=BUTTONS[vote],
                custom_id=f"briefbot:rate:{vote}:{answer_id}",
            )
        )
        self.answer_id = answer_id
        self.vote = vote

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RateButton:
        """The button a click was on, rebuilt from its custom_id."""
        return cls(int(match["answer"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the vote and thank the person privately (a 👎 gets the form instead)."""
        host = _host(interaction)
        with host.in_flight.track():
            vote = Vote(
                PLATFORM,
                str(interaction.channel_id or ""),
                str(interaction.user.id),
                self.answer_id,
                self.vote,
            )
            reply = await host.core.rate(vote)
            if self.vote == "down" and reply.kind != "error":
                await interaction.response.send_modal(CorrectionForm(self.answer_id))
            else:
                await _say(interaction, reply)


def rating_view(answer_id: int) -> discord.ui.View:
    """The 👍/👎 row under an answer (call inside the event loop, as every discord.py View)."""
    view = discord.ui.View(timeout=None)
    for vote in VOTES:
        view.add_item(RateButton(answer_id, vote))
    return view


class CorrectionForm(discord.ui.Modal):
    """The 👎 form: one optional text. Its submission is handled by `submit_correction`, not here."""

    def __init__(self, answer_id: int) -> None:
        super().__init__(title=FORM_TITLE, custom_id=f"{CORRECTION_PREFIX}{answer_id}", timeout=FORM_SECONDS)
        self.add_item(
            discord.ui.TextInput(
                label="What would be right? (optional)",
                custom_id=CORRECTION_FIELD,
                style=discord.TextStyle.long,
                required=False,
                max_length=MAX_TYPED,
                placeholder="e.g. 25%, since October 1",
            )
        )


def _inputs(components: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """Every text input of a submitted form, inside action rows (type 1) or labels (type 18)."""
    for component in components:
        if component.get("type") == 1:
            yield from _inputs(component.get("components") or [])
        elif component.get("type") == 18 and isinstance(component.get("component"), Mapping):
            yield from _inputs([component["component"]])
        else:
            yield component


def correction_from(data: Mapping[str, Any]) -> tuple[int, str | None] | None:
    """The answer id and text of a submitted 👎 form (its interaction `data`), or None for other forms."""
    custom_id = str(data.get("custom_id", ""))
    answer = custom_id.removeprefix(CORRECTION_PREFIX)
    if not custom_id.startswith(CORRECTION_PREFIX) or not answer.isdigit() or len(answer) > 18:
        return None
    text = ""
    for component in _inputs(data.get("components") or []):
        if component.get("custom_id") == CORRECTION_FIELD:
            text = str(component.get("value") or "").strip()
    return int(answer), text or None


async def submit_correction(core: BotCore, interaction: discord.Interaction) -> bool:
    """Keep a submitted 👎 form's text with the vote and thank the person; False for any other form.

    Read from the raw submission rather than the Modal object discord.py keeps in memory, so a form
    opened before a restart and sent after it still counts.
    """
    found = correction_from(interaction.data or {})
    if found is None:
        return False
    answer_id, text = found
    vote = Vote(
        PLATFORM, str(interaction.channel_id or ""), str(interaction.user.id), answer_id, "down", text
    )
    await _say(interaction, await core.rate(vote))
    return True
