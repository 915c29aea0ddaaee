"""Worker processes that live and die with the process that started them.

A spawned worker blocks on its job queue forever once its parent is gone (it holds the queue's write
end itself, so it never sees end-of-file), and keeps the multiprocessing resource tracker alive with
it. Here each worker ends itself as soon as its parent dies, however it died, and leaves Ctrl-C to
the parent, which shuts the pool down in order.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import SpawnContext, SpawnProcess

logger = logging.getLogger(__name__)

# How often a worker looks whether its parent is still there: the longest an orphan outlives it.
PARENT_POLL_SECONDS = 0.2


def bound_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned worker processes that end with this process."""
    # Spawned, not forked: a forked child would inherit the caller's open database connections.
    return ProcessPoolExecutor(
        workers, mp_context=_SpawnContext(), initializer=_start_worker, initargs=(os.getpid(),)
    )


class _WorkerProcess(SpawnProcess):
    """A spawned process that starts with SIGINT blocked, so Ctrl-C cannot reach it before its set-up."""

    def start(self) -> None:
        """Start the process; its signal mask carries over fork and exec (as the resource tracker's does)."""
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


class _SpawnContext(SpawnContext):
    """The spawn start method, with workers that start deaf to Ctrl-C."""

    Process = _WorkerProcess


def _start_worker(parent: int) -> None:
    """Set up a worker: Ctrl-C is its parent's to handle; the worker ends when the parent is gone."""
    # A terminal's Ctrl-C reaches the whole process group: the parent stops the pool in order, where
    # each worker would die with a KeyboardInterrupt traceback. Ignoring it also drops one that came
    # while the worker started. SIGTERM keeps its default: the pool itself sends it to end the workers
    # once one of them died.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    """End this process once its parent is gone (it is then reparented, so its parent id changes)."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    # Nothing here is worth finishing: the parent that would store the work is gone.
    os._exit(1)
