"""Peak RSS of a process that opens a store and runs the ask mix: `python -m benchmarks.rss URL`."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from benchmarks.asking import question_mix, run_mix
from facts.store import FactStore


def peak_rss_kb() -> int:
    """This process's peak RSS in KB: VmHWM on Linux, else ru_maxrss.

    On Linux ru_maxrss also counts the parent's memory copied at fork (kept across exec), so a
    subprocess of a large benchmark process would report the parent's size; VmHWM is this image's own.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> int:
    """Open the store at argv[0], ask the mix twice, print peak RSS (MB) and answers as JSON."""
    store = FactStore.open(argv[0], migrate=False)
    result = run_mix(store, question_mix(), rounds=1, warmup=1)
    print(
        json.dumps(
            {
                "peak_rss_mb": peak_rss_kb() / 1024,
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "answered": result.answered,
            }
        )
    )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
