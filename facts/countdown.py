"""Countdowns to fuzzy dates: days left as a single number or, for a month or year, a range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facts.models import FuzzyDate


@dataclass(frozen=True)
class Countdown:
    """Days from today to the first and last day a date can mean (negative once passed)."""

    first: int
    last: int

    @property
    def passed(self) -> bool:
        """True once the last day the date can mean is behind us."""
        return self.last < 0

    @property
    def today(self) -> bool:
        """True on a day-precision date's own day."""
        return self.first == 0 and self.last == 0

    @property
    def underway(self) -> bool:
        """True while today lies inside a month or year range."""
        return self.first <= 0 <= self.last and not self.today

    def describe(self) -> str:
        """Plain words: 'in 2 days', 'today', 'passed 3 days ago', 'in 47–76 days', 'under way now'."""
        if self.today:
            return "today"
        if self.passed:
            ago = -self.last
            return (
                f"passed {_days(ago)} ago" if self.first == self.last else f"passed at least {_days(ago)} ago"
            )
        if self.underway:
            return f"under way now (ends within {_days(self.last)})"
        if self.first == self.last:
            return "tomorrow (1 day)" if self.first == 1 else f"in {_days(self.first)}"
        return f"in {self.first}–{_days(self.last)}"


def countdown(when: FuzzyDate, today: date) -> Countdown:
    """The countdown from `today` to a fuzzy date."""
    return Countdown((when.first_day() - today).days, (when.last_day() - today).days)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def age_in_words(published: date, today: date, quiet_days: int = 0) -> str:
    """How old a source is on `today` ('1 day old', '45 days old', '13 months old', '2 years old').

    '' on its own day and, with `quiet_days`, while it is no older than that: an answer mentions a
    source's age only once it is stale, a citation from the day after.
    """
    days = (today - published).days
    if days <= quiet_days or days <= 0:
        return ""
    if days == 1:
        return "1 day old"
    if days < 60:
        return f"{days} days old"
    if days < 365:
        return f"{days // 30} months old"
    years = days // 365
    return "1 year old" if years == 1 else f"{years} years old"
