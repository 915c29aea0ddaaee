"""A corrected value read by the kind of the fact it corrects, with the extractors' own parsers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from facts.models import FuzzyDate, Kind, StoredFact

# The extractor's finders are imported where a value of their kind is read: every command's parser loads
# this module (through the corrections commands), and a cold `briefbot ask` must not compile their patterns.

logger = logging.getLogger(__name__)

# A value is a rate, a date, an amount or a role: a line, not a paragraph.
MAX_VALUE = 200
FIXABLE_KINDS = (Kind.RATE, Kind.DEADLINE, Kind.EVENT, Kind.FIGURE, Kind.PERSON)
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


class BadValue(ValueError):
    """A value that does not fit the fact's kind; the message is one line saying what would."""


@dataclass(frozen=True)
class NewValue:
    """What a corrected fact says instead: its value, text, date and kind-specific details."""

    value: str
    text: str
    date: FuzzyDate | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def described(self) -> str:
        """The value in words: a date at its own precision, otherwise the value."""
        return self.date.human() if self.date is not None else self.value


def read_value(fact: StoredFact, raw: str) -> NewValue:
    """The new value for `fact` read from what a person typed; BadValue when it is not of the fact's kind."""
    typed = " ".join(raw.split())
    if not typed:
        raise BadValue("Give the new value, e.g. `fix 36 35%`.")
    if len(typed) > MAX_VALUE:
        raise BadValue(f"That value is {len(typed):,} characters; a value is at most {MAX_VALUE}.")
    if fact.kind is Kind.RATE:
        return _rate(fact, typed)
    if fact.kind in (Kind.DEADLINE, Kind.EVENT):
        return _date(fact, typed)
    if fact.kind is Kind.FIGURE:
        return _figure(fact, typed)
    if fact.kind is Kind.PERSON:
        return _role(fact, typed)
    kinds = ", ".join(str(k) for k in FIXABLE_KINDS)
    raise BadValue(f"Fact {fact.id} is a {fact.kind}; only these kinds can be fixed: {kinds}.")


def _rate(fact: StoredFact, typed: str) -> NewValue:
    from facts.extract.rates import find_rates

    text = f"{typed}%" if _BARE_NUMBER.match(typed) else typed
    found = find_rates(text)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(text):
        raise BadValue(f"`{_short(typed)}` is not a rate: give a percentage such as 35% or 12.5%.")
    match = found[0]
    attrs = {k: v for k, v in fact.attrs.items() if k != "previous"}
    attrs["percent"] = match.percent
    return NewValue(match.value, _with_value(fact, match.value), None, attrs)


def _date(fact: StoredFact, typed: str) -> NewValue:
    from facts.extract.dates import find_dates

    when: FuzzyDate | None = None
    if _ISO.match(typed):
        try:
            when = FuzzyDate.parse_iso(typed)
        except ValueError:
            when = None
    else:
        # Words such as "December 16" resolve against the article's date, as the extractor reads them.
        found = find_dates(typed, fact.as_of or fact.known_date().first_day())
        spoken = typed.strip(" .,")
        if len(found) == 1 and len(found[0].surface) >= len(spoken) - 3:
            when = found[0].date
    if when is None:
        raise BadValue(
            f"`{_short(typed)}` is not a date: give one such as December 16, 2025, 2025-12-16 "
            "or November 2025."
        )
    label = fact.text.rsplit(": ", 1)[0] if ": " in fact.text else fact.text
    attrs = {k: v for k, v in fact.attrs.items() if k not in ("previous", "qualifier")}
    attrs["phrase"] = typed
    return NewValue(when.iso(), f"{label}: {when.human()}", when, attrs)


def _figure(fact: StoredFact, typed: str) -> NewValue:
    from facts.extract.figures import find_figures

    unit = str(fact.attrs.get("unit") or "")
    if _BARE_NUMBER.match(typed) and unit:
        number = float(typed.replace(",", "."))
        phrase = f"{typed} {unit}" if unit not in ("%",) else f"{typed}%"
        attrs = {
            **{k: v for k, v in fact.attrs.items() if k != "previous"},
            "number": number,
            "phrase": phrase,
        }
        return NewValue(phrase, _with_value(fact, phrase), None, attrs)
    found = find_figures(typed, [])
    if len(found) != 1 or found[0].start != 0 or found[0].end < len(typed.rstrip(" .")):
        raise BadValue(f"`{_short(typed)}` is not an amount: give a number, e.g. 12 or $4.5 billion.")
    match = found[0]
    phrase = " ".join(match.phrase.split())
    attrs = {k: v for k, v in fact.attrs.items() if k != "previous"}
    attrs.update({"number": match.number, "unit": match.unit, "phrase": phrase})
    return NewValue(phrase, _with_value(fact, phrase), None, attrs)


def _role(fact: StoredFact, typed: str) -> NewValue:
    if not any(c.isalpha() for c in typed):
        raise BadValue(f"`{_short(typed)}` is not a role: give one such as Treasury Secretary.")
    name = str(fact.attrs.get("name") or fact.text.split(",", 1)[0])
    attrs = {**fact.attrs, "role": typed, "org": ""}
    return NewValue(typed, f"{name}, {typed}", None, attrs)


def _with_value(fact: StoredFact, value: str) -> str:
    """The fact's text with its old value swapped for the new one (or the new one after its label)."""
    if fact.value and fact.value in fact.text:
        return fact.text.replace(fact.value, value, 1)
    lowered = fact.text.lower().find(fact.value.lower()) if fact.value else -1
    if lowered >= 0:
        return fact.text[:lowered] + value + fact.text[lowered + len(fact.value) :]
    label = fact.text.rsplit(": ", 1)[0] if ": " in fact.text else fact.text
    return f"{label}: {value}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
