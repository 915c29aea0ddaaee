"""Q&A rules that keep answers honest: what a number counts, which date answers, reasons, who leads, names.

These hold the rules' own answers (facts/qa/rules.py), the first candidate of every question; whether
the shipped model then gives or withholds one is measured on the question sets (tests/test_qa_sets.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from facts.ingest import Overrides, ingest_document, parse_document
from facts.qa import Answer, Config
from facts.qa import answer as answer_with
from facts.store import FactStore

RULES = Config(use_shipped_model=False)


def answer(store: FactStore, question: str, now: datetime) -> Answer:
    """The rules' answer, as given when no model weighs it."""
    return answer_with(store, question, now, RULES)


NOW = datetime(2025, 6, 3, 12, tzinfo=UTC)

ARTICLE = """\
LISBON — Maré Rail agreed on Monday to buy Douro Freight for €640 million, a 25% premium to its share price.

The combined company would run 140 freight trains a week and employ about 5,200 people.

Maré Rail has offered to sell 8 rail terminals in Porto to rival operators to win approval.

The company's earlier bid was rejected by Douro shareholders by a vote of 61 to 39 in March.

Douro's shares, which are listed in Madrid, rose 6% to €14.20.
"""


def _article(store: FactStore, title: str, published: str, body: str) -> None:
    raw = f'---\ntitle: "{title}"\npublished: {published}\n---\n{body}\n'.encode()
    ingest_document(store, parse_document(raw, f"{title}.md", Overrides(), date(2025, 1, 1)))


@pytest.fixture(scope="module")
def rail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """One invented merger article, read-only for the tests of this module."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'rail.db'}")
    _article(opened, "Maré Rail to buy Douro Freight in €640 million deal", "2025-06-03", ARTICLE)
    yield opened
    opened.close()


def test_a_number_answer_names_what_it_counts(rail: FactStore) -> None:
    result = answer(rail, "How many rail terminals is Maré Rail selling in Porto?", NOW)
    assert result.answered and "8 rail terminals" in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "How many rail terminals is Maré Rail selling in Madrid?",  # the number counts terminals in Porto
        "How many buses does the combined company run?",  # the sentence counts trains
        "How much is Maré Rail paying for Lusa Cargo?",  # €640 million was paid for Douro
        "How much are Douro shareholders paying for the terminals?",  # a share or a count is not a price
    ],
)
def test_a_number_about_something_else_is_not_an_answer(rail: FactStore, question: str) -> None:
    result = answer(rail, question, NOW)
    assert not result.answered, result.text


def test_money_questions_get_an_amount_of_money(rail: FactStore) -> None:
    result = answer(rail, "How much is Maré Rail paying for Douro Freight?", NOW)
    assert result.answered and "€640 million" in result.text and "25%" not in result.text.split("—")[0]


def test_the_company_in_a_sentence_is_the_article_s_company(rail: FactStore) -> None:
    result = answer(rail, "What was the vote when Douro shareholders rejected Maré Rail's earlier bid?", NOW)
    assert result.answered and "61" in result.text and "39" in result.text, result.text


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented competition review and its follow-up, whose deadline moves in new words."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'review.db'}")
    _article(
        opened,
        "Regulator opens review of Maré Rail's Douro deal",
        "2025-06-10",
        "Portuguese officials met Maré Rail executives in Lisbon on Monday to discuss the Douro deal.\n\n"
        "The competition authority now has until July 15 to decide whether to clear the deal.\n\n"
        "New safety rules for freight wagons take effect from Sept. 1, the ministry said.",
    )
    _article(
        opened,
        "Maré Rail offers more terminals, delaying Douro ruling",
        "2025-07-01",
        "Maré Rail added two terminals to its offer, pushing back the competition authority's decision "
        "deadline on the Douro deal to July 29.\n\n"
        "Under the law, new remedies extend the review, whose deadline had been set for July 15.",
    )
    yield opened
    opened.close()


def test_a_countdown_is_to_something_ahead_not_what_had_happened(review: FactStore) -> None:
    result = answer(
        review,
        "How many days until the new freight wagon rules take effect?",
        datetime(2025, 6, 10, tzinfo=UTC),
    )
    assert result.answered and "September 1" in result.text and "Monday" not in result.text, result.text


def test_a_deadline_restated_in_new_words_by_a_newer_article_wins(review: FactStore) -> None:
    result = answer(
        review,
        "When does the competition authority have to rule on the Douro deal?",
        datetime(2025, 7, 2, tzinfo=UTC),
    )
    assert result.answered and "July 29" in result.text, result.text
    assert "moved from July 15" in result.text


def test_a_date_said_to_have_been_set_before_is_history(review: FactStore) -> None:
    result = answer(
        review, "How many days until the competition authority must decide?", datetime(2025, 7, 2, tzinfo=UTC)
    )
    assert result.answered and "in 27 days" in result.text, result.text


REASONS = """\
Portuguese and Spanish officials met in Lisbon on Monday in a bid to settle a dispute over rail freight.

