"""Column types that keep long text and JSON deflated in SQLite, and plain where the database compresses."""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlalchemy import JSON, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from facts.db import compact_json

# zlib's default level: on generated articles level 9 came out the same size (2,000 bodies: 2.88 MB).
_LEVEL = 6


def pack(text: str) -> bytes:
    """Text deflated, as a packed column keeps it in SQLite."""
    return zlib.compress(text.encode("utf-8"), _LEVEL)


def unpack(stored: bytes | str) -> str:
    """The text of a packed value; a plain text value (written before packing) is returned as it is."""
    if isinstance(stored, str):
        return stored
    return zlib.decompress(stored).decode("utf-8")


def _sqlite(dialect: Dialect) -> bool:
    return dialect.name == "sqlite"


class PackedText(TypeDecorator[str]):
    """Text stored deflated in SQLite (a BLOB in a TEXT column); PostgreSQL's TOAST compresses on its own.

    A row written before packing reads as it was, so a store works before its migration has run.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        """Deflate on SQLite; pass through elsewhere."""
        if value is None or not _sqlite(dialect):
            return value
        return pack(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        """Inflate what SQLite holds deflated."""
        if value is None or not _sqlite(dialect):
            return value  # type: ignore[no-any-return]
        return unpack(value)


class PackedJSON(TypeDecorator[Any]):
    """JSON stored as deflated compact text in SQLite, as a JSON column elsewhere."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """A plain TEXT column on SQLite: the encoding to and from JSON is done here."""
        return dialect.type_descriptor(Text() if _sqlite(dialect) else JSON())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Encode and deflate on SQLite; pass through elsewhere (the JSON type encodes)."""
        if value is None or not _sqlite(dialect):
            return value
        return pack(compact_json(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """Inflate and decode what SQLite holds."""
        if value is None or not _sqlite(dialect):
            return value
        return json.loads(unpack(value))
