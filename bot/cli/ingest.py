"""`briefbot ingest`: files, folders and web pages in one call, with a progress bar or one summary line."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.cli.clock import parse_now
from bot.cli.ports import Adapters
from bot.config import Settings
from facts.ingest import Overrides, article_paths, parse_date
from facts.store import FactStore

if TYPE_CHECKING:
    from facts.pipeline import Outcome, Source

logger = logging.getLogger(__name__)

# Any "scheme://": http(s) pages are fetched, the rest refused with the fetcher's own one line.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: str) -> bool:
    """True for an argument naming a URL rather than a file."""
    return bool(_URL.match(text))


def ingest_sources(raw: Sequence[str], allow: str) -> list[Source]:
    """The articles named, in the order given: URLs as web pages, folders expanded to their files."""
    from facts.pipeline import WebPage

    found: list[Source] = []
    for item in raw:
        if is_url(item):
            found.append(WebPage(item, allow))
        else:
            found.extend(article_paths([item]))
    return found


@dataclass
class Tally:
    """What an ingest run did, for its summary line."""

    added: int = 0
    facts: int = 0
    duplicates: int = 0
    failed: int = 0

    def summary(self) -> str:
        """'3 articles: 2 added (41 facts), 1 already ingested, 0 failed'."""
        total = self.added + self.duplicates + self.failed
        noun = "article" if total == 1 else "articles"
        return (
            f"{total} {noun}: {self.added} added ({self.facts} facts), {self.duplicates} already ingested,"
            f" {self.failed} failed"
        )


def outcome_line(outcome: Outcome) -> str:
    """The line an article's outcome prints (files keep their wording; pages add their title and date)."""
    result = outcome.result
    assert result is not None
    if result.duplicate:
        return f"{outcome.name}: already ingested (document {result.document_id}); nothing changed"
    changed = f", {len(result.superseded)} replaced older facts" if result.superseded else ""
    document = outcome.document
    if document is not None and is_url(outcome.name):
        when = "" if document.published_inferred else f" (published {document.published.isoformat()})"
        return f"{outcome.name}: “{document.title}”{when}: {len(result.added)} facts{changed}"
    return f"{outcome.name}: {len(result.added)} facts{changed}"


def ingest_listed(
    args: argparse.Namespace,
    store: FactStore,
    settings: Settings,
    today: date,
    terminal_safe: Callable[[str], str],
) -> int:
    """Ingest the articles named: one line per article on stdout (one per error on stderr), then a summary.

    On a terminal a progress bar runs below the lines; `--quiet` prints only the summary and the errors.
    """
    # Prometheus loads only here: a cold `briefbot ask` should not pay for it.
    from bot.metrics import record_ingest, record_ingest_failure
    from facts.pipeline import ingest_all

    overrides = Overrides(
        title=args.title,
        published=parse_date(args.published, "--published") if args.published else None,
        url=args.url,
    )
    sources = ingest_sources(args.paths, settings.fetch_allow)
    if not sources:
        print("briefbot: no article files found in " + ", ".join(args.paths), file=sys.stderr)
        return 1
    tally = Tally()
    quiet = bool(args.quiet)
    bar = not quiet and len(sources) > 1 and sys.stdout.isatty()
    # Closed on the way out, whatever ends the loop, so the worker pool shuts down before the exit.
    with (
        _progress(len(sources), bar, terminal_safe) as advance,
        closing(ingest_all(store, sources, overrides, today, settings.topics_file or None)) as outcomes,
    ):
        for outcome in outcomes:
            advance(outcome.name)
            if outcome.result is None:
                record_ingest_failure()
                tally.failed += 1
                print(terminal_safe(f"error: {outcome.error}"), file=sys.stderr)
                continue
            result = outcome.result
            record_ingest(result.duplicate, len(result.added))
            if result.duplicate:
                tally.duplicates += 1
            else:
                tally.added += 1
                tally.facts += len(result.added)
            if not quiet and outcome.document is not None and outcome.document.published_inferred:
                print(
                    terminal_safe(
                        f"note: {outcome.name}: no published date; using the ingest date {today.isoformat()}"
                    ),
                    file=sys.stderr,
                )
            if not quiet:
                print(terminal_safe(outcome_line(outcome)))
    if quiet or len(sources) > 1:
        print(tally.summary())
    return 1 if tally.failed else 0


@contextmanager
def _progress(
    total: int, shown: bool, terminal_safe: Callable[[str], str]
) -> Iterator[Callable[[str], None]]:
    """A rich progress bar below the printed lines while `shown`; else a step that does nothing."""
    if not shown:
        yield lambda _name: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def advance(name: str) -> None:
            progress.update(task, advance=1, description=terminal_safe(name)[-60:])

        yield advance


def cmd_ingest(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Ingest files, folders and web pages, each article whole or not at all; exit 1 if any failed.

    SIGTERM and SIGINT stop it in order, with one line and the signal's exit status (143, 130): the
    articles listed are stored, none in part, and the worker processes end with it.
    """
    from bot.interrupts import Interrupted, stop_signals_raise
    from facts.refusals import StoreRefusesWrites

    try:
        with stop_signals_raise():
            return ingest_listed(args, store, settings, parse_now(args.now).date(), adapters.terminal_safe)
    except Interrupted as stop:
        print(
            f"briefbot: ingest stopped by {stop.signal_name}; no article is stored in part,"
            " run it again for the rest",
            file=sys.stderr,
        )
        return stop.exit_status
    except StoreRefusesWrites as refused:
        print(
            f"briefbot: the store ({settings.safe_database_url()}) refuses writes: {refused};"
            " no more articles were stored",
            file=sys.stderr,
        )
        return 1


def add_ingest(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `briefbot ingest FILE|FOLDER|URL... [-q] [--title] [--published] [--url]`."""
    ingest = sub.add_parser("ingest", help="ingest article files, folders or web pages (http/https URLs)")
    ingest.add_argument("paths", nargs="+", metavar="FILE|FOLDER|URL")
    ingest.add_argument("-q", "--quiet", action="store_true", help="print only the summary and errors")
    ingest.add_argument("--title")
    ingest.add_argument("--published", help="published date, YYYY-MM-DD")
    ingest.add_argument("--url")
    ingest.add_argument("--now", help=argparse.SUPPRESS)
    ingest.set_defaults(func=cmd_ingest)
