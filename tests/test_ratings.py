"""Ratings: the answer log and votes (SQLite and PostgreSQL), `rate` in the terminal, `briefbot feedback`."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from adapters.recording import RecordingChat
from bot import feedback_set, ratings
from bot.cli import main
from bot.commands import HELP, Command, parse
from bot.core import BriefBot
from bot.messages import Vote, answer_id_of
from bot.state import upgrade_bot_tables
from facts.ingest import Overrides, ingest_document, read_document
from facts.store import FactStore
from tests.botkit import Clock
from tests.conftest import BUNDLED
from tests.qa_eval import articles_for, evaluate, load_questions, load_store

BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))
NOON = datetime(2025, 9, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def core(store: FactStore) -> BriefBot:
    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), NOON.date()))
    return BriefBot(store, Clock(NOON))


def votes(core: BriefBot) -> list[tuple[int, str, str, str | None]]:
    return [(r.answer.id, r.user, r.vote, r.correction) for r in ratings.all_ratings(core.store.engine)]


# -- the answer log and votes, on every database ---------------------------------------------------------


async def test_every_answer_is_logged_and_a_vote_is_kept_once_per_person(core: BriefBot) -> None:
    chat = RecordingChat(core, channel="C1", platform="slack", user="U1")
    await chat.ask("what's the tariff rate?")
    (message,) = chat.last
    answer_id = answer_id_of(message)
    assert answer_id is not None
    logged = ratings.find_answer(core.store.engine, answer_id)
    assert logged is not None
    assert (logged.platform, logged.channel, logged.user, logged.asked_at) == ("slack", "C1", "U1", NOON)
    assert logged.question == "what's the tariff rate?" and logged.answer == message.text and logged.answered
    facts = core.store.get(logged.fact_ids)
    assert {f.value for f in facts} >= {"30%", "10%"}
    assert [s["title"] for s in logged.sources] == [facts[0].source.title if facts[0].source else None]

    def vote(user: str, which: str, correction: str | None = None) -> str:
        return ratings.record_vote(
            core.store.engine, Vote("slack", "C1", user, answer_id, which, correction), NOON
        )

    assert vote("U1", "up") == ratings.RECORDED
    assert vote("U1", "up") == ratings.SAME
    assert vote("U1", "down", "  25%   since October ") == ratings.CHANGED
    assert vote("U2", "up") == ratings.RECORDED
    assert sorted(votes(core)) == [
        (answer_id, "U1", "down", "25% since October"),
        (answer_id, "U2", "up", None),
    ]
    assert vote("U1", "down") == ratings.SAME  # a 👎 without text keeps the text given before
    assert vote("U1", "up") == ratings.CHANGED  # a 👍 drops it
    assert sorted(votes(core)) == [(answer_id, "U1", "up", None), (answer_id, "U2", "up", None)]


async def test_a_vote_on_an_unknown_answer_or_from_another_platform_changes_nothing(core: BriefBot) -> None:
    chat = RecordingChat(core, channel="C1", platform="slack", user="U1")
    await chat.ask("what's the tariff rate?")
    answer_id = answer_id_of(chat.last[0])
    assert answer_id is not None
    for vote in (
        Vote("slack", "C1", "U1", answer_id + 1000, "up"),
        Vote("discord", "C1", "U1", answer_id, "up"),
    ):
        reply = await core.rate(vote)
        assert reply.kind == "error" and reply.ephemeral and "\n" not in reply.text
    with pytest.raises(ValueError, match="up or down"):
        ratings.record_vote(core.store.engine, Vote("slack", "C1", "U1", answer_id, "sideways"), NOON)
    assert votes(core) == []
    assert (await core.rate(Vote("slack", "C1", "U1", answer_id, "up"))).text == "Thanks, noted."


async def test_the_question_set_holds_the_articles_cited_or_offered_as_stored(
    core: BriefBot, tmp_path: Path
) -> None:
    chat = RecordingChat(core, channel="C1", platform="slack", user="U1")
    await chat.ask("what is the tariff on Canadian lumber?")  # declined, with the closest passages
    declined = answer_id_of(chat.last[0])
    assert declined is not None and chat.last[0].kind == "decline"
    logged = ratings.find_answer(core.store.engine, declined)
    assert logged is not None and logged.sources and logged.sources[0]["document_id"] is None
    await core.rate(Vote("slack", "C1", "U1", declined, "up"))
    built = feedback_set.build(core.store, ratings.all_ratings(core.store.engine))
    assert built.questions == [
        {"id": f"fb{declined}", "now": "2025-09-15T12:00:00Z", "q": logged.question, "expect": "abstain"}
    ]
    (stored,) = core.store.documents()
    assert built.document_ids == [stored.id]  # found by its title, date and URL
    feedback_set.write(core.store, built, tmp_path / "set")
    (article,) = [p for p in (tmp_path / "set").iterdir() if p.suffix == ".md"]
    again = read_document(article, Overrides(), date(2030, 1, 1))
    (body,) = core.store.documents_with_bodies([stored.id])
    assert (again.title, again.published, again.body) == (stored.title, stored.published, body.body)


# -- the words in every chat -----------------------------------------------------------------------------


def test_rate_is_a_command_only_with_a_vote() -> None:
    assert parse("rate up") == Command("rate", ("up",))
    assert parse("rate 👎 it is 25% now") == Command("rate", ("down", "it is 25% now"))
    assert parse("Rate DOWN") == Command("rate", ("down",))
    assert parse("rate down " + "x" * 900).args[1] == "x" * 500  # read like a question: 500 characters
    assert parse("rate on Chinese goods?").name == "ask"
    assert parse("rate tariffs").name == "ask"
    assert any(line.startswith("rate up | rate down") for line in HELP)


async def test_rate_in_a_chat_rates_the_last_answer_there(core: BriefBot) -> None:
    here = RecordingChat(core, channel="console", platform="console", user="ana")
    elsewhere = RecordingChat(core, channel="other", platform="console", user="ana")
    assert "no answer in this channel" in await here.ask("rate up")
    await here.ask("what's the tariff rate?")
    first = answer_id_of(here.last[0])
    await here.ask("who is Scott Bessent?")
    second = answer_id_of(here.last[0])
    await elsewhere.ask("where did the talks resume?")
    thanks = await here.ask("rate down it should say 25%")
    assert votes(core) == [(second, "ana", "down", "it should say 25%")]
    # A 👎 is a report: the thanks name it as a fix can (`fix r<rating id> …`).
    [rating] = ratings.all_ratings(core.store.engine)
    assert thanks == f"Thanks, noted. An editor can correct it with `fix r{rating.id} <right value>`."
    assert first != second


# -- the terminal, `briefbot feedback` and the question set ----------------------------------------------


def briefbot(args: list[str], db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env["BRIEFBOT_DATABASE_URL"] = f"sqlite:///{db}"
    env["XDG_DATA_HOME"] = str(db.parent / "xdg")
    return subprocess.run(
        [BRIEFBOT, *args], input=stdin, capture_output=True, text=True, env=env, cwd=db.parent, timeout=120
    )


@pytest.fixture(scope="module")
def rated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store where four questions were asked in the terminal and rated 👎 with text, 👍, 👎 and 👍."""
    db = tmp_path_factory.mktemp("rated") / "store.db"
    script = (
        "what's the tariff rate?\nrate down 25% since October 1\n"
        "who is Scott Bessent?\nrate up\n"
        "where did the talks resume?\nrate down\n"
        "when is the TikTok deadline?\nrate up\n"
    )
    done = briefbot(["run", "--now", "2025-09-15T12:00:00Z"], db, script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Thanks, noted.") == 4
    return db


def test_feedback_json_lists_every_rating(rated_db: Path) -> None:
    done = briefbot(["feedback", "--json"], rated_db)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["question"], r["vote"], r["correction"]) for r in rows] == [
        ("what's the tariff rate?", "down", "25% since October 1"),
        ("who is Scott Bessent?", "up", None),
        ("where did the talks resume?", "down", None),
        ("when is the TikTok deadline?", "up", None),
    ]
    first = rows[0]
    assert (
        first["who"] == getpass.getuser() and first["platform"] == "console" and first["channel"] == "console"
    )
    # The terminal's clock started at --now and runs on: the rating is a moment after it.
    when = datetime.fromisoformat(first["when"].replace("Z", "+00:00"))
    assert first["when"].endswith("Z") and timedelta(0) <= when - NOON < timedelta(minutes=5)
    assert first["answer"].startswith("U.S. duties on Chinese goods: 30%") and first["answered"] is True
    assert first["facts"] and first["sources"][0]["published"] == "2025-09-15"
    assert {"id", "answer_id", "asked_at", "asked_by"} <= set(first)


