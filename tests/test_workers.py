"""Worker pools under stop signals: the workers ignore them, the parent alone decides, held signals wait."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from facts.workers import bound_pool, stop_signals_held


def _pid() -> int:
    return os.getpid()


def _signalled_then_pid(signum: int) -> int:
    """Send a stop signal to this worker itself, then answer: it must live on to answer."""
    os.kill(os.getpid(), signum)
    time.sleep(0.2)  # time for a default action to end the process, were it not ignored
    return os.getpid()


class Stopped(BaseException):
    """What the test's stop handler raises, as the CLI's raises Interrupted."""


@pytest.fixture
def stop_raises() -> Iterator[list[int]]:
    """SIGINT and SIGTERM raise Stopped in the main thread while the test runs; the signals seen."""
    seen: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        seen.append(signum)
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield seen
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_workers_ignore_stop_signals(signum: int) -> None:
    pool = bound_pool(1)
    try:
        first = pool.submit(_pid).result(timeout=60)
        assert pool.submit(_signalled_then_pid, signum).result(timeout=60) == first
        assert pool.submit(_pid).result(timeout=60) == first  # the same worker, still serving
    finally:
        pool.shutdown()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_submit_is_handled_after_it(signum: int, stop_raises: list[int]) -> None:
    with pytest.raises(Stopped), stop_signals_held():
        os.kill(os.getpid(), signum)
        time.sleep(0.05)  # Python runs handlers between instructions: it had every chance here
        assert stop_raises == []
    assert stop_raises == [signum]


def test_a_signal_to_the_group_while_workers_start_stops_the_pool_whole(stop_raises: list[int]) -> None:
    pool = bound_pool(2)
    futures = []
    try:
        # As a terminal's Ctrl-C or `timeout`: the signal reaches this process while its submits start
        # both workers; it is handled after the submits, and the workers never see it.
        with pytest.raises(Stopped), stop_signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            futures = [pool.submit(_pid) for _ in range(4)]
        assert len({f.result(timeout=60) for f in futures}) in (1, 2)
    finally:
        pool.shutdown(cancel_futures=True)
    assert stop_raises == [signal.SIGTERM]


def _slow_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_a_pool_whose_worker_died_ends_the_others_although_they_ignore_sigterm() -> None:
    pool = bound_pool(2)
    try:
        # Two jobs at once start both workers; then one worker is killed while the other is busy.
        pids = {f.result(timeout=60) for f in [pool.submit(_slow_pid, 0.5) for _ in range(2)]}
        assert len(pids) == 2
        busy = pool.submit(_slow_pid, 30.0)
        victim = pool.submit(_slow_pid, 30.0)
        time.sleep(1.0)
        os.kill(min(pids), signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            victim.result(timeout=60)
        with pytest.raises(BrokenProcessPool):
            busy.result(timeout=60)  # well before its 30 s: the survivor was ended with SIGKILL
        began = time.monotonic()
        for pid in pids:
            while os.path.exists(f"/proc/{pid}") and _state(pid) != "Z" and time.monotonic() - began < 60:
                time.sleep(0.05)
            assert not os.path.exists(f"/proc/{pid}") or _state(pid) == "Z"
    finally:
        pool.shutdown()


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _workers_of(parent: int) -> list[int]:
    """The spawned worker processes whose parent is `parent`."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            ppid = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1]
            command = Path(f"/proc/{entry.name}/cmdline").read_bytes()
        except OSError:
            continue
        if int(ppid) == parent and b"multiprocessing.spawn" in command and _state(int(entry.name)) != "Z":
            found.append(int(entry.name))
    return found


def test_every_worker_starts_with_the_pool_so_a_death_never_races_a_submit_starting_one() -> None:
    # A submit that started a worker while the pool was ending after another worker died added a
    # process nobody ended, and shutdown waited for it forever: so no submit may start one.
    pool = bound_pool(2)
    finished = threading.Event()
    try:
        workers = _workers_of(os.getpid())
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        for _ in range(4):
            try:
                future = pool.submit(_pid)
            except BrokenProcessPool:
                continue
            with pytest.raises(BrokenProcessPool):
                future.result(timeout=60)
    finally:

        def close() -> None:
            pool.shutdown(cancel_futures=True)
            finished.set()

        closer = threading.Thread(target=close)
        closer.start()
        closer.join(timeout=60)
    assert finished.is_set(), "shutdown is still waiting for a worker"
    assert _workers_of(os.getpid()) == []
