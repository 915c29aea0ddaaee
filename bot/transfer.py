"""Export and import of everything briefbot stores as one JSON document (to move SQLite -> PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    MetaData,
    Table,
    func,
    insert,
    select,
    text,
    update,
)

logger = logging.getLogger(__name__)

FORMAT = "briefbot-export"
VERSION = 1
_CHUNK = 1000


class TransferError(ValueError):
    """An export cannot be imported here (wrong format, or the target is not empty)."""


# The full-text index over sentence_terms is the database's own (an FTS5 table and its shadow tables on
# SQLite, a generated tsvector column on PostgreSQL): it is rebuilt from the rows, never copied.
_DERIVED_TABLES = ("alembic_version", "sentence_fts")


def _tables(engine: Engine) -> list[Table]:
    """The store's tables in foreign-key order, without Alembic's bookkeeping or the full-text index."""
    metadata = MetaData()
    metadata.reflect(engine)
    tables = [t for t in metadata.sorted_tables if not t.name.startswith(_DERIVED_TABLES)]
    for table in tables:
        for column in [c for c in table.columns if c.computed is not None]:
            table._columns.remove(column)  # noqa: SLF001 - reflected generated columns are written by the database
    return tables


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        column = table.c.get(name)
        if column is None:
            raise TransferError(f"the export has a column {table.name}.{name} this database does not")
        kind = column.type
        if value is None or isinstance(kind, JSON):
            out[name] = value
        elif isinstance(kind, DateTime):
            out[name] = datetime.fromisoformat(value)
        elif isinstance(kind, Date):
            out[name] = date.fromisoformat(value)
        elif isinstance(kind, Boolean):
            out[name] = bool(value)
        else:
            out[name] = value
    return out


def export_data(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    """Every row of every briefbot table (documents, facts, topics, channels, subscriptions, ledger...)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in _tables(engine):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings()
            tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(),
        "tables": tables,
    }


def _self_references(table: Table) -> list[str]:
    """Columns of a table that point at the table itself (inserted empty, then filled in)."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable]


def _is_empty(engine: Engine, tables: Iterable[Table]) -> list[str]:
    with engine.connect() as conn:
        return [t.name for t in tables if conn.execute(select(func.count()).select_from(t)).scalar_one()]


def import_data(engine: Engine, data: dict[str, Any]) -> dict[str, int]:
    """Load an export into an empty, migrated store in one transaction; returns rows per table."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError('not a briefbot export (no "format": "briefbot-export")')
    if data.get("version") != VERSION:
        raise TransferError(f"export version {data.get('version')!r} is not supported (expected {VERSION})")
    given: dict[str, list[dict[str, Any]]] = data.get("tables") or {}
    tables = _tables(engine)
    known = {t.name for t in tables}
    unknown = sorted(set(given) - known)
    if unknown:
        raise TransferError(f"the export has tables this database does not: {', '.join(unknown)}")
    occupied = _is_empty(engine, tables)
    if occupied:
        raise TransferError(
            f"the target store is not empty ({', '.join(occupied)}); import needs an empty one"
        )
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in tables:
            rows = [_decode(table, row) for row in given.get(table.name, [])]
            counts[table.name] = len(rows)
            if not rows:
                continue
            later = _self_references(table)
            first = [{**row, **dict.fromkeys(later, None)} for row in rows] if later else rows
            for start in range(0, len(first), _CHUNK):
                conn.execute(insert(table), first[start : start + _CHUNK])
            (pk,) = table.primary_key.columns if len(table.primary_key.columns) == 1 else (None,)
            for column in later:
                assert pk is not None, f"{table.name}: self reference without a single-column key"
                for row in rows:
                    if row.get(column) is not None:
                        conn.execute(update(table).where(pk == row[pk.name]).values({column: row[column]}))
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn, tables)
    logger.info("imported %s", ", ".join(f"{n} {t}" for t, n in counts.items() if n))
    return counts


def _reset_sequences(conn: Any, tables: Iterable[Table]) -> None:
    """Move PostgreSQL's id sequences past the imported ids, so new rows do not collide."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("select pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                conn.execute(
                    text(
                        f'select setval(:s, coalesce((select max("{column.name}")'
                        f' from "{table.name}"), 0) + 1, false)'
                    ),
                    {"s": sequence},
                )
