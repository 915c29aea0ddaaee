"""Database engines and Alembic migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

FACTS_VERSION_TABLE = "alembic_version_facts"
# The newest fact-store revision; tests/test_migrations.py checks it against Alembic's own head.
FACTS_HEAD = "f0004"


def make_engine(url: str) -> Engine:
    """An engine for a database URL; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


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
