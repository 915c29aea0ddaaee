"""The `briefbot` command: a package of subcommands wired together by `bot.cli.app`, the composition root."""

from __future__ import annotations

import logging
from collections.abc import Sequence

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` console script."""
    # Imported here, not at the top: importing one command module (bot.cli.ask) loads this package first,
    # and must not load the root and with it every other command.
    from bot.cli.app import main as run_command

    return run_command(argv)
