"""Turning chosen facts into answer lines, countdowns, change notes and source citations."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

from facts.countdown import age_in_words, countdown
from facts.geo import country_of
from facts.models import Kind, Precision, Source, StoredFact

STALE_DAYS = 30
_QUALIFIED = {
    "mid": "mid-{}",
    "end": "end of {}",
    "start": "start of {}",
    "early": "early {}",
    "late": "late {}",
}
_AHEAD = re.compile(
    r"\bstill\s+(?:ahead|to\s+come|coming|pending|upcoming|open|running|in\s+force|in\s+effect|valid|on)\b|\bpassed\b|\bexpired\b|\bover\b",
    re.I,
)
_ASKS_PASSED = re.compile(r"\b(?:passed|expired|over|past|lapsed)\b", re.I)


def human_date(fact: StoredFact) -> str:
    """A fact's date at its own precision, with 'mid-'/'end of' kept from the article for months and years."""
    when = fact.known_date()
    text = when.human()
    qualifier = str(fact.attrs.get("qualifier") or "")
    if when.precision is not Precision.DAY and qualifier in _QUALIFIED:
        text = _QUALIFIED[qualifier].format(text)
    return text


def _label(fact: StoredFact, *, sentence_for_fragment: bool = True) -> str:
    """What a dated fact is about, from the extractor's 'what', or the sentence when that is a fragment.

    A countdown list is a glance down many lines: it keeps a fragment, or the fact's own text when no
    'what' was read (`sentence_for_fragment=False`).
    """
    what = fact.text.rsplit(": ", 1)[0].strip() if ": " in fact.text else str(fact.attrs.get("what") or "")
    if len(what.split()) < 2 or not what[:1].isalpha():
        own_text = fact.text.removesuffix(f": {fact.date.human()}") if fact.date else fact.text
        what = fact.sentence.strip() if sentence_for_fragment else what or own_text
    what = what.rstrip(".")
    return what[:1].upper() + what[1:]


class DatedLayout(Enum):
    """Where a dated line goes, which decides what it leads with."""

    ANSWER = "answer"  # what was asked about first: 'Deadline for X: September 17, 2025 (in 2 days)'
    COUNTDOWN_LIST = "countdown list"  # daily posts and `deadlines`, read down the left edge: 'in 2 days — …'


def dated_line(
    fact: StoredFact,
    today: date,
    old: StoredFact | None = None,
    countdown_asked: bool = False,
    question: str = "",
    *,
    layout: DatedLayout = DatedLayout.ANSWER,
) -> str:
    """A dated fact with its countdown at `today`, laid out for an answer or a countdown list.

    An answer to a countdown question ('how long until…', `countdown_asked`) puts the countdown after a
    dash, led by a yes/no verdict when `question` asks whether it is still ahead or has passed; `old`, the
    fact it replaced, adds where the date moved from.
    """
    left = countdown(fact.known_date(), today)
    if layout is DatedLayout.COUNTDOWN_LIST:
        line = f"{left.describe()} — {_label(fact, sentence_for_fragment=False)} ({human_date(fact)})"
    elif countdown_asked:
        line = f"{_verdict(left.passed, question)}{_label(fact)}: {human_date(fact)} — {left.describe()}"
    else:
        line = f"{_label(fact)}: {human_date(fact)} ({left.describe()})"
    if old is not None and old.date is not None and old.date != fact.date:
        line += f"; moved from {human_date(old)}"
    return line


def _verdict(passed: bool, question: str) -> str:
    """'Yes, it is still ahead. ' for a question asking so, '' for one that does not ask."""
    if not _AHEAD.search(question):
        return ""
    if _ASKS_PASSED.search(question):  # "Has the deadline passed?" is answered the other way round
        return "Yes, it has passed. " if passed else "No, it is still ahead. "
    return "No, it has passed. " if passed else "Yes, it is still ahead. "


def rate_lines(facts: list[StoredFact], sentence: str) -> list[str]:
    """Labelled rates ('U.S. duties on Chinese goods: 30%'); half-read rates come with their sentence."""
    lines: list[str] = []
    loose: list[str] = []
    for fact in facts:
        if fact.kind is Kind.RATE and _clean_rate(fact):
            before = re.search(r"\bfrom\s+(\d[\d.,]*\s?(?:%|per\s?cent|percent))", fact.sentence)
            if before and before.group(1) not in fact.text:
                lines.append(
                    f"{fact.text} — {fact.sentence.strip()}"
                )  # the line leaves out what it was before
            else:
                lines.append(fact.text)
        else:
            loose.append(fact.value)
    if loose:
        values = ", ".join(dict.fromkeys(loose))
        lines.append(f"{values} — {sentence.strip()}")
    return lines


def _clean_rate(fact: StoredFact) -> bool:
    imposer = str(fact.attrs.get("imposer_key") or "")
    target = str(fact.attrs.get("target") or "")
    if _told_as_before(fact):
        return (
            False  # "cut duties to zero from 5%": 5% is what the rate was; the sentence says what it becomes
        )
    return bool(country_of(imposer)) and bool(target) and bool(fact.attrs.get("noun"))


def _told_as_before(fact: StoredFact) -> bool:
    """True when a rate's value follows 'from' in its sentence and no newer value was read with it."""
    if fact.attrs.get("previous") or not fact.value:
        return False
    return bool(re.search(r"\bfrom\s+(?:about\s+|around\s+)?" + re.escape(fact.value), fact.sentence))


def number_lines(facts: list[StoredFact], sentence: str) -> list[str]:
    """The numbers in a sentence and the sentence that gives them their meaning."""
    values = [f.value for f in facts if f.kind in (Kind.FIGURE, Kind.RATE) and f.value]
    if not values:
        return [sentence.strip()]
    return [f"{', '.join(dict.fromkeys(values))} — {sentence.strip()}"]


def person_line(fact: StoredFact) -> str:
    """'Scott Bessent, U.S. Treasury Secretary', or the sentence naming them when no role was read."""
    if fact.attrs.get("role"):
        return fact.text
    return fact.sentence.strip()


def place_line(fact: StoredFact) -> str:
    """'Madrid — Talks resumed in Madrid on Monday'."""
    name = str(fact.attrs.get("name") or fact.value)
    context = str(fact.attrs.get("context") or fact.sentence).strip()
    return f"{name} — {context[:1].upper() + context[1:]}"


def quote_line(fact: StoredFact) -> str:
    """'Jamieson Greer: “…”'."""
    return fact.text


def age_of(published: date, today: date) -> str:
    """'2 months old' when a source is older than STALE_DAYS at `today`, else ''."""
    return age_in_words(published, today, quiet_days=STALE_DAYS)


def source_line(sources: list[Source], today: date) -> tuple[str, str]:
    """The citation line for an answer and the age warning of its oldest source."""
    parts = []
    oldest = ""
    seen: set[tuple[str, date]] = set()
    for source in sources:
        key = (source.title, source.published)
        if key in seen:
            continue
        seen.add(key)
        age = age_of(source.published, today)
        note = f"; {age}" if age else ""
        oldest = oldest or age
        # A web article's address is printed after it, so the terminal shows where to read it.
        link = f" {source.url}" if source.url.lower().startswith(("http://", "https://")) else ""
        parts.append(
            f"“{source.title}” (published {source.published.isoformat()}, as of that date{note}){link}"
        )
    return "Source: " + "; ".join(parts), oldest
