"""Question understanding: kinds of answer, countries with their roles, names, and cleaning of raw input."""

from __future__ import annotations

import pytest

from facts.qa.intent import MAX_QUESTION, QuestionKind, clean_question, parse


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what's the tariff rate?", "rate"),
        ("What does Beijing charge on US exports?", "rate"),
        ("When is the TikTok deadline?", "date"),
        ("By when must the deal be signed?", "date"),
        ("How many days until the deadline?", "countdown"),
        ("Is the deadline still ahead?", "countdown"),
        ("Who is He Lifeng?", "person"),
        ("Who leads China's delegation?", "person"),
        ("Where did the talks resume?", "place"),
        ("Where did Brent settle on Friday?", "number"),
        ("What did Greer say?", "quote"),
        ("Which round of talks is this?", "number"),
        ("How much steel did Mexico ship?", "number"),
        ("Why is the sale complicated?", "reason"),
        ("What does China classify the algorithm as?", "statement"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert parse(question).kind == kind


def test_countries_from_capitals_aliases_and_demonyms() -> None:
    intent = parse("What does Beijing charge on US exports?")
    assert intent.countries == {"china", "united states"}
    assert (intent.imposer, intent.target) == ("china", "united states")


def test_rate_roles_with_origin() -> None:
    intent = parse("what duty does the us charge on aluminium from Mexico?")
    assert (intent.imposer, intent.target) == ("united states", "mexico")


def test_lowercase_us_is_a_pronoun() -> None:
    assert parse("Is the deadline still ahead of us?").countries == set()


def test_who_is_reads_the_name_and_keeps_he() -> None:
    intent = parse("Who is He Lifeng?")
    assert intent.name == "He Lifeng"
    assert "lifeng" in intent.name_stems


def test_role_question_has_no_name() -> None:
    intent = parse("Who is the CEO of ByteDance?")
    assert intent.name == ""
    assert any(t.role for t in intent.terms)


def test_a_possessive_role_is_a_role_question_not_a_name() -> None:
    intent = parse("who's Corvane's CEO?")
    assert intent.name == ""
    assert {"corvan", "ceo"} <= set(intent.defining)
    assert parse("Who is President Lee?").name == "President Lee"  # a title before a name stays a name


def test_quote_speaker_and_about() -> None:
    intent = parse("What did Trump say about TikTok?")
    assert intent.speaker == "Trump"
    assert intent.about == ("tiktok",)


def test_described_speaker_is_not_a_name() -> None:
    assert parse("What did the UK fisheries minister say?").name == ""


def test_ordinal_after_article_must_match_exactly() -> None:
    exact = {t.surface: t.exact for t in parse("Where will the fifth round take place?").terms}
    assert exact["fifth"] is True
    adverb = {t.surface: t.exact for t in parse("What did Brussels first put on the table?").terms}
    assert adverb["first"] is False


def test_clean_question_strips_mentions_and_markup() -> None:
    text, notes = clean_question("<@U123> <!channel> @everyone **what** is <b>the</b> `rate`?")
    assert "@" not in text and "<" not in text and "*" not in text
    assert "what is the rate" in text
    assert notes == []


def test_clean_question_cuts_long_input_with_a_note() -> None:
    text, notes = clean_question("tariff " * 400)
    assert len(text) <= MAX_QUESTION
    assert notes == [f"question cut to {MAX_QUESTION} characters"]


def test_clean_question_drops_control_characters() -> None:
    text, _ = clean_question("what\x00 is\x1b[31m the\u202e rate?")
    assert text.isprintable()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Where did Brent settle on Friday?", QuestionKind.NUMBER),
        ("where does the index stand", QuestionKind.NUMBER),
        ("Where is the ministry's trade office?", QuestionKind.PLACE),
        ("Where will the closing ceremony be held?", QuestionKind.PLACE),
    ],
)
def test_where_asks_a_market_level_only_when_the_market_verb_ends_its_clause(
    question: str, kind: QuestionKind
) -> None:
    assert parse(question).kind is kind


def test_eu_in_lower_case_is_the_bloc() -> None:
    from facts.qa.intent import parse

    assert parse("how many days until the next australia eu round opens?").countries == {
        "australia",
        "european union",
    }


def test_the_other_exporters_are_not_the_one_named() -> None:
    from facts.qa.intent import parse

    other = [t for t in parse("What rates do the other Danish exporters face?").terms if t.stem == "other"]
    assert other and other[0].exact


def test_a_duty_free_quota_is_a_number_question() -> None:
    from facts.qa.intent import parse

    assert parse("How big a duty-free beef quota does Korea want?").kind == "number"


def test_a_question_in_capitals_is_read_as_its_words() -> None:
    shouted = parse("WHAT'S THE TARIFF ON CHINESE GOODS?")
    plain = parse("what's the tariff on chinese goods?")
    assert [(t.stem, t.proper) for t in shouted.terms] == [(t.stem, t.proper) for t in plain.terms]
    assert shouted.countries == plain.countries == {"china"}
    # A short acronym alone is not shouting: it stays a name.
    assert [t.proper for t in parse("WTO?").terms] == [True]
    # Countries written as capitals still count when the whole question is shouted.
    assert parse("WHAT IS THE US TARIFF ON EU STEEL?").countries == {"united states", "european union"}