Lisbon raised track fees for Spanish freight trains to 40% above domestic rates in March.

Portugal says the increase is needed because Spanish operators have underpaid maintenance costs for years.

Spain rejects the charge and says the fees break EU law.
"""


@pytest.fixture(scope="module")
def fees(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented dispute whose lead sentence says what happened and a later one why."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'fees.db'}")
    _article(opened, "Portugal and Spain clash over rail track fees", "2025-06-03", REASONS)
    yield opened
    opened.close()


def test_why_is_answered_by_the_sentence_giving_the_reason(fees: FactStore) -> None:
    result = answer(fees, "Why is Portugal raising the track fees?", NOW)
    assert result.answered and "underpaid maintenance" in result.text, result.text


def test_a_purpose_answers_why_for_the_clause_it_follows(fees: FactStore) -> None:
    result = answer(fees, "Why did officials meet in Lisbon?", NOW)
    assert result.answered and "settle a dispute" in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "Why does Spain reject the charge?",  # said, but no reason given; Portugal's reason is not Spain's
        "Why does Spain say the fees break EU law?",
    ],
)
def test_why_without_a_sentence_giving_that_reason_declines(fees: FactStore, question: str) -> None:
    result = answer(fees, question, NOW)
    assert not result.answered, result.text


TALKS = """\
LIMA — Chilean and Peruvian officials met in Lima on Monday for talks on copper export rules.

The Chilean delegation was led by Ana María Soto-Vial, undersecretary for mining at the Ministry of Mining.

Peru's team was headed by Jorge Quispe-Huamán, director-general of the mines directorate.

"We will not accept a quota imposed from outside," Soto-Vial said after the meeting.

"Prices will stay volatile," said Diego Ferreyra, an economist at the Lima Institute for Mining Studies.

Chile imports about $1.1 billion worth of Peruvian copper concentrate a year.

A third round of talks is scheduled for mid-July in Santiago.
"""


@pytest.fixture(scope="module")
def talks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """Invented talks with hyphenated and three-word names, some given only by surname."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'talks.db'}")
    _article(opened, "Chile and Peru hold copper talks in Lima", "2025-06-03", TALKS)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who leads Santiago's delegation?", "Soto-Vial"),  # a capital stands for its country
        ("Who heads Lima's team?", "Quispe-Huamán"),
        ("Who is Jorge Quispe-Huamán?", "director-general"),
        ("What did Ana María Soto-Vial say after the meeting?", "quota imposed"),  # quoted by surname
    ],
)
def test_people_are_found_by_what_they_lead_and_by_part_of_their_name(
    talks: FactStore, question: str, expected: str
) -> None:
    result = answer(talks, question, NOW)
    assert result.answered and expected in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "Who leads the Bolivian delegation?",
        "Who is the Chilean mining minister?",  # an undersecretary at the ministry is not its minister
        "Who leads the Lima Institute for Mining Studies?",  # an economist there does not lead it
    ],
)
def test_people_questions_without_the_person_decline(talks: FactStore, question: str) -> None:
    result = answer(talks, question, NOW)
    assert not result.answered, result.text


