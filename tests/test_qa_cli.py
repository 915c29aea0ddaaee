"""The `briefbot ask` command: text and JSON output, stdin batches in order, --now, and a light import path."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    return database_url


def test_ask_prints_answer_and_source(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--now", "2025-09-15T12:00:00Z", "what's", "the", "tariff", "rate?"]) == 0
    out = capsys.readouterr().out
    assert "30%" in out and "10%" in out
    assert "Source: “U.S. and China resume TikTok talks" in out


def test_ask_json_contract(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["ask", "--json", "--now", "2025-11-20T12:00:00Z", "Is the TikTok deadline still ahead?"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["answered"] is True
    assert "passed 64 days ago" in data["text"]
    assert "2 months old" in data["text"]
    assert data["facts"][0]["kind"] == "deadline"
    assert set(data["sources"][0]) == {"title", "published", "url", "sentence"}


def test_ask_declines_with_answered_false(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "What is the tariff on Canadian lumber?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answered"] is False and data["facts"] == [] and data["sources"] == []
    assert data["text"].startswith("I don't have a confident answer.")
    assert data["related"] and all(
        set(r) == {"sentence", "title", "published", "url"} for r in data["related"]
    )


def test_ask_stdin_batch_keeps_order_one_object_per_line(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = [
        "Who is He Lifeng?",
        "",
        "<!channel> @everyone what did Greer say?",
        "tariff on Canadian lumber?",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "--json", "--now", "2025-09-15T12:00:00Z", "-"]) == 0
    out = capsys.readouterr().out
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["answered"] for r in rows] == [True, False, True, False]
    assert "Vice Premier" in rows[0]["text"]
    assert "part and parcel" in rows[2]["text"]
    assert "<!channel>" not in out and "@everyone" not in out


def test_ask_bad_now_is_one_line(env: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["ask", "--now", "next tuesday", "what's the tariff rate?"])
    assert "not an ISO-8601 time" in str(stop.value)


def test_qa_never_imports_bot_or_platforms() -> None:
    for path in (ROOT / "facts" / "qa").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"bot", "adapters", "slack_bolt", "slack_sdk", "discord"}, (
                    path
                )


def test_ask_path_loads_no_chat_or_scheduler_library(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "import bot.cli.ask\n"
        "from facts.store import FactStore\n"
        "from facts.qa import answer\n"
        f"store = FactStore.open({database_url!r})\n"
        "answer(store, 'what is the tariff rate?', datetime.now(UTC))\n"
        "heavy = {'slack_bolt', 'slack_sdk', 'discord', 'apscheduler', 'aiohttp'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


# What a cold `briefbot ask` leaves unloaded (each was once imported by every command, see the benchmark's
# cold start): the extractor's finders (a rate question reads none), YAML and the taxonomy (read only on a
# decline), SQLAlchemy's PostgreSQL dialect on SQLite, and the other commands' modules.
NOT_FOR_A_RATE_QUESTION = (
    "facts.extract.",
    "facts.fix_values",
    "facts.corrections",
    "facts.topics",
    "yaml",
    "sqlalchemy.dialects.postgresql",
    "bot.briefing",
    "bot.commands",
    "bot.transfer",
    "bot.feedback_set",
    "bot.ratings",
)


def test_a_cold_ask_loads_only_what_a_rate_question_needs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    # The first command seeds the store with the bundled articles (extraction and all); the one after is
    # the cold start measured: the whole `briefbot` command on a store that is already there.
    seed = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main(['topics']))"]
    subprocess.run(seed, env={"BRIEFBOT_DATABASE_URL": url}, capture_output=True, check=True, cwd=ROOT)
    code = (
        "import io, sys\n"
        "from contextlib import redirect_stdout\n"
        "from bot.cli import main\n"
        "out = io.StringIO()\n"
        "with redirect_stdout(out):\n"
        "    main(['ask', '--now', '2025-09-15T12:00:00Z', \"what's the tariff on chinese goods?\"])\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({NOT_FOR_A_RATE_QUESTION!r}))\n"
        "print(out.getvalue().splitlines()[0])\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"BRIEFBOT_DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    answer, loaded = done.stdout.splitlines()
    assert "30%" in answer  # answered, not declined: the answer path itself ran
    assert loaded == "[]"


def test_a_question_that_looks_like_an_option_is_still_a_question(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--json", "---"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answered"] is False


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00Z", "0001-01-02T00:00:00Z"])
def test_a_clock_outside_1900_2199_is_one_line(
    env: str, capsys: pytest.CaptureFixture[str], moment: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["ask", "--now", moment, "what's the tariff rate?"])
    assert str(stop.value) == f"briefbot: --now {moment!r} is outside the years 1900-2199"
