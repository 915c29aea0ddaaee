"""`briefbot ingest` with web pages mixed among files and folders, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from bot.cli import main
from facts.store import FactStore
from tests.conftest import BUNDLED
from tests.web.conftest import page

HTML = "text/html; charset=utf-8"
CANONICAL = "https://news.example/2025/11/tariff-truce-extended"
BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    return database_url


def counts(url: str) -> tuple[int, int]:
    store = FactStore.open(url)
    try:
        return store.count()
    finally:
        store.close()


@pytest.mark.usefixtures("allow_loopback")
def test_pages_files_and_folders_in_one_call(
    db: str, web: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    web.expect_request("/steel").respond_with_data(page("article-meta-date.html"), content_type=HTML)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "bundled.md").write_bytes(BUNDLED.read_bytes())
    single = tmp_path / "single.md"
    single.write_text(
        "---\ntitle: Single\npublished: 2025-11-01\n---\nDuties on steel rose to 25% on Monday.\n"
    )

    status = main(["ingest", web.url_for("/truce"), str(single), str(folder), web.url_for("/steel")])

    out, err = capsys.readouterr()
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(
        web.url_for("/truce") + ": “Tariff truce extended by 90 days” (published 2025-11-10): "
    )
    assert lines[1].startswith(f"{single}: ") and lines[2].startswith(f"{folder / 'bundled.md'}: ")
    assert lines[3].startswith(web.url_for("/steel") + ": “EU ministers weigh steel quotas")
    assert lines[4].startswith("4 articles: 4 added (") and lines[4].endswith("0 already ingested, 0 failed")
    assert len(lines) == 5
    assert not [line for line in err.splitlines() if "briefbot" in line or line.startswith(("error", "note"))]
    assert counts(db)[0] == 4

    assert (
        main(
            [
                "ask",
                "--json",
                "--now",
                "2025-11-20T12:00:00Z",
                "what is China.s levy on American exports?",
            ]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"], answer
    assert {s["url"] for s in answer["sources"]} == {CANONICAL}

    assert (
        main(["ask", "--now", "2025-11-20T12:00:00Z", "what is China.s levy on American exports?"]) == 0
    )
    printed = capsys.readouterr().out
    assert (
        f"“Tariff truce extended by 90 days” (published 2025-11-10, as of that date) {CANONICAL}" in printed
    )


@pytest.mark.usefixtures("allow_loopback")
def test_the_same_page_again_changes_nothing(
    db: str, web: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    assert main(["ingest", web.url_for("/truce")]) == 0
    before = counts(db)
    capsys.readouterr()
    assert main(["ingest", web.url_for("/truce")]) == 0
    assert "already ingested" in capsys.readouterr().out
    assert counts(db) == before


@pytest.mark.usefixtures("allow_loopback")
def test_bad_pages_are_one_line_each_and_store_nothing(
    db: str, web: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.expect_request("/gone").respond_with_data("missing", status=404, content_type=HTML)
    web.expect_request("/broken").respond_with_data("oops", status=500, content_type=HTML)
    web.expect_request("/front").respond_with_data(page("no-article.html"), content_type=HTML)
    web.expect_request("/huge").respond_with_data(b"<p>" + b"x" * 5_000_001, content_type=HTML)
    web.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop2"})
    web.expect_request("/loop2").respond_with_data("", status=302, headers={"Location": "/loop"})
    web.expect_request("/lies").respond_with_data(
        ("<html><body><article><p>" + "Le ministre a déclaré que les droits resteront à 25 %. " * 8).encode(
            "latin-1"
        ),
        content_type="text/html; charset=utf-8",
    )
    lies = web.url_for("/lies")  # its bytes are Latin-1 although the header says UTF-8
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: Good\npublished: 2025-11-01\n---\nDuties on steel rose to 25% on Monday.\n")
    urls = [web.url_for(p) for p in ("/gone", "/broken", "/front", "/huge", "/loop")]

    status = main(["ingest", *urls, lies, "ftp://news.example/x", str(good)])

    out, err = capsys.readouterr()
    assert status == 1
    errors = [line for line in err.splitlines() if line.startswith("error")]
    assert len(errors) == 7, err
    expected = [
        (urls[0], "answered 404"),
        (urls[1], "answered 500"),
        (urls[2], "no article text"),
        (urls[3], "too large"),
        (urls[4], "redirect loop"),
        (lies, "declares charset utf-8 but its text is not utf-8"),
        ("ftp://news.example/x", "only http and https"),
    ]
    for line, (url, reason) in zip(errors, expected, strict=True):
        assert line.startswith(f"error: {url}: ") and reason in line, line
    summary = out.splitlines()[-1]
    assert summary.startswith("8 articles: 1 added (") and summary.endswith(" 0 already ingested, 7 failed")
    assert counts(db)[0] == 1


def test_an_internal_address_is_refused_without_the_setting(
    db: str, web: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    assert main(["ingest", web.url_for("/truce")]) == 1
    err = capsys.readouterr().err
    assert "resolves to the internal address 127.0.0.1 (allow it with BRIEFBOT_FETCH_ALLOW)" in err
    assert counts(db) == (0, 0)
    assert not [r for r, _ in web.log if r.path == "/truce"]


def test_a_malformed_allow_setting_stops_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "10.0.0.0/8,not a host")
    assert main(["topics"]) == 2
    assert capsys.readouterr().err.startswith("briefbot: configuration error: BRIEFBOT_FETCH_ALLOW: ")


@pytest.mark.usefixtures("allow_loopback")
def test_quiet_prints_the_summary_only(
    db: str, web: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.expect_request("/truce").respond_with_data(page("article-jsonld.html"), content_type=HTML)
    assert main(["ingest", "--quiet", web.url_for("/truce"), str(BUNDLED)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [out.strip()] and out.startswith("2 articles: 2 added (")
    assert not [line for line in err.splitlines() if line.startswith(("error", "note"))]


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(4):
        (folder / f"a{n}.md").write_text(
            f"---\ntitle: Article {n}\npublished: 2025-11-0{n + 1}\n---\nDuties on steel rose to {10 + n}% on Monday.\n"
        )
    env = {**os.environ, "BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}", "COLUMNS": "100"}
    env.pop("BRIEFBOT_FETCH_ALLOW", None)
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [BRIEFBOT, "ingest", str(folder)], stdout=follower, stderr=follower, env=env, cwd=tmp_path
    ) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=120) == 0, shown
    os.close(leader)
    text = shown.decode("utf-8", errors="replace")
    assert "ingesting" in text and "━" in text, text  # rich's bar
    assert "4/4" in text
    assert "4 articles: 4 added (" in text
    assert all(re.search(rf"{folder / f'a{n}.md'}: \d+ facts", text) for n in range(4)), text

    piped = subprocess.run(
        [BRIEFBOT, "ingest", str(folder)], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    assert piped.returncode == 0
    assert "━" not in piped.stdout and "ingesting" not in piped.stdout
    assert piped.stdout.splitlines()[-1] == "4 articles: 0 added (0 facts), 4 already ingested, 0 failed"
