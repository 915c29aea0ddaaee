"""`briefbot db`, `export` and `import`: the store's upkeep, and the whole store as JSON Lines."""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import BinaryIO

from bot.cli.ports import Adapters
from bot.config import Settings
from facts.store import FactStore

logger = logging.getLogger(__name__)

# The transfer is imported by the commands that use it: every command's parser is built at start, and a
# cold `briefbot ask` must not pay for it.


def cmd_db(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Database maintenance: the migrations ran when the store opened; analyses and the search index anew."""
    analysed = store.complete_analyses()
    indexed = store.rebuild_search_index()
    freed = store.compact()
    docs, n_facts = store.count()
    note = f"; worked out {analysed} article analyses" if analysed else ""
    note += f"; search index rebuilt ({indexed} sentences)"
    if freed:
        note += f"; {freed / 1e6:.0f} MB given back to the disk"
    print(f"database is up to date ({docs} documents, {n_facts} facts{note})")
    return 0


def cmd_export(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Write every table as JSON Lines to a file or stdout, one row at a time."""
    from bot.transfer import export_to

    to_stdout = args.output in (None, "-")
    try:
        if to_stdout:
            sys.stdout.flush()
            export_to(store.engine, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return 0
        with open(args.output, "wb") as out:
            counts = export_to(store.engine, out)
    except OSError as error:
        print(f"briefbot: cannot write {args.output or 'standard output'}: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    print(f"exported to {args.output}: {summary or 'nothing'}", file=sys.stderr)
    return 0


def _input(path: str) -> AbstractContextManager[BinaryIO]:
    return nullcontext(sys.stdin.buffer) if path == "-" else open(path, "rb")  # a context manager either way


def cmd_import(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Load an export (JSON Lines, or the older one-document format) into this empty store."""
    from bot.export_file import read_export
    from bot.transfer import TransferError, import_records

    try:
        with _input(args.path) as stream:
            counts = import_records(store.engine, read_export(stream))
    except OSError as error:
        print(f"briefbot: cannot read {args.path}: {error}; nothing was imported", file=sys.stderr)
        return 1
    except TransferError as error:
        print(f"briefbot: import failed: {error}; nothing was imported", file=sys.stderr)
        return 1
    store.settle_after_bulk_ingest()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    print(f"imported into {settings.safe_database_url()}: {summary or 'nothing'}")
    return 0


def add_db(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot db upgrade`."""
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(func=cmd_db)


def add_export_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `export` and `import` on the main parser."""
    export = sub.add_parser("export", help="write documents, facts, channels and subscriptions as JSON Lines")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)
    load = sub.add_parser("import", help="load an export into an empty store (e.g. a new PostgreSQL)")
    load.add_argument(
        "path", help="export file (JSON Lines, or an older one-document export), or - for stdin"
    )
    load.set_defaults(func=cmd_import)
