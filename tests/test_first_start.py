"""Several processes opening a new store at once: one migrates and seeds while the others wait, all go on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))
PROCESSES = 8


def test_eight_processes_start_at_once_on_an_empty_store(database_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env["BRIEFBOT_DATABASE_URL"] = database_url
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    started = [
        subprocess.Popen(
            [BRIEFBOT, "ask", "--json", "--now", "2025-09-15T12:00:00Z", "Who is He Lifeng?"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in started]
    for code, out, err in results:
        assert code == 0, err
        assert '"answered": true' in out and "Vice Premier" in out, out
    # The bundled article went in once.
    count = subprocess.run(
        [BRIEFBOT, "facts", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert count.returncode == 0, count.stderr
    assert count.stdout.count('"title": "U.S. and China resume TikTok talks') >= 1
    docs = subprocess.run(
        [
            sys.executable,
            "-c",
            "from facts.store import FactStore; import os; "
            "print(len(FactStore.open(os.environ['BRIEFBOT_DATABASE_URL']).documents()))",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
    )
    assert docs.stdout.strip() == "1", docs.stderr
