"""Subcommands of `briefbot` beyond the fact store's: filled in by the Q&A, channels and operations parts."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the further subcommands on the main parser."""
    from bot.cli_discord import add_discord_invite

    add_discord_invite(sub)
    from bot.cli_run import add_commands as add_run_commands

    add_run_commands(sub)
    from bot.cli_ask import add_ask

    add_ask(sub)
    from bot.cli_ops import add_ops_commands

    add_ops_commands(sub)
    from bot.cli_feeds import add_feeds_commands

    add_feeds_commands(sub)
