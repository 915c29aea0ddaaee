"""Article text reaching the terminal is neutralised; in --json it is the stored text exactly (issue 17)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from adapters.console import render, terminal_safe
from bot.cli import main
from bot.cli.app import ADAPTERS
from bot.cli.clock import parse_now
from bot.cli.json_output import dumps
from bot.cli.run import run_console
from bot.config import load_settings
from bot.messages import Message
from facts.store import FactStore

NOW = "2025-09-15T12:00:00Z"
TITLE = "<!channel> @everyone <@U123> [click](https://evil.example/x)"
URL = "https://evil.example/<!here>"
ARTICLE = f"""---
title: {json.dumps(TITLE)}
published: 2025-09-15
url: {json.dumps(URL)}
---
Washington set a deadline of September 30, 2025 for <!here> @everyone to answer the steel tariffs offer.
"""
# What must never be printed as it is: each would ping, or become a masked link, if pasted into a chat.
RAW = ("<!channel>", "<!here>", "@everyone", "<@U123>", "[click](")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """A store holding one hostile article, ingested by the real command."""
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", url)
    (tmp_path / "hostile.md").write_text(ARTICLE, encoding="utf-8")
    assert main(["ingest", str(tmp_path / "hostile.md")]) == 0
    capsys.readouterr()
    return url


def assert_neutral(out: str) -> None:
    assert not [raw for raw in RAW if raw in out], out
    assert "@\u200beveryone" in out


def test_deadlines_prints_article_text_neutralised(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines", "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "September 30, 2025" in out and "click" in out
    assert_neutral(out)


def test_facts_and_ask_print_article_text_neutralised(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts"]) == 0
    assert_neutral(capsys.readouterr().out)
    assert main(["ask", "--now", NOW, "when is the steel tariffs deadline?"]) == 0
    out = capsys.readouterr().out
    assert "September 30, 2025" in out
    assert_neutral(out)


def test_deadlines_json_keeps_stored_strings_exactly(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines", "--json", "--now", NOW]) == 0
    out = capsys.readouterr().out
    [row] = json.loads(out)
    assert row["source"]["title"] == TITLE and row["source"]["url"] == URL
    assert "<!here> @everyone" in row["source"]["sentence"]
    assert not [raw for raw in RAW if raw in out]  # the raw lines, pasted anywhere, ping no one


def test_ask_json_keeps_the_stored_url_byte_for_byte(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--now", NOW, "when is the steel tariffs deadline?"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["answered"] is True
    assert data["sources"][0]["url"] == URL and data["sources"][0]["title"] == TITLE
    assert data["facts"][0]["source"]["url"] == URL and data["facts"][0]["source"]["title"] == TITLE
    assert TITLE in data["text"]
    assert not [raw for raw in RAW if raw in out]


def test_terminal_chat_deadlines_is_neutralised(env: str) -> None:
    store = FactStore.open(env)
    out = io.StringIO()
    moment = parse_now(NOW)
    try:
        code = asyncio.run(
            run_console(store, load_settings(), lambda: moment, ADAPTERS, io.StringIO("deadlines\n"), out)
        )
    finally:
        store.close()
    assert code == 0
    text = out.getvalue()
    assert "September 30" in text and "click" in text
    assert_neutral(text)


def test_terminal_text_shows_control_characters_instead_of_obeying_them() -> None:
    hostile = "a\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b[2J\rb\u202ec\x9bd\nnext\tline"
    safe = terminal_safe(hostile)
    assert not any(ch in safe for ch in "\x1b\x07\r\u202e\x9b")
    assert "\\x1b]8;;https://evil.example\\x07" in safe and "\\u202e" in safe and "\\x9b" in safe
    assert "\nnext\tline" in safe  # layout the bot itself uses stays
    assert render(Message(text=hostile)) == safe


def test_json_for_the_terminal_parses_back_to_the_exact_strings() -> None:
    value = {"title": TITLE, "url": URL, "odd": "\x1b[31m\u202e\x85 \u2028 ]( [1]", "n": [1, [2]]}
    for indent in (None, 1):
        text = dumps(value, indent=indent)
        assert json.loads(text) == value
        assert not [raw for raw in (*RAW, "\x1b", "\u202e", "\x85", "\u2028") if raw in text]
