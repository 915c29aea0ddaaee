"""A recording adapter for tests: a chat that reads like a transcript, and a Sender that keeps every post."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.messages import BotCore, ChannelGone, Incoming, Message, TemporaryFailure

logger = logging.getLogger(__name__)


class RecordingChat:
    """One channel talking to the core: `chat.say("topics")` returns the reply; the transcript keeps all."""

    def __init__(
        self,
        core: BotCore,
        channel: str = "test-channel",
        platform: str = "test",
        user: str = "tester",
        can_manage_channel: bool = True,
        can_edit_facts: bool = True,
    ) -> None:
        self.core = core
        self.channel = channel
        self.platform = platform
        self.user = user
        self.can_manage_channel = can_manage_channel
        self.can_edit_facts = can_edit_facts
        self.transcript: list[tuple[str, str]] = []
        self.last: list[Message] = []

    async def ask(self, text: str) -> str:
        """Say a line in the channel (inside a running event loop); returns the bot's replies as text."""
        self.transcript.append((self.user, text))
        incoming = Incoming(
            platform=self.platform,
            channel=self.channel,
            user=self.user,
            text=text,
            can_manage_channel=self.can_manage_channel,
            can_edit_facts=self.can_edit_facts,
        )
        self.last = await self.core.handle(incoming)
        reply = "\n".join(m.text for m in self.last)
        self.transcript.append(("bot", reply))
        return reply

    def say(self, text: str) -> str:
        """Say a line from synchronous code (runs its own event loop); returns the replies as text."""
        return asyncio.run(self.ask(text))


@dataclass
class Post:
    """One message a Sender was asked to post."""

    channel: str
    message: Message
    nonce: str
    message_id: str


@dataclass
class RecordingSender:
    """A Sender that records posts; can be told that channels are gone or fail temporarily n times."""

    platform: str = "test"
    posts: list[Post] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    failures: dict[str, int] = field(default_factory=dict)
    attempts: int = 0

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """Record a post, or raise ChannelGone / TemporaryFailure as configured."""
        self.attempts += 1
        if channel in self.gone:
            raise ChannelGone(f"{channel} is archived")
        if self.failures.get(channel, 0) > 0:
            self.failures[channel] -= 1
            raise TemporaryFailure(f"{channel}: rate limited")
        message_id = f"m{len(self.posts) + 1}"
        self.posts.append(Post(channel, message, nonce, message_id))
        return message_id

    def to(self, channel: str, kind: str | None = None) -> list[Message]:
        """The messages posted to one channel (optionally of one kind)."""
        return [
            p.message for p in self.posts if p.channel == channel and (kind is None or p.message.kind == kind)
        ]

    def per_channel(self, kinds: Iterable[str] | None = None) -> dict[str, int]:
        """How many posts each channel got (optionally only of some kinds)."""
        wanted = set(kinds) if kinds is not None else None
        out: dict[str, int] = {}
        for post in self.posts:
            if wanted is None or post.message.kind in wanted:
                out[post.channel] = out.get(post.channel, 0) + 1
        return out
