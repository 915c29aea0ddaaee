"""The terminal adapter: questions and commands typed at a prompt (or piped in), scheduled posts printed."""

from __future__ import annotations

import asyncio
import getpass
import logging
import re
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.messages import BotCore, Incoming, Message

logger = logging.getLogger(__name__)

PLATFORM = "console"
CHANNEL = "console"
PROMPT = "> "
BANNER = "briefbot — ask a question or type a command (help lists them); Ctrl-D quits."


# Characters a terminal acts on rather than shows: C0 and C1 controls (escape sequences, carriage returns,
# OSC 8 hyperlinks), DEL, and the bidirectional controls that can reorder what is shown.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Where text pasted from the terminal into a chat would ping someone or become a masked link:
# "<" opening <@U1>, <!channel> or <#C1>, "@" opening @everyone or @name, and "](" joining [text](url).
_PING_OR_LINK = re.compile(r"<(?=[@!#])|@(?=\w)|\](?=\()")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Text for the terminal: control characters shown as escapes, mentions and masked links broken.

    A zero-width space goes after each "<@", "<!", "@name" and "](" opener, so the text reads the same
    but cannot ping or link if someone copies it into Slack or Discord; newlines and tabs stay.
    """
    text = _TERMINAL_CONTROL.sub(_shown, text)
    return _PING_OR_LINK.sub(lambda m: m.group(0) + "\u200b", text)


def render(message: Message) -> str:
    """A message as terminal text: its plain text, which stands alone, made safe for the terminal."""
    return terminal_safe(message.text)


class ConsoleSender:
    """Prints scheduled posts to the terminal as they fall due."""

    platform = PLATFORM
    # A printed post cannot be taken back, and a terminal has no nonce to drop a second one by.
    deduplicates_resends = False

    def __init__(self, out: TextIO, clock: Callable[[], datetime], interactive: bool = False) -> None:
        self.out = out
        self.clock = clock
        self.interactive = interactive
        self.count = 0

    async def send(self, channel: str, message: Message, nonce: str) -> str:
        """Print one post with a header saying what it is and when it went out."""
        self.count += 1
        stamp = self.clock().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        self.out.write(f"\n[{message.kind} post to #{channel}, {stamp}]\n{render(message)}\n\n")
        if self.interactive:
            self.out.write(PROMPT)
        self.out.flush()
        return f"console-{self.count}"


class ConsoleChat:
    """Reads lines from a stream, hands each to the core and prints the replies; ends at end of input."""

    def __init__(
        self,
        core: BotCore,
        stdin: TextIO | None = None,
        out: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.core = core
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stdout
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        try:
            self.user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers; any name will do
            self.user = "you"

    async def run(self) -> None:
        """Serve until end of input (Ctrl-D, or the end of a piped script)."""
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def reader() -> None:
            # A daemon thread, not asyncio.to_thread: a thread blocked in readline must not keep the
            # process alive after Ctrl-C.
            for line in self.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=reader, name="console-stdin", daemon=True).start()
        if self.interactive:
            self.out.write(BANNER + "\n" + PROMPT)
            self.out.flush()
        while (line := await lines.get()) is not None:
            text = line.strip()
            if text:
                await self.say(text)
            if self.interactive:
                self.out.write(PROMPT)
                self.out.flush()
        if self.interactive:
            self.out.write("\n")

    async def say(self, text: str) -> list[Message]:
        """Handle one line and print the replies."""
        # Whoever has the terminal has the store: they may fix facts and retract articles.
        incoming = Incoming(
            platform=PLATFORM, channel=CHANNEL, user=self.user, text=text, is_direct=True, can_edit_facts=True
        )
        replies = await self.core.handle(incoming)
        for message in replies:
            self.out.write(render(message) + "\n\n")
        self.out.flush()
        return replies
