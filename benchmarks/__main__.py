"""`python -m benchmarks`: build stores of 100, 1,000 and 10,000 articles once, measure, print Markdown."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import anchor, build, extraction, fanout, pgscale, processes, transfer
from benchmarks.asking import after_last_article, answer_function, ask_as_the_bot, question_mix
from benchmarks.generator import DEFAULT_SEED
from benchmarks.pgserver import postgres_url
from benchmarks.report import Report
from facts.store import FactStore

FANOUT_NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line: sizes, seed, which parts to run, where to keep the stores."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated store sizes (articles)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the ask mix per size")
    parser.add_argument("--channels", type=int, default=10_000, help="subscribed channels for the fan-out")
    parser.add_argument("--concurrency", type=int, default=8, help="delivery concurrency (the bot's default)")
    parser.add_argument("--deliver-at", type=int, default=1000, help="store size for the delivery run")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL measurements")
    parser.add_argument(
        "--pg-only",
        action="store_true",
        help="only grow a PostgreSQL store through the sizes: ingest, ask p50/p99, size and peak RSS at each",
    )
    parser.add_argument("--no-fanout", action="store_true", help="skip the fan-out measurement")
    parser.add_argument("--no-transfer", action="store_true", help="skip the export/import measurement")
    parser.add_argument("--workdir", help="keep stores here (default: a temp folder, deleted at the end)")
    parser.add_argument("--out", help="also write the Markdown table to this file")
    return parser.parse_args(argv)


def machine() -> str:
    """One line describing this machine and its Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        memory = ""
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def revision() -> str:
    """The git commit measured, with '+changes' when the working tree differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def postgres_only(args: argparse.Namespace, sizes: list[int]) -> int:
    """The `--pg-only` run: one PostgreSQL store grown through the sizes, measured at each."""
    if args.no_pg:
        print("error: --pg-only and --no-pg contradict each other", file=sys.stderr)
        return 2
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    commit = revision()  # the code measured is the code imported now, whatever is committed meanwhile

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f}s] {message}", flush=True)

    with postgres_url() as url:
        if url is None:
            print("error: no PostgreSQL server can run here; --pg-only needs one", file=sys.stderr)
            return 1
        scale = pgscale.run(url, sizes, question_mix(args.seed), args.seed, args.rounds, log)
    text = (
        f"Machine: {machine()}. Commit {commit}. PostgreSQL only. "
        f"Whole run: {(time.perf_counter() - started) / 60:.1f} min; "
        f"load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.\n\n"
        + scale.markdown()
    )
    print()
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run every measurement in one process and print the Markdown table."""
    args = parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.pg_only:
        return postgres_only(args, sizes)
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="briefbot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "store.db"
    for stale in work.glob("store.db*"):
        stale.unlink()
    url = f"sqlite:///{db}"
    report = Report(machine=machine(), sizes=sizes, commit=revision())
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    can_ask = answer_function() is not None
    if not can_ask:
        print("note: facts.qa.answer is not available; ask latency, RSS and cold start are skipped")
    mix = question_mix(args.seed)
    # Daily posts list every upcoming deadline on a topic, so they grow with the store; delivery is
    # measured where posts still fit a chat message (see README, Benchmarks).
    deliver_at = max([s for s in sizes if s <= args.deliver_at] or sizes[:1])
    try:
        store = FactStore.open(url)
        done = 0
        for size in sizes:
            print(f"[{time.perf_counter() - started:6.0f}s] ingest {done}..{size} into SQLite", flush=True)
            report.ingest["sqlite", size] = build.grow(store, done, size, args.seed)
            done = size
            report.store_bytes[size] = sum(p.stat().st_size for p in work.glob("store.db*"))
            if not args.no_fanout:
                if size == sizes[0]:
                    fanout.add_channels(store, args.channels, FANOUT_NOW, args.seed)
                print(f"[{time.perf_counter() - started:6.0f}s] compose daily posts at {size}", flush=True)
                report.compose[size] = fanout.compose_only(store, FANOUT_NOW)
                if size == deliver_at:
                    print(f"[{time.perf_counter() - started:6.0f}s] deliver at {size}", flush=True)
                    report.fanout = fanout.deliver(store, size, FANOUT_NOW, args.concurrency)
            # The largest store is exported and imported once, with PostgreSQL, after the PostgreSQL run.
            if not args.no_transfer and (size != sizes[-1] or args.no_pg):
                print(f"[{time.perf_counter() - started:6.0f}s] export and import at {size}", flush=True)
                report.transfer[size] = transfer.measure(url, work, size)
            if can_ask:
                print(f"[{time.perf_counter() - started:6.0f}s] ask mix at {size}", flush=True)
                report.ask["sqlite", size] = ask_as_the_bot(url, mix, args.rounds)
                report.after["sqlite", size] = ask_as_the_bot(url, after_last_article(size, args.seed), 1)
                print(f"[{time.perf_counter() - started:6.0f}s] bm25s top-5 at {size}", flush=True)
                floor = anchor.measure(store, mix, args.rounds)
                if floor is not None:
                    report.anchor[size] = floor
        largest = sizes[-1]
        if can_ask:
            print(f"[{time.perf_counter() - started:6.0f}s] peak RSS and cold start at {largest}", flush=True)
            report.rss_mb = processes.peak_rss_mb(url)
            report.cold = processes.cold_ask(url, runs=args.cold_runs)
        store.close()
        print(f"[{time.perf_counter() - started:6.0f}s] extraction against article length", flush=True)
        report.long_articles = extraction.extraction_seconds()
        if not args.no_pg:
            with postgres_url() as pg_url:
                if pg_url is not None:
                    print(f"[{time.perf_counter() - started:6.0f}s] PostgreSQL at {largest}", flush=True)
                    pg = FactStore.open(pg_url)
                    report.ingest["postgresql", largest] = build.grow(pg, 0, largest, args.seed)
                    pg.close()
                    if can_ask:
                        report.ask["postgresql", largest] = ask_as_the_bot(pg_url, mix, args.rounds)
                        report.after["postgresql", largest] = ask_as_the_bot(
                            pg_url, after_last_article(largest, args.seed), 1
                        )
            if not args.no_transfer:
                with postgres_url() as pg_url:
                    print(
                        f"[{time.perf_counter() - started:6.0f}s] export and import at {largest}", flush=True
                    )
                    report.transfer[largest] = transfer.measure(url, work, largest, pg_url)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    report.total_s = time.perf_counter() - started
    report.load = (load_at_start, os.getloadavg()[0])
    text = report.markdown()
    print()
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
