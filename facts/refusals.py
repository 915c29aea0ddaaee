"""Telling a store that refuses every write (read-only, full, no permission) from one article's failure.

A read-only store fails each article the same way; reporting that once, and stopping, beats repeating
it for every file or every scheduler tick.
"""

from __future__ import annotations

import logging
import sqlite3

logger = logging.getLogger(__name__)

# SQLite's primary result codes (the low byte of an extended code such as SQLITE_READONLY_DIRECTORY).
_SQLITE_REFUSALS = frozenset(
    {
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
    }
)
# PostgreSQL's SQLSTATEs: a read-only transaction (a replica, default_transaction_read_only), no
# privilege to write, and class 53, insufficient resources (disk full, out of memory).
_POSTGRES_REFUSALS = frozenset({"25006", "42501"})
_POSTGRES_REFUSAL_CLASSES = frozenset({"53"})


class StoreRefusesWrites(Exception):
    """The store refuses every write, so nothing more can go in; the message is one line, the reason."""


def refusal_reason(error: BaseException) -> str | None:
    """The driver's one-line reason when `error` means the store refuses all writes; else None."""
    for cause in _causes(error):
        code = getattr(cause, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_REFUSALS:
            return _first_line(cause)
        state = getattr(cause, "sqlstate", None)
        if isinstance(state, str) and (state in _POSTGRES_REFUSALS or state[:2] in _POSTGRES_REFUSAL_CLASSES):
            return _first_line(cause)
    return None


def _causes(error: BaseException) -> list[BaseException]:
    """The error, the driver's error SQLAlchemy wraps (`orig`), and what each was raised from."""
    found: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        item = pending.pop()
        if item is None or any(item is seen for seen in found):
            continue
        found.append(item)
        orig = getattr(item, "orig", None)
        pending.extend([item.__cause__, orig if isinstance(orig, BaseException) else None])
    return found


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
