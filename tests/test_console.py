"""`briefbot run` as a terminal chat driven through a pipe, and `briefbot briefing`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))


def run(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env["BRIEFBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'console.db'}"
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    return subprocess.run(
        [BRIEFBOT, *args], input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled corpus ingested once (by the real command, in-process) for every test."""
    folder = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{folder / 'console.db'}")
        assert main(["db", "upgrade"]) == 0
    return folder / "console.db"


@pytest.fixture(autouse=True)
def _copy_seeded(seeded_db: Path, tmp_path: Path) -> None:
    shutil.copy(seeded_db, tmp_path / "console.db")


def test_piped_chat_answers_each_line_and_exits_at_end_of_input(tmp_path: Path) -> None:
    script = (
        "topics\nsubscribe tariffs tiktok\nsubscribe tarifs\nsubscriptions\nsettings tz Europe/Berlin\n"
        "what is the tariff on Chinese goods?\n"
    )
    done = run(["run", "--now", "2025-09-15T12:00:00Z"], tmp_path, script)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "tariffs — " in out and "facts" in out
    assert "Now following tariffs, tiktok." in out
    assert "Unknown topic `tarifs`. Did you mean `tariffs`?" in out
    assert "Next post: Tue 16 Sep 09:00 UTC" in out
    assert "Daily post: 09:00 Europe/Berlin" in out
    assert out.index("Now following") < out.index("Unknown topic") < out.index("Settings saved")
    assert "U.S. duties on Chinese goods: 30%" in out and "Source:" in out
    # The subscriptions are in the database: a second session sees them.
    again = run(["run"], tmp_path, "subscriptions\n")
    assert "Following: tariffs, tiktok" in again.stdout


def test_briefing_prints_the_daily_post_for_a_moment(tmp_path: Path) -> None:
    done = run(["briefing", "--now", "2025-09-16T09:00:00Z", "--topic", "tiktok"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Daily countdown for tiktok — Tuesday, September 16, 2025" in done.stdout
    assert (
        "tomorrow (1 day) — Deadline for ByteDance to sell TikTok’s U.S. operations (September 17, 2025)"
        in (done.stdout)
    )
    assert "Source: U.S. and China resume TikTok talks in Madrid" in done.stdout
    later = run(["briefing", "--now", "2026-03-01T09:00:00Z", "--topic", "tiktok"], tmp_path)
    assert later.returncode == 0 and "No post on 2026-03-01" in later.stdout
    bad = run(["briefing", "--topic", "tiktk"], tmp_path)
    assert bad.returncode == 2 and "Did you mean tiktok?" in bad.stderr


def test_piped_commands_end_cleanly_when_input_ends(tmp_path: Path) -> None:
    # Issue 17: ending input while the scheduler's first tick ran left an APScheduler CancelledError
    # traceback in 3 runs of 3; a race, so it is tried several times, with and without a command.
    for script in ("deadlines\n", "deadlines\n", "deadlines\n", ""):
        done = run(["run", "--now", "2025-09-15T12:00:00Z"], tmp_path, script)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert "CancelledError" not in done.stderr
        if script:
            assert "Upcoming deadlines, from September 15:" in done.stdout


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["briefing", "--now", "9999-12-31T23:00:00Z", "--tz", "Pacific/Kiritimati"], ""),
        (["run", "--now", "9999-12-31T23:59:00Z"], "subscribe tariffs\n"),
    ],
)
def test_a_clock_beyond_the_supported_years_is_one_line(tmp_path: Path, args: list[str], stdin: str) -> None:
    done = run(args, tmp_path, stdin)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [f"briefbot: --now {args[2]!r} is outside the years 1900-2199"]
    assert "Traceback" not in done.stdout
