"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temp cluster on a loopback port."""

from __future__ import annotations

import itertools
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

logger = logging.getLogger(__name__)

# .ci/run sets this: there, a PostgreSQL test that cannot run is a failure, never a skip.
REQUIRE_POSTGRES = os.environ.get("BRIEFBOT_REQUIRE_POSTGRES", "") not in ("", "0")
SERVER_USER = "postgres"
_names = itertools.count(1)


def find_pg_bin() -> Path | None:
    """The newest Debian PostgreSQL bin folder holding initdb, pg_ctl and postgres, or None."""

    def version(path: Path) -> float:
        try:
            return float(path.parent.name)
        except ValueError:
            return 0.0

    candidates = [
        p
        for p in Path("/usr/lib/postgresql").glob("*/bin")
        if all((p / tool).exists() for tool in ("initdb", "pg_ctl", "postgres"))
    ]
    extra = os.environ.get("BRIEFBOT_PG_BIN")
    if extra and (Path(extra) / "initdb").exists():
        return Path(extra)
    return max(candidates, key=version) if candidates else None


def unavailable_reason() -> str | None:
    """Why no PostgreSQL server can start here, or None when one can."""
    if find_pg_bin() is None:
        return "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and no {SERVER_USER!r} system user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a temp folder, serving 127.0.0.1 on a free port; superuser `postgres`."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._as_root = os.geteuid() == 0
        if self._as_root:
            # initdb refuses to run as root: the cluster belongs to the postgres system user.
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self._as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    def start(self) -> None:
        """Create the cluster and start the server, waiting until it accepts connections."""
        done = self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between probing and binding it
            self.port = _free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
            )
            started = self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
                timeout=90,
            )
            if started.returncode == 0:
                logger.info("PostgreSQL test server on 127.0.0.1:%s (%s)", self.port, self.root)
                return
            last_error = started.stderr.strip() or started.stdout.strip()
        log = (self.root / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"pg_ctl start failed: {last_error}\n{log}")

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        if self.data.exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        """A SQLAlchemy URL to one database on this server."""
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        """An autocommit superuser connection to the maintenance database."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        """Create an empty database with a fresh name; returns its name."""
        name = f"t_{os.getpid()}_{next(_names)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open to it."""
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, started on first use and stopped at the end."""
    reason = unavailable_reason()
    if reason is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here (BRIEFBOT_REQUIRE_POSTGRES) but: {reason}")
        pytest.skip(reason)
    server = PostgresServer(find_pg_bin())  # type: ignore[arg-type]
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """A SQLAlchemy URL to a fresh, empty PostgreSQL database, dropped after the test."""
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)
