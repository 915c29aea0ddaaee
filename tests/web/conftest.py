"""A real HTTP server on loopback for the web tests, the realistic pages it serves, and silent servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from facts.web.fetch import forget_robots

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "web"


def page(name: str) -> bytes:
    """A fixture page's bytes."""
    return (PAGES / name).read_bytes()


@pytest.fixture(scope="module")
def _server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def web(_server: HTTPServer) -> Iterator[HTTPServer]:
    """The loopback server, without handlers, robots.txt answered 404; robots rules read anew."""
    forget_robots()
    _server.clear()
    _server.expect_request("/robots.txt").respond_with_data("not here", status=404)
    yield _server
    _server.clear()
    forget_robots()


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let fetches reach the loopback test server, as an intranet setting would."""
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "127.0.0.1")


class SilentServer:
    """A TCP server that accepts connections and then sends `prefix` (maybe nothing) and never more."""

    def __init__(self, prefix: bytes = b"") -> None:
        self.prefix = prefix
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)
            if self.prefix:
                conn.sendall(self.prefix)

    def url(self, path: str = "/") -> str:
        """The URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        """Stop accepting and drop every connection."""
        self.stopped.set()
        self.thread.join()
        for conn in self.connections:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    """A server that never answers."""
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def stalling() -> Iterator[SilentServer]:
    """A server that sends headers and the start of a page, then nothing more."""
    server = SilentServer(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><body><p>Start"
    )
    yield server
    server.close()
