"""Export and import of everything briefbot stores, a row at a time (to move SQLite -> PostgreSQL)."""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from bot.export_file import ExportWriter, Record, TransferError
from facts.db import database_reason
from facts.packing import PackedJSON, PackedText
from facts.store import packed_columns

logger = logging.getLogger(__name__)

# Rows per INSERT: large enough that each statement's overhead vanishes, small enough that a batch of
# articles (a few KB each) stays a few MB.
_BATCH = 1000

# The full-text index over sentence_terms is the database's own (an FTS5 table and its shadow tables on
# SQLite, a generated tsvector column on PostgreSQL): it is rebuilt from the rows, never copied.
_DERIVED_TABLES = ("alembic_version", "sentence_fts")

__all__ = ["TransferError", "export_to", "import_records"]


def _tables(engine: Engine) -> list[Table]:
    """The store's tables in foreign-key order, without Alembic's bookkeeping or the full-text index."""
    metadata = MetaData()
    metadata.reflect(engine)
    tables = [t for t in metadata.sorted_tables if not t.name.startswith(_DERIVED_TABLES)]
    for table in tables:
        for column in [c for c in table.columns if c.computed is not None]:
            table._columns.remove(column)  # reflected generated columns are written by the database
        _adopt_packed_types(table)
    return tables


def _adopt_packed_types(table: Table) -> None:
    """Give a reflected table the store's packed column types: SQLite holds those values deflated."""
    packed = packed_columns()
    for column in table.columns:
        kind = packed.get((table.name, column.name))
        if kind is not None:
            column.type = kind


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One connection that reads every table as of one moment, while a running bot may keep writing."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            yield conn
        return
    with engine.connect() as conn:
        # pysqlite starts no transaction for reads, so each SELECT would see the store as it is then.
        conn.exec_driver_sql("BEGIN")
        yield conn


def export_to(engine: Engine, out: BinaryIO, now: datetime | None = None) -> dict[str, int]:
    """Write every row of every briefbot table as JSON Lines, streamed; returns the rows per table."""
    writer = ExportWriter(out, now or datetime.now(UTC))
    tables = _tables(engine)
    with _snapshot(engine) as conn:
        for table in tables:
            writer.table(table.name, [c.name for c in table.columns])
            order = list(table.primary_key.columns) or list(table.columns)
            # yield_per reads PostgreSQL through a server-side cursor; SQLite's cursor steps as it is read.
            rows = conn.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
            for row in rows:
                writer.row(tuple(row))
    return writer.end()


def _converter(table: Table, name: str) -> Callable[[Any], Any]:
    """How a JSON value becomes a value of one column (a ValueError or TypeError says why it cannot)."""
    column = table.c[name]
    kind = column.type
    if isinstance(kind, PackedJSON):
        return lambda value: value
    if isinstance(kind, PackedText):
        return _expect(str, "text")
    if isinstance(kind, JSON):
        return lambda value: value
    if isinstance(kind, DateTime):
        return _instant
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Boolean):
        return _expect(bool, "true or false")
    if isinstance(kind, Integer):
        return _expect(int, "a whole number")
    if isinstance(kind, String):
        return _expect(str, "text")
    return lambda value: value


