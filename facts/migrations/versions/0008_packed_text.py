"""Articles' text and analyses kept deflated in SQLite: the store's largest columns, a third the size.

A document's body and its analysis are read whole, a few dozen per question, and never searched by SQL,
so SQLite keeps them as zlib-deflated BLOBs (`facts.packing`). PostgreSQL compresses long values itself
(TOAST) and keeps them as they are. Rows written before this revision are deflated here, a batch at a
time; `briefbot db upgrade` then gives the freed pages back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import op

from facts.packing import pack, unpack

revision = "f0008"
down_revision = "f0007"
branch_labels = None
depends_on = None

_BATCH = 500
# (table, key column, packed column)
_PACKED = (("documents", "id", "body"), ("document_analyses", "document_id", "data"))


def _rewrite(table: str, key: str, column: str, stored_as: str, change: Callable[[Any], Any]) -> None:
    """Rewrite the values of one column held as `stored_as` (`text` or `blob`) with `change`, in batches."""
    conn = op.get_bind()
    last = -1
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT {key}, {column} FROM {table} WHERE {key} > ? AND typeof({column}) = ? "
            f"ORDER BY {key} LIMIT {_BATCH}",
            (last, stored_as),
        ).all()
        if not rows:
            return
        changed = [(change(value), row_id) for row_id, value in rows]
        conn.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", changed)
        last = rows[-1][0]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, key, column in _PACKED:
        _rewrite(table, key, column, "text", pack)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, key, column in _PACKED:
        _rewrite(table, key, column, "blob", unpack)
