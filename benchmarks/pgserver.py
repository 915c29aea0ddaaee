"""A throwaway PostgreSQL server for the PostgreSQL benchmark, reusing the test suite's helper."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def postgres_url() -> Iterator[str | None]:
    """A URL to a fresh database on a throwaway server, or None (with the reason printed) if none can run."""
    try:
        from tests.pg import PostgresServer, find_pg_bin, unavailable_reason
    except ImportError as error:
        print(f"PostgreSQL benchmark skipped: {error}")
        yield None
        return
    reason = unavailable_reason()
    if reason is not None:
        print(f"PostgreSQL benchmark skipped: {reason}")
        yield None
        return
    server = PostgresServer(find_pg_bin())  # type: ignore[arg-type]
    try:
        server.start()
        yield server.url(server.create_database())
    finally:
        server.stop()
