"""The migration heads the start-up shortcut trusts are Alembic's real heads, and upgrades are idempotent."""

from __future__ import annotations

from importlib import resources

from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.state import BOT_HEAD, BOT_VERSION_TABLE, upgrade_bot_tables
from facts.db import FACTS_HEAD, FACTS_VERSION_TABLE, at_revision
from facts.store import FactStore


def alembic_head(package: str) -> str:
    script = ScriptDirectory(
        str(resources.files("facts").joinpath("migrations")),
        version_locations=[str(resources.files(package).joinpath("migrations", "versions"))],
    )
    [head] = script.get_heads()
    return head


def test_recorded_heads_are_alembic_heads() -> None:
    assert alembic_head("facts") == FACTS_HEAD
    assert alembic_head("bot") == BOT_HEAD


def test_fresh_database_is_migrated_and_second_open_is_a_no_op(database_url: str) -> None:
    store = FactStore.open(database_url)
    try:
        assert not at_revision(store.engine, BOT_VERSION_TABLE, BOT_HEAD)
        upgrade_bot_tables(store.engine)
        assert at_revision(store.engine, FACTS_VERSION_TABLE, FACTS_HEAD)
        assert at_revision(store.engine, BOT_VERSION_TABLE, BOT_HEAD)
        tables = set(inspect(store.engine).get_table_names())
        assert {"documents", "facts", "sentence_terms", "term_counts", "channels", "deliveries"} <= tables
        upgrade_bot_tables(store.engine)
        FactStore.open(database_url).close()
    finally:
        store.close()