def _instant(value: Any) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _expect(kind: type, described: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        # bool is an int in Python; a true/false in a number column is a broken row all the same.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise TypeError(f"{value!r} is not {described}")
        if isinstance(value, int) and kind is int and not -(2**63) <= value < 2**63:
            raise ValueError(f"{value} is out of range")
        return value

    return check


class _TableLoader:
    """Inserts one table's rows in batches; self references are filled in once the whole table is in."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self.conn = conn
        self.table = table
        self._convert: dict[str, Callable[[Any], Any]] = {}
        self._batch: list[tuple[str, dict[str, Any]]] = []
        # A fact points at the newer fact that replaced it, which is not in yet when the older goes in.
        later = [fk.parent for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable]
        keys = list(table.primary_key.columns)
        if later and (len(keys) != 1 or not isinstance(keys[0].type, Integer)):
            raise TransferError(f"{table.name} refers to itself without a whole-number key")
        self._key = keys[0].name if later else ""
        # Two machine integers per reference, not Python objects: tables can hold millions of rows.
        self._pending = {column.name: (array("q"), array("q")) for column in later}

    def add(self, record: Record) -> None:
        """Check and queue one row; a full batch goes into the database."""
        row = {name: self._value(record.where, name, value) for name, value in record.row.items()}
        for column, (keys, values) in self._pending.items():
            if row.get(column) is not None:
                if row.get(self._key) is None:
                    raise TransferError(f"{record.where}: {self.table.name} row without its {self._key}")
                keys.append(row[self._key])
                values.append(row[column])
                row[column] = None
        self._batch.append((record.where, row))
        if len(self._batch) >= _BATCH:
            self._flush()

    def _value(self, where: str, name: str, value: Any) -> Any:
        convert = self._convert.get(name)
        if convert is None:
            if name not in self.table.c:
                raise TransferError(
                    f"{where}: the export has a column {self.table.name}.{name} this database lacks"
                )
            convert = self._convert[name] = _converter(self.table, name)
        try:
            return None if value is None else convert(value)
        except (TypeError, ValueError) as error:
            raise TransferError(f"{where}: {self.table.name}.{name}: {error}") from None

    def finish(self) -> None:
        """Insert what is queued, then set the self references."""
        self._flush()
        for column, (keys, values) in self._pending.items():
            # A pending reference means the table has its one whole-number key (checked in __init__).
            key = self.table.c[self._key]
            statement = (
                update(self.table).where(key == bindparam("_key")).values({column: bindparam("_value")})
            )
            for start in range(0, len(keys), _BATCH):
                pairs = zip(keys[start : start + _BATCH], values[start : start + _BATCH], strict=True)
                batch = [
                    (f"{self.table.name} {self._key} {k}: {column} {v}", {"_key": k, "_value": v})
                    for k, v in pairs
                ]
                self._execute(statement, batch)

    def _flush(self) -> None:
        if self._batch:
            self._execute(insert(self.table), self._batch)
            self._batch = []

    def _execute(self, statement: Any, batch: list[tuple[str, dict[str, Any]]]) -> None:
        """Run a statement for a batch; if the database refuses it, name the first row it refuses."""
        try:
            with self.conn.begin_nested():
                self.conn.execute(statement, [params for _, params in batch])
            return
        except SQLAlchemyError:
            logger.debug("a batch of %s was refused; finding the row", self.table.name)
        for where, params in batch:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(statement, params)
            except SQLAlchemyError as error:
                reason = database_reason(error)
                raise TransferError(f"{where}: {self.table.name} row refused: {reason}") from None


def _occupied(engine: Engine, tables: Iterable[Table]) -> list[str]:
    with engine.connect() as conn:
        return [t.name for t in tables if conn.execute(select(func.count()).select_from(t)).scalar_one()]


def import_records(engine: Engine, records: Iterable[Record]) -> dict[str, int]:
    """Load an export into an empty, migrated store in one transaction; returns rows per table.

    Rows go in batches as they are read, so memory does not grow with the export. A row that cannot go
    in raises a TransferError naming it, and the transaction is rolled back: nothing is half imported.
    """
    tables = {t.name: t for t in _tables(engine)}
    occupied = _occupied(engine, tables.values())
    if occupied:
        raise TransferError(
            f"the target store is not empty ({', '.join(occupied)}); import needs an empty one"
        )
    counts = dict.fromkeys(tables, 0)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # pysqlite opens its transaction at the first write; a savepoint taken before that would be
            # the outermost transaction and commit on release, so open it now.
            conn.exec_driver_sql("BEGIN")
        loader: _TableLoader | None = None
        for record in records:
            if loader is None or loader.table.name != record.table:
                if loader is not None:
                    loader.finish()
                table = tables.get(record.table)
                if table is None:
                    raise TransferError(
                        f"{record.where}: the export has a table {record.table} this database lacks"
                    )
                loader = _TableLoader(conn, table)
            loader.add(record)
            counts[record.table] += 1
        if loader is not None:
            loader.finish()
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn, tables.values())
    logger.info("imported %s", ", ".join(f"{n} {t}" for t, n in counts.items() if n))
    return counts


def _reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
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
