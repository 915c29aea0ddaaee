"""BriefBot: the chat-neutral core every adapter calls; commands in, messages out."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from bot import channels as store_channels
from bot import ratings
from bot.answers import render_answer
from bot.briefing import upcoming
from bot.commands import (
    EDITING,
    FEED_COMMANDS,
    HELP,
    MANAGING,
    Command,
    CommandError,
    check_topics,
    parse,
    parse_settings,
)
from bot.due import local_day, next_post_at
from bot.messages import ANSWER_ID, Field, Incoming, Message, Vote
from bot.metrics import record_question
from bot.text import CitationList, make_message
from facts.qa.render import DatedLayout, dated_line
from facts.store import FactStore
from facts.topics import Taxonomy, load_taxonomy

logger = logging.getLogger(__name__)

MAX_DEADLINE_LINES = 15
FAILED = "Sorry, something went wrong while answering that. Please try again in a moment."
THANKS = "Thanks, noted."
NOTHING_TO_RATE = "There is no answer in this channel to rate yet: ask a question first."
UNKNOWN_ANSWER = "I no longer know that answer, so I can't record a rating for it. Ask again to rate it."
# The message kinds a question ends in (bot.answers): answered, or declined with suggestions.
QUESTION_KINDS = {"answer": True, "decline": False}
NOT_EDITOR = (
    "Sorry, only editors can use `{name}`: people with Manage Channels on Discord, or workspace admins "
    "and the editors listed in BRIEFBOT_EDITORS on Slack. Nothing was changed."
)


@dataclass(frozen=True)
class CoreOptions:
    """What the core takes from Settings: the topics file (empty: the shipped taxonomy)."""

    topics_file: str = ""
    # BRIEFBOT_FETCH_ALLOW: internal hosts `add <link>` may fetch after all.
    fetch_allow: str = ""

    @classmethod
    def from_settings(cls, settings: object) -> CoreOptions:
        """Options from a bot.config.Settings."""
        return cls(
            topics_file=getattr(settings, "topics_file", "") or "",
            fetch_allow=getattr(settings, "fetch_allow", "") or "",
        )


class BriefBot:
    """Implements bot.messages.BotCore: one `handle` for every platform; the clock is injected."""

    def __init__(
        self, store: FactStore, now: Callable[[], datetime], options: CoreOptions | None = None
    ) -> None:
        self.store = store
        self.now = now
        self.options = options or CoreOptions()

    @property
    def taxonomy(self) -> Taxonomy:
        """The topic taxonomy channels choose from."""
        return load_taxonomy(self.options.topics_file or None)

    # -- BotCore -------------------------------------------------------------------------------------

    async def handle(self, incoming: Incoming) -> list[Message]:
        """Answer one command or question; the database and Q&A work runs in a thread."""
        started = time.perf_counter()
        try:
            messages = await asyncio.to_thread(self.handle_sync, incoming)
        except Exception:
            # One place for every platform: the person gets a polite line, the log gets the traceback.
            logger.exception(
                "could not answer %s/%s: %r", incoming.platform, incoming.channel, incoming.text[:200]
            )
            return [make_message("error", FAILED, ephemeral=True)]
        for message in messages:
            # Only a question yields these kinds; a malformed `ask` is an error, not a question answered.
            answered = QUESTION_KINDS.get(message.kind)
            if answered is not None:
                record_question(incoming.platform, answered, time.perf_counter() - started)
        return messages

    async def first_time(self, event_key: str) -> bool:
        """Record a platform event id; False when seen before (a retry to ignore)."""
        return await asyncio.to_thread(store_channels.first_time, self.store.engine, event_key, self.now())

    async def overview(self, platform: str) -> Message:
        """Upcoming deadlines and which channels follow each topic (Slack's App Home)."""
        return await asyncio.to_thread(self._overview, platform)

    async def rate(self, vote: Vote) -> Message:
        """Record a 👍/👎 (and its "what would be right?" text) on a logged answer; the private reply."""
        try:
            outcome, thanks = await asyncio.to_thread(self._vote, vote)
        except ratings.UnknownAnswer:
            logger.info("a %s vote on unknown answer %s from %s", vote.vote, vote.answer_id, vote.platform)
            return make_message("error", UNKNOWN_ANSWER, ephemeral=True)
        except Exception:
            logger.exception("could not record a %s vote on answer %s", vote.vote, vote.answer_id)
            return make_message("error", FAILED, ephemeral=True)
        logger.info("answer %s rated %s (%s) on %s", vote.answer_id, vote.vote, outcome, vote.platform)
        return make_message("info", thanks, ephemeral=True)

    def _vote(self, vote: Vote) -> tuple[str, str]:
        """Record a vote; what it did, and the thanks (a 👎 says how an editor fixes it from the report)."""
        outcome = ratings.record_vote(self.store.engine, vote, self.now())
        if vote.vote != "down":
            return outcome, THANKS
        rating = ratings.rating_of(self.store.engine, vote.answer_id, vote.user)
        return outcome, thanks_for_report(rating) if rating is not None else THANKS

    async def topic_names(self) -> list[str]:
        """The topics a channel can follow."""
        return self.taxonomy.names

    async def channel_gone(self, platform: str, channel: str) -> None:
        """Stop scheduled posts to a channel the bot was removed from."""
        await asyncio.to_thread(store_channels.set_active, self.store.engine, platform, channel, False)
        logger.info("channel %s/%s is gone; scheduled posts stop", platform, channel)

    # -- commands ------------------------------------------------------------------------------------

    def handle_sync(self, incoming: Incoming) -> list[Message]:
        """`handle`, on the calling thread."""
        try:
            command = parse(incoming.text)
            if command.name in EDITING and not incoming.can_edit_facts:
                return [make_message("error", NOT_EDITOR.format(name=command.name), ephemeral=True)]
            if command.name in MANAGING and command.args and not incoming.can_manage_channel:
                return [
                    make_message(
                        "error",
                        f"Only people who can manage this channel can use `{command.name}` here.",
                        ephemeral=True,
                    )
                ]
            return [self._run(command, incoming)]
        except CommandError as error:
            return [make_message("error", str(error), ephemeral=True)]

    def _run(self, command: Command, incoming: Incoming) -> Message:
        name = command.name
        if name == "help":
            return make_message("help", "briefbot commands", HELP, ephemeral=True)
        if name == "ask":
            return self._ask(command.question, incoming)
        if name == "rate":
            return self._rate_last(command, incoming)
        if name == "topics":
            return self._topics()
        if name == "add":
            from bot.add_article import add_article  # fetching loads httpx and trafilatura: only when used

            allow = self.options.fetch_allow
            return add_article(self.store, command.args[0], allow, self.now(), self.taxonomy)
        if name == "deadlines":
            topics = check_topics(command.args, self.taxonomy.names) if command.args else None
            return self._deadlines(incoming, topics)
        if name in FEED_COMMANDS:
            return self._feeds(command, incoming)
        if name in ("fix", "forget", "articles"):
            return self._corrections(command, incoming)
        channel = store_channels.ensure_channel(
            self.store.engine, incoming.platform, incoming.channel, self.now()
        )
        if name == "subscribe":
            return self._subscribe(channel, command)
        if name == "unsubscribe":
            return self._unsubscribe(channel, command)
        if name == "settings" and command.args:
            change = parse_settings(command.args)
            channel = store_channels.update_settings(
                self.store.engine, channel, self.now(), change.post_time, change.timezone
            )
            return self._describe(channel, "Settings saved.")
        return self._describe(channel, "")

    def _feeds(self, command: Command, incoming: Incoming) -> Message:
        from bot.feed_chat import FeedManager, feed_message, parse_feed_command

        request = parse_feed_command(command.name, command.args, self.taxonomy.names)
        if request.action != "list" and not incoming.can_manage_channel:
            # As subscribing: the right to manage the channel; anyone may list the feeds.
            raise CommandError(
                f"Only people who can manage this channel can use `feed {request.action}` here."
            )
        manager = FeedManager(self.store, self.now)
        return feed_message(manager, request, f"{incoming.platform}/{incoming.channel}")

    def _corrections(self, command: Command, incoming: Incoming) -> Message:
        from bot import corrections_chat

        if command.name == "fix":
            return corrections_chat.fix_message(self.store, incoming, command.args[0], self.now())
        if command.name == "forget":
            return corrections_chat.forget_message(self.store, incoming, command.args, self.now())
        return corrections_chat.articles_message(self.store, command.args, lambda: self.taxonomy.names)

    def _ask(self, question: str, incoming: Incoming) -> Message:
        from facts.qa import Config, answer  # imported on first question: Q&A loads its indexes lazily

        now = self.now()
        found = answer(self.store, question, now, Config(topics_file=self.options.topics_file or None))
        message = render_answer(found, local_day(now, self._timezone(incoming)))
        try:
            answer_id = ratings.log_answer(
                self.store.engine, incoming.platform, incoming.channel, incoming.user, question, found, now
            )
        except SQLAlchemyError as error:  # a store that refuses writes still answers, unrated
            logger.warning("could not log the answer for rating: %s", str(error).splitlines()[0][:200])
            return message
        return replace(message, extra={**message.extra, ANSWER_ID: answer_id})

    def _rate_last(self, command: Command, incoming: Incoming) -> Message:
        last = ratings.last_answer(self.store.engine, incoming.platform, incoming.channel)
        if last is None:
            raise CommandError(NOTHING_TO_RATE)
        correction = command.args[1] if len(command.args) > 1 else None
        vote = Vote(incoming.platform, incoming.channel, incoming.user, last.id, command.args[0], correction)
        return make_message("info", self._vote(vote)[1], ephemeral=True)

    def _timezone(self, incoming: Incoming) -> str:
        found = store_channels.find_channel(self.store.engine, incoming.platform, incoming.channel)
        return found.timezone if found else store_channels.DEFAULT_TIMEZONE

    def _topics(self) -> Message:
        counts = self.store.topic_counts()
        names = self.taxonomy.names
        lines = [f"{name} — {_facts(counts.get(name, 0))}" for name in names]
        return make_message("info", "Topics a channel can follow (subscribe <topic>):", lines, topics=names)

    def _deadlines(self, incoming: Incoming, topics: list[str] | None) -> Message:
        today = local_day(self.now(), self._timezone(incoming))
        found = upcoming(self.store, today, topics)
        scope = f" on {', '.join(topics)}" if topics else ""
        if not found:
            return make_message("info", f"No upcoming deadlines{scope}.")
        refs = CitationList(today)
        lines = []
        for fact in found[:MAX_DEADLINE_LINES]:
            lines.append(dated_line(fact, today, layout=DatedLayout.COUNTDOWN_LIST) + refs.ref(fact.source))
        if len(found) > MAX_DEADLINE_LINES:
            lines.append(
                f"…and {len(found) - MAX_DEADLINE_LINES} more; narrow it down with `deadlines <topic>`"
            )
        return make_message(
            "info",
            f"Upcoming deadlines{scope}, from {today:%B} {today.day}:",
            _unmarked(lines, refs),
            refs.items,
        )

    def _subscribe(self, channel: store_channels.Channel, command: Command) -> Message:
        topics = check_topics(command.args, self.taxonomy.names)
        added = store_channels.subscribe(self.store.engine, channel, topics, self.now())
        channel = self._reload(channel)
        said = f"Now following {', '.join(added)}." if added else f"Already following {', '.join(topics)}."
        return self._describe(channel, said)

    def _unsubscribe(self, channel: store_channels.Channel, command: Command) -> Message:
        if [a.lower() for a in command.args] == ["all"]:
            dropped = store_channels.unsubscribe(self.store.engine, channel, None)
        else:
            topics = check_topics(command.args, self.taxonomy.names, allow_all=True)
            not_followed = [t for t in topics if t not in channel.topics]
            if not_followed and len(not_followed) == len(topics):
                following = ", ".join(channel.topics) or "nothing yet"
                raise CommandError(
                    f"This channel does not follow {', '.join(not_followed)}. It follows: {following}."
                )
            dropped = store_channels.unsubscribe(self.store.engine, channel, topics)
        channel = self._reload(channel)
        said = f"Stopped following {', '.join(dropped)}." if dropped else "This channel followed nothing."
        return self._describe(channel, said)

    def _reload(self, channel: store_channels.Channel) -> store_channels.Channel:
        found = store_channels.find_channel(self.store.engine, channel.platform, channel.key)
        assert found is not None
        return found

    def _describe(self, channel: store_channels.Channel, said: str) -> Message:
        following = ", ".join(channel.topics) if channel.topics else "nothing yet (try `subscribe tariffs`)"
        fields = [
            Field("Following", following),
            Field("Daily post", f"{channel.post_time} {channel.timezone}"),
        ]
        if channel.topics:
            nxt = next_post_at(channel, self.now()).astimezone(ZoneInfo(channel.timezone))
            fields.append(Field("Next post", f"{nxt:%a %d %b %H:%M} {channel.timezone}"))
        return make_message("info", said or "This channel's subscriptions:", (), (), fields)

    def _overview(self, platform: str) -> Message:
        now = self.now()
        today = now.date()
        refs = CitationList(today)
        lines = []
        for fact in upcoming(self.store, today, None)[:MAX_DEADLINE_LINES]:
            lines.append(dated_line(fact, today, layout=DatedLayout.COUNTDOWN_LIST) + refs.ref(fact.source))
        following = store_channels.followers(self.store.engine, platform)
        fields = [Field(topic, ", ".join(keys)) for topic, keys in following.items()]
        return make_message(
            "info",
            "Upcoming deadlines" if lines else "No upcoming deadlines",
            _unmarked(lines, refs),
            refs.items,
            fields,
            followers=following,
        )


def thanks_for_report(rating: ratings.Rating) -> str:
    """The private thanks for a 👎: its report id, and how an editor fixes the answer's fact from it."""
    ref = ratings.report_ref(rating.id)
    if rating.answer.answered and rating.answer.fact_ids:
        return f"{THANKS} An editor can correct it with `fix {ref} <right value>`."
    return f"{THANKS} (report {ref})"


def _unmarked(lines: list[str], refs: CitationList) -> list[str]:
    """The lines without their " [1]" markers when they all cite one source (nothing to tell apart)."""
    return lines if refs.markers_needed() else [line.removesuffix(" [1]") for line in lines]


def _facts(n: int) -> str:
    return "1 fact" if n == 1 else f"{n} facts"
