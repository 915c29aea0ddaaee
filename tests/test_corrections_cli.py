"""`briefbot articles`, `fix`, `forget` and `audit`: the contract's flags, JSON fields and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

TARIFF = 36  # "U.S. duties on Chinese goods: 30%" in the bundled article


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    return database_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_article(folder: Path, name: str, published: str, text: str, url: str) -> Path:
    path = folder / name
    path.write_text(f'---\ntitle: "{name}"\npublished: {published}\nurl: {url}\n---\n{text}\n')
    return path


def test_fix_shows_in_facts_json_and_ask_and_undo_restores(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "fix", str(TARIFF), "35%", "--because", "misread", "--by", "alice")
    assert code == 0 and "fact 36 -> fact" in out and "corrected by alice" in out
    _, out, _ = run(capsys, "facts", "--kind", "rate", "--json")
    [fixed] = [f for f in json.loads(out) if f["subject"].startswith("united states|tariff|china|in_force")]
    assert fixed["value"] == "35%" and fixed["correction"]["by"] == "alice"
    assert (
        fixed["correction"]["note"].startswith("corrected by alice on ")
        and fixed["correction"]["was"] == "30%"
    )
    _, out, _ = run(
        capsys, "ask", "--json", "--now", "2025-09-15T12:00:00Z", "what's the tariff on Chinese goods?"
    )
    answer = json.loads(out)
    assert "35%" in answer["text"] and any("corrected by alice" in n for n in answer["notes"])

    code, out, _ = run(capsys, "fix", "--undo", str(fixed["id"]))
    assert code == 0 and "fact 36 is current again" in out
    _, out, _ = run(capsys, "facts", "--kind", "rate", "--all", "--json")
    by_id = {f["id"]: f for f in json.loads(out)}
    assert by_id[TARIFF]["current"] and by_id[fixed["id"]]["withdrawn"]


def test_forget_brings_back_the_older_version_and_facts_all_keeps_it(
    env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = write_article(
        tmp_path,
        "old.md",
        "2025-10-01",
        "Washington imposed tariffs of 20% on Brazilian coffee.",
        "https://news.example/old",
    )
    new = write_article(
        tmp_path,
        "new.md",
        "2025-10-08",
        "Washington imposed tariffs of 45% on Brazilian coffee.",
        "https://news.example/new",
    )
    assert run(capsys, "ingest", str(old), str(new))[0] == 0
    _, out, _ = run(capsys, "articles", "--json")
    articles = json.loads(out)
    assert [set(a) for a in articles] == [{"id", "title", "published", "url", "facts", "retracted"}] * 2
    assert [a["url"] for a in articles] == ["https://news.example/new", "https://news.example/old"]

    code, out, _ = run(capsys, "forget", "https://news.example/new", "--by", "carol")
    assert code == 0 and "retracted article" in out and "1 earlier versions current again" in out
    _, out, _ = run(capsys, "facts", "--kind", "rate")
    assert "20%" in out and "45%" not in out
    _, out, _ = run(capsys, "facts", "--kind", "rate", "--all")
    assert "45%" in out and "[withdrawn" in out
    _, out, _ = run(capsys, "articles", "--topic", "tariffs")
    assert "(retracted)" in out


def test_audit_lists_who_when_and_what(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "fix", str(TARIFF), "35%", "--by", "alice", "--because", "misread")
    run(capsys, "forget", "1", "--by", "carol")
    code, out, _ = run(capsys, "audit", "--json")
    entries = json.loads(out)
    assert code == 0 and [(e["action"], e["who"]) for e in entries] == [("fix", "alice"), ("forget", "carol")]
    assert {
        "who",
        "when",
        "what",
        "action",
        "fact_id",
        "new_fact_id",
        "document_id",
        "was",
        "value",
        "reason",
    } <= set(entries[0])
    _, out, _ = run(capsys, "audit")
    assert "fix     alice  fixed: fact 36 ->" in out and "because: misread" in out and "carol" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["fix", "999", "40%"], "error: There is no fact 999"),
        (["fix", str(TARIFF), "banana"], "error: `banana` is not a rate"),
        (["fix", str(TARIFF), "40%", "--because", "x" * 10_000], "error: The reason is 10,000 characters"),
        (["fix", str(TARIFF)], "error: give the new value"),
        (["fix", "--undo", str(TARIFF), "40%"], "error: --undo takes only the fact id"),
        (["fix", "--undo", str(TARIFF)], "error: Fact 36 has no fix to undo"),
        (["fix", "last", "40%"], "error: `last` means the last answer in a chat channel"),
        (["fix", "r99", "40%"], "error: There is no report r99"),
        (["fix", "banana", "40%"], "error: `banana` is not a fact"),
        (["forget", "99"], "error: There is no article 99"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    env: str, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    _, before, _ = run(capsys, "facts", "--all", "--json")
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and err.startswith(expected) and err.count("\n") == 1
    _, after, _ = run(capsys, "facts", "--all", "--json")
    assert after == before
    assert json.loads(run(capsys, "audit", "--json")[1]) == []
