"""Worker processes that live and die with the process that started them, and leave stop signals to it.

A spawned worker blocks on its job queue forever once its parent is gone (it holds the queue's write
end itself, so it never sees end-of-file), and keeps the multiprocessing resource tracker alive with
it. Here each worker ends itself as soon as its parent dies, however it died. Ctrl-C, `timeout` and
systemd signal the whole process group: the workers ignore SIGINT and SIGTERM from their first
instruction on, and the parent alone decides when they stop.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import SpawnContext, SpawnProcess
from types import FrameType
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

# How often a worker looks whether its parent is still there: the longest an orphan outlives it.
PARENT_POLL_SECONDS = 0.2
# The signals a terminal, `timeout`, systemd or CI send to stop a command.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})

T = TypeVar("T")


def bound_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned worker processes that end with this process and ignore stop signals."""
    with stop_signals_held():
        return _BoundPool(workers)


class _BoundPool(ProcessPoolExecutor):
    """A process pool whose workers and manager thread start with it; stop signals wait for a whole submit."""

    def __init__(self, workers: int) -> None:
        # Spawned, not forked: a forked child would inherit the caller's open database connections.
        super().__init__(
            workers, mp_context=_SpawnContext(), initializer=_start_worker, initargs=(os.getpid(),)
        )
        # Every worker and the manager thread start now, not on a later submit: a submit that started a
        # worker while the manager thread was ending a broken pool (a worker killed) added a process after
        # the manager had killed the others, and the manager then waited for it forever (Python 3.11's
        # executor takes no lock there). The manager thread, running from the start, also ends workers
        # that never got a job when the pool shuts down.
        for _ in range(workers):
            self._adjust_process_count()  # starts one while the pool has fewer than `workers`
        self._start_executor_manager_thread()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Submit a job; a stop signal arriving meanwhile takes effect once the pool is consistent."""
        # A signal handled halfway through a submit (a job queued but its future not yet returned) would
        # leave the pool holding work nobody waits for.
        with stop_signals_held():
            return super().submit(fn, *args, **kwargs)


@contextmanager
def stop_signals_to(handler: Callable[[int, FrameType | None], Any]) -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM go to `handler`; the handlers before come back after it.

    Only the main thread can set handlers (and Python runs them there); elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM are noted, not handled; the first is raised again after it."""
    caught: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        caught.append(signum)

    try:
        with stop_signals_to(note):
            yield
    finally:
        if caught:
            # Handled now by whatever handled it before: the caller's handler, or the default.
            signal.raise_signal(caught[0])


class _WorkerProcess(SpawnProcess):
    """A spawned process that starts with stop signals blocked and is ended with SIGKILL."""

    def start(self) -> None:
        """Start the process; its signal mask carries over fork and exec (as the resource tracker's does)."""
        before = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)

    def terminate(self) -> None:
        """End the worker now: it ignores SIGTERM, which the pool sends to end workers once one died."""
        self.kill()


class _SpawnContext(SpawnContext):
    """The spawn start method, with workers that start deaf to stop signals."""

    Process = _WorkerProcess


def _start_worker(parent: int) -> None:
    """Set up a worker: stop signals are its parent's to handle; the worker ends when the parent is gone."""
    # A signal to the process group reaches every worker: the parent stops the pool in order, where a
    # worker would die with a KeyboardInterrupt traceback (SIGINT) or mid-job (SIGTERM), breaking the
    # pool. Ignoring them here also drops any that came, blocked, while the worker started.
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    """End this process once its parent is gone (it is then reparented, so its parent id changes)."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    # Nothing here is worth finishing: the parent that would store the work is gone.
    os._exit(1)
