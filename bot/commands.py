"""The one command set for every platform: parsing, help text and friendly errors (pure)."""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.due import parse_post_time
from facts.limits import cut_typed

logger = logging.getLogger(__name__)

# Feeds are managed with `feed add|remove …` and listed with `feeds` (bot/feed_chat.py).
FEED_COMMANDS = ("feed", "feeds")
# Fixing facts and retracting articles change what every channel is told (bot/corrections_chat.py).
EDITING = frozenset({"fix", "forget"})
COMMANDS = (
    "ask",
    "deadlines",
    "topics",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "settings",
    *FEED_COMMANDS,
    "help",
    "add",
    "rate",
    "articles",
    "fix",
    "forget",
)
MANAGING = frozenset({"subscribe", "unsubscribe", "settings"})
TZ_EXAMPLES = "UTC, Europe/Berlin, America/New_York, Asia/Tokyo"
# A topic or time zone name is short: an error quotes at most this much of a word it did not understand.
MAX_ECHO = 60
MAX_LINK = 2048
# `rate up` / `rate down …`; the emoji too, as the buttons show them.
RATE_WORDS = {"up": "up", "down": "down", "👍": "up", "👎": "down"}
RATE_USAGE = "Rate the last answer here with `rate up` or `rate down [what would be right]`."
_QUESTION_START = re.compile(
    r"^(what|whats|what's|when|who|whos|who's|where|why|how|which|is|are|was|were|will|did|does|do|can|has|have)\b",
    re.IGNORECASE,
)

HELP = (
    "I keep the facts of the negotiations in the news and answer with their sources.",
    "ask <question>  (or just type a question) — e.g. ask what's the tariff on Chinese imports?",
    "deadlines [topic ...] — upcoming deadlines and dated events, with countdowns",
    "topics — the topics a channel can follow, with how many current facts each has",
    "subscribe <topic> [topic ...] — this channel gets a daily countdown, reminders and update posts",
    "unsubscribe <topic> [topic ...] | unsubscribe all",
    "subscriptions — what this channel follows, its post time and time zone",
    "settings time 09:00 tz Europe/Berlin — when the daily post goes out (default 09:00 UTC)",
    "add <link> — read a web article now and keep its facts (answers cite it)",
    "feed add <url> [topic ...] [every 30] — poll an RSS or Atom feed for new articles (every 15 min)",
    "feeds — the feeds polled, with their last success, last error and entries taken",
    "feed remove <url|number> — stop polling a feed",
    "rate up | rate down [what would be right] — rate the last answer here (answers in Slack and Discord "
    "have 👍/👎 buttons)",
    "articles [topic] — recent articles with their ids and how many current facts each has",
    "fix <fact> <new value> [because …] — correct a fact: its id, `last` for the last answer here, or a 👎 "
    "report (r12)",
    "fix undo <fact> — take a fix back; the version before is current again",
    "forget <article id or url> — retract an article: its facts stop being current",
    "(fix and forget: Manage Channels on Discord, workspace admins and BRIEFBOT_EDITORS on Slack)",
    "help — this list",
)


class CommandError(ValueError):
    """A command that cannot run as typed; the message is short, friendly and lists the valid choices."""


@dataclass(frozen=True)
class Command:
    """A parsed command line: its name and its arguments (for ask, the question as one argument)."""

    name: str
    args: tuple[str, ...] = ()

    @property
    def question(self) -> str:
        """The question of an ask command."""
        return " ".join(self.args)


def parse(text: str) -> Command:
    """Read a command line; a line that is not a command is a question. Raises CommandError for typos."""
    line = " ".join(text.strip().split())
    if not line:
        return Command("help")
    word, _, rest = line.partition(" ")
    name = word.lower().lstrip("/")
    if name == "rate":
        rated = _rate(rest)
        if rated is not None:
            return rated
        if not rest:
            raise CommandError(RATE_USAGE)
        # "rate on Chinese goods?": words after "rate" that are no vote make a question.
        return Command("ask", (line,))
    if name in COMMANDS:
        if name == "ask":
            if not rest.strip():
                raise CommandError("Ask me a question, e.g. `ask when is the TikTok deadline?`")
            return Command("ask", (rest.strip(),))
        if name == "add":
            return Command("add", (link_argument(rest),))
        if name == "fix":
            # Read whole: a reason over the limit is refused, not cut (bot/corrections_chat.py).
            return Command("fix", (rest.strip(),))
        # Arguments are read like a question is: only the first MAX_TYPED characters.
        args = tuple(a for a in re.split(r"[\s,]+", cut_typed(rest)[0]) if a)
        return Command(name, args)
    looks_like_question = "?" in line or _QUESTION_START.match(line) or len(line.split()) > 2
    close = difflib.get_close_matches(name, COMMANDS, n=1, cutoff=0.75)
    if close and not looks_like_question:
        raise CommandError(
            f"Unknown command `{echo(word)}`. Did you mean `{close[0]}`? Commands: {', '.join(COMMANDS)}."
        )
    return Command("ask", (line,))


