"""Counts and amounts: ordinals, money, quantities with units and vote tallies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.extract.words import has_word

_ORD_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    "fourteenth|fifteenth|twentieth"
)
_ORD_VALUES = {w: i + 1 for i, w in enumerate(_ORD_WORDS.split("|")[:15])} | {"twentieth": 20}
_ORDINAL = re.compile(
    r"\b(?P<ord>" + _ORD_WORDS + r"|\d+(?:st|nd|rd|th))(?:\s+(?:straight|consecutive|successive))?\s+"
    r"(?P<noun>round|extension|meeting|summit|session|term|reading|vote|attempt|time|phase|stage|"
    r"increase|cut|hike|tranche|package|day|week|month|year|quarter|half|place|largest|biggest)s?"
    r"(?P<tail>\s+of\s+(?!the\b|a\b|an\b)[a-z][\w-]*)?",
    re.I,
)
_TIME_NOUNS = frozenset({"day", "week", "month", "year", "quarter", "half", "place", "largest", "biggest"})
_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "m": 1e6,
    "k": 1e3,
    "mln": 1e6,
    "tn": 1e12,
}
_MONEY = re.compile(
    r"(?P<cur>US\$|C\$|A\$|\$|€|£|¥|EUR\s|USD\s|GBP\s)\s?(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mln|tn|m|k)\b)?"
)
_SPELLED = {
    w: i + 1 for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split())
} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12}
_SPELLED_QUANTITY = re.compile(
    r"(?<![\w-])(?P<num>"
    + "|".join(w for w in _SPELLED if w != "one")
    + r")\s+(?P<unit>(?-i:[a-z][a-z-]+)(?:\s+(?:of\s+)?[a-z][a-z-]+){0,2})",
    re.I,
)
_TIME_UNITS = frozenset("years months weeks days hours minutes decades".split())
_QUANTITY = re.compile(
    r"(?<![\w$€£¥.,-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s+(?P<scale>thousand|million|billion|trillion))?"
    r"\s+(?P<unit>(?:metric\s+)?(?:[A-Z][a-z]+\s+){0,2}(?:[a-z][a-z-]+)(?:\s+(?:of\s+)?[a-z][a-z-]+){0,2})",
)
_VOTES = re.compile(
    r"(?<=voted\s)(?P<a2>\d{1,3}(?:,\d{3})+|\d+)\s*(?:-|–|to)\s*(?P<b2>\d{1,3}(?:,\d{3})+|\d+)\b|"
    r"(?<![\d,])(?P<a>\d{1,3}(?:,\d{3})+|\d+)\s*(?:votes?\s+)?(?:to|-|–)\s*(?P<b>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?=\s*(?:votes?|vote\b|,|\.(?!\d)|\s+in\b|\s+margin))"
)
# Words a figure's unit never ends on ("30 million tonnes of"): a unit boundary, not the index's stop words.
_NOT_UNIT_WORDS = frozenset(
    """and or to of in on at for by with from as the a an is are was were be has have had per percent
    cent that which who when than more less years year months month days day weeks week hours
    percentage last next this every each about around some its their""".split()
)
_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "C$": "CAD", "A$": "AUD"}


_DIGIT = re.compile(r"\d")
# Without a digit only spelled-out ordinals and numbers can start a figure, each a whole word.
_ORD_WORD_SET = frozenset(_ORD_WORDS.split("|"))
_SPELLED_WORD_SET = frozenset(w for w in _SPELLED if w != "one")


@dataclass
class FigureMatch:
    """A number found in a sentence with its unit and the phrase it came from."""

    start: int
    end: int
    phrase: str
    number: float | None
    unit: str


_UNIT_BREAK = frozenset(
    """and or to in on at for by with from as the a an is are was were be has have had that which who when
    than across into over under between after before during through against among within without via
    if so but not would will can could should may might must gets get got said says""".split()
)


def _cut_unit(words: list[str]) -> list[str]:
    """A counted noun ends at the first function word or verb: "sides [have agreed]", "miles of track"."""
    for i, w in enumerate(words[1:], start=1):
        low = w.lower()
        if low in _UNIT_BREAK or (w[:1].islower() and low.endswith("ed") and len(low) > 4):
            return words[:i]
    return words


def _num(text: str) -> float:
    """Parse '1,200.5' as a float."""
    return float(text.replace(",", ""))


def find_figures(raw: str, taken: list[tuple[int, int]]) -> list[FigureMatch]:
    """Figures in a sentence that do not overlap spans already used by dates or rates."""
    out: list[FigureMatch] = []
    digits = _DIGIT.search(raw) is not None
    ordinals = digits or has_word(raw, _ORD_WORD_SET)
    spelled = has_word(raw, _SPELLED_WORD_SET)
    if not ordinals and not spelled:
        return out
    used = list(taken)

    def free(s: int, e: int) -> bool:
        return not any(s < te and e > ts for ts, te in used)

    def add(s: int, e: int, number: float | None, unit: str) -> None:
        if free(s, e):
            used.append((s, e))
            out.append(FigureMatch(s, e, raw[s:e], number, unit))

    # Votes, money and quantities need a digit.
    for m in _VOTES.finditer(raw) if digits else ():
        add(m.start(), m.end(), _num(m.group("a") or m.group("a2")), "votes")
    for m in _MONEY.finditer(raw) if digits else ():
        scale = _SCALE.get((m.group("scale") or "").lower(), 1)
        cur = _CURRENCY.get(m.group("cur").strip(), m.group("cur").strip())
        add(m.start(), m.end(), _num(m.group("num")) * scale, cur)
    for m in _ORDINAL.finditer(raw) if ordinals else ():
        noun = m.group("noun").lower()
        if noun in _TIME_NOUNS:
            continue
        ord_text = m.group("ord").lower()
        value = _ORD_VALUES.get(ord_text) or int(re.sub(r"\D", "", ord_text) or 0)
        add(m.start(), m.end(), float(value), noun)
    quantities = _QUANTITY.finditer(raw) if digits else ()
    for m in [*quantities, *(_SPELLED_QUANTITY.finditer(raw) if spelled else ())]:
        num_text = m.group("num")
        if re.fullmatch(r"(?:19|20)\d\d", num_text) and not m.group("scale"):
            continue
        unit_words = m.group("unit").split()
        unit_start = m.start("unit")
        if len(unit_words) > 1 and not free(unit_start + m.group("unit").rfind(unit_words[-1]), m.end()):
            unit_words.pop()
        unit_words = _cut_unit(unit_words)
        while unit_words and unit_words[-1].lower() in _NOT_UNIT_WORDS:
            if len(unit_words) == 1 and unit_words[0].lower() in _TIME_UNITS:
                break  # "five years", "90 days"
            if unit_words[-1].lower() in _TIME_UNITS and unit_words[-2].lower() not in _NOT_UNIT_WORDS:
                break  # "seven paid sick days"
            unit_words.pop()
        if unit_words and unit_words[0][:1].isupper() and unit_words[-1][:1].isupper():
            continue  # "5 Downing Street": a name, not a counted noun
        if len(unit_words) > 1 and unit_words[0].lower() in _TIME_UNITS:
            unit_words = unit_words[:1]
        if not unit_words or (
            unit_words[0].lower() in _NOT_UNIT_WORDS and unit_words[0].lower() not in _TIME_UNITS
        ):
            continue
        scale = _SCALE.get((m.groupdict().get("scale") or "").lower(), 1)
        unit = " ".join(unit_words)
        number = float(_SPELLED.get(num_text.lower()) or _num(num_text))
        end = m.start("unit") + len(" ".join(unit_words)) if unit_words else m.end()
        add(m.start(), end, number * scale, unit)
    out.sort(key=lambda f: f.start)
    return out


_FROM_GAP = re.compile(r"\s*,?\s*(?:(?:up|down)\s+)?from\s+(?:about\s+|around\s+|roughly\s+)?", re.I)
_TO_GAP = re.compile(r"\s*to\s+(?:about\s+|around\s+|roughly\s+)?", re.I)
_CHANGE_VERB = re.compile(
    r"\b(?:cut|rais\w*|lower\w*|increas\w*|reduc\w*|decreas\w*|revis\w*|recalibrat\w*|adjust\w*|chang\w*|"
    r"trimm?\w*|slash\w*|boost\w*|lift\w*|hik\w*|rose|ris\w*|fell|fall\w*|grew|grow\w*|dropp?\w*|climb\w*)\b",
    re.I,
)


def changed_amounts(raw: str, figures: list[FigureMatch]) -> dict[int, int]:
    """Amounts a sentence says replaced others: {index of the new amount: index of the one before}.

    "cut to US$3 billion from US$4.5 billion" and "raised from €2m to €3m" are one amount and what it was.
    """
    out: dict[int, int] = {}
    for i in range(len(figures) - 1):
        a, b = figures[i], figures[i + 1]
        if a.unit != b.unit or not (len(a.unit) == 3 and a.unit.isupper()):
            continue
        gap = raw[a.end : b.start]
        if _FROM_GAP.fullmatch(gap) and re.search(r"\bto\s+(?:about\s+|around\s+)?$", raw[: a.start]):
            out[i] = i + 1
        elif (
            _TO_GAP.fullmatch(gap)
            and re.search(r"\bfrom\s+(?:about\s+|around\s+)?$", raw[: a.start])
            and _CHANGE_VERB.search(raw, max(0, a.start - 60), a.start)
        ):
            out[i + 1] = i
    return out
