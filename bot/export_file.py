"""The export file: JSON Lines written and read one row at a time, and the older one-document format.

A JSON Lines export is a header line, then for each table a line naming it and its columns followed by
one JSON array per row, then an end line with the rows per table (so a file cut short is refused):

    {"format": "briefbot-export", "version": 2, "exported_at": "2025-10-21T08:00:00+00:00"}
    {"table": "documents", "columns": ["id", "title", ...]}
    [1, "Title", ...]
    {"end": {"documents": 1, ...}}

Exports written before version 2 are one JSON document, {"format", "version": 1, "tables": {name: [rows]}};
they are still read, whole, as they were written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

logger = logging.getLogger(__name__)

FORMAT = "briefbot-export"
VERSION = 2
DOCUMENT_VERSION = 1


class TransferError(ValueError):
    """An export cannot be imported here (not an export, a broken row, or the target is not empty)."""


@dataclass(frozen=True)
class Record:
    """One row of one table, and where it stands in the export (for error messages)."""

    where: str
    table: str
    row: dict[str, Any]


def _plain(value: Any) -> Any:
    """JSON for the values json does not know: instants in UTC, dates as YYYY-MM-DD."""
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; briefbot stores them in UTC.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot export a {type(value).__name__}")


def _line(item: Any) -> bytes:
    # ASCII with \u escapes: text holding U+2028 or NEL stays on its line for readers that split on them.
    return json.dumps(item, separators=(",", ":"), default=_plain).encode("ascii") + b"\n"


class ExportWriter:
    """Writes an export line by line: the header, each table's columns and rows, then the end line."""

    def __init__(self, out: BinaryIO, now: datetime) -> None:
        self.out = out
        self.counts: dict[str, int] = {}
        self._table = ""
        out.write(
            _line({"format": FORMAT, "version": VERSION, "exported_at": now.astimezone(UTC).isoformat()})
        )

    def table(self, name: str, columns: Sequence[str]) -> None:
        """Start a table: the rows written next are its rows, their values in this column order."""
        self._table = name
        self.counts[name] = 0
        self.out.write(_line({"table": name, "columns": list(columns)}))

    def row(self, values: Sequence[Any]) -> None:
        """Write one row of the current table."""
        self.out.write(_line(values))
        self.counts[self._table] += 1

    def end(self) -> dict[str, int]:
        """Write the end line; returns the rows written per table."""
        self.out.write(_line({"end": self.counts}))
        return self.counts


def read_export(stream: BinaryIO) -> Iterator[Record]:
    """The rows of an export in either format, checked as they are read (a TransferError names the line)."""
    first = stream.readline()
    if not first.strip():
        raise TransferError("the file is empty or starts with a blank line: not a briefbot export")
    try:
        head = json.loads(first)
    except ValueError:
        # An export of version 1 is one indented document, so its first line is not JSON on its own. It
        # is read whole, as it was written; from a file without first copying the first line onto it.
        if stream.seekable():
            stream.seek(0)
            first = b""
        yield from document_records(_whole_document(first + stream.read()))
        return
    if isinstance(head, dict) and "tables" in head:
        yield from document_records(head)
        return
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise TransferError(f'line 1 is not a briefbot export header (no "format": "{FORMAT}")')
    if head.get("version") != VERSION:
        raise _unsupported(head.get("version"))
    yield from _line_records(stream)


def _unsupported(version: Any) -> TransferError:
    return TransferError(
        f"export version {version!r} is not supported (expected {VERSION} or {DOCUMENT_VERSION})"
    )


def _whole_document(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError as error:
        raise TransferError(f"not a briefbot export: it is not JSON ({error})") from None


def document_records(data: Any) -> Iterator[Record]:
    """The rows of a version-1 export (one JSON document with every table), in its table order."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(f'not a briefbot export (no "format": "{FORMAT}")')
    if data.get("version") != DOCUMENT_VERSION:
        raise _unsupported(data.get("version"))
    tables = data.get("tables") or {}
    if not isinstance(tables, dict):
        raise TransferError('"tables" is not an object of tables')
    for name, rows in tables.items():
        if not isinstance(rows, list):
            raise TransferError(f"table {name} is not a list of rows")
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise TransferError(f"{name} row {index}: not an object")
            yield Record(f"{name} row {index}", name, row)


def _line_records(lines: Iterable[bytes]) -> Iterator[Record]:
    """Rows of a JSON Lines export after its header line; the end line must come and its counts match."""
    table: str | None = None
    columns: list[str] = []
    counts: dict[str, int] = {}
    ended = False
    number = 1
    for number, raw in enumerate(lines, start=2):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError as error:
            reason = (
                f"{error.msg} at column {error.colno}" if isinstance(error, json.JSONDecodeError) else error
            )
            raise TransferError(f"line {number}: not JSON ({reason})") from None
        if ended:
            raise TransferError(f"line {number}: more after the end line")
        if isinstance(item, list):
            if table is None:
                raise TransferError(f"line {number}: a row before any table line")
            if len(item) != len(columns):
                raise TransferError(
                    f"line {number}: {len(item)} values for the {len(columns)} columns of {table}"
                )
            counts[table] += 1
            yield Record(f"line {number}", table, dict(zip(columns, item, strict=True)))
        elif isinstance(item, dict) and "table" in item:
            table, columns = _table_line(item, number)
            counts.setdefault(table, 0)
        elif isinstance(item, dict) and "end" in item:
            _check_counts(item["end"], counts, number)
            ended = True
        else:
            raise TransferError(f"line {number}: neither a row, a table line nor the end line")
    if not ended:
        raise TransferError(f"the export stops at line {number} without its end line: it was cut short")


def _table_line(item: dict[str, Any], number: int) -> tuple[str, list[str]]:
    name, columns = item.get("table"), item.get("columns")
    if (
        not isinstance(name, str)
        or not isinstance(columns, list)
        or not all(isinstance(c, str) for c in columns)
    ):
        raise TransferError(
            f'line {number}: a table line needs "table" (a name) and "columns" (a list of names)'
        )
    return name, columns


def _check_counts(expected: Any, counts: dict[str, int], number: int) -> None:
    if not isinstance(expected, dict):
        raise TransferError(f'line {number}: "end" is not an object of row counts')
    wrong = sorted(
        name for name in set(expected) | set(counts) if (expected.get(name) or 0) != counts.get(name, 0)
    )
    if wrong:
        detail = ", ".join(f"{name} {counts.get(name, 0)} of {expected.get(name) or 0}" for name in wrong)
        raise TransferError(f"line {number}: the end line counts other rows than the file holds ({detail})")
