"""Peak RSS and time of `briefbot export` and `briefbot import`, each run in a fresh process.

`python -m benchmarks.transfer export -o FILE` (or `import FILE`) runs that command in this process with
BRIEFBOT_DATABASE_URL from the environment and prints its exit code, seconds and peak RSS as JSON.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.rss import peak_rss_kb

logger = logging.getLogger(__name__)


@dataclass
class TransferRun:
    """One export or import: seconds inside the command and the process's peak RSS."""

    seconds: float
    peak_rss_mb: float


@dataclass
class TransferResult:
    """Export and import of one store: the export file's size and each run by what it did."""

    articles: int
    export_bytes: int = 0
    runs: dict[str, TransferRun] = field(default_factory=dict)

    def peak_mb(self) -> float:
        """The largest peak RSS of any run."""
        return max(run.peak_rss_mb for run in self.runs.values())


def run_command(url: str, *argv: str) -> TransferRun:
    """Run one `briefbot` command on a store in a fresh process; it must succeed."""
    env = dict(os.environ, BRIEFBOT_DATABASE_URL=url, BRIEFBOT_LOG_LEVEL="WARNING")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.transfer", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    outcome = json.loads(lines[-1]) if done.returncode == 0 and lines else {"exit": done.returncode}
    if outcome["exit"] != 0:
        raise RuntimeError(f"briefbot {' '.join(argv)} failed: {done.stderr.strip()[-500:]}")
    return TransferRun(outcome["seconds"], outcome["peak_rss_mb"])


def measure(sqlite_url: str, work: Path, articles: int, pg_url: str | None = None) -> TransferResult:
    """Export a SQLite store, import it into a new SQLite store and, given one, an empty PostgreSQL."""
    result = TransferResult(articles)
    exported = work / f"export-{articles}.jsonl"
    target = work / f"imported-{articles}.db"
    try:
        result.runs["export from SQLite"] = run_command(sqlite_url, "export", "-o", str(exported))
        result.export_bytes = exported.stat().st_size
        result.runs["import into SQLite"] = run_command(f"sqlite:///{target}", "import", str(exported))
        if pg_url is not None:
            result.runs["import into PostgreSQL"] = run_command(pg_url, "import", str(exported))
            result.runs["export from PostgreSQL"] = run_command(pg_url, "export", "-o", str(exported))
    finally:
        for path in [exported, *work.glob(f"{target.name}*")]:
            path.unlink(missing_ok=True)
    return result


def main(argv: list[str]) -> int:
    """Run `briefbot ARGV` here, then print its exit code, seconds and this process's peak RSS (MB)."""
    from bot.cli import main as briefbot

    began = time.perf_counter()
    code = briefbot(argv)
    seconds = time.perf_counter() - began
    print(json.dumps({"exit": code, "seconds": seconds, "peak_rss_mb": peak_rss_kb() / 1024}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
