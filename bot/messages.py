"""The neutral boundary between the bot core and chat adapters: incoming events, messages, senders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Incoming:
    """One thing a person said to the bot, whatever the platform.

    `text` is the command line without the bot's own name or slash command: "ask what's the rate?",
    "subscribe tariffs tiktok", or a bare question. `channel` is the platform's channel id ("console"
    for the terminal); `platform` is "slack", "discord", "console" or "test". `can_edit_facts` is the
    right to fix facts and retract articles (Discord: Manage Channels; Slack: workspace admins and
    BRIEFBOT_EDITORS; the terminal: yes); adapters need only work it out for `fix` and `forget`.
    """

    platform: str
    channel: str
    user: str
    text: str
    is_direct: bool = False
    thread: str | None = None
    can_manage_channel: bool = True
    event_id: str | None = None
    can_edit_facts: bool = False


@dataclass(frozen=True)
class Citation:
    """Where an answer or post line came from: article title, published date and how old it is."""

    title: str
    published: date
    url: str = ""
    age_note: str = ""

    def describe(self) -> str:
        """One line: 'Title (September 15, 2025; 2 months old)'."""
        when = f"{self.published:%B} {self.published.day}, {self.published.year}"
        note = f"; {self.age_note}" if self.age_note else ""
        return f"{self.title} ({when}{note})"


@dataclass(frozen=True)
class Passage:
    """A passage offered with a decline: close to the question, plainly not an answer."""

    sentence: str
    title: str
    published: date
    url: str = ""

    def describe(self) -> str:
        """One line: '“…sentence…” — Title (September 15, 2025)'."""
        when = f"{self.published:%B} {self.published.day}, {self.published.year}"
        return f"“{self.sentence}” — {self.title} ({when})"


RELATED_HEADING = "Closest passages I have read (not an answer)"


@dataclass(frozen=True)
class Field:
    """A labelled value inside a message (rendered as a Slack field or an embed field)."""

    label: str
    value: str


@dataclass(frozen=True)
class Message:
    """What the bot says: plain text that stands alone, plus structure adapters may render richer.

    Messages never mention anyone: adapters render with every mention disabled and escape article text.
    `kind` is one of: answer, decline, info, error, help, briefing, reminder, update.
    """

    text: str
    kind: str = "info"
    title: str = ""
    lines: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    citations: tuple[Citation, ...] = ()
    related: tuple[Passage, ...] = ()
    ephemeral: bool = False
    in_thread: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False)


# Message.extra key of a logged answer's id: adapters put 👍/👎 buttons carrying it under the answer.
ANSWER_ID = "answer_id"
VOTES = ("up", "down")


def answer_id_of(message: Message) -> int | None:
    """The logged answer a message gives, which people may rate; None for every other message."""
    value = message.extra.get(ANSWER_ID)
    return value if isinstance(value, int) else None


@dataclass(frozen=True)
class Vote:
    """A person's rating of one logged answer: a 👍/👎 click, a 👎 form's text, or `rate up|down`.

    `correction` is the optional "what would be right?" text; None leaves a stored one as it is.
    """

    platform: str
    channel: str
    user: str
    answer_id: int
    vote: str
    correction: str | None = None


class ChannelGone(Exception):
    """The platform says the channel is gone or closed to the bot: stop posting there."""


class TemporaryFailure(Exception):
    """A send failed in a way worth retrying later (network, rate limit beyond the client's retries)."""


class Sender(Protocol):
    """An adapter's outgoing side: posts one message to one channel and returns the platform's message id.

    `nonce` is derived from the deliveries ledger key so platforms that support it drop a resend.
    `deduplicates_resends` says whether the platform drops a second send with the same nonce (Discord's
    enforce_nonce does, for a few minutes); only then may a send interrupted by a crash be resent.
    Senders written before it existed lack it: read it with `deduplicates(sender)`, which means False.
    Raises ChannelGone or TemporaryFailure.
    """

    platform: str
    deduplicates_resends: bool

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """Post a message to a channel."""
        ...


def deduplicates(sender: object) -> bool:
    """Whether a Sender's platform drops a resend with the same nonce (False when it does not say)."""
    return bool(getattr(sender, "deduplicates_resends", False))


class BotCore(Protocol):
    """What an adapter may ask of the bot: nothing more (adapters never get the whole application)."""

    async def handle(self, incoming: Incoming) -> list[Message]:
        """Answer one incoming command or question with the messages to say."""
        ...

    async def first_time(self, event_key: str) -> bool:
        """Record a platform event id; False when it was seen before (a retry to ignore)."""
        ...

    async def overview(self, platform: str) -> Message:
        """Upcoming deadlines and the channels following each topic (Slack's App Home)."""
        ...

    async def rate(self, vote: Vote) -> Message:
        """Record a vote on a logged answer; the private reply ("Thanks, noted." or why not)."""
        ...

    async def topic_names(self) -> list[str]:
        """The topics a channel can follow (for autocomplete)."""
        ...

    async def channel_gone(self, platform: str, channel: str) -> None:
        """Stop scheduled posts to a channel the bot can no longer post in."""
        ...


class PlatformRuntime(Protocol):
    """A running chat platform connection, as the composition root sees it."""

    platform: str

    @property
    def sender(self) -> Sender:
        """The outgoing side; read-only here, so a runtime may hold its platform's own Sender class."""
        ...

    async def start(self) -> None:
        """Connect and begin serving (returns once started)."""
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...

    @property
    def connected(self) -> bool:
        """True while the platform connection is up."""
        ...
