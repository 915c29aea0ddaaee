"""The `briefbot` command: the composition root that wires settings, the store, the bot and adapters."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

from adapters.console import terminal_safe
from bot.briefing import upcoming
from bot.cli_json import dumps
from bot.config import ConfigError, Settings, default_database_path, load_settings
from facts.countdown import countdown
from facts.ingest import (
    FIRST_YEAR,
    LAST_YEAR,
    IngestError,
    Overrides,
    ingest_document,
    read_document,
)
from facts.models import Kind
from facts.store import FactStore
from facts.topics import load_taxonomy

logger = logging.getLogger(__name__)

# Commands with which the user brings their own documents: these skip the bundled corpus.
OWN_DOCUMENT_COMMANDS = frozenset({"ingest", "import"})


def parse_now(text: str | None) -> datetime:
    """The clock for countdowns: an ISO-8601 instant (UTC if no zone given), or the real time."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(
            f"briefbot: --now {text!r} is not an ISO-8601 time (e.g. 2025-09-15T12:00:00Z)"
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise SystemExit(f"briefbot: --now {text!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def bundled_corpus() -> list[Path]:
    """The articles shipped with briefbot, ingested into an empty store on first use."""
    folder = resources.files("facts").joinpath("corpus")
    return sorted(Path(str(folder)).glob("*.md"))


def open_store(settings: Settings, command: str) -> FactStore:
    """Open and migrate the store; seed an empty one with the bundled corpus unless documents are brought."""
    url = settings.resolved_database_url()
    if not settings.database_url:
        path = default_database_path()
        if not path.exists():
            print(f"briefbot: creating the embedded store at {path}", file=sys.stderr)
    store = FactStore.open(url)
    from bot.state import upgrade_bot_tables

    upgrade_bot_tables(store.engine)
    if command not in OWN_DOCUMENT_COMMANDS and store.is_empty():
        from facts.db import migration_lock

        with migration_lock(store.engine):  # processes starting together seed the store once
            if store.is_empty():
                for path in bundled_corpus():
                    ingest_document(store, read_document(path, Overrides(), date.today()))
    return store


def cmd_ingest(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """Ingest files, folders and web pages, each article whole or not at all; exit 1 if any failed.

    SIGTERM and SIGINT stop it in order, with one line and the signal's exit status (143, 130): the
    articles listed are stored, none in part, and the worker processes end with it.
    """
    from bot.cli_ingest import ingest_listed
    from bot.interrupts import Interrupted, stop_signals_raise
    from facts.refusals import StoreRefusesWrites

    try:
        with stop_signals_raise():
            return ingest_listed(args, store, settings, parse_now(args.now).date())
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


def cmd_facts(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """List facts, current by default."""
    kinds = [args.kind] if args.kind else None
    topics = [args.topic] if args.topic else None
    found = store.facts(kinds=kinds, topics=topics, include_superseded=args.all)
    if not args.statements and not args.kind:
        found = [f for f in found if f.kind is not Kind.STATEMENT]
    if args.json:
        print(dumps([f.to_json() for f in found], indent=1))
        return 0
    for fact in found:
        status = "" if fact.current else f"  [superseded by {fact.superseded_by}]"
        topics_text = f" ({', '.join(fact.topics)})" if fact.topics else ""
        print(terminal_safe(f"#{fact.id} {fact.kind}: {fact.text}{topics_text}{status}"))
    if not found:
        print("No facts match.")
    return 0


def cmd_deadlines(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """List upcoming deadlines and dated events with countdowns from now."""
    today = parse_now(args.now).date()
    found = upcoming(store, today, [args.topic] if args.topic else None)
    if args.json:
        out = []
        for fact in found:
            data = fact.to_json()
            left = countdown(fact.known_date(), today)
            data["countdown"] = {"days_min": left.first, "days_max": left.last, "text": left.describe()}
            out.append(data)
        print(dumps(out, indent=1))
        return 0
    if not found:
        print("No upcoming deadlines.")
    for fact in found:
        left = countdown(fact.known_date(), today)
        source = fact.source.title if fact.source else ""
        line = f"{fact.known_date().human():<20} {left.describe():<22} {fact.text}  — {source}"
        print(terminal_safe(line))
    return 0


def cmd_topics(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """List the taxonomy's topics with how many current facts each has."""
    taxonomy = load_taxonomy(settings.topics_file or None)
    counts = store.topic_counts()
    if args.json:
        print(dumps([{"topic": t, "facts": counts.get(t, 0)} for t in taxonomy.names]))
        return 0
    for topic in taxonomy.names:
        print(f"{topic:<18} {counts.get(topic, 0)} facts")
    return 0


def cmd_db(args: argparse.Namespace, store: FactStore, settings: Settings) -> int:
    """Database maintenance: the migrations ran when the store opened; analyses and the search index anew."""
    analysed = store.complete_analyses()
    indexed = store.rebuild_search_index()
    docs, n_facts = store.count()
    note = f"; worked out {analysed} article analyses" if analysed else ""
    note += f"; search index rebuilt ({indexed} sentences)"
    print(f"database is up to date ({docs} documents, {n_facts} facts{note})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every briefbot subcommand."""
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Briefing bot for fast-moving negotiations."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="ingest article files, folders or web pages (http/https URLs)")
    ingest.add_argument("paths", nargs="+", metavar="FILE|FOLDER|URL")
    ingest.add_argument("-q", "--quiet", action="store_true", help="print only the summary and errors")
    ingest.add_argument("--title")
    ingest.add_argument("--published", help="published date, YYYY-MM-DD")
    ingest.add_argument("--url")
    ingest.add_argument("--now", help=argparse.SUPPRESS)
    ingest.set_defaults(func=cmd_ingest)

    facts_cmd = sub.add_parser("facts", help="list facts")
    facts_cmd.add_argument("--kind", choices=[k.value for k in Kind])
    facts_cmd.add_argument("--topic")
    facts_cmd.add_argument("--all", action="store_true", help="include superseded facts")
    facts_cmd.add_argument("--statements", action="store_true", help="include plain sentences")
    facts_cmd.add_argument("--json", action="store_true")
    facts_cmd.set_defaults(func=cmd_facts)

    deadlines = sub.add_parser("deadlines", help="upcoming deadlines with countdowns")
    deadlines.add_argument("--now")
    deadlines.add_argument("--topic")
    deadlines.add_argument("--json", action="store_true")
    deadlines.set_defaults(func=cmd_deadlines)

    topics = sub.add_parser("topics", help="topics a channel can follow")
    topics.add_argument("--json", action="store_true")
    topics.set_defaults(func=cmd_topics)

    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(func=cmd_db)

    from bot.cli_more import add_commands

    add_commands(sub)
    return parser


_ASK_OPTIONS = {"--json", "--now", "-h", "--help"}


def question_words_as_words(argv: list[str]) -> list[str]:
    """`briefbot ask "---"`: words of a question that look like options are the question's own words."""
    if not argv or argv[0] != "ask" or "--" in argv:
        return argv
    out = [argv[0]]
    rest = argv[1:]
    while rest:
        word = rest.pop(0)
        if word in _ASK_OPTIONS or word.startswith("--now="):
            out.append(word)
            if word == "--now" and rest:
                out.append(rest.pop(0))
            continue
        return [*out, "--", word, *rest] if word.startswith("-") and word != "-" else [*out, word, *rest]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` console script."""
    parser = build_parser()
    args = parser.parse_args(question_words_as_words(list(sys.argv[1:] if argv is None else argv)))
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 2
    from bot.logs import configure_logging, scrub

    configure_logging(settings.log_level, settings.log_format, settings.secret_values())
    store: FactStore | None = None
    # Commands that never read the store (discord-invite) must not create one as a side effect.
    if getattr(args, "needs_store", True):
        try:
            store = open_store(settings, args.command)
        except Exception as error:  # noqa: BLE001 - one clear line instead of a traceback at start-up
            reason = scrub(str(error).splitlines()[0], settings.secret_values())
            print(
                f"briefbot: cannot open the store ({settings.safe_database_url()}): {reason}", file=sys.stderr
            )
            return 2
    try:
        return int(args.func(args, store, settings) or 0)
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ConfigError as error:
        # Found only once a command runs (Slack refusing the token at start): one line, like at load.
        print(f"briefbot: {scrub(str(error), settings.secret_values())}", file=sys.stderr)
        return 2
    finally:
        if store is not None:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
