"""What the commands need of the adapters, handed in by the composition root: no command imports one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TextIO

from bot.messages import BotCore, Message, PlatformRuntime, Sender

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import BriefBot

logger = logging.getLogger(__name__)


class TerminalChat(Protocol):
    """The chat typed at a terminal (or piped in), served until its input ends."""

    async def run(self) -> None:
        """Serve until end of input."""
        ...


# (core, clock, stdin, out) -> the terminal chat and the sender that prints scheduled posts beside it
TerminalChatFactory = Callable[
    [BotCore, Callable[[], datetime], TextIO | None, TextIO | None], tuple[TerminalChat, Sender]
]


@dataclass(frozen=True)
class Adapters:
    """The adapters' functions the commands use: terminal escaping and rendering, chats to serve."""

    terminal_safe: Callable[[str], str]
    render: Callable[[Message], str]
    terminal_chat: TerminalChatFactory
    platforms: Callable[[Settings, BriefBot], list[PlatformRuntime]]
