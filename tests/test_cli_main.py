"""`briefbot`'s main(): configuration errors found while a command runs, and commands that need no store."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import default_database_path

APP_ID = "1100000000000000001"
TOKEN = "xoxb-refused-0000-secret"


class RefusingSlack(BaseHTTPRequestHandler):
    """Slack's Web API for a revoked token: every method answers ok=false, invalid_auth."""

    def do_POST(self) -> None:  # the http.server hook's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": False, "error": "invalid_auth"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # the base class's name
        pass


@pytest.fixture
def refusing_slack() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RefusingSlack)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_slack_refusing_the_token_at_run_is_one_line_and_exit_2(
    refusing_slack: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("BRIEFBOT_HTTP_PORT", "0")
    monkeypatch.setenv("BRIEFBOT_SLACK_API_URL", refusing_slack)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and TOKEN not in err
    errors = [line for line in err.splitlines() if line.startswith("briefbot:")]
    assert errors == ["briefbot: configuration error: SLACK_BOT_TOKEN: Slack refused it (invalid_auth)"]


def test_discord_invite_does_not_create_the_default_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord-invite", "--client-id", APP_ID]) == 0
    out, err = capsys.readouterr()
    assert f"client_id={APP_ID}" in out
    assert not default_database_path().exists() and "creating the embedded store" not in err


def test_discord_invite_does_not_open_a_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An unreachable database would fail any command that opens the store; this one must not care.
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", "postgresql+psycopg://briefbot:pw@127.0.0.1:1/nowhere")
    assert main(["discord-invite", "--client-id", APP_ID]) == 0
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    assert main(["discord-invite", "--client-id", APP_ID]) == 0
    assert not (tmp_path / "store.db").exists()


def test_commands_that_read_the_store_still_open_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    assert main(["topics"]) == 0
    assert (tmp_path / "store.db").exists() and "tariffs" in capsys.readouterr().out
