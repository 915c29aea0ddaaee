"""The ingest, facts, deadlines and topics commands, end to end through `briefbot` and the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from facts.store import FactStore
from tests.conftest import BUNDLED

ARTICLE = """---
title: "Ruritania and Freedonia agree widget truce"
published: 2025-03-03
url: https://example.test/widgets
---
Ruritania will cut its duty on Freedonian widgets to 12% from April 1, officials said on Monday.
The truce expires in June unless both sides extend it.
"""


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    return database_url


def snapshot(url: str) -> tuple[tuple[int, int], list[dict[str, object]]]:
    store = FactStore.open(url)
    try:
        return store.count(), [f.to_json() for f in store.facts(include_superseded=True)]
    finally:
        store.close()


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


BAD_INPUTS = {
    "too-large.md": (
        "---\ntitle: Big\npublished: 2025-01-01\n---\n" + "Tariffs rose. " * 80_000,
        "too large",
    ),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    "latin1.txt": ("Der Zoll beträgt 30 Prozent.".encode("latin-1"), "not valid UTF-8"),
    "broken-yaml.md": (
        "---\ntitle: [unclosed\npublished: 2025-01-01\n---\nDuties rose to 10%.\n",
        "front matter",
    ),
    "unclosed.md": ("---\ntitle: No end\npublished: 2025-01-01\nDuties rose to 10%.\n", "front matter"),
    "impossible-date.md": (
        "---\ntitle: Bad date\npublished: 2025-02-30\n---\nDuties rose to 10%.\n",
        "2025-02-30",
    ),
    "empty.md": ("---\ntitle: Empty\npublished: 2025-01-01\n---\n\n", "no article text"),
    "garbage-date.md": (
        "---\ntitle: Garbage\npublished: 2025-01-01garbage\n---\nDuties rose to 10%.\n",
        "2025-01-01garbage",
    ),
    "year-one.md": (
        "---\ntitle: Old\npublished: 0001-01-02\n---\nLast Friday duties rose to 10%.\n",
        "outside 1900-2199",
    ),
    "year-9999.md": (
        "---\ntitle: Far\npublished: 9999-12-31\n---\nDuties rose to 10%.\n",
        "outside 1900-2199",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_whole_and_others_go_in(
    name: str, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, reason = BAD_INPUTS[name]
    good = write(tmp_path / "good.md", ARTICLE)
    assert main(["ingest", str(good)]) == 0
    capsys.readouterr()
    before = snapshot(db)

    bad = write(tmp_path / name, content)
    assert main(["ingest", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert str(bad) in err[0] and reason in err[0]
    assert snapshot(db) == before

    other = write(tmp_path / "other.md", ARTICLE.replace("12%", "14%").replace("2025-03-03", "2025-03-10"))
    assert main(["ingest", str(bad), str(other)]) == 1
    out = capsys.readouterr()
    assert str(other) in out.out
    docs_after, _ = snapshot(db)
    assert docs_after == (before[0][0] + 1, docs_after[1])


def test_extractor_failure_leaves_store_unchanged(store: FactStore) -> None:
    from datetime import date

    from facts.ingest import IngestError, Overrides, ingest_document, parse_document

    document = parse_document(ARTICLE.encode(), "a.md", Overrides(), date(2025, 3, 3))

    def broken_extractor(body: str, published: date, title: str) -> list:
        raise RuntimeError("boom")

    with pytest.raises(IngestError, match="a.md"):
        ingest_document(store, document, extractor=broken_extractor)
    assert store.count() == (0, 0)


def test_same_content_twice_changes_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = write(tmp_path / "a.md", ARTICLE)
    assert main(["ingest", str(article)]) == 0
    before = snapshot(db)
    copy = write(tmp_path / "copy.md", ARTICLE)
    assert main(["ingest", str(copy)]) == 0
    assert "already ingested" in capsys.readouterr().out
    assert snapshot(db) == before


def test_plain_text_without_date_uses_ingest_date_and_says_so(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = write(
        tmp_path / "note.txt", "Freedonia said on Monday it will raise tariffs on steel to 25% in July.\n"
    )
    assert main(["ingest", str(note), "--now", "2025-05-07T10:00:00Z"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(note) in err[0] and "2025-05-07" in err[0]
    assert main(["facts", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts and {f["as_of"] for f in facts} == {"2025-05-07"}
    assert {f["source"]["title"] for f in facts} == {"note"}


def test_command_line_metadata_for_plain_text(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = write(tmp_path / "note.txt", "Freedonia will raise tariffs on steel to 25% in July.\n")
    args = ["ingest", str(note), "--title", "Steel", "--published", "2025-06-01", "--url", "https://x.test/s"]
    assert main(args) == 0
    assert main(["ingest", str(note), "--published", "2025-02-30"]) == 1
    capsys.readouterr()
    main(["facts", "--json"])
    [source] = {json.dumps(f["source"], sort_keys=True) for f in json.loads(capsys.readouterr().out)}
    assert json.loads(source)["title"] == "Steel" and json.loads(source)["published"] == "2025-06-01"


def test_folder_ingest_and_json_shapes(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder / "a.md", ARTICLE)
    write(folder / "ignored.png", b"\x89PNG")
    assert main(["ingest", str(folder)]) == 0
    capsys.readouterr()
    assert main(["facts", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    for fact in facts:
        assert {"id", "kind", "text", "topics", "as_of", "source"} <= set(fact)
        assert {"title", "published", "sentence"} <= set(fact["source"])
    assert any(f["kind"] == "rate" and f["value"] == "12%" for f in facts)
    assert main(["deadlines", "--now", "2025-03-03T12:00:00Z", "--json"]) == 0
    deadlines = json.loads(capsys.readouterr().out)
    assert deadlines, "the truce expiry in June is a deadline"
    for item in deadlines:
        assert {"id", "kind", "text", "topics", "as_of", "source", "date", "precision"} <= set(item)
    june = [d for d in deadlines if d["date"] == "2025-06"]
    assert june and june[0]["precision"] == "month"


def test_first_use_seeds_bundled_corpus_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["topics"]) == 0
    captured = capsys.readouterr()
    assert "creating the embedded store at" in captured.err
    assert str(tmp_path / "xdg-data") in captured.err
    assert "tiktok" in captured.out
    assert main(["facts", "--json"]) == 0
    titles = {f["source"]["title"] for f in json.loads(capsys.readouterr().out)}
    assert titles == {"U.S. and China resume TikTok talks in Madrid as divestment deadline nears"}
    assert main(["topics"]) == 0
    assert "creating" not in capsys.readouterr().err


def test_ingest_as_first_command_does_not_seed(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = write(tmp_path / "a.md", ARTICLE)
    assert main(["ingest", str(article)]) == 0
    assert snapshot(db)[0][0] == 1


def test_facts_all_shows_history(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "a.md", ARTICLE)
    write(tmp_path / "b.md", ARTICLE.replace("12%", "9%").replace("2025-03-03", "2025-04-03"))
    assert main(["ingest", str(tmp_path / "a.md"), str(tmp_path / "b.md")]) == 0
    capsys.readouterr()
    main(["facts", "--kind", "rate", "--json"])
    current = [f["value"] for f in json.loads(capsys.readouterr().out)]
    main(["facts", "--kind", "rate", "--all", "--json"])
    history = sorted(f["value"] for f in json.loads(capsys.readouterr().out))
    assert current == ["9%"]
    assert history == ["12%", "9%"]


def test_bundled_corpus_is_the_shared_article_unchanged() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus" / BUNDLED.name
    if shared.exists():
        assert shared.read_bytes() == BUNDLED.read_bytes()
    assert BUNDLED.read_text(encoding="utf-8").startswith("---\ntitle:")


def test_only_regular_files_are_read_a_device_or_a_pipe_is_refused_at_once(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/dev/zero reports size 0 and never ends; a FIFO named like an article would block a read."""
    import os

    fifo = tmp_path / "p.md"
    os.mkfifo(fifo)
    good = write(tmp_path / "good.md", ARTICLE)
    assert main(["ingest", "/dev/zero", str(fifo), str(good)]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 2, err
    assert "/dev/zero: not a regular file" in err[0] and f"{fifo}: not a regular file" in err[1]
    assert str(good) in captured.out


def test_an_article_past_the_extraction_time_limit_is_rejected_with_one_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The long article needs seconds; the short one a few hundredths even on a loaded machine.
    monkeypatch.setattr("facts.ingest.EXTRACT_SECONDS", 1.0)
    sentences = " ".join(f"Levies on item {i} rose to 5% on May 3." for i in range(20000))
    slow = write(tmp_path / "long.md", f"---\ntitle: t\npublished: 2025-04-01\n---\n{sentences}\n")
    good = write(tmp_path / "good.md", ARTICLE)
    assert main(["ingest", str(slow), str(good)]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and str(slow) in err[0] and "took over 1 s" in err[0], err
    assert str(good) in captured.out
