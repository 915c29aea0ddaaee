"""The scheduler leader lock: one leader per database, takeover when the leader's session ends."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import time

import psycopg
import pytest
from pg import PostgresServer

from bot.leader import AlwaysLeader, PostgresLeaderLock, lock_key, make_leader_lock


def test_lock_key_is_stable_and_signed_64_bit() -> None:
    key = lock_key("briefbot.scheduler")
    assert key == lock_key("briefbot.scheduler") != lock_key("other")
    assert -(2**63) <= key < 2**63


def test_factory_picks_the_lock_by_url(pg_url: str) -> None:
    assert isinstance(make_leader_lock("sqlite:///x.db"), AlwaysLeader)
    assert isinstance(make_leader_lock(pg_url), PostgresLeaderLock)


async def test_sqlite_process_is_always_leader() -> None:
    lock = AlwaysLeader()
    assert await lock.acquire() and lock.is_leader
    await lock.release()
    assert not lock.is_leader


async def test_only_one_leader_and_handover_on_release(pg_url: str) -> None:
    first, second = PostgresLeaderLock(pg_url), PostgresLeaderLock(pg_url)
    try:
        assert await first.acquire()
        assert not await second.acquire()
        assert await first.acquire()  # re-acquiring as leader stays leader
        assert await first.check() and not second.is_leader
        await first.release()
        assert not first.is_leader
        assert await second.acquire()
        assert not await first.acquire()
    finally:
        await first.release()
        await second.release()


async def test_different_names_do_not_contend(pg_url: str) -> None:
    one, other = PostgresLeaderLock(pg_url, "a"), PostgresLeaderLock(pg_url, "b")
    try:
        assert await one.acquire() and await other.acquire()
    finally:
        await one.release()
        await other.release()


async def test_leader_whose_session_is_killed_loses_and_follower_takes_over(
    pg_server: PostgresServer, pg_url: str
) -> None:
    leader, follower = PostgresLeaderLock(pg_url), PostgresLeaderLock(pg_url)
    try:
        assert await leader.acquire()
        with pg_server.admin() as admin:
            killed = admin.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity"
                " where application_name = 'briefbot-leader' and pid in"
                " (select pid from pg_locks where locktype = 'advisory')"
            ).fetchall()
        assert killed == [(True,)]
        assert not await leader.check()
        assert await follower.acquire()
        assert not await leader.acquire()  # reconnects as a follower
    finally:
        await leader.release()
        await follower.release()


async def test_hold_reports_changes_and_releases_on_stop(pg_url: str) -> None:
    lock, rival = PostgresLeaderLock(pg_url), PostgresLeaderLock(pg_url)
    changes: list[bool] = []
    stop = asyncio.Event()
    beats: list[int] = []
    task = asyncio.create_task(
        lock.hold(stop, changes.append, interval=0.05, heartbeat=lambda: beats.append(1))
    )
    try:
        for _ in range(200):
            if changes:
                break
            await asyncio.sleep(0.01)
        assert changes == [True]
        assert not await rival.acquire()
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
    assert not lock.is_leader
    assert changes == [True, False]  # told to step down before the lock went
    assert beats
    assert await rival.acquire()
    await rival.release()


WORKER = """
import asyncio, sys
from bot.leader import PostgresLeaderLock
async def main():
    lock = PostgresLeaderLock(sys.argv[1])
    assert await lock.acquire()
    print("leader", flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


async def test_sigkilled_leader_process_is_replaced(pg_url: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, pg_url], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    follower = PostgresLeaderLock(pg_url)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "leader"
        assert not await follower.acquire()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        deadline = time.monotonic() + 10  # the server sees the closed socket at once
        while not await follower.acquire():
            assert time.monotonic() < deadline, "follower never took over"
            await asyncio.sleep(0.05)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        await follower.release()


async def test_unreachable_database_means_follower_and_no_password_in_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql+psycopg://bot:s3cr3t-pw@127.0.0.1:{closed_port()}/db"
    lock = PostgresLeaderLock(url, connect_timeout=2)
    with caplog.at_level(logging.WARNING, logger="bot.leader"):
        assert not await lock.acquire()
    assert not lock.is_leader
    assert "cannot reach" in caplog.text
    assert "s3cr3t-pw" not in caplog.text
    await lock.release()


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_psycopg_is_version_3() -> None:
    assert psycopg.__version__.split(".")[0] == "3"
