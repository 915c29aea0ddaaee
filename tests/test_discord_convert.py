"""The Discord converters: recorded interaction payloads -> Incoming, Message -> embed (pure, no network)."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.discord.convert import (
    EMBED_TOTAL_LIMIT,
    can_manage,
    command_text,
    focused_value,
    incoming_from_interaction,
    incoming_from_mention,
    strip_mentions_of,
    to_content,
    to_embed,
    topic_choices,
)
from bot.messages import Citation, Field, Message
from tests.fakes.discord_api import load_fixture

EVERYONE_ROLE_PERMISSIONS = "2248473465835073"  # the fixture guild's @everyone: no Manage Channels
EDITOR_PERMISSIONS = "2248473465835089"  # @everyone + Manage Channels


def subcommand(name: str, **options: str) -> dict:
    return {
        "name": "brief",
        "type": 1,
        "options": [
            {
                "name": name,
                "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
            }
        ],
    }


@pytest.mark.parametrize(
    ("name", "options", "text"),
    [
        ("ask", {"question": "what's the tariff rate?"}, "ask what's the tariff rate?"),
        ("subscribe", {"topic": "tariffs"}, "subscribe tariffs"),
        ("unsubscribe", {"topic": "tiktok"}, "unsubscribe tiktok"),
        ("deadlines", {}, "deadlines"),
        ("topics", {}, "topics"),
        ("subscriptions", {}, "subscriptions"),
        ("settings", {"time": "09:00", "tz": "Europe/Berlin"}, "settings time 09:00 tz Europe/Berlin"),
        ("settings", {"tz": "Asia/Tokyo"}, "settings tz Asia/Tokyo"),
        ("settings", {}, "settings"),
        ("help", {}, "help"),
    ],
)
def test_every_subcommand_becomes_the_core_command_line(name: str, options: dict, text: str) -> None:
    assert command_text(subcommand(name, **options)) == text


def test_recorded_command_payload_becomes_incoming() -> None:
    incoming = incoming_from_interaction(load_fixture("interaction_create_command"))
    assert incoming.platform == "discord"
    assert incoming.channel == "1300000000000000001"
    assert incoming.user == "1400000000000000001"
    assert incoming.text == "subscribe tariffs"
    assert incoming.can_manage_channel is True
    assert incoming.is_direct is False
    assert incoming.event_id == "discord:1600000000000000001"


def test_member_without_manage_channels_cannot_manage() -> None:
    payload = load_fixture("interaction_create_command")
    payload["member"]["permissions"] = EVERYONE_ROLE_PERMISSIONS
    assert incoming_from_interaction(payload).can_manage_channel is False
    assert can_manage(EDITOR_PERMISSIONS) and can_manage(1 << 3) and not can_manage(None)


def test_dm_interaction_is_direct_and_the_user_manages_it() -> None:
    payload = load_fixture("interaction_create_command")
    user = payload.pop("member")["user"]
    del payload["guild_id"], payload["guild"]
    payload["user"] = user
    incoming = incoming_from_interaction(payload)
    assert incoming.is_direct and incoming.can_manage_channel and incoming.user == user["id"]


def test_autocomplete_focused_value() -> None:
    assert focused_value(load_fixture("interaction_create_autocomplete")["data"]) == ("topic", "ta")
    assert focused_value(subcommand("help")) == ("", "")


def test_topic_choices_prefix_first_then_contains_capped_at_25() -> None:
    topics = ["tariffs", "trade-talks", "tiktok", "export-controls", "steel-aluminium"]
    assert topic_choices(topics, "t") == [
        "tariffs",
        "trade-talks",
        "tiktok",
        "export-controls",
        "steel-aluminium",
    ]
    assert topic_choices(topics, "ti") == ["tiktok"]
    assert topic_choices(topics, "co") == ["export-controls"]
    assert topic_choices(topics, "TA") == ["tariffs", "trade-talks"]
    assert topic_choices(topics, "") == topics
    assert len(topic_choices([f"topic-{i}" for i in range(40)], "")) == 25


def test_mention_text_strips_both_mention_forms_of_the_bot_only() -> None:
    assert strip_mentions_of("<@42> what's the rate?", 42) == "what's the rate?"
    assert strip_mentions_of("hey <@!42>  deadlines", 42) == "hey deadlines"
    assert strip_mentions_of("<@42> ask <@7>", 42) == "ask <@7>"
    mention = load_fixture("message_create_mention")
    incoming = incoming_from_mention(
        content=mention["content"],
        bot_id="1100000000000000001",
        channel=mention["channel_id"],
        user=mention["author"]["id"],
        message_id=mention["id"],
        is_direct=False,
        can_manage_channel=False,
    )
    assert incoming.text == "what's the tariff rate?" and incoming.event_id == "discord:1800000000000000001"


def answer(**kwargs: object) -> Message:
    base = {
        "text": "The US tariff on Chinese goods is 30%.\nSource: …",
        "kind": "answer",
        "title": "The US tariff on Chinese goods is 30%.",
        "citations": (
            Citation(
                "US and China reach TikTok framework", date(2025, 9, 15), "https://ex.com/a", "2 days old"
            ),
        ),
    }
    return Message(**(base | kwargs))  # type: ignore[arg-type]


def test_answer_embed_has_the_answer_as_body_and_source_in_footer() -> None:
    embed = to_embed(answer(lines=("US on China: 30%", "China on US: 10%"))).to_dict()
    assert "title" not in embed
    assert (
        embed["description"]
        == "The US tariff on Chinese goods is 30%.\n• US on China: 30%\n• China on US: 10%"
    )
    assert (
        embed["footer"]["text"]
        == "Source: US and China reach TikTok framework (September 15, 2025; 2 days old)"
    )


def test_info_embed_has_title_bulleted_lines_fields_and_numbered_sources() -> None:
    sources = (Citation("A", date(2025, 9, 15), "https://ex.com/a"), Citation("B", date(2025, 9, 16)))
    message = Message(
        "Upcoming deadlines…",
        kind="info",
        title="Upcoming deadlines",
        lines=("in 2 days — TikTok [1]", "in 56 days — truce [2]"),
        fields=(Field("Following", "tariffs, tiktok"), Field("Daily post", "09:00 UTC")),
        citations=sources,
    )
    embed = to_embed(message).to_dict()
    assert embed["title"] == "Upcoming deadlines"
    assert embed["description"] == "• in 2 days — TikTok [1]\n• in 56 days — truce [2]"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("Following", "tariffs, tiktok"),
        ("Daily post", "09:00 UTC"),
    ]
    assert embed["footer"]["text"] == "Sources: [1] A (September 15, 2025) · [2] B (September 16, 2025)"


def test_message_without_structure_is_its_text() -> None:
    embed = to_embed(Message("Now following tariffs.", kind="info"))
    assert embed.title is None and embed.description == "Now following tariffs." and embed.footer.text is None


def test_single_cited_titled_post_links_its_source() -> None:
    message = Message("x", kind="update", title="Tariff rate changed", citations=answer().citations)
    assert to_embed(message).url == "https://ex.com/a"


def test_mentions_in_article_text_are_neutralised() -> None:
    message = answer(
        title="@everyone the rate is 30% <@&123456789012345678> @here",
        text="@everyone <@1234567890123456789>",
    )
    description = to_embed(message).description or ""
    assert "@everyone" not in description and "@here" not in description and "<@&1" not in description
    assert "@\u200beveryone" in description
    assert "@everyone" not in to_content(message)


def test_huge_message_fits_discord_embed_limits() -> None:
    message = answer(
        title="T" * 400,
        text="x" * 5000,
        fields=tuple(Field(f"label {i}" * 30, "v" * 2000) for i in range(40)),
        citations=tuple(Citation("A" * 300, date(2025, 9, 15)) for _ in range(20)),
    )
    embed = to_embed(message)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert len(embed.title or "") <= 256 and len(embed.fields) <= 25
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)
    assert len(embed.footer.text or "") <= 2048


def test_a_decline_shows_its_closest_passages_as_an_embed_field() -> None:
    from bot.messages import RELATED_HEADING, Passage

    message = Message(
        text="I don't have a confident answer. …",
        kind="decline",
        lines=("I don't have a confident answer.",),
        related=(Passage("Duties rose to 25% @everyone on steel.", "Steel talks", date(2025, 9, 15)),),
    )
    embed = to_embed(message)
    [field] = embed.fields
    assert field.name == RELATED_HEADING and not field.inline
    assert "Duties rose to 25%" in field.value and "Steel talks (September 15, 2025)" in field.value
    assert "@everyone" not in field.value


def test_only_http_urls_become_the_embed_link() -> None:
    def linked(url: str) -> str | None:
        cited = (Citation("A source", date(2025, 9, 15), url),)
        return to_embed(Message("x", kind="update", title="Tariff rate changed", citations=cited)).url

    assert linked("javascript:alert(1)") is None
    assert linked("data:text/html,x") is None
    assert linked("https://evil.example/<!here>") == "https://evil.example/%3C!here%3E"
    assert linked("http://ex.com/a?b=1&c=2") == "http://ex.com/a?b=1&c=2"


def test_markdown_links_from_articles_are_not_masked_links() -> None:
    hostile = "Rates rose [click here](https://evil.example/x) @everyone"
    message = Message(
        hostile,
        kind="update",
        title=hostile,
        lines=(hostile,),
        fields=(Field("Changed", hostile),),
        citations=(Citation(hostile, date(2025, 9, 15)),),
    )
    embed = to_embed(message)
    shown = [embed.title, embed.description, embed.footer.text, *(f.value for f in embed.fields)]
    shown.append(to_content(message))
    for text in shown:
        assert text and "](" not in text and "@everyone" not in text
        assert "[click here]\u200b(https://evil.example/x)" in text
