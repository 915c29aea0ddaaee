"""A store that refuses writes: one line per `ingest` run and per run of failing scheduler ticks,
never a line per article or per tick, and never article text in the logs."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from adapters.recording import RecordingSender
from benchmarks.generator import write as write_articles
from bot.core import BriefBot
from bot.messages import ANSWER_ID, Incoming
from bot.repeats import RepeatedFailure
from bot.schedule import Scheduler
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document
from facts.pipeline import POOL_FROM
from facts.store import FactStore
from tests.botkit import Clock, at
from tests.conftest import BUNDLED
from tests.pg import PostgresServer

BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))


def body_lines(paths: list[Path]) -> list[str]:
    """The articles' text lines long enough to be recognised in a log."""
    return [line for p in paths for line in p.read_text(encoding="utf-8").splitlines()[5:] if len(line) > 40]


@pytest.fixture
def read_only_url(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated store holding the bundled article, then made read-only; yields a URL to open it."""
    store = FactStore.open(database_url)
    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), date(2025, 9, 15)))
    store.close()
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "postgresql":
        server: PostgresServer = request.getfixturevalue("pg_server")
        with server.admin() as admin:
            admin.execute(f'ALTER DATABASE "{parsed.database}" SET default_transaction_read_only = on')
        yield database_url
        return
    path = Path(str(parsed.database))
    # A reader keeps the WAL's side files in place: without them SQLite cannot open a read-only
    # directory's WAL database at all, and the writes this test is about would never be tried.
    reader = sqlite3.connect(path)
    reader.execute("SELECT count(*) FROM documents").fetchall()
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        # Root writes to read-only files all the same: open it in SQLite's read-only mode, the mode SQLite
        # falls back to by itself when the file is not writable.
        yield f"sqlite:///file:{path}?mode=ro&uri=true" if os.access(path, os.W_OK) else database_url
    finally:
        path.parent.chmod(0o755)
        path.chmod(0o644)
        reader.close()


@pytest.mark.parametrize("count", [1, POOL_FROM + 4], ids=["one-article", "worker-pool"])
def test_ingest_into_a_read_only_store_says_so_once(count: int, read_only_url: str, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "articles", count)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env["BRIEFBOT_DATABASE_URL"] = read_only_url
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    done = subprocess.run(
        [BRIEFBOT, "ingest", str(tmp_path / "articles")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("briefbot: the store (") and "refuses writes" in line, line
    assert "Traceback" not in done.stderr
    assert not [text for text in body_lines(paths) if text[:40] in done.stderr]
    store = FactStore.open(read_only_url)
    try:
        assert len(store.documents()) == 1
    finally:
        store.close()


async def test_scheduler_ticks_on_a_read_only_store_log_one_line(
    read_only_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = FactStore.open(read_only_url)
    clock = Clock(at("2025-09-16 09:00"))
    scheduler = Scheduler(store, {"test": RecordingSender()}, clock)
    caplog.set_level(logging.INFO)
    try:
        for minute in range(5):
            clock.set(at("2025-09-16 09:00") + timedelta(minutes=minute))
            await scheduler.tick_logged()
    finally:
        store.close()
    reported = [r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith("bot.")]
    assert len(reported) == 1, caplog.text
    assert reported[0].levelno == logging.ERROR and reported[0].exc_info is None
    assert "scheduler tick failed: the store refuses writes" in reported[0].getMessage()
    assert "Traceback" not in caplog.text
    assert not [text for text in body_lines([BUNDLED]) if text[:40] in caplog.text]


def refused_write(tmp_path: Path) -> sqlite3.OperationalError:
    """A real 'attempt to write a readonly database' from SQLite."""
    path = tmp_path / "refusing.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as error:
        return error
    finally:
        conn.close()
    raise AssertionError("a read-only connection wrote")


def test_a_repeated_failure_is_logged_again_when_it_changes_or_ends(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("tests.repeats")
    failures = RepeatedFailure("job", log)
    caplog.set_level(logging.DEBUG, logger="tests.repeats")
    refused = refused_write(tmp_path)
    for _ in range(3):
        failures.failed(refused)
    failures.failed(KeyError("lost"))
    failures.failed(KeyError("lost"))
    failures.succeeded()
    failures.succeeded()
    failures.failed(refused)
    shown = [(r.levelname, r.exc_info is not None, r.getMessage().split(";")[0]) for r in caplog.records]
    assert [s for s in shown if s[0] != "DEBUG"] == [
        ("ERROR", False, "job failed: the store refuses writes (attempt to write a readonly database)"),
        ("ERROR", True, "job failed"),
        ("INFO", False, "job works again"),
        ("ERROR", False, "job failed: the store refuses writes (attempt to write a readonly database)"),
    ]
    assert [s[0] for s in shown].count("DEBUG") == 3


def test_a_question_in_chat_on_a_read_only_store_is_answered_without_buttons(read_only_url: str) -> None:
    store = FactStore.open(read_only_url, migrate=False)
    try:
        core = BriefBot(store, Clock(at("2025-09-15 12:00")))
        [reply] = core.handle_sync(Incoming("slack", "C1", "U1", "what's the tariff on chinese goods?"))
    finally:
        store.close()
    assert "30%" in "\n".join(reply.lines)
    assert ANSWER_ID not in reply.extra  # the answer could not be logged, so it cannot be rated
