"""Candidate answers: the rules' answer, and every span of the expected type in the best sentences.

A span candidate is read from a retrieved sentence by the extractor's own finders (rates, figures, dates,
people, places, quotes), at question time, so a sentence the extractor stored no typed fact for still
answers. Each candidate carries the lines it would be answered with, the facts behind them, and the
text a judge reads as its answer (`head`: the value without the sentence shown as evidence).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from facts.calendar_words import DAY_AND_MONTH_NAMES, MONTH_WORDS
from facts.geo import country_of
from facts.models import FuzzyDate, Kind, StoredFact
from facts.qa import render
from facts.qa.intent import Intent, QuestionKind
from facts.qa.retrieve import Passage, Retrieval
from facts.qa.rules import RuleAnswer
from facts.text import STOP_WORDS, digits_for_words

# The extractor's finders are imported by the candidates that use them: each compiles many patterns, and a
# cold `briefbot ask` should pay only for the finders its kind of question reads (a rate question: none).

# How many of the best sentences give span candidates: the right one is nearly always among them.
SENTENCES = 12
MAX_SPAN = 160

PERCENT = re.compile(
    r"(?<![\w.])(?:up\s+to\s+|about\s+|around\s+|nearly\s+|almost\s+)?\d+(?:[.,]\d+)?\s?"
    r"(?:%|per\s?cent\b|percent\b|percentage\s+points?\b)",
    re.I,
)
_FRACTION = re.compile(
    r"\b(?:a|one|two|three|four|five|seven|nine)[\s-]+"
    r"(?:half|halves|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?)\b",
    re.I,
)
MONEY = re.compile(
    r"(?:(?:US|C|A|NZ|HK)?\$|€|£|¥|₹|\b(?:EUR|USD|GBP|JPY|CHF|CAD|AUD|CNY|INR)\s?)\s?\d[\d,.]*"
    r"(?:\s?(?:trillion|billion|million|thousand|tn|bn|m|k)\b)?"
    r"|\b\d[\d,.]*\s?(?:trillion|billion|million|thousand|tn|bn|m)?\s+(?:euros?|dollars?|pounds?(?:\s+sterling)?"
    r"|yen|yuan|renminbi|rupees?|pesos?|francs?|kronor|kroner|krona|rand|reais|real|won|ringgit|baht|rupiah)\b",
    re.I,
)
_DURATION = re.compile(r"\b\d+(?:[.,]\d+)?\s+(?:days?|weeks?|months?|years?|hours?)\b", re.I)
_NAME_AFTER = r"(?P<desc>(?:the|a|an|its|their|his|her)\s+[^,.;:()“”\"]{3,90}?|[a-z][^,.;:()“”\"]{3,90}?)"
_QUOTED_SPLIT = re.compile(r"[“”\"]")


@dataclass
class Candidate:
    """One possible answer: where it came from, the lines it is given with and what a judge reads."""

    source: str  # "rules" or "span"
    kind: str  # what was read: rules, percent, money, number, date, person, place, quote, sentence
    head: str  # the answer itself, without the evidence shown after it
    lines: list[str]
    facts: list[StoredFact]
    passage: Passage | None
    start: int = -1
    end: int = -1
    rule: RuleAnswer | None = None
    when: FuzzyDate | None = None
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0


History = Callable[[StoredFact], "StoredFact | None"]


def candidates(
    retrieval: Retrieval, intent: Intent, today: date, rule: RuleAnswer | None, history: History | None = None
) -> list[Candidate]:
    """The rules' answer (when they give one) and the typed spans of the best sentences.

    `history` gives the older version a dated fact replaced, so a date span says "moved from …" as the
    rules do.
    """
    out: list[Candidate] = []
    if rule is not None:
        out.append(_from_rules(rule, retrieval))
    seen: set[tuple[str, str]] = set()
    history = _moves(rule, history)
    for passage in retrieval.by_rank()[:SENTENCES]:
        if passage.statement is None:
            continue
        for candidate in _spans(passage, intent, today, history):
            key = (candidate.kind, candidate.head.lower())
            if key not in seen:
                seen.add(key)
                out.append(candidate)
    return out


def _moves(rule: RuleAnswer | None, history: History | None) -> History | None:
    """What a dated fact replaced: a newer article's move the rules found, else the store's own link."""
    moved = rule.replaced if rule is not None else {}
    if not moved:
        return history
    return lambda fact: moved.get(fact.id) or (history(fact) if history else None)


def _from_rules(rule: RuleAnswer, retrieval: Retrieval) -> Candidate:
    passage = rule.matches[0].passage if rule.matches else None
    if passage is None and rule.facts:
        place = (rule.facts[0].document_id, rule.facts[0].sentence_index)
        passage = next((p for p in retrieval.passages if (p.document_id, p.index) == place), None)
    return Candidate("rules", "rules", "\n".join(rule.lines), rule.lines, rule.facts, passage, rule=rule)


def _spans(passage: Passage, intent: Intent, today: date, history: History | None) -> list[Candidate]:
    kind = intent.kind
    if kind is QuestionKind.RATE:
        return _percents(passage)
    if kind is QuestionKind.NUMBER:
        if intent.money:
            return _money(passage)
        return _money(passage) + _percents(passage) + _numbers(passage)
    if kind in (QuestionKind.DATE, QuestionKind.COUNTDOWN):
        return _dates(passage, intent, today, history)
    if kind is QuestionKind.PERSON:
        return _descriptions(passage, intent) if intent.name else _names(passage) + _named(passage, intent)
    if kind is QuestionKind.PLACE:
        return _places(passage)
    if kind is QuestionKind.QUOTE:
        return _quotes(passage)
    return [_sentence(passage)]


def _evidence(passage: Passage) -> str:
    return passage.sentence.strip()


def _valued(passage: Passage, kind: str, value: str, start: int, end: int) -> Candidate:
    value = " ".join(value.split())
    line = f"{value} — {_evidence(passage)}"
    return Candidate("span", kind, value, [line], _facts(passage), passage, start, end)


def _facts(passage: Passage) -> list[StoredFact]:
    return [passage.statement] if passage.statement is not None else []


def _percents(passage: Passage) -> list[Candidate]:
    text = passage.sentence
    out = [_valued(passage, "percent", m.group(0), m.start(), m.end()) for m in PERCENT.finditer(text)]
    out += [_valued(passage, "percent", m.group(0), m.start(), m.end()) for m in _FRACTION.finditer(text)]
    if not out:
        # "twenty per cent": read with its words as digits, shown as it was written.
        spelled = digits_for_words(text)
        if spelled != text:
            out = [_valued(passage, "percent", m.group(0), -1, -1) for m in PERCENT.finditer(spelled)]
    return out


def _money(passage: Passage) -> list[Candidate]:
    return [
        _valued(passage, "money", m.group(0), m.start(), m.end()) for m in MONEY.finditer(passage.sentence)
    ]


def _numbers(passage: Passage) -> list[Candidate]:
    text = passage.sentence
    taken = [(m.start(), m.end()) for m in MONEY.finditer(text)] + [
        (m.start(), m.end()) for m in PERCENT.finditer(text)
    ]
    from facts.extract.figures import find_figures

    out = []
    for figure in find_figures(text, taken):
        if figure.number is not None and 1900 <= figure.number <= 2199 and not figure.unit:
            continue  # a year on its own is a date, not a figure
        out.append(_valued(passage, "number", figure.phrase, figure.start, figure.end))
    out += [_valued(passage, "number", m.group(0), m.start(), m.end()) for m in _DURATION.finditer(text)]
    return out


def _dates(passage: Passage, intent: Intent, today: date, history: History | None) -> list[Candidate]:
    statement = passage.statement
    if statement is None:
        return []
    from facts.extract.dates import find_dates

    countdown = intent.kind is QuestionKind.COUNTDOWN
    out = []
    for found in find_dates(passage.sentence, passage.published):
        if found.date.year < 1900 or found.date.year > 2199:
            continue
        typed = next((f for f in passage.of_kind(Kind.DEADLINE, Kind.EVENT) if f.date == found.date), None)
        if typed is not None:
            # The stored fact of this date: its label, and what it replaced ("moved from …").
            old = passage.replaced.get(typed.id) or (history(typed) if history else None)
            line = render.dated_line(typed, today, old, countdown, intent.text)
            out.append(
                Candidate(
                    "span",
                    "date",
                    line,
                    [line],
                    [typed],
                    passage,
                    found.start,
                    found.end,
                    when=found.date,
                )
            )
            continue
        # The sentence's statement read as a dated fact, to be rendered as the rules render one.
        fact = replace(
            statement,
            kind=Kind.DEADLINE if countdown else Kind.EVENT,
            start=found.start,
            end=found.end,
            value=found.date.iso(),
            date=found.date,
            attrs={"what": passage.sentence, "qualifier": found.qualifier},
        )
        head = render.dated_line(fact, today, None, countdown, intent.text)
        head = head.split(": ", 1)[-1] if ": " in head else head
        line = f"{head} — {_evidence(passage)}"
        out.append(
            Candidate(
                "span", "date", head, [line], [statement], passage, found.start, found.end, when=found.date
            )
        )
    return out


def _names(passage: Passage) -> list[Candidate]:
    from facts.extract.people import find_people

    out = []
    for person in find_people(passage.sentence):
        out.append(_valued(passage, "person", person.describe(), person.start, person.end))
    return out


# A run of capitalised words: a company, a firm of advisers, a body ("who runs the terminal?" is often one).
_CALENDAR = DAY_AND_MONTH_NAMES | MONTH_WORDS
_PROPER_RUN = re.compile(r"(?<![\w’'])[A-Z][\w’'&.-]*(?:\s+(?:&\s+|of\s+|de\s+)?[A-Z][\w’'&.-]*)*")


def _named(passage: Passage, intent: Intent) -> list[Candidate]:
    """Names in a sentence that are not people the extractor read: the organisations a "who" may ask for."""
    from facts.extract.people import ROLE_HEAD, find_people

    text = passage.sentence
    people = [(p.start, p.end) for p in find_people(text)]
    asked = set(re.findall(r"[a-z0-9]+", intent.text.lower()))
    out = []
    for m in _PROPER_RUN.finditer(text):
        words = m.group(0).rstrip(".’'").split()
        start = m.start()
        while words and (words[0].lower() in STOP_WORDS or words[0].lower() in _CALENDAR):
            start += len(words[0]) + 1
            words = words[1:]
        name = re.sub(r"['’]s$", "", " ".join(words))
        if len(name) < 3 or any(s <= start < e for s, e in people) or country_of(name):
            continue
        if len(words) == 1 and (not text[:start].strip(" “\"'‘—-") or ROLE_HEAD.fullmatch(name)):
            continue  # a sentence's first word is capitalised anyway; "CHAIR:" labels a transcript's turn
        if words[-1].lower() in MONTH_WORDS or set(re.findall(r"[a-z0-9]+", name.lower())) <= asked:
            continue
        out.append(_valued(passage, "name", name, start, start + len(name)))
    return out


def _descriptions(passage: Passage, intent: Intent) -> list[Candidate]:
    """What a sentence says the asked-about person is: 'X, a partner at Y' or 'Chief negotiator X'.

    The apposition as written comes first; the extractor's shorter reading only where there is none.
    """
    text = passage.sentence
    out = []
    surname = re.escape(intent.name.split()[-1])
    copula = r"\s+(?:is|was|has\s+been|became|serves\s+as)\s+"
    for pattern in (
        surname + r"[’']?s?,\s+" + _NAME_AFTER + r"[,.;]",
        surname + copula + _NAME_AFTER + r"[,.;]",
    ):
        for m in re.finditer(pattern, text):
            out.append(_valued(passage, "person", f"{intent.name}, {m.group('desc')}", m.start(), m.end()))
    if not out:
        from facts.extract.people import find_people

        for person in find_people(text):
            if _same_person(person.name, intent.name) and (person.role or person.org):
                out.append(_valued(passage, "person", person.describe(), person.start, person.end))
    return out


def _same_person(found: str, asked: str) -> bool:
    """True when a name read in a sentence is the asked one, or its surname alone."""
    have, want = found.lower().split(), asked.lower().split()
    return bool(have) and bool(want) and (have[-1] == want[-1])


def _places(passage: Passage) -> list[Candidate]:
    from facts.extract.places import find_places

    out = [_valued(passage, "place", p.name, p.start, p.end) for p in find_places(passage.sentence)]
    return out


def _quotes(passage: Passage) -> list[Candidate]:
    from facts.extract.quotes import find_quotes

    out = []
    for quote in find_quotes(passage.sentence):
        speaker = _speaker(passage)
        head = f"{speaker}: “{quote.quote}”" if speaker else f"“{quote.quote}”"
        out.append(Candidate("span", "quote", head, [head], _facts(passage), passage, quote.start, quote.end))
    return out


def _speaker(passage: Passage) -> str:
    """The typed quote fact's speaker for this sentence, when the extractor read one."""
    for fact in passage.of_kind(Kind.QUOTE):
        speaker = str(fact.attrs.get("speaker") or "")
        if speaker:
            return speaker
    return ""


def _sentence(passage: Passage) -> Candidate:
    text = _evidence(passage)
    return Candidate("span", "sentence", text, [text], _facts(passage), passage, 0, len(passage.sentence))
