"""General extraction rules: clock times, relative spans, possessive dates, titles, receivers and objects."""

from __future__ import annotations

from datetime import date

from facts.extract import extract
from facts.models import ExtractedFact, FuzzyDate, Kind

PUB = date(2026, 9, 21)  # a Monday


def facts_of(text: str, kind: Kind, published: date = PUB) -> list[ExtractedFact]:
    return [f for f in extract(text, published) if f.kind == kind]


def test_a_deadline_that_ends_at_a_clock_time_is_ahead_and_its_clause_keeps_no_time():
    text = "The cooling-off period that began after the board issued its report ends at 12:01 a.m. Eastern time on Oct. 3."
    (fact,) = facts_of(text, Kind.DEADLINE)
    assert fact.date == FuzzyDate(2026, 10, 3)
    assert fact.attrs["what"] == "cooling-off period that began after the board issued its report ends"


def test_days_left_before_something_is_a_dated_deadline():
    text = "Talks resumed, with 12 days left before a federal cooling-off period expires."
    (fact,) = facts_of(text, Kind.DEADLINE)
    assert fact.date == FuzzyDate(2026, 10, 3)
    assert fact.attrs["what"] == "federal cooling-off period expires"
    assert [f.value for f in facts_of(text, Kind.FIGURE)] == ["12 days"]


def test_last_month_name_and_end_of_the_year():
    (april,) = facts_of("The programme approved last April runs for 48 months.", Kind.EVENT, date(2026, 3, 3))
    assert april.date == FuzzyDate(2025, 4)
    (goal,) = facts_of("Negotiators aim to conclude the agreement by the end of the year.", Kind.DEADLINE)
    assert goal.date == FuzzyDate(2026) and goal.attrs["qualifier"] == "end"


def test_agreed_to_meet_looks_ahead_and_a_list_item_keeps_its_clause():
    (fact,) = facts_of(
        "The two sides have agreed to meet every day this week, including Saturday.", Kind.EVENT
    )
    assert fact.date == FuzzyDate(2026, 9, 26)
    assert fact.attrs["what"] == "two sides have agreed to meet every day this week"


def test_a_possessive_date_names_the_noun_after_it():
    (fact,) = facts_of("Officials expect next year's budget talks to be difficult.", Kind.EVENT)
    assert fact.date == FuzzyDate(2027) and fact.attrs["what"] == "budget talks"


def test_an_appositive_date_takes_the_clause_it_sums_up():
    text = "The commission will then vote on the injury case, a decision expected in February 2027."
    (fact,) = facts_of(text, Kind.EVENT)
    assert fact.attrs["what"] == "commission will then vote on the injury case, decision expected"


def test_titles_with_and_long_possessive_organisations_and_trailing_phrases():
    text = (
        "“This rate does not reflect reality,” Deputy Minister of Industry and Trade Phan Thi Hoa said. "
        "Heartland Pacific's chief executive, Graham Whitcombe, said it was fine. "
        "According to Linda Osei, chair of the National Mediation Board, the sides met. "
        "Karen Liu, a partner specialising in trade remedies at a law firm, said so. "
        "Rosa Lindqvist, the IMF's mission chief for Argentina, spoke."
    )
    people = {f.attrs["name"]: f.text for f in facts_of(text, Kind.PERSON)}
    assert people == {
        "Phan Thi Hoa": "Phan Thi Hoa, Deputy Minister of Industry and Trade",
        "Graham Whitcombe": "Graham Whitcombe, Heartland Pacific chief executive",
        "Linda Osei": "Linda Osei, chair of National Mediation Board",
        "Karen Liu": "Karen Liu, partner",
        "Rosa Lindqvist": "Rosa Lindqvist, IMF mission chief for Argentina",
    }
    assert [q.attrs["speaker"] for q in facts_of(text, Kind.QUOTE)] == ["Phan Thi Hoa"]


def test_quote_speakers_after_and_and_from_a_leading_pronoun():
    text = (
        'Minister Ana Ruiz told reporters that she expected "a short, constructive negotiation" and insisted '
        'the targets were met. She declined to say more, but said that "the gap is the one that matters."'
    )
    quotes = [(q.attrs["speaker"], q.attrs["quote"]) for q in facts_of(text, Kind.QUOTE)]
    assert quotes == [
        ("Ana Ruiz", "a short, constructive negotiation"),
        ("Ana Ruiz", "the gap is the one that matters."),
    ]


def test_cut_to_zero_from_a_rate():
    text = "Australia has offered to cut duties on European cars to zero from 5%."
    (rate,) = facts_of(text, Kind.RATE)
    assert rate.value == "0%" and rate.attrs["previous"] == "5%" and rate.attrs["status"] == "planned"
    assert rate.text == "Australia duties on European cars: 0% (from 5%, planned)"
    text = "Brussels would cut its duties on Australian seafood, including rock lobster, to zero from 11% over time."
    (rate,) = facts_of(text, Kind.RATE)
    assert (rate.value, rate.attrs["target_key"], rate.attrs["imposer_key"]) == (
        "0%",
        "australia seafood",
        "european union",
    )


def test_a_rate_received_is_on_its_subject_from_the_last_imposer():
    text = (
        "The U.S. set a duty of 218% on frozen shrimp from one of Vietnam's exporters. "
        "The second respondent, Ca Mau Seafood Co., received a rate of 4.6%, while other Vietnamese "
        "exporters were assigned duties of up to 25%."
    )
    rates = [(r.attrs["imposer_key"], r.attrs["target_key"], r.value) for r in facts_of(text, Kind.RATE)]
    assert rates == [
        ("united states", "vietnam shrimp", "218%"),
        ("united states", "ca mau seafood co.", "4.6%"),
        ("united states", "vietnam export", "25%"),
    ]


def test_counts_end_at_function_words_and_verbs():
    text = (
        "Members rejected the deal by 2,611 votes to 1,538. The mission, made up of 11 Fund staff, stayed. "
        "The two sides have agreed to talk. The union wants seven paid sick days a year. "
        "It runs 6,800 miles of track across nine states. About 4,500 workers represented by the union "
        "would strike. There is no deal in which one side gets everything."
    )
    assert [f.value for f in facts_of(text, Kind.FIGURE)] == [
        "2,611 votes to 1,538",
        "11 Fund staff",
        "two sides",
        "seven paid sick days",
        "6,800 miles of track",
        "nine states",
        "4,500 workers",
    ]


def test_no_place_from_the_start_of_a_longer_name():
    places = facts_of("It is published in the Federal Register. Talks resumed in Geneva Tuesday.", Kind.PLACE)
    assert [p.value for p in places] == ["Geneva"]


def test_deadline_keys_of_sales_name_the_object_and_money_is_no_actor():
    one = facts_of("Acme must sell its widget unit by Sept. 17.", Kind.DEADLINE)[0]
    again = facts_of(
        "The deadline for the sale of Acme's widget unit was extended to Dec. 16.", Kind.DEADLINE
    )[0]
    other = facts_of("Acme must sell its chemicals unit by Sept. 17.", Kind.DEADLINE)[0]
    assert one.subject == again.subject == "acme sale unit widget" != other.subject
    (money,) = facts_of(
        "Argentina must pay about US$4.2 billion to its bondholders by July 9.", Kind.DEADLINE
    )
    assert money.subject == "argentina payment"
    (final,) = facts_of("Commerce is due to issue its final determination by Dec. 31.", Kind.DEADLINE)
    assert final.subject == "commerce decision"
