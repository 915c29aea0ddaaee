"""The requests an adapter is answering, so a graceful stop can let them finish before it closes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

logger = logging.getLogger(__name__)


class InFlight:
    """The answers being worked on, so a stop can let them finish; `closing` once the stop began."""

    def __init__(self) -> None:
        self.closing = False
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def count(self) -> int:
        """How many answers are in flight now."""
        return len(self._tasks)

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Count the current task as in flight while the block runs."""
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._tasks.discard(task)

    async def wait(self, timeout: float) -> int:
        """Take no more work; wait up to `timeout` s for what is in flight; returns how many are left."""
        self.closing = True
        # A stop asked from within an answer is itself tracked, and a task cannot wait for itself.
        pending = {t for t in self._tasks if t is not asyncio.current_task()}
        if not pending:
            return 0
        _, left = await asyncio.wait(pending, timeout=timeout)
        return len(left)
