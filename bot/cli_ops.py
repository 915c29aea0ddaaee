"""`briefbot export` and `briefbot import`: the whole store as one JSON document."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.transfer import TransferError, export_data, import_data
from facts.store import FactStore

logger = logging.getLogger(__name__)


def cmd_export(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """Write every table as JSON to a file or stdout."""
    data = export_data(store.engine)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.output in (None, "-"):
        sys.stdout.write(text + "\n")
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in data["tables"].items() if rows)
        print(f"exported to {args.output}: {counts or 'nothing'}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """Load an export into this (empty) store."""
    try:
        raw = sys.stdin.read() if args.path == "-" else Path(args.path).read_text(encoding="utf-8")
        data: Any = json.loads(raw)
    except (OSError, json.JSONDecodeError) as error:
        print(f"briefbot: cannot read {args.path}: {error}", file=sys.stderr)
        return 1
    try:
        counts = import_data(store.engine, data)
    except TransferError as error:
        print(f"briefbot: import failed: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    print(f"imported into {settings.safe_database_url()}: {summary or 'nothing'}")
    return 0


def add_ops_commands(sub: Any) -> None:
    """Register `export` and `import` on the main parser."""
    export = sub.add_parser("export", help="write documents, facts, channels and subscriptions as JSON")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)
    load = sub.add_parser("import", help="load an export into an empty store (e.g. a new PostgreSQL)")
    load.add_argument("path", help="export file, or - for standard input")
    load.set_defaults(func=cmd_import)
