"""Database engines and Alembic migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

logger = logging.getLogger(__name__)

FACTS_VERSION_TABLE = "alembic_version_facts"
# The newest fact-store revision; tests/test_migrations.py checks it against Alembic's own head.
FACTS_HEAD = "f0008"


def compact_json(value: object) -> str:
    """JSON without the spaces after separators: stored analyses and attributes are a tenth smaller."""
    return json.dumps(value, separators=(",", ":"))


def database_reason(error: SQLAlchemyError) -> str:
    """The database's own words for a refused statement, on one line, without the SQL."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    return " ".join(part.strip() for part in str(cause).splitlines() if part.strip()).split(" [SQL:")[0]


def make_engine(url: str) -> Engine:
    """An engine for a database URL; SQLite gets WAL, foreign keys and a busy timeout.

    Database errors leave out the statement's values: those are article text and chat messages,
    which must not reach the logs (a read-only store would otherwise log each article's body).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 30}, hide_parameters=True, json_serializer=compact_json
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, json_serializer=compact_json)


def at_revision(engine: Engine, version_table: str, head: str) -> bool:
    """True when a version table already records `head` (a cheap check before loading Alembic)."""
    try:
        with engine.connect() as connection:
            versions = connection.execute(text(f"SELECT version_num FROM {version_table}")).scalars().all()
    except Exception:  # noqa: BLE001 - a missing table or database simply means "not yet migrated"
        return False
    return versions == [head]


def upgrade(
    engine: Engine, package: str, version_table: str, head: str | None = None, target: str = "head"
) -> None:
    """Apply a package's Alembic migrations (its `migrations/versions/` folder) up to `target`."""
    if head is not None and at_revision(engine, version_table, head):
        # Alembic's import and script scan cost more than a cold `briefbot ask` should spend.
        return
    with migration_lock(engine):
        # Another process may have migrated while this one waited for the lock.
        if head is not None and at_revision(engine, version_table, head):
            return
        _upgrade(engine, package, version_table, target)


# One number for briefbot's migrations among PostgreSQL's advisory locks ("briefbot" in ASCII, truncated).
_ADVISORY_KEY = 0x62726965666270


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the store's migration lock: one process migrates while the others wait, then all go on.

    SQLite: an exclusive lock on a file beside the database; PostgreSQL: a session advisory lock.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({_ADVISORY_KEY})")
            try:
                yield
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_ADVISORY_KEY})")
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    import fcntl  # Unix; briefbot runs on Linux and in its container

    with open(f"{database}.migrate-lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _upgrade(engine: Engine, package: str, version_table: str, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    # Every package's migrations run through the one env.py in facts/migrations, each with its own
    # version table, so facts/ never needs to know the tables of the packages above it.
    config.set_main_option("script_location", str(resources.files("facts").joinpath("migrations")))
    config.set_main_option("version_table", version_table)
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "version_locations", str(resources.files(package).joinpath("migrations", "versions"))
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def upgrade_facts(engine: Engine) -> None:
    """Apply the fact store's migrations."""
    upgrade(engine, "facts", FACTS_VERSION_TABLE, FACTS_HEAD)
