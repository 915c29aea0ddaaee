"""Peak RSS of a process that opens a store and runs the ask mix: `python -m benchmarks.rss URL`."""

from __future__ import annotations

import json
import resource
import sys

from benchmarks.asking import question_mix, run_mix
from facts.store import FactStore


def main(argv: list[str]) -> int:
    """Open the store at argv[0], ask the mix twice, print peak RSS (MB) and answers as JSON."""
    store = FactStore.open(argv[0], migrate=False)
    result = run_mix(store, question_mix(), rounds=1, warmup=1)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_rss_mb": peak_kb / 1024, "answered": result.answered}))
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