def test_the_next_round_is_ahead_and_the_pair_may_be_in_the_title(talks: FactStore) -> None:
    result = answer(talks, "When is the next round of Chile-Peru talks?", NOW)
    assert result.answered and "July 2025" in result.text and "June" not in result.text, result.text


def test_buying_is_importing(talks: FactStore) -> None:
    result = answer(talks, "How much copper concentrate does Chile buy from Peru each year?", NOW)
    assert result.answered and "$1.1 billion" in result.text, result.text


SALMON = """\
OSLO — Norway's trade ministry set a preliminary anti-dumping duty of 40% on frozen salmon from Chile, a decision Chilean officials criticised on Tuesday.

The ministry is due to issue its final determination by Dec. 15.

Negotiators returned to the table on Tuesday, 12 days before a cooling-off period on the fish trade expires.

Norwegian and Chilean negotiators opened the fifth round of talks on a trade deal in Oslo on Tuesday.

The next round is due to open in Santiago on 5 October.

Norway has offered to cut duties on Chilean wine to zero from 5%.
"""


@pytest.fixture(scope="module")
def salmon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented trade case with a preliminary and a final ruling, and two rounds of talks."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'salmon.db'}")
    _article(opened, "Norway hits Chilean salmon with 40% duty", "2025-09-02", SALMON)
    yield opened
    opened.close()


SEPT_3 = datetime(2025, 9, 3, 12, tzinfo=UTC)


def test_a_final_ruling_is_not_dated_by_the_preliminary_one(salmon: FactStore) -> None:
    result = answer(salmon, "When is the ministry's final decision on Chilean salmon due?", SEPT_3)
    assert result.answered and "December 15" in result.text, result.text
    assert "September 2" not in result.text, result.text


def test_a_date_of_another_clause_does_not_date_the_asked_event(salmon: FactStore) -> None:
    result = answer(salmon, "When does the cooling-off period expire?", SEPT_3)
    assert not result.answered, result.text


def test_the_next_round_is_not_the_one_that_opened_that_day(salmon: FactStore) -> None:
    result = answer(salmon, "How many days until the next round of talks opens?", SEPT_3)
    assert result.answered and "October 5" in result.text and "32 days" in result.text, result.text


def test_a_rate_said_after_from_is_given_with_its_sentence(salmon: FactStore) -> None:
    result = answer(salmon, "What is Norway offering on duties for Chilean wine?", SEPT_3)
    assert result.answered and "5%" in result.text and ("0%" in result.text or "zero" in result.text)


def test_a_day_said_without_its_year_and_read_as_last_year_is_not_given() -> None:
    from facts.models import FuzzyDate, Kind, StoredFact
    from facts.qa.rank import _misdated

    said = "The cooling-off period ends at 12:01 a.m. on Oct. 3."
    misread = StoredFact(
        Kind.EVENT, "x", "x", 0, 0, 1, said, date=FuzzyDate(2025, 10, 3), as_of=date(2026, 9, 21)
    )
    misread.attrs = {"phrase": "on Oct. 3"}
    assert _misdated(misread)
    last = StoredFact(
        Kind.EVENT, "x", "x", 0, 0, 1, "approved last April", date=FuzzyDate(2025, 4), as_of=date(2026, 3, 3)
    )
    last.attrs = {"phrase": "April"}
    assert not _misdated(last)


def test_eu_in_lower_case_is_the_bloc() -> None:
    from facts.qa.intent import parse

    assert parse("how many days until the next australia eu round opens?").countries == {
        "australia",
        "european union",
    }


DAIRY = """\
The Korean Trade Commission set an anti-dumping duty of 95% on butter from one of Denmark's biggest dairy exporters on Monday.

The rate applies to Nordmejeri Foods, which the commission picked as one of two respondents.

The second respondent, Fyn Dairy, received a rate of 3.1%, while other Danish exporters were assigned duties of up to 20%.

Dockers voted the tentative contract down by 1,204 votes to 388 in May.

Denmark owes the Nordic Investment Bank about $2 billion, much of it from a 2019 loan.

Trade Minister Tomás Bergman said the duty was "a wall around a market."
"""


