"""SIGTERM and SIGINT as an exception, so a command unwinds in order before it exits.

Unwinding rolls back the open transaction and shuts worker pools down, so nothing is left half
written and no process or semaphore outlives the command. SIGTERM is what systemd, `timeout` and CI
cancellation send; without a handler Python dies on it at once and skips all of that.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from facts.workers import stop_signals_to

logger = logging.getLogger(__name__)


class Interrupted(BaseException):
    """A stop signal arrived; a BaseException, so `except Exception` recovery code lets it through."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def signal_name(self) -> str:
        """The signal's name, e.g. SIGTERM."""
        return signal.Signals(self.signum).name

    @property
    def exit_status(self) -> int:
        """The shell's status for a process ended by this signal: 128 + its number (143, 130)."""
        return 128 + self.signum


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within the block, the first SIGTERM or SIGINT raises Interrupted in the main thread.

    A second one while the command is still unwinding ends the process at once with the same status:
    the store stays whole either way (each write is one transaction) and workers end with this process.
    """
    interrupted: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        if interrupted:
            os._exit(128 + signum)
        interrupted.append(signum)
        raise Interrupted(signum)

    with stop_signals_to(stop):
        yield
