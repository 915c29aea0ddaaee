"""Month and weekday names in one place: as word sets for filters and as regex alternations."""

from __future__ import annotations

# Written out, not taken from `calendar`, whose names follow the process's locale.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Abbreviations as articles write them ("Sept." and "Sep." both); "may" needs none.
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH_WORDS = frozenset(MONTHS + MONTH_ABBREVIATIONS)
DAY_AND_MONTH_NAMES = frozenset(WEEKDAYS + MONTHS)


def alternation(words: tuple[str, ...], capitalised: bool = False, suffix: str = "") -> str:
    """The words as a regex alternation, longest first within each shared start ("sept|sep")."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(f"{w.capitalize() if capitalised else w}{suffix}" for w in ordered)