@pytest.fixture(scope="module")
def dairy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented duty case whose rates are given in one sentence and named for companies in the next."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'dairy.db'}")
    _article(opened, "Korea hits Danish butter exporter with 95% duty", "2025-06-03", DAIRY)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What levy did Korea put on Nordmejeri Foods' butter?", "95%"),  # 'the rate' is the one before
        ("What rates do the other Danish butter exporters face?", "20%"),  # the product is the title's
        ("What was the tally when the dockers voted down the contract?", "1,204"),  # 'voted down' rejects
        ("How much does Denmark owe the bank altogether?", "$2 billion"),
        ("Who is Tomas Bergman?", "Trade Minister"),  # typed without the accent
        ("What did the KTC set on butter from Denmark?", "95%"),  # the acronym is spelled out
    ],
)
def test_general_readings_of_questions_find_their_sentence(
    dairy: FactStore, question: str, expected: str
) -> None:
    result = answer(dairy, question, NOW)
    assert result.answered and expected in result.text, result.text


@pytest.mark.parametrize(
    "question",
    [
        "What rates do the other Danish cheese exporters face?",  # cheese is in neither sentence nor title
        "What levy did Korea put on Fyn Dairy's cheese?",
    ],
)
def test_a_product_nowhere_in_the_article_is_not_answered(dairy: FactStore, question: str) -> None:
    result = answer(dairy, question, NOW)
    assert not result.answered, result.text


def test_the_other_exporters_are_not_the_one_named() -> None:
    from facts.qa.intent import parse

    other = [t for t in parse("What rates do the other Danish exporters face?").terms if t.stem == "other"]
    assert other and other[0].exact


def test_a_duty_free_quota_is_a_number_question() -> None:
    from facts.qa.intent import parse

    assert parse("How big a duty-free beef quota does Korea want?").kind == "number"


PANEL = """\
Britain's watchdog has provisionally found that Kestrel Data's £4bn takeover of Larkspur Cloud could harm competition.

The inquiry is run by an independent panel chaired by Mara Quint, a former shipping executive, and it must reach a final decision by 14 April.

Kestrel's chief executive, Tomas Vell, said the company was "disappointed but not deterred" by the findings.

Larkspur, headquartered in Norwich, employs about 2,000 people and runs data centres in Leeds.

The union said it has given the company until May 20 to improve its offer.

If it does not, the union's board could call a ballot on strikes, which officials said would be held in mid-June.

The regulator has opened a public consultation on possible remedies, which closes on March 6.

The two sides agreed to hold a fourth round of talks on the remedies in Paris in March.

"We have been patient," Vell told reporters after the meeting.

"But patience is not a business plan," Vell added in an interview later.
"""

PANEL_LATER = """\
The Competition Authority has extended its inquiry into Kestrel Data's purchase of Larkspur Cloud, pushing its final deadline back to 9 June from 14 April.

"The remedies on the table are substantial," said Mara Quint, who chairs the independent inquiry panel.
"""


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented merger inquiry with dates of several events, people and places, and its extension."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'panel.db'}")
    _article(opened, "Watchdog finds Kestrel's Larkspur takeover could harm competition", "2026-01-20", PANEL)
    _article(opened, "Watchdog extends Kestrel-Larkspur inquiry", "2026-03-26", PANEL_LATER)
    yield opened
    opened.close()


JAN = datetime(2026, 1, 21, tzinfo=UTC)
APRIL = datetime(2026, 3, 30, tzinfo=UTC)


def test_a_role_s_organisation_must_be_the_person_s_own(panel: FactStore) -> None:
    result = answer(panel, "Who is the CEO of Larkspur Cloud?", JAN)  # Vell runs Kestrel, not Larkspur
    assert not result.answered, result.text
    result = answer(panel, "Who is the chief executive of Kestrel?", JAN)
    assert result.answered and "Tomas Vell" in result.text, result.text


def test_a_place_answer_holds_the_asked_relation_in_its_clause(panel: FactStore) -> None:
    result = answer(panel, "Where is Larkspur headquartered?", JAN)
    assert "Leeds" not in result.text, result.text  # Leeds is where its data centres are