def test_feedback_lists_ratings_as_lines(rated_db: Path) -> None:
    done = briefbot(["feedback"], rated_db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4
    assert (
        "👎 down" in lines[0]
        and "“what's the tariff rate?”" in lines[0]
        and "25% since October 1" in lines[0]
    )
    assert "👍 up" in lines[1] and lines[1].startswith("2025-09-15 12:")


def test_feedback_exports_a_question_set_the_evaluation_reads(
    rated_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{rated_db}")
    folder = tmp_path / "feedback-set"
    assert main(["feedback", "--questions", str(folder)]) == 0
    assert "3 questions, 1 to label, 1 article" in capsys.readouterr().out

    path = folder / "questions.yaml"
    questions, corpus = load_questions(path)
    by_q = {q.q: q for q in questions}
    assert set(by_q) == {"what's the tariff rate?", "who is Scott Bessent?", "when is the TikTok deadline?"}
    assert by_q["what's the tariff rate?"].must == (("25% since October 1",),)
    assert by_q["who is Scott Bessent?"].expect == "answer" and by_q["who is Scott Bessent?"].must
    assert by_q["who is Scott Bessent?"].now.date() == date(2025, 9, 15)
    # A liked answer is right when it says what it said: a date as the answer words it.
    assert by_q["when is the TikTok deadline?"].must == (("September 17, 2025",),)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [item["q"] for item in raw["to_label"]] == ["where did the talks resume?"]
    assert "madrid" in raw["to_label"][0]["was"].lower()

    # The set stands alone: its articles are next to it, and the 👍 answer is right when asked again.
    articles = articles_for(path, corpus)
    assert [a.parent for a in articles] == [folder]
    store = FactStore.open(f"sqlite:///{tmp_path / 'eval.db'}")
    try:
        load_store(store, articles)
        report = evaluate(store, questions)
    finally:
        store.close()
    outcome = {v.question.q: v.outcome for v in report.verdicts}
    assert outcome["who is Scott Bessent?"] == outcome["when is the TikTok deadline?"] == "right"
    assert outcome["what's the tariff rate?"] == "false"  # the bot still says 30%: what 👎 was about


def test_feedback_without_ratings_and_a_bad_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["feedback", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["feedback"]) == 0
    assert capsys.readouterr().out.startswith("No ratings yet")
    (tmp_path / "a-file").write_text("x")
    assert main(["feedback", "--questions", str(tmp_path / "a-file")]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"briefbot: --questions {tmp_path / 'a-file'}: not a folder"]
