"""👎 reports as fix targets (`fix r12 …`), their link to the fix in `feedback --json`, and fixes as questions."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from adapters.recording import RecordingChat
from bot import ratings
from bot.cli import main
from bot.core import BriefBot
from bot.messages import Vote, answer_id_of
from bot.state import upgrade_bot_tables
from facts.corrections import Corrections
from facts.ingest import Overrides, ingest_document, read_document
from facts.store import FactStore
from tests.botkit import Clock
from tests.conftest import BUNDLED
from tests.qa_eval import evaluate, load_questions

NOON = datetime(2025, 9, 15, 12, 0, tzinfo=UTC)
ONE_FACT = "what's the tariff on Chinese goods?"  # answered with fact 36 alone: 30%
TWO_FACTS = "what's the tariff rate?"  # answered with 30% and 10%
TARIFF = 36
CONTRACT = {"question", "answer", "vote", "who", "when"}


@pytest.fixture
def core(store: FactStore) -> BriefBot:
    upgrade_bot_tables(store.engine)
    ingest_document(store, read_document(BUNDLED, Overrides(), NOON.date()))
    return BriefBot(store, Clock(NOON))


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    return database_url


async def reported(core: BriefBot, question: str, user: str = "U0READER", text: str | None = None) -> int:
    """Ask in Slack channel C1 and rate the answer 👎; the report's rating id (checked against the thanks)."""
    reader = RecordingChat(core, channel="C1", platform="slack", user=user, can_edit_facts=False)
    await reader.ask(question)
    answer_id = answer_id_of(reader.last[0])
    assert answer_id is not None
    thanks = await core.rate(Vote("slack", "C1", user, answer_id, "down", text))
    rating = ratings.rating_of(core.store.engine, answer_id, user)
    assert rating is not None
    assert thanks.text == f"Thanks, noted. An editor can correct it with `fix r{rating.id} <right value>`."
    return rating.id


def links(store: FactStore) -> list[tuple[int, int | None]]:
    return [(f.id, f.superseded_by) for f in store.facts(include_superseded=True)]


def feedback_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["feedback", "--json"]) == 0
    return list(json.loads(capsys.readouterr().out))


