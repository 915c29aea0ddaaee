"""`python -m facts.qa.ablate`: what each fallback of the rules is worth, by leave-one-set-out.

For the full policy and for each switch turned off, every set is collected again, each set is scored by a
model fitted on the others, and the bars are chosen on those predictions at one false-answer share for
all variants alike. A switch earns its place when turning it off loses right answers (or adds false
ones); the README's ablation table comes from this command. Needs scikit-learn, like training.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from facts.qa import Config
from facts.qa.policy import Policy, switches
from facts.qa.train import (
    FALSE_SHARES,
    Asked,
    Outcome,
    choose_bars,
    collect,
    decide,
    default_sets,
    feature_names,
    loso,
    question_files,
)

BASELINE = "(all on)"


def collected(paths: Sequence[Path], switch: str | None) -> dict[str, list[Asked]]:
    """Every set's candidates with one switch off (or none, for the baseline)."""
    policy = Policy(**{switch: False}) if switch else Policy()
    config = Config(policy=policy, use_shipped_model=False)
    by_set: dict[str, list[Asked]] = {}
    for path in paths:
        asked = collect(path, config=config)
        by_set[asked[0].set_name if asked else path.stem] = asked
    return by_set


def scored(by_set: dict[str, list[Asked]], share: float) -> Outcome:
    """Leave-one-set-out outcome with bars chosen on the pooled out-of-set predictions at `share`."""
    features = feature_names([a for asked in by_set.values() for a in asked])
    predicted = loso(by_set, features)
    bars = choose_bars(predicted, share=share)
    out = Outcome()
    for asked, probabilities in predicted:
        if asked.made:
            continue
        verdict = decide(asked, probabilities, bars)
        setattr(out, verdict, getattr(out, verdict) + 1)
        if asked.expect != "abstain":
            out.answerable += 1
            out.answerable_right += verdict == "right"
    return out


def _variant(job: tuple[list[Path], str | None, float]) -> tuple[str, dict[str, int]]:
    paths, switch, share = job
    o = scored(collected(paths, switch), share)
    counts = {
        "right": o.right,
        "false": o.false,
        "missed": o.missed,
        "answerable": o.answerable,
        "answerable_right": o.answerable_right,
    }
    print(f"done {switch or BASELINE}: {counts}", file=sys.stderr, flush=True)
    return switch or BASELINE, counts


def table(results: dict[str, dict[str, int]]) -> str:
    """A Markdown table of each variant against the baseline."""
    base = results[BASELINE]
    lines = [
        "| switch off | right | answerable right | false | change in right | change in false |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['right']} | {r['answerable_right']}/{r['answerable']} | {r['false']} | "
            f"{r['right'] - base['right']:+d} | {r['false'] - base['false']:+d} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Collect each variant (in worker processes), score it, print the table and write it as JSON."""
    parser = argparse.ArgumentParser(prog="python -m facts.qa.ablate", description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path, help="question sets (default: all but the sealed one)")
    parser.add_argument("--switch", action="append", choices=switches(), help="only these switches")
    parser.add_argument("--share", type=float, default=FALSE_SHARES[-1], help="false answers allowed")
    parser.add_argument("--jobs", type=int, default=2, help="variants collected at once")
    parser.add_argument("--out", type=Path, help="also write the results here as JSON")
    args = parser.parse_args(argv)
    paths = question_files(args.sets or default_sets())
    jobs = [(paths, switch, args.share) for switch in [None, *(args.switch or switches())]]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(pool.map(_variant, jobs))
    print(table(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