def test_a_date_s_clause_names_the_question_s_head(panel: FactStore) -> None:
    # "hold a ballot on strikes": the ballot's own (relative) clause dates it, not any dated event.
    result = answer(panel, "When could the union hold a ballot on strikes?", JAN)
    assert result.answered and "June" in result.text and "May 20" not in result.text, result.text
    # A consultation is not the talks on the same remedies.
    result = answer(panel, "How many days are left in the regulator's consultation on the takeover?", JAN)
    assert "Paris" not in result.text and "fourth round" not in result.text, result.text


def test_an_owned_deadline_needs_a_deadline_of_its_owner(panel: FactStore) -> None:
    result = answer(panel, "Has the union's deadline on the takeover passed?", JAN)
    assert "ballot" not in result.text, result.text
    result = answer(panel, "Has the Competition Authority's deadline on the Larkspur takeover passed?", APRIL)
    assert result.answered and "June 9" in result.text and "No, it is still ahead" in result.text, result.text


def test_a_date_a_newer_article_moves_gives_way_to_the_new_one(panel: FactStore) -> None:
    result = answer(panel, "When does the watchdog have to rule on the Larkspur takeover?", APRIL)
    assert result.answered and "June 9" in result.text and "moved from April 14" in result.text, result.text
    assert "(in 15 days)" not in result.text, result.text


def test_who_is_lists_each_role_and_description(panel: FactStore) -> None:
    result = answer(panel, "Who is Mara Quint?", APRIL)
    assert result.answered and "executive" in result.text and "chairs" in result.text, result.text
    assert len(result.lines) <= 3


def test_what_did_x_say_lists_their_quotes_the_asked_setting_first(panel: FactStore) -> None:
    result = answer(panel, "What did Tomas Vell tell reporters?", JAN)
    assert result.answered and "patient" in result.lines[0] and "business plan" in result.text, result.text
    assert len(result.lines) <= 3


PACT = """\
OSLO — Norway and Iceland ended a fourth round of fisheries talks in Bergen on Tuesday without closing a deal.

Norway wants Iceland to cut its 30% duty on Norwegian salmon to 8% within four years.

The quota dispute began in 2024, officials said.

The last fisheries stoppage, in 2019, lasted 61 days and idled most of the northern fleet.

The talks were chaired by Norway's envoy Per Lund and Iceland's Fisheries and Agriculture Minister, Sigrun Olafsdottir, after a week of delays.
"""


@pytest.fixture(scope="module")
def pact(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """Invented fisheries talks: a round that ended, a target rate, a year without a day, a span, a title."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'pact.db'}")
    _article(opened, "Norway and Iceland end fourth round of fisheries talks in Bergen", "2025-06-03", PACT)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "question",
    [
        "By when does Norway want the Iceland pact signed?",  # the date is of talks ending, not a signing
        "Where will the Norway-Iceland pact be signed?",  # Bergen is where the talks were
        "On what date did the quota dispute begin?",  # the article gives a year, not a day
        "How much salmon does Norway export to Iceland each year?",  # a duty on salmon counts no salmon
    ],
)
def test_what_the_article_does_not_say_is_declined(pact: FactStore, question: str) -> None:
    result = answer(pact, question, NOW)
    assert not result.answered, result.text


def test_a_rate_cut_to_a_value_is_answered_by_that_value(pact: FactStore) -> None:
    result = answer(pact, "What does Norway want Iceland's salmon duty cut to?", NOW)
    assert result.answered and "8%" in result.text and "30%" not in result.text, result.text


def test_how_long_is_answered_by_a_span_of_time(pact: FactStore) -> None:
    result = answer(pact, "How long did the 2019 fisheries stoppage last?", NOW)
    assert result.answered and "61 days" in result.text, result.text


def test_who_is_gives_the_full_title_written_before_the_name(pact: FactStore) -> None:
    result = answer(pact, "Who is Sigrun Olafsdottir?", NOW)
    assert result.answered and "Iceland's Fisheries and Agriculture Minister" in result.text, result.text