async def test_an_editor_fixes_the_fact_of_a_report_and_feedback_shows_it_was_acted_on(
    core: BriefBot, env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = await reported(core, ONE_FACT, text="35%")
    [row] = feedback_json(capsys)
    assert row["report"] == f"r{report}" and row["fixed_by"] is None
    assert main(["feedback"]) == 0
    assert f"`fix r{report} <right value>`" in capsys.readouterr().out

    editor = RecordingChat(core, channel="desk", platform="slack", user="U0EDITOR")
    said = await editor.ask(f"fix r{report} 35% because the article misprinted it")
    assert said.startswith(f"Fixed: fact {TARIFF} is replaced by fact") and f"report r{report}" in said
    assert not core.store.get([TARIFF])[0].current
    answer = await RecordingChat(core, channel="C1", platform="slack").ask(ONE_FACT)
    assert "35%" in answer and "corrected by slack:U0EDITOR on 2025-09-15: was 30%" in answer

    [row] = feedback_json(capsys)
    fixed_by = row["fixed_by"]
    assert isinstance(fixed_by, dict)
    assert set(row) >= CONTRACT and (row["vote"], row["who"], row["question"]) == (
        "down",
        "U0READER",
        ONE_FACT,
    )
    [entry] = Corrections(core.store).audit()
    assert fixed_by == {
        "audit_id": entry.id,
        "fact_id": TARIFF,
        "new_fact_id": entry.new_fact_id,
        "was": "30%",
        "value": "35%",
        "who": "slack:U0EDITOR",
        "when": entry.at.isoformat(),
        "undone": False,
    }
    assert main(["feedback"]) == 0
    assert f"[fixed by slack:U0EDITOR: fact {TARIFF} -> {entry.new_fact_id}, 30% -> 35%]" in (
        capsys.readouterr().out
    )

    # Undone through the report's name too; the report still shows the fix, marked undone.
    assert "Fix undone: fact 36 is current again" in await editor.ask(f"fix undo r{report}")
    [row] = feedback_json(capsys)
    assert isinstance(row["fixed_by"], dict) and row["fixed_by"]["undone"] is True


async def test_the_command_line_fixes_a_report_too(
    core: BriefBot, env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = await reported(core, ONE_FACT)
    assert main(["fix", f"R{report}", "35%", "--by", "alice"]) == 0
    assert f"fact {TARIFF} -> fact" in capsys.readouterr().out
    [row] = feedback_json(capsys)
    assert isinstance(row["fixed_by"], dict) and row["fixed_by"]["who"] == "alice"


async def test_a_report_that_is_no_one_fact_gets_one_line_and_changes_nothing(core: BriefBot) -> None:
    several = await reported(core, TWO_FACTS)
    editor = RecordingChat(core, channel="desk", platform="slack", user="U0EDITOR")
    before = links(core.store)
    reply = await editor.ask(f"fix r{several} 35%")
    used = ratings.find_rating(core.store.engine, several)
    assert used is not None and len(used.answer.fact_ids) > 1
    assert reply.startswith(f"The answer r{several} reports used facts ") and "say which" in reply
    assert reply.count("\n") == 0

    reader = RecordingChat(core, channel="C9", platform="slack", user="U0FAN")
    await reader.ask(ONE_FACT)
    liked = answer_id_of(reader.last[0])
    assert liked is not None
    assert (await core.rate(Vote("slack", "C9", "U0FAN", liked, "up"))).text == "Thanks, noted."
    thumbs_up = ratings.rating_of(core.store.engine, liked, "U0FAN")
    assert thumbs_up is not None
    assert "is a 👍, not a report" in await editor.ask(f"fix r{thumbs_up.id} 35%")
    assert "There is no report r999" in await editor.ask("fix r999 35%")
    assert links(core.store) == before and Corrections(core.store).audit() == []


async def test_a_report_of_a_declined_answer_is_named_but_has_no_fact_to_fix(core: BriefBot) -> None:
    reader = RecordingChat(core, channel="C1", platform="slack", user="U0READER")
    await reader.ask("what is the population of Mars?")
    answer_id = answer_id_of(reader.last[0])
    assert answer_id is not None and reader.last[0].kind == "decline"
    thanks = await core.rate(Vote("slack", "C1", "U0READER", answer_id, "down"))
    rating = ratings.rating_of(core.store.engine, answer_id, "U0READER")
    assert rating is not None and thanks.text == f"Thanks, noted. (report r{rating.id})"
    editor = RecordingChat(core, channel="desk", platform="slack", user="U0EDITOR")
    assert "gave no facts to fix" in await editor.ask(f"fix r{rating.id} 35%")


# -- fixes in the question set ---------------------------------------------------------------------------


async def test_a_fix_makes_the_questions_that_used_its_fact_answerable_with_the_new_value(
    core: BriefBot, env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Asked twice (one entry stands for both), rated 👍 by one person: the editor's fix outweighs the vote.
    reader = RecordingChat(core, channel="C1", platform="slack", user="U0READER")
    await reader.ask(ONE_FACT)
    await reader.ask(ONE_FACT.capitalize())
    assert reader.last[0].kind == "answer"
    liked = answer_id_of(reader.last[0])
    assert liked is not None
    await core.rate(Vote("slack", "C1", "U0READER", liked, "up"))
    editor = RecordingChat(core, channel="desk", user="alice")
    await editor.ask(f"fix {TARIFF} 35%")
    # A fact no one asked about: the fix waits under to_label for a question.
    [tiktok] = [f for f in core.store.facts() if f.kind.value == "deadline" and "TikTok" in f.text]
    await editor.ask(f"fix {tiktok.id} December 16, 2025")

    folder = tmp_path / "set"
    assert main(["feedback", "--questions", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1 question, 1 to label, 1 article (from 1 rating and 2 fixes)" in out

    path = folder / "questions.yaml"
    questions, corpus = load_questions(path)
    [fixed] = questions
    # Not "30%" alone: the right answer's note says "was 30%"; the old fact's line is what a wrong one says.
    assert fixed.q == ONE_FACT and fixed.must == (("35%",),)
    assert fixed.must_not == ("U.S. duties on Chinese goods: 30%",)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    [waiting] = raw["to_label"]
    assert "q" not in waiting and waiting["must"] == [["2025-12-16", "December 16, 2025"]]
    assert waiting["was"] == "September 17, 2025" and waiting["must_not"] == [tiktok.text]
    assert waiting["fact"] == tiktok.text.replace("September 17, 2025", "December 16, 2025")
    assert len(corpus) == 1 and (folder / corpus[0]).exists()

    # Asked again over the store that has the fix, the question is right; without the fix it is not.
    assert [v.outcome for v in evaluate(core.store, questions).verdicts] == ["right"]
    await editor.ask(f"fix undo {TARIFF}")
    [verdict] = evaluate(core.store, questions).verdicts
    assert verdict.outcome == "false" and "30%" in verdict.answer.text

    # An undone fix is no label: the 👍 counts again.
    again = tmp_path / "again"
    assert main(["feedback", "--questions", str(again)]) == 0
    capsys.readouterr()
    [liked_again] = load_questions(again / "questions.yaml")[0]
    assert liked_again.must == (("30%",),) and liked_again.must_not == ()


async def test_fixed_again_the_newest_value_is_the_label(core: BriefBot, store: FactStore) -> None:
    from bot import feedback_set
    from bot.report_fixes import standing_fixes

    await reported(core, ONE_FACT)
    editor = RecordingChat(core, channel="desk", user="alice")
    await editor.ask(f"fix {TARIFF} 35%")
    second = Corrections(store).audit()[-1].new_fact_id
    await editor.ask(f"fix {second} 40%")
    built = feedback_set.build(
        store, ratings.all_ratings(store.engine), standing_fixes(Corrections(store).audit())
    )
    [question] = built.questions
    assert question["must"] == [["40%"]] and question["must_not"] == ["U.S. duties on Chinese goods: 30%"]
    assert built.to_label == [] and built.fixes == 2
