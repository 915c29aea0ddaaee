"""Measurements that need a fresh process: peak RSS of the ask mix and cold start of `briefbot ask`."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

COLD_QUESTION = "What duty does South Africa charge on Brazilian jet fuel?"
COLD_NOW = "2025-07-12T12:00:00Z"


@dataclass
class ColdStart:
    """Wall-clock seconds from process start to answer, per run."""

    runs_s: list[float]
    output: str

    def median(self) -> float:
        """The median run in seconds."""
        return statistics.median(self.runs_s)


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["BRIEFBOT_DATABASE_URL"] = url
    env["BRIEFBOT_LOG_LEVEL"] = "WARNING"
    return env


def peak_rss_mb(url: str) -> float:
    """Peak RSS (MB, from getrusage ru_maxrss) of a subprocess that opens the store and runs the ask mix."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.rss", url],
        capture_output=True,
        text=True,
        check=True,
        env=_env(url),
        cwd=Path(__file__).resolve().parent.parent,
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"])


def briefbot_command() -> list[str]:
    """The installed `briefbot` console script next to this interpreter."""
    script = Path(sys.executable).with_name("briefbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def cold_ask(url: str, runs: int = 5, question: str = COLD_QUESTION, now: str = COLD_NOW) -> ColdStart:
    """Run `briefbot ask QUESTION --now NOW` in fresh processes; time start to exit, `runs` times."""
    command = [*briefbot_command(), "ask", question, "--now", now]
    times: list[float] = []
    output = ""
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=_env(url), check=False)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise RuntimeError(f"briefbot ask failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        output = done.stdout.strip()
    return ColdStart(times, output)
