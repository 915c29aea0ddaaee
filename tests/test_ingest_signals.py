"""`briefbot ingest` stopped by a real signal: no worker or tracker outlives it, no semaphore leaks,
and the store holds whole articles only."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.generator import articles
from benchmarks.generator import write as write_articles
from facts.pipeline import BATCH

BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))
# Read last, and long: `ingest` is still reading it a while after the first batch is stored, on any
# number of cores (one article is one worker's job).
LONG_READ = "zz-long-read.md"
LONG_READ_PARTS = 45  # generated articles' bodies, about 150 kB
# A bound for a busy machine, not a speed target: the waits poll and end as soon as their condition holds.
DEADLINE_S = 120.0
POLL_S = 0.05

# One article's rows: facts, their topics, their search terms, its analysis.
SHAPES = """
SELECT d.path,
       (SELECT count(*) FROM facts f WHERE f.document_id = d.id),
       (SELECT count(*) FROM fact_topics t JOIN facts f ON f.id = t.fact_id WHERE f.document_id = d.id),
       (SELECT count(*) FROM sentence_terms s JOIN facts f ON f.id = s.fact_id WHERE f.document_id = d.id),
       (SELECT count(*) FROM document_analyses a WHERE a.document_id = d.id)
FROM documents d
"""


@dataclass(frozen=True)
class Proc:
    """A process seen in /proc: its id, its start time (to tell a reused id) and its command line."""

    pid: int
    started: str
    command: str


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; the fields after it are plain.
    return raw[raw.rindex(")") + 2 :].split()


def children(parent: int) -> list[Proc]:
    """The processes whose parent is `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None or fields[1] != str(parent):
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append(Proc(int(entry.name), fields[19], command))
    return found


def alive(proc: Proc) -> bool:
    """True while the process runs (a zombie has ended; a reused id is another process)."""
    fields = _stat(proc.pid)
    return fields is not None and fields[19] == proc.started and fields[0] != "Z"


def semaphores(pid: int) -> set[str]:
    """The POSIX named semaphores a process has mapped (multiprocessing's locks and queues)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return set()
    return {line.split()[-1] for line in maps.splitlines() if "/dev/shm/sem." in line}


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll until the condition holds; fail after DEADLINE_S."""
    give_up = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > give_up:
            pytest.fail(f"still waiting after {DEADLINE_S:g} s: {what}")
        time.sleep(POLL_S)


def environment(database: Path, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env["BRIEFBOT_DATABASE_URL"] = f"sqlite:///{database}"
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    env["PYTHONUNBUFFERED"] = "1"  # each stored article's line shows at once
    return env


def shapes(database: Path) -> dict[str, tuple[int, ...]]:
    """Each stored article's rows, by file; checks the file's integrity first."""
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return {path: tuple(counts) for path, *counts in conn.execute(SHAPES)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A first batch of generated articles, then one long read."""
    folder = tmp_path_factory.mktemp("articles")
    write_articles(folder, BATCH)
    body = "\n\n".join(a.body for a in articles(LONG_READ_PARTS, start=BATCH))
    (folder / LONG_READ).write_text(f"---\ntitle: Long read\npublished: 2025-06-01\n---\n{body}")
    return folder


@pytest.fixture(scope="module")
def whole(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, ...]]:
    """The first batch's rows, article by article, after an ingest that nothing interrupted."""
    tmp_path = tmp_path_factory.mktemp("whole")
    database = tmp_path / "store.db"
    first_batch = sorted(str(p) for p in folder.glob("*.md") if p.name != LONG_READ)
    done = subprocess.run(
        [BRIEFBOT, "ingest", *first_batch],
        env=environment(database, tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    found = shapes(database)
    assert len(found) == BATCH and all(counts[0] > 0 and counts[3] == 1 for counts in found.values())
    return found


@dataclass
class Stopped:
    """What an interrupted ingest left: its exit status, its stderr, and its store's articles."""

    status: int
    stderr: str
    stored: dict[str, tuple[int, ...]]


def interrupt(
    folder: Path,
    tmp_path: Path,
    send: Callable[[subprocess.Popen[bytes], list[Proc]], None],
    after_first_batch: bool = True,
) -> Stopped:
    """Run `briefbot ingest`, signal it once its workers run, and wait until every process of it ended."""
    database = tmp_path / "store.db"
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [BRIEFBOT, "ingest", str(folder)],
            env=environment(database, tmp_path),
            cwd=tmp_path,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own process group, as under a terminal, `timeout` or systemd
        )
    try:

        def running() -> bool:
            assert process.poll() is None, f"ingest ended before the signal:\n{err.read_text()}"
            spawned = any("multiprocessing.spawn" in p.command for p in children(process.pid))
            return spawned and (not after_first_batch or out.read_text().count("\n") > 0)

        wait_until(running, "ingest's workers (and its first stored batch)")
        family = children(process.pid)
        assert any("resource_tracker" in p.command for p in family), family
        named = semaphores(process.pid)
        assert named, "the pool's queues use named semaphores"
        send(process, family)
        process.wait(timeout=DEADLINE_S)
        wait_until(lambda: not any(alive(p) for p in family), f"the ingest's processes to end: {family}")
        wait_until(lambda: not any(Path(s).exists() for s in named), f"its semaphores to go: {named}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Stopped(process.returncode, err.read_text(), shapes(database))


def assert_whole(stopped: Stopped, whole: dict[str, tuple[int, ...]]) -> None:
    """Every article in the store has all its rows, as in an ingest nothing interrupted."""
    assert stopped.stored.keys() <= whole.keys()
    assert stopped.stored == {path: whole[path] for path in stopped.stored}


def to_parent(signum: int) -> Callable[[subprocess.Popen[bytes], list[Proc]], None]:
    return lambda process, _family: os.kill(process.pid, signum)


def to_group(signum: int) -> Callable[[subprocess.Popen[bytes], list[Proc]], None]:
    return lambda process, _family: os.killpg(process.pid, signum)


@pytest.mark.parametrize(
    ("send", "status", "name", "after_first_batch"),
    [
        (to_parent(signal.SIGTERM), 143, "SIGTERM", True),
        (to_parent(signal.SIGINT), 130, "SIGINT", False),
        # `timeout` and systemd signal the whole process group, and so does Ctrl-C in a terminal.
        (to_group(signal.SIGTERM), 143, "SIGTERM", False),
        (to_group(signal.SIGINT), 130, "SIGINT", False),
    ],
    ids=["sigterm", "sigint", "sigterm-to-group", "ctrl-c-to-group"],
)
def test_stop_signal_ends_ingest_and_its_workers_in_one_line(
    send: Callable[[subprocess.Popen[bytes], list[Proc]], None],
    status: int,
    name: str,
    after_first_batch: bool,
    folder: Path,
    whole: dict[str, tuple[int, ...]],
    tmp_path: Path,
) -> None:
    stopped = interrupt(folder, tmp_path, send, after_first_batch)
    assert stopped.status == status, stopped.stderr
    assert stopped.stderr.splitlines() == [
        f"briefbot: ingest stopped by {name}; no article is stored in part, run it again for the rest"
    ]
    assert_whole(stopped, whole)
    if after_first_batch:
        assert len(stopped.stored) == BATCH


def test_kill_9_leaves_no_worker_no_tracker_and_whole_articles(
    folder: Path, whole: dict[str, tuple[int, ...]], tmp_path: Path
) -> None:
    stopped = interrupt(folder, tmp_path, to_parent(signal.SIGKILL))
    assert stopped.status == -signal.SIGKILL
    # The tracker, left alone once the workers end, removes the semaphores (interrupt() saw them go)
    # and says so in a warning: nothing can run in a process killed with -9.
    assert "Traceback" not in stopped.stderr
    assert_whole(stopped, whole)
    assert len(stopped.stored) == BATCH


def test_a_killed_worker_stops_ingest_in_one_line(
    folder: Path, whole: dict[str, tuple[int, ...]], tmp_path: Path
) -> None:
    def kill_a_worker(_process: subprocess.Popen[bytes], family: list[Proc]) -> None:
        worker = next(p for p in family if "multiprocessing.spawn" in p.command)
        os.kill(worker.pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would

    stopped = interrupt(folder, tmp_path, kill_a_worker, after_first_batch=False)
    assert stopped.status == 1, stopped.stderr
    [line] = stopped.stderr.splitlines()
    assert line.startswith("error: ") and "worker process ended" in line, line
    assert_whole(stopped, whole)
