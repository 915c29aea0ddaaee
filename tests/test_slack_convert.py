"""Pure Slack converters: recorded payloads -> Incoming, messages -> valid Block Kit with escaped article text."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from adapters.slack.convert import (
    blocks_for,
    escape,
    fallback_text,
    home_view,
    incoming_from_command,
    incoming_from_dm,
    incoming_from_mention,
    is_ephemeral,
    is_person_dm,
    plain_words,
)
from bot.messages import Citation, Field, Message
from tests.fakes.slack_api import BOT_USER_ID, block_errors

BROKEN_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
FIXTURES = Path(__file__).parent / "fixtures" / "slack"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


SOURCE = Citation(
    "U.S. and China resume TikTok talks", date(2025, 9, 15), "https://example.com/a?b=1&c=2", "2 days old"
)


def test_slash_command_text_goes_in_verbatim() -> None:
    body = fixture("slash_command")
    body["text"] = "  subscribe tariffs tiktok "
    incoming = incoming_from_command(body)
    assert (incoming.platform, incoming.channel, incoming.user) == ("slack", "C0TRADE001", "U0ALICE001")
    assert incoming.text == "subscribe tariffs tiktok"
    assert not incoming.is_direct and incoming.thread is None and incoming.event_id is None


def test_slash_command_in_a_dm_is_direct() -> None:
    body = fixture("slash_command") | {"channel_id": "D0ALICEDM1", "channel_name": "directmessage"}
    assert incoming_from_command(body).is_direct


def test_mention_strips_the_bot_and_threads_under_the_message() -> None:
    incoming = incoming_from_mention(fixture("app_mention"), BOT_USER_ID)
    assert incoming.text == "what's the tariff rate?"
    assert incoming.thread == "1726401234.000200"
    assert incoming.event_id == "Ev0MENTION01" and incoming.channel == "C0TRADE001"


def test_mention_inside_a_thread_stays_in_that_thread() -> None:
    body = fixture("app_mention")
    body["event"]["thread_ts"] = "1726400000.000100"
    assert incoming_from_mention(body, BOT_USER_ID).thread == "1726400000.000100"


def test_typed_markup_becomes_plain_words() -> None:
    text = "<@UBRIEFBOT> rate for <#C0TRADE001|trade-desk> &amp; <https://x.test/a|this> &lt;now&gt; <!here>"
    assert plain_words(text, BOT_USER_ID) == "rate for #trade-desk & this <now> @here"
    assert plain_words("<@UOTHER> hi", None) == "hi"


def test_dm_is_direct_and_unthreaded() -> None:
    body = fixture("message_im")
    assert is_person_dm(body["event"])
    incoming = incoming_from_dm(body, BOT_USER_ID)
    assert incoming.is_direct and incoming.thread is None
    assert incoming.text == "when is the TikTok deadline?" and incoming.channel == "D0ALICEDM1"


def test_bot_posts_edits_and_channel_messages_are_not_person_dms() -> None:
    event = fixture("message_im")["event"]
    assert not is_person_dm(event | {"bot_id": "B1"})
    assert not is_person_dm(event | {"subtype": "message_changed"})
    assert not is_person_dm(event | {"channel_type": "channel"})
    assert not is_person_dm(event | {"text": "   "})


def test_escape_defuses_mentions_and_markup() -> None:
    assert escape("<!channel> <@U123> a & b <x>") == "&lt;!channel&gt; &lt;@U123&gt; a &amp; b &lt;x&gt;"


def test_article_text_never_pings_anywhere_in_the_blocks() -> None:
    message = Message(
        text="x",
        kind="answer",
        title="Alert <!here>",
        lines=("Duties are 30% <!channel> says <@U0ALICE001> & co",),
        fields=(Field("Rate <!everyone>", "30% <@W123>"),),
        citations=(Citation("Title <!channel>", date(2025, 9, 15), "", "1 day old <!here>"),),
    )
    blocks = blocks_for(message)
    rendered = all_text(blocks) + fallback_text(message)
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U0ALICE001>", "<@W123>"):
        assert raw not in rendered
    assert "&lt;!channel&gt;" in rendered and "&amp; co" in rendered
    assert block_errors(blocks) == []


def test_answer_renders_lines_then_a_context_with_source_date_and_age() -> None:
    message = Message(
        text="• U.S. duties stand at 30% on Chinese goods\nSource: …",
        kind="answer",
        lines=("U.S. duties stand at 30% on Chinese goods",),
        citations=(SOURCE,),
    )
    blocks = blocks_for(message)
    assert [b["type"] for b in blocks] == ["section", "context"]
    assert blocks[0]["text"]["text"] == "• U.S. duties stand at 30% on Chinese goods"
    context = blocks[1]["elements"][0]["text"]
    assert "September 15, 2025" in context and "2 days old" in context
    assert "<https://example.com/a?b=1&c=2|U.S. and China resume TikTok talks>" in context
    assert block_errors(blocks) == []


def test_a_qa_answer_shows_each_line_and_each_source_once() -> None:
    from types import SimpleNamespace

    from bot.answers import render_answer
    from facts.models import Source

    def source(title: str, day: int) -> Source:
        return Source(title=title, published=date(2025, 9, day), url="", sentence="…", document_id=day)

    lines = ["U.S. duties on Chinese goods: 30%", "Chinese duties on U.S. goods: 10%"]
    citation = "Source: “Truce extended” (published 2025-09-15); “Duties cut” (published 2025-09-16)"
    found = SimpleNamespace(
        answered=True,
        text="\n".join([*lines, citation, "Note: question cut to 500 characters."]),
        lines=lines,
        sources=[source("Truce extended", 15), source("Duties cut", 16), source("Truce extended", 15)],
        notes=["question cut to 500 characters"],
        citations_age="",
        suggestions=[],
    )
    message = render_answer(found, date(2025, 9, 17))
    assert message.title == "" and message.text == found.text
    rendered = all_text(blocks_for(message))
    for part in (*lines, "Truce extended", "Duties cut", "question cut to 500 characters"):
        assert rendered.count(part) == 1, part
    assert "Source:" not in rendered  # the plain "Source:" line is the fallback text's, not a block's
    assert "Truce extended" in fallback_text(message)


def test_plain_text_message_renders_its_text() -> None:
    blocks = blocks_for(Message(text="Subscribed this channel to tariffs.", kind="info"))
    assert [(b["type"], b["text"]["text"]) for b in blocks] == [
        ("section", "Subscribed this channel to tariffs.")
    ]


def test_several_sources_are_numbered_like_the_line_markers() -> None:
    other = Citation("Second article", date(2025, 9, 20))
    message = Message(
        text="t", kind="briefing", title="Daily", lines=("a [1]", "b [2]"), citations=(SOURCE, other)
    )
    context = [b for b in blocks_for(message) if b["type"] == "context"][0]["elements"]
    assert context[0]["text"].startswith("[1] ") and context[1]["text"].startswith("[2] ")


def test_huge_messages_stay_within_block_kit_limits() -> None:
    lines = tuple(f"line {n} " + "word & " * 120 for n in range(400))
    fields = tuple(Field(f"label {n}", "v" * 2500) for n in range(25))
    message = Message(
        text="t", kind="briefing", title="T" * 400, lines=lines, fields=fields, citations=(SOURCE,) * 12
    )
    blocks = blocks_for(message)
    assert block_errors(blocks) == []
    assert len(blocks) == 50 and blocks[-1]["type"] == "context"
    texts = [b["text"]["text"] for b in blocks if "text" in b]
    assert not [t for t in texts if BROKEN_ENTITY.search(t)]
    assert block_errors(home_view(message)["blocks"], 100) == []
    assert len(fallback_text(message)) <= 4000


def test_one_long_unbroken_word_is_split_without_breaking_an_entity() -> None:
    blocks = blocks_for(Message(text="&" * 5000, kind="info"))
    assert block_errors(blocks) == []
    assert len(blocks) == 9
    assert all(not BROKEN_ENTITY.search(part["text"]["text"]) for part in blocks)


def test_errors_and_help_are_ephemeral() -> None:
    assert is_ephemeral(Message(text="no", kind="error"))
    assert is_ephemeral(Message(text="usage", kind="help"))
    assert is_ephemeral(Message(text="x", kind="info", ephemeral=True))
    assert not is_ephemeral(Message(text="30%", kind="answer"))


def test_a_decline_shows_its_closest_passages_as_context_marked_not_an_answer() -> None:
    from bot.messages import RELATED_HEADING, Passage

    message = Message(
        text="I don't have a confident answer. …",
        kind="decline",
        lines=("I don't have a confident answer.",),
        related=(
            Passage(
                "Duties rose to 25% <!channel> on steel.",
                "Steel <@U1> talks",
                date(2025, 9, 15),
                "https://x.test/a",
            ),
            Passage("Talks resume in Madrid.", "Madrid talks", date(2025, 9, 16)),
        ),
    )
    blocks = blocks_for(message)
    assert block_errors(blocks) == []
    [context] = [b for b in blocks if b["type"] == "context"]
    texts = [e["text"] for e in context["elements"]]
    assert texts[0] == f"*{RELATED_HEADING}:*"
    assert "“Duties rose to 25% &lt;!channel&gt; on steel.”" in texts[1] and "<https://x.test/a|" in texts[1]
    assert "<!channel>" not in all_text(blocks) and "<@U1>" not in all_text(blocks)
    assert "Talks resume in Madrid." in texts[2] and "September 16, 2025" in texts[2]


HOSTILE = "<!channel> @everyone <@U123> <!here> [click](https://evil.example/x)"


def test_article_text_and_urls_never_ping_or_link_anything_but_http() -> None:
    citations = (
        Citation(HOSTILE, date(2025, 9, 15), "https://evil.example/<!here>"),
        Citation("Scripted", date(2025, 9, 15), "javascript:alert(1)"),
        Citation("Inline", date(2025, 9, 15), "data:text/html,<b>x</b>"),
    )
    message = Message(HOSTILE, kind="answer", lines=(HOSTILE,), citations=citations)
    blocks = blocks_for(message)
    text = all_text(blocks) + fallback_text(message)
    assert not re.search(r"<[!@#]", text)  # no <!channel>, <!here>, <@U…> anywhere
    assert "@everyone" not in text and "@\u200beveryone" in text  # inert even if copied into Slack
    assert "<https://evil.example/%3C!here%3E|" in text
    assert "javascript:" not in text and "data:" not in text  # shown as plain titles, not links
    assert "Scripted · September 15, 2025" in text
    assert block_errors(blocks) == []
