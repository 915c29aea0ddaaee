"""`briefbot articles`, `fix`, `forget` and `audit`: the command-line twins of the chat's corrections."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from bot.cli.clock import parse_now
from bot.cli.json_output import dumps
from bot.cli.ports import Adapters
from bot.config import Settings
from facts.store import FactStore

logger = logging.getLogger(__name__)

# The corrections are imported by the commands that use them: every command's parser is built at start,
# and a cold `briefbot ask` must not pay for them.


def _who(args: argparse.Namespace) -> str:
    """--by, or the account running the command."""
    if args.by:
        return str(args.by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's user without one): still say it was the CLI
        return "cli"


def _fail(error: Exception | str) -> int:
    print(f"error: {error}", file=sys.stderr)
    return 1


def cmd_articles(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List articles, newest first, with ids and how many current facts each has."""
    from facts.corrections import Corrections

    found = Corrections(store).articles(args.topic)
    if args.json:
        print(dumps([a.to_json() for a in found], indent=1))
        return 0
    if not found:
        print("No articles." if not args.topic else f"No articles on {args.topic}.")
    for article in found:
        state = "retracted" if article.retracted else f"{article.facts} current facts"
        url = f"  {article.url}" if article.url else ""
        line = f"#{article.id:<5} {article.published.isoformat()}  {article.title} ({state}){url}"
        print(adapters.terminal_safe(line))
    return 0


def cmd_fix(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Fix a fact (a new version supersedes it), or undo a fix with --undo."""
    from bot.commands import CommandError
    from bot.fix_target import resolve_fact
    from bot.report_fixes import detail_for
    from facts.corrections import CorrectionError, Corrections

    try:
        target = resolve_fact(store, args.fact_id)
    except CommandError as error:
        return _fail(error)
    fact_id = target.fact_id
    value = " ".join(args.value)
    now = parse_now(args.now)
    corrections = Corrections(store)
    try:
        if args.undo:
            if value:
                return _fail("--undo takes only the fact id; nothing was undone")
            done = corrections.undo(fact_id, _who(args), now)
            print(
                adapters.terminal_safe(
                    f"fix undone: fact {done.current.id} is current again: {done.current.text}"
                )
            )
            return 0
        if not value:
            return _fail("give the new value, e.g. `briefbot fix 36 35%`")
        done = corrections.fix(fact_id, value, _who(args), args.because or "", now, detail_for(target.report))
    except CorrectionError as error:
        return _fail(error)
    note = done.current.correction_note()
    print(
        adapters.terminal_safe(
            f"fact {done.replaced.id} -> fact {done.current.id}: {done.current.text} ({note})"
        )
    )
    return 0


def cmd_forget(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """Retract an article by id or URL: its facts stop being current, the versions before come back."""
    from facts.corrections import CorrectionError, Corrections

    try:
        done = Corrections(store).forget(args.article, _who(args), parse_now(args.now))
    except CorrectionError as error:
        return _fail(error)
    print(
        adapters.terminal_safe(
            f"retracted article {done.document_id} “{done.title}”: {len(done.withdrawn)} facts withdrawn, "
            f"{len(done.restored)} earlier versions current again"
        )
    )
    return 0


def cmd_audit(args: argparse.Namespace, store: FactStore, settings: Settings, adapters: Adapters) -> int:
    """List every fix, undo and retraction: who, when, what."""
    from facts.corrections import Corrections

    entries = Corrections(store).audit()
    if args.json:
        print(dumps([e.to_json() for e in entries], indent=1))
        return 0
    if not entries:
        print("No fixes, undos or retractions yet.")
    for entry in entries:
        because = f" because: {entry.reason}" if entry.reason else ""
        line = f"{entry.at:%Y-%m-%d %H:%M} UTC  {entry.action:<6}  {entry.by}  {entry.what()}{because}"
        print(adapters.terminal_safe(line))
    return 0


def add_corrections_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `articles`, `fix`, `forget` and `audit`."""
    articles = sub.add_parser("articles", help="stored articles with ids and their current facts")
    articles.add_argument("--topic")
    articles.add_argument("--json", action="store_true")
    articles.set_defaults(func=cmd_articles)

    fix = sub.add_parser("fix", help="correct a fact (or undo a fix with --undo)")
    fix.add_argument(
        "fact_id", metavar="FACT_ID", help="a fact id, or a 👎 report as `feedback` lists it (r12)"
    )
    fix.add_argument("value", metavar="VALUE", nargs="*", help="the new value: 35%%, December 16, 2025, …")
    fix.add_argument("--undo", action="store_true", help="take back the fix of FACT_ID")
    fix.add_argument("--because", help="why (kept in the audit and the provenance)")
    fix.add_argument("--by", help="who is fixing it (default: your login name)")
    fix.add_argument("--now", help=argparse.SUPPRESS)
    fix.set_defaults(func=cmd_fix)

    forget = sub.add_parser("forget", help="retract an article: its facts stop being current")
    forget.add_argument("article", metavar="ARTICLE_ID|URL")
    forget.add_argument("--by", help="who is retracting it (default: your login name)")
    forget.add_argument("--now", help=argparse.SUPPRESS)
    forget.set_defaults(func=cmd_forget)

    audit = sub.add_parser("audit", help="every fix, undo and retraction: who, when, what")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(func=cmd_audit)
