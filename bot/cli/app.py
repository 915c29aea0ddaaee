"""The composition root of `briefbot`: builds the parser, opens the store, wires adapters, bot and store."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy.exc import SQLAlchemyError

from adapters.console import ConsoleChat, ConsoleSender, render, terminal_safe
from bot.cli import ask, briefing, corrections, feedback, feeds, ingest, invite, listing, ops, run
from bot.cli.ports import Adapters, TerminalChat
from bot.config import ConfigError, Settings, default_database_path, load_settings
from bot.messages import BotCore, PlatformRuntime, Sender
from facts.db import database_reason
from facts.ingest import IngestError, Overrides, ingest_document, read_document
from facts.store import FactStore

if TYPE_CHECKING:
    from bot.core import BriefBot

logger = logging.getLogger(__name__)

# Commands with which the user brings their own documents: these skip the bundled corpus.
OWN_DOCUMENT_COMMANDS = frozenset({"ingest", "import"})


def bundled_corpus() -> list[Path]:
    """The articles shipped with briefbot, ingested into an empty store on first use."""
    folder = resources.files("facts").joinpath("corpus")
    return sorted(Path(str(folder)).glob("*.md"))


def open_store(settings: Settings, command: str) -> FactStore:
    """Open and migrate the store; seed an empty one with the bundled corpus unless documents are brought."""
    url = settings.resolved_database_url()
    if not settings.database_url:
        path = default_database_path()
        if not path.exists():
            print(f"briefbot: creating the embedded store at {path}", file=sys.stderr)
    store = FactStore.open(url)
    from bot.state import upgrade_bot_tables

    upgrade_bot_tables(store.engine)
    if command not in OWN_DOCUMENT_COMMANDS and store.is_empty():
        from facts.db import migration_lock

        with migration_lock(store.engine):  # processes starting together seed the store once
            if store.is_empty():
                for path in bundled_corpus():
                    ingest_document(store, read_document(path, Overrides(), date.today()))
    return store


def terminal_chat(
    core: BotCore, clock: Callable[[], datetime], stdin: TextIO | None, out: TextIO | None
) -> tuple[TerminalChat, Sender]:
    """The console adapter's chat on these streams, and its sender printing scheduled posts beside it."""
    chat = ConsoleChat(core, stdin=stdin, out=out)
    return chat, ConsoleSender(chat.out, clock, interactive=chat.interactive)


def platform_runtimes(settings: Settings, core: BriefBot) -> list[PlatformRuntime]:
    """The chat platforms configured in the environment (their libraries imported only when configured)."""
    runtimes: list[PlatformRuntime] = []
    if settings.slack_bot_token is not None:
        from adapters.slack.app import build_slack

        runtimes.append(build_slack(settings, core))
    if settings.discord_token is not None:
        from adapters.discord.app import build_discord

        runtimes.append(build_discord(settings, core))
    return runtimes


ADAPTERS = Adapters(
    terminal_safe=terminal_safe, render=render, terminal_chat=terminal_chat, platforms=platform_runtimes
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every briefbot subcommand, in the order `briefbot --help` lists them."""
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Briefing bot for fast-moving negotiations."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ingest.add_ingest(sub)
    listing.add_facts(sub)
    listing.add_deadlines(sub)
    listing.add_topics(sub)
    ops.add_db(sub)
    invite.add_discord_invite(sub)
    run.add_run(sub)
    briefing.add_briefing(sub)
    ask.add_ask(sub)
    ops.add_export_import(sub)
    feeds.add_feeds_commands(sub)
    feedback.add_feedback(sub)
    corrections.add_corrections_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, load the settings, open the store and run the command; its exit status."""
    parser = build_parser()
    args = parser.parse_args(ask.question_words_as_words(list(sys.argv[1:] if argv is None else argv)))
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 2
    from bot.logs import configure_logging, scrub

    configure_logging(settings.log_level, settings.log_format, settings.secret_values())
    store: FactStore | None = None
    # Commands that never read the store (discord-invite) must not create one as a side effect.
    if getattr(args, "needs_store", True):
        try:
            store = open_store(settings, args.command)
        except Exception as error:  # noqa: BLE001 - one clear line instead of a traceback at start-up
            reason = scrub(str(error).splitlines()[0], settings.secret_values())
            print(
                f"briefbot: cannot open the store ({settings.safe_database_url()}): {reason}", file=sys.stderr
            )
            return 2
    try:
        return int(args.func(args, store, settings, ADAPTERS) or 0)
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ConfigError as error:
        # Found only once a command runs (Slack refusing the token at start): one line, like at load.
        print(f"briefbot: {scrub(str(error), settings.secret_values())}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        # A store damaged or changed by hand (a table dropped, a disk full): one line, not a traceback.
        reason = scrub(database_reason(error), settings.secret_values())
        print(f"briefbot: the store failed ({settings.safe_database_url()}): {reason}", file=sys.stderr)
        return 1
    finally:
        if store is not None:
            store.close()
