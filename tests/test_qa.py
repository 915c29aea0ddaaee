"""Q&A behaviour over real stores: labelled rates, countdowns, supersession, staleness, abstention, safety."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import database_backends

from facts.ingest import Overrides, ingest_document, parse_document
from facts.models import ExtractedFact, FuzzyDate, Kind, NewDocument
from facts.qa import Config, answer, consider
from facts.store import FactStore
from tests.botkit import fact, ingest
from tests.qa_eval import BUNDLED, backend_url, load_store

SEP15 = datetime(2025, 9, 15, 12, tzinfo=UTC)


def _article(store: FactStore, title: str, published: str, body: str) -> None:
    raw = f'---\ntitle: "{title}"\npublished: {published}\n---\n{body}\n'.encode()
    ingest_document(store, parse_document(raw, f"{title}.md", Overrides(), date(2025, 1, 1)))


@pytest.fixture(scope="module", params=database_backends())
def bundled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """The bundled corpus, ingested once per backend for the read-only tests of this module."""
    opened = FactStore.open(backend_url(request, tmp_path_factory, "bundled"))
    load_store(opened, sorted(BUNDLED.glob("*.md")))
    yield opened
    opened.close()


def test_both_rates_are_given_each_labelled(bundled: FactStore) -> None:
    result = answer(bundled, "what's the tariff rate?", SEP15)
    assert result.answered
    assert any("Chinese goods" in line and "30%" in line for line in result.lines)
    assert any("American exports" in line and "10%" in line for line in result.lines)
    assert {f.kind for f in result.facts} == {Kind.RATE}


def test_direction_of_a_rate_is_respected(bundled: FactStore) -> None:
    result = answer(bundled, "What does Beijing charge on US exports?", SEP15)
    assert result.answered and "10%" in result.text and "30%" not in result.text


def test_future_wording_gets_the_planned_ceiling(bundled: FactStore) -> None:
    result = answer(bundled, "what could tariffs rise to?", SEP15)
    assert "55%" in result.text and "30%" not in result.text


@pytest.mark.parametrize(
    "question",
    [
        "What is the tariff on Canadian lumber?",
        "What's the US tariff on Japanese cars?",
        "Who is the CEO of ByteDance?",
        "What did the Chinese commerce minister say?",
        "When is the deadline for the EU steel safeguard?",
        "what's the capital of France?",
        "tell me a joke",
    ],
)
def test_abstains_when_the_store_does_not_hold_the_answer(bundled: FactStore, question: str) -> None:
    result = answer(bundled, question, SEP15)
    assert not result.answered, result.text
    assert result.facts == [] and result.sources == []
    if result.related:
        # The closest passages read, each with its source, plainly marked as not an answer.
        assert result.text.startswith("I don't have a confident answer.")
        assert "(not an answer)" in result.text.splitlines()[0]
        assert 1 <= len(result.related) <= 3
        assert all(r.title.startswith("U.S. and China resume TikTok talks") for r in result.related)
        assert all(f"“{r.sentence}”" in result.text for r in result.related)
    else:
        assert result.text.startswith("Sorry")
        assert result.suggestions  # nearest topics offered


def test_a_decline_offers_the_closest_passages_and_json_lists_them(bundled: FactStore) -> None:
    result = answer(bundled, "What is the tariff on Canadian lumber?", SEP15)
    data = result.to_json()
    assert data["answered"] is False
    assert data["related"] and set(data["related"][0]) == {"sentence", "title", "published", "url"}
    assert data["related"][0]["published"] == "2025-09-15"


def test_answer_names_its_source_and_as_of_date(bundled: FactStore) -> None:
    result = answer(bundled, "Who is He Lifeng?", SEP15)
    assert result.sources and result.sources[0].title.startswith("U.S. and China resume TikTok talks")
    assert "published 2025-09-15" in result.text
    assert result.citations_age == ""


def test_old_source_says_how_old(bundled: FactStore) -> None:
    result = answer(bundled, "Who is He Lifeng?", datetime(2025, 11, 20, tzinfo=UTC))
    assert result.citations_age == "2 months old"
    assert "2 months old" in result.text


def test_countdown_passed(bundled: FactStore) -> None:
    result = answer(bundled, "How many days until the TikTok deadline?", datetime(2025, 9, 20, tzinfo=UTC))
    assert "passed 3 days ago" in result.text


def test_month_precision_never_invents_a_day(bundled: FactStore) -> None:
    # The rules' rendering is under test, not the model's confidence (the shipped model gives this at 0.88).
    result = answer(
        bundled, "how many days until the reductions expire?", SEP15, Config(use_shipped_model=False)
    )
    assert "November 2025" in result.text
    assert "in 47–76 days" in result.text
    assert "November 1" not in result.text and "November 30" not in result.text


def test_articles_after_now_are_not_known_yet(store: FactStore) -> None:
    _article(
        store,
        "Widget talks",
        "2025-09-01",
        "The September 17 deadline for Acme to sell its widget unit nears.",
    )
    _article(
        store,
        "Widget deadline moved",
        "2025-09-16",
        "The December 16 deadline for Acme to sell its widget unit gives buyers time.",
    )
    before = answer(
        store, "When is the deadline for Acme to sell the widget unit?", datetime(2025, 9, 10, tzinfo=UTC)
    )
    assert "September 17" in before.text and "December 16" not in before.text
    after = answer(
        store, "When is the deadline for Acme to sell the widget unit?", datetime(2025, 9, 20, tzinfo=UTC)
    )
    assert "December 16, 2025" in after.text
    assert "moved from September 17, 2025" in after.text
    assert [s.title for s in after.sources] == ["Widget deadline moved"]
    # Whichever candidate the model gives, a span of the new date says what it moved from too.
    considered = consider(
        store, "When is the deadline for Acme to sell the widget unit?", datetime(2025, 9, 20, tzinfo=UTC)
    )
    assert considered is not None
    spans = [c.head for c in considered.candidates if c.source == "span" and "December 16" in c.head]
    assert spans and all("moved from September 17, 2025" in h for h in spans), spans


def _deadline(when: FuzzyDate, index: int = 0) -> ExtractedFact:
    sentence = f"The deadline for Acme to sell its widget unit is {when.human()}."
    return ExtractedFact(
        kind=Kind.DEADLINE,
        subject="acme widget sale",
        text=f"Deadline for Acme to sell its widget unit: {when.human()}",
        sentence_index=index,
        start=0,
        end=len(sentence),
        sentence=sentence,
        value=when.iso(),
        date=when,
        attrs={"what": "Acme to sell its widget unit"},
    )


def _statement(text: str, index: int = 0) -> ExtractedFact:
    return ExtractedFact(Kind.STATEMENT, f"sentence:{index}", text, index, 0, len(text), text)


def test_superseded_fact_is_not_current_and_the_change_is_told(store: FactStore) -> None:
    old, new = FuzzyDate(2025, 9, 17), FuzzyDate(2025, 12, 16)
    for title, published, when in (("First", date(2025, 9, 1), old), ("Second", date(2025, 9, 16), new)):
        fact = _deadline(when)
        store.ingest(NewDocument(title, published, fact.sentence), [fact, _statement(fact.sentence)])
    result = answer(store, "When is the Acme widget deadline?", datetime(2025, 9, 20, tzinfo=UTC))
    assert result.answered
    assert result.lines == [
        "Deadline for Acme to sell its widget unit: December 16, 2025 (in 87 days); moved from September 17, 2025"
    ]
    assert all(f.current for f in result.facts)
    # Before the second article the first date is the current one.
    earlier = answer(store, "When is the Acme widget deadline?", datetime(2025, 9, 5, tzinfo=UTC))
    assert "September 17, 2025" in earlier.text and "December" not in earlier.text


@pytest.mark.parametrize(
    "question",
    [
        "<@U123> <!channel> @everyone what's the tariff rate?",
        "<!here> who is <@U999|bob>?",
        "@here @everyone",
        "tariff " * 500,
        "\x00\x1b[2J<script>alert(1)</script>",
        "'; DROP TABLE facts; --",
        "🙂" * 50 + " rate?",
        "",
        "   ",
        "[link](http://example.com) **bold** `code`",
    ],
)
def test_untrusted_questions_never_crash_or_ping(bundled: FactStore, question: str) -> None:
    result = answer(bundled, question, SEP15)
    data = json.dumps(result.to_json(), ensure_ascii=False)
    for ping in ("<!channel>", "<!here>", "<@U", "@everyone", "@here"):
        assert ping not in result.text and ping not in data
    assert "<script>" not in result.text


def test_long_question_is_cut_with_a_note(bundled: FactStore) -> None:
    result = answer(bundled, "what's the tariff rate? " + "x" * 1000, SEP15)
    assert result.notes == ["question cut to 500 characters"]
    assert "question cut to 500 characters" in result.text


def test_article_text_is_kept_exactly_and_cannot_ping_where_shown(store: FactStore) -> None:
    # The answer is data: the article's words as they are. Whoever shows it escapes it (issue 17).
    from adapters.console import terminal_safe
    from adapters.discord.convert import to_content
    from adapters.slack.convert import fallback_text
    from bot.answers import render_answer
    from bot.cli.json_output import dumps

    _article(
        store,
        "Union <!channel> notice",
        "2025-09-01",
        'Union leader Tom Reardon said: "@everyone walk out now, <!channel> it is time." The strike deadline is September 17.',
    )
    result = answer(store, "What did Reardon say?", datetime(2025, 9, 2, tzinfo=UTC))
    assert "@everyone walk out now, <!channel>" in result.text
    assert json.loads(dumps(result.to_json()))["sources"][0]["title"] == "Union <!channel> notice"
    message = render_answer(result, date(2025, 9, 2))
    for shown in (
        dumps(result.to_json()),
        terminal_safe(result.text),
        fallback_text(message),
        to_content(message),
    ):
        assert "@everyone" not in shown and "<!channel>" not in shown


def test_json_shape(bundled: FactStore) -> None:
    data = answer(bundled, "When is the TikTok deadline?", SEP15).to_json()
    assert {"answered", "text", "facts", "sources"} <= set(data)
    assert data["answered"] is True
    fact = data["facts"][0]
    assert {"id", "kind", "text"} <= set(fact) and fact["kind"] == "deadline"
    assert data["sources"] == [
        {
            "title": "U.S. and China resume TikTok talks in Madrid as divestment deadline nears",
            "published": "2025-09-15",
            "url": None,
            "sentence": "The September 17 deadline for ByteDance to sell TikTok’s U.S. operations is fast approaching.",
        }
    ]
    assert data["related"] == []


def test_empty_store_declines(store: FactStore) -> None:
    result = answer(store, "what's the tariff rate?", SEP15)
    assert not result.answered and result.suggestions == []


def test_a_decline_suggests_topics_by_the_configured_taxonomy(store: FactStore, tmp_path: Path) -> None:
    """BRIEFBOT_TOPICS_FILE reaches the suggestions: a topic the question touches there comes first."""
    ingest(
        store,
        "Levies and oil",
        date(2025, 9, 1),
        [
            fact(Kind.RATE, "rate:levy", "Levy on widgets: 5%", "5%", topics=("tariffs",), index=0),
            fact(
                Kind.FIGURE,
                "figure:oil",
                "Oil output: 3 million barrels",
                "3 million",
                topics=("energy",),
                index=1,
            ),
            fact(
                Kind.FIGURE,
                "figure:crude",
                "Crude stocks: 9 million barrels",
                "9 million",
                topics=("energy",),
                index=2,
            ),
        ],
    )
    topics = tmp_path / "topics.yaml"
    topics.write_text("tariffs: [gizmo*]\nenergy: [oil]\n", encoding="utf-8")
    question = "anything on gizmos?"
    shipped = answer(store, question, SEP15)
    configured = answer(store, question, SEP15, Config(topics_file=str(topics)))
    assert not shipped.answered and not configured.answered
    assert shipped.suggestions == ["energy", "tariffs"]
    assert configured.suggestions == ["tariffs", "energy"]