def _rate(rest: str) -> Command | None:
    """`rate up|down [what would be right]`, or None when the words after "rate" are a question's."""
    vote_word, _, correction = rest.partition(" ")
    vote = RATE_WORDS.get(vote_word.lower())
    if vote is None:
        return None
    return Command("rate", (vote, cut_typed(correction.strip())[0]) if correction.strip() else (vote,))


def edits_facts(text: str) -> bool:
    """True when a command line would change facts (fix, forget): adapters then look up the right to."""
    word = text.strip().split(" ", 1)[0].lower().lstrip("/")
    return word in EDITING


def link_argument(rest: str) -> str:
    """The one link after `add`: Slack's <url> or <url|label> unwrapped; CommandError without one."""
    words = rest.split()
    if len(words) != 1:
        raise CommandError("Give me one link to read, e.g. `add https://example.com/story.html`.")
    word = words[0]
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1].split("|", 1)[0]
    if len(word) > MAX_LINK:
        raise CommandError(f"That link is over {MAX_LINK} characters; give the article's own address.")
    if not re.match(r"^https?://", word, re.IGNORECASE):
        raise CommandError(f"`{echo(word)}` is not a web link: give an http(s) address.")
    return word


def echo(word: str) -> str:
    """A word the person typed, as an error quotes it: at most MAX_ECHO characters."""
    return word if len(word) <= MAX_ECHO else word[: MAX_ECHO - 1] + "…"


def check_topics(names: tuple[str, ...], valid: list[str], allow_all: bool = False) -> list[str]:
    """Topic names lower-cased and checked against the taxonomy; CommandError names the valid ones."""
    if not names:
        extra = " (or `all`)" if allow_all else ""
        raise CommandError(f"Which topics{extra}? Topics: {', '.join(valid)}.")
    out = []
    for raw in names:
        name = raw.lower().lstrip("#")
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
            hint = f" Did you mean `{close[0]}`?" if close else ""
            raise CommandError(f"Unknown topic `{echo(raw)}`.{hint} Topics: {', '.join(valid)}.")
        out.append(name)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class SettingsChange:
    """A requested change of a channel's post time and/or time zone (None: unchanged)."""

    post_time: str | None = None
    timezone: str | None = None


def parse_settings(args: tuple[str, ...]) -> SettingsChange:
    """Read `time 09:00 tz Europe/Berlin` (either part optional); CommandError explains what is accepted."""
    post_time = timezone = None
    usage = "Use e.g. `settings time 09:00 tz Europe/Berlin`."
    words = list(args)
    while words:
        word = words.pop(0).lower()
        if word in ("time", "at") and words:
            value = words.pop(0)
            try:
                parsed = parse_post_time(value)
            except ValueError:
                raise CommandError(
                    f"`{echo(value)}` is not a time. Give hours and minutes, 00:00 to 23:59. {usage}"
                ) from None
            post_time = f"{parsed:%H:%M}"
        elif word in ("tz", "timezone", "zone") and words:
            timezone = check_timezone(words.pop(0))
        else:
            raise CommandError(f"I don't understand `{echo(word)}` there. {usage}")
    return SettingsChange(post_time, timezone)


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def check_timezone(name: str) -> str:
    """An IANA time zone name in its proper spelling; CommandError suggests near ones."""
    proper = _zones().get(name.lower())
    if proper is None and name.upper() == "UTC":
        proper = "UTC"
    if proper is not None:
        try:
            ZoneInfo(proper)
            return proper
        except (ZoneInfoNotFoundError, ValueError):
            pass
    close = difflib.get_close_matches(name.lower(), list(_zones()), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(_zones()[c] for c in close)}?" if close else ""
    raise CommandError(f"Unknown time zone `{echo(name)}`.{hint} Use an IANA name such as {TZ_EXAMPLES}.")
