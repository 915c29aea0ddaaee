"""Date expressions in a sentence, resolved against the published date with their precision."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from facts.calendar_words import MONTH_ABBREVIATIONS, MONTHS, alternation
from facts.extract.words import caseless, has_word, lowered
from facts.models import FuzzyDate

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_COUNTS = {
    w: i + 2 for i, w in enumerate("two three four five six seven eight nine ten eleven twelve".split())
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

# Month names are matched case-sensitively (capitalised) so the modal "may" is not a month.
_ABBREVIATED = alternation(MONTH_ABBREVIATIONS, capitalised=True, suffix=r"\.?")
_MON = rf"(?P<mon>{alternation(MONTHS, capitalised=True)}|{_ABBREVIATED})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_LEAD = (
    r"(?P<lead>(?:(?:in|on|by|until|till|since|from|through|before|after|during|for|of|at|to|"
    r"no later than|as of|starting|beginning|effective)\s+)?"
    r"(?:(?:the\s+)?(?:end|start|beginning|middle|close)\s+of\s+|early\s+|late\s+|mid-?|earlier\s+|later\s+)?)"
)
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dmy", re.compile(_DAY + r"\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?\b(?![\d%])")),
    ("mdy", re.compile(r"\b" + _MON + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b(?![\d%.,]\d|%|\s*per)")),
    ("my", re.compile(r"\b" + _MON + r"(?:\s+of)?\s+" + _YEAR + r"\b")),
    ("rm", re.compile(r"\b(?P<rel>(?i:last|next|this|coming))\s+" + _MON + r"(?![\w’'-]|\s+\d)")),
    ("m", re.compile(r"\b" + _MON + r"(?![\w’'-])")),
    ("wd", re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:s\b|[’']s\b)?")),
    (
        "q",
        re.compile(
            r"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|Q[1-4])(?:\s+(?P<unit>quarter|half))?"
            r"(?:\s+(?:of\s+)?(?:" + _YEAR + r"|(?P<rely>this|next|last)\s+year))?\b",
            re.I,
        ),
    ),
    (
        "rel",
        re.compile(
            r"\b(?P<rel>today|tonight|yesterday|tomorrow|(?:this|last|next|past|coming)\s+(?:year|month)"
            r"|earlier\s+this\s+(?:year|month)|later\s+this\s+(?:year|month)|early\s+next\s+year"
            r"|late\s+(?:this|next|last)\s+year|(?<=of\s)the\s+(?:year|month))\b",
            re.I,
        ),
    ),
    (
        "span",
        re.compile(
            r"\b(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<u>days|weeks)\s+"
            r"(?:left|remaining|to\s+go|away)\b",
            re.I,
        ),
    ),
    ("y", re.compile(r"\b" + _YEAR + r"\b(?![-–/]\d|\s*%|\s*per)")),
]
_SHORT_MONTHS = frozenset({"Mar", "Jun", "Jul", "Aug", "Sep", "Oct", "Dec"})
_LEAD_RE = re.compile(_LEAD + r"$", re.I)
_YEAR_PREPS = frozenset(
    {"in", "by", "until", "till", "since", "before", "after", "through", "during", "from"}
)
_FUTURE = re.compile(
    r"\b(?:will|shall|would|may|might|could|plans?|planned|planning|intends?|expects?|expected|set\s+to|"
    r"is\s+to|are\s+to|going\s+to|due|deadline|expires?|expiring|expiry|expiration|scheduled|upcoming|"
    r"until|must|aims?|(?:extended|postponed|delayed|pushed\s+back|moved|deferred)\s+(?:to|until)|hopes?|likely|unlikely|possibly|probably|perhaps|ahead|coming|tentatively|proposed|looms?|takes?\s+effect|"
    r"ends\s+(?:at|on|in)|runs?\s+out|lapses)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|agreed|announced|signed|held|met|took|made|came|went|began|"
    r"ago|earlier|last|previously|already|\w{3,}ed)\b",
    re.I,
)


_WEEKDAY_SAID = re.compile(r"\b(next|this|coming)\s+$", re.I)
_REPORTING = re.compile(r"said|told|added|stated|announced|confirmed|noted|wrote|reported", re.I)
# A past-tense sentence names a day without a year up to this long before it was written; a day further
# back is the same day ahead ("has postponed the vote to <a day two months on>", written in past tense).
_PAST_REACH_DAYS = 200
# "CITY, Month D (Agency) -" or "CITY, D Month -": the dateline gives the day the report was filed.
_DATELINE = re.compile(
    r"^\W*[A-Z][A-Za-z.'’ -]{1,40},\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)"
    r"(?:,?\s+\d{4})?\s*(?:\([^)]{1,40}\)\s*)?(?:[-–—]|--)"
)

# The same patterns without re.I, several times faster, for sentences `lowered` can lower.
_FUTURE_LOW = caseless(_FUTURE)
_PAST_LOW = caseless(_PAST)
_LEAD_LOW = caseless(_LEAD_RE)


@dataclass(frozen=True)
class DateMatch:
    """A date expression found in a sentence, with its resolved fuzzy date."""

    start: int
    end: int
    surface: str
    date: FuzzyDate
    lead: str
    qualifier: str = ""
    kind: str = ""
    possessive: bool = False


_MODAL_BEFORE = re.compile(
    r"\b(?:will|shall|would|may|might|could|should|must|to)\s+(?:not\s+)?"
    r"(?:(?:most|more|very|quite|also|still|then|now|probably|likely|possibly|only)\s+)*"
    r"(?:be|get|have\s+been)\s+$",
    re.I,
)
_FORWARD_LEAD = re.compile(r"(?:from|starting|beginning|effective)\b", re.I)
_INTENT = re.compile(r"\b(?:to\s+(?!the\b|a\b|an\b|its\b|their\b)[a-z]{3,}|will|would|plans?|set\s+to)\b")
_AGREED_TO = re.compile(
    r"\b(?:agreed|decided|promised|pledged|vowed|voted|offered)\s+to\s+[a-z]+\b(?:(?![.;]).)*$", re.I
)
_CLAUSE_EDGE = re.compile(r"[,;:—–()]|\s(?:but|while|whereas|although)\s")


_ATTRIBUTIVE = re.compile(
    r"\s+(?:target|deadline|date|goal|meeting|summit|round|vote|session|timetable|timeline|schedule|"
    r"cut-?off|decision|ballot|election|talks|start|launch|opening|handover)s?\b"
)
_SET_FOR = re.compile(
    r"\b(?:set|scheduled|slated|planned|penciled|pencilled|earmarked|due|fixed|pushed\s+back|"
    r"postponed|delayed|moved|extended)\s+(?:to\s+|for\s+|until\s+)?$",
    re.I,
)
_ADJECTIVAL = re.compile(r"\b(?:its|their|his|her|our|the|a|an|this|that)\s+$", re.I)


def _tense_near(raw: str, start: int, end: int) -> int:
    """Tense of the wording nearest the date in its clause: +1 future/modal, -1 past, 0 unknown."""
    left_edges = [m.end() for m in _CLAUSE_EDGE.finditer(raw, 0, start)]
    right_edge = _CLAUSE_EDGE.search(raw, end)
    low = lowered(raw)
    text, future, past = (raw, _FUTURE, _PAST) if low is None else (low, _FUTURE_LOW, _PAST_LOW)
    for lo, hi in (
        (left_edges[-1] if left_edges else 0, right_edge.start() if right_edge else len(raw)),
        (max(0, start - 80), min(len(raw), end + 60)),
    ):
        best: tuple[int, int] | None = None
        right = 10_000  # the governing verb usually comes first: markers after the date count for less
        for pattern, sign in ((future, 1), (past, -1)):
            for m in pattern.finditer(text, lo, hi):
                if start <= m.start() < end:
                    continue
                if sign < 0 and m.start() >= end and _REPORTING.fullmatch(m.group(0)):
                    continue  # "from <date>, the ministry said": the report's tense, not the date's
                found = sign
                adjective = _ADJECTIVAL.search(raw, max(0, m.start() - 8), m.start())
                if m.group(0)[-2:].lower() == "ed" and adjective:
                    continue  # "its planned takeover": an adjective, not the clause's tense
                if sign < 0 and _MODAL_BEFORE.search(raw[max(0, m.start() - 40) : m.start()]):
                    found = 1  # "will be held", "is to be signed"
                dist = start - m.end() if m.end() <= start else m.start() - end + right
                if best is None or dist < best[0]:
                    best = (dist, found)
        if best is not None:
            return best[1]
    return 0


def _month_year(month: int, published: date, tense: int) -> int:
    """The year of a month named without one, picked by the sentence's tense."""
    year = published.year
    if tense > 0:
        return year if month >= published.month else year + 1
    if tense < 0:
        return year if month <= published.month else year - 1
    diff = month - published.month
    if diff > 6:
        return year - 1
    if diff < -6:
        return year + 1
    return year


def _day_year(month: int, day: int, published: date, tense: int) -> int | None:
    """The year of a month-and-day named without one, picked by the sentence's tense."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if tense > 0:
        later = [d for d in candidates if d >= published]
        return later[0].year if later else None
    if tense < 0:
        earlier = [d for d in candidates if d <= published and (published - d).days <= _PAST_REACH_DAYS]
        if earlier:
            return earlier[-1].year
    return min(candidates, key=lambda d: abs((d - published).days)).year


def _weekday(wd: int, published: date, tense: int) -> date:
    """The weekday nearest the published date in the direction of the sentence's tense."""
    ahead = (wd - published.weekday()) % 7
    behind = (published.weekday() - wd) % 7
    if tense > 0:
        return published + timedelta(days=ahead)
    if tense < 0:
        return published - timedelta(days=behind)
    return published + timedelta(days=ahead) if ahead <= behind else published - timedelta(days=behind)


def _relative(rel: str, published: date) -> FuzzyDate | None:
    """Resolve today/yesterday/this year/next month and the like."""
    rel = " ".join(rel.lower().split())
    if rel in {"today", "tonight"}:
        return FuzzyDate(published.year, published.month, published.day)
    if rel in {"yesterday", "tomorrow"}:
        d = published + timedelta(days=-1 if rel == "yesterday" else 1)
        return FuzzyDate(d.year, d.month, d.day)
    unit = rel.split()[-1]
    shift = 0
    if "last" in rel or "past" in rel:
        shift = -1
    elif "next" in rel or "coming" in rel:
        shift = 1
    if unit == "year":
        return FuzzyDate(published.year + shift)
    month_index = published.year * 12 + published.month - 1 + shift
    return FuzzyDate(month_index // 12, month_index % 12 + 1)


def _qualifier(lead: str) -> str:
    """'end', 'start', 'mid', 'early' or 'late' from the words before a date."""
    low = lead.lower()
    if not low:
        return ""
    for pattern, qual in _QUALIFIERS:
        if pattern.search(low):
            return qual
    return ""


_QUALIFIERS = tuple(
    (re.compile(r"\b" + word), qual)
    for word, qual in (
        ("end", "end"),
        ("close", "end"),
        ("start", "start"),
        ("beginning", "start"),
        ("middle", "mid"),
        ("mid", "mid"),
        ("early", "early"),
        ("late", "late"),
    )
)


_TRIGGER = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Q[1-4]\b)|day\b|tonight|tomorrow|year\b|"
    r"month\b|quarter|half\b|days\b|weeks\b"
)


_TRIGGER_WORDS = (
    *"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    *"day tonight tomorrow year month quarter half weeks".split(),
)
_SPAN_HINT = re.compile(r"\b(?:left|remaining|to\s+go|away)\b")
_REL_MONTH_HINT = re.compile(r"\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming)\s+[A-Z]")


_DIGIT = re.compile(r"\d")
_MONTH_HINT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_QUARTER_WORDS = frozenset({"first", "second", "third", "fourth"})
_REL_WORDS = frozenset({"today", "tonight", "yesterday", "tomorrow", "year", "month"})


def _lead(raw: str, s: int) -> str:
    """The preposition and qualifier words right before a date at `s` ('by the end of ')."""
    window = raw[max(0, s - 40) : s]
    low = lowered(raw)
    if low is None:
        lead_m = _LEAD_RE.search(window)
        return lead_m.group("lead") if lead_m else ""
    lead_m = _LEAD_LOW.search(low[max(0, s - 40) : s])
    return window[lead_m.start("lead") : lead_m.end("lead")] if lead_m else ""


def find_dates(raw: str, published: date) -> list[DateMatch]:
    """All date expressions in a sentence, resolved against `published`, left to right."""
    if not _DIGIT.search(raw) and not any(w in raw for w in _TRIGGER_WORDS):
        return []  # _TRIGGER needs a digit or one of these words
    if not _TRIGGER.search(raw):
        return []
    dateline = _DATELINE.match(raw)
    taken: list[tuple[int, int]] = [(0, dateline.end())] if dateline else []
    found: list[DateMatch] = []
    skip = set()
    if not _SPAN_HINT.search(raw):
        skip.add("span")
    if not _REL_MONTH_HINT.search(raw):
        skip.add("rm")
    # Kinds whose every match needs something the sentence lacks: a digit, a month name (matched
    # case-sensitively), "day", or a whole word of their own.
    digit = _DIGIT.search(raw) is not None
    month = _MONTH_HINT.search(raw) is not None
    if not digit:
        skip.update(("iso", "dmy", "mdy", "my", "y"))
    if not month:
        skip.update(("dmy", "mdy", "my", "rm", "m"))
    if "day" not in raw:
        skip.add("wd")
    if not digit and not has_word(raw, _QUARTER_WORDS):
        skip.add("q")
    if not has_word(raw, _REL_WORDS):
        skip.add("rel")
    for kind, pattern in _PATTERNS:
        if kind in skip:
            continue
        for m in pattern.finditer(raw):
            s, e = m.span()
            if any(s < te and e > ts for ts, te in taken):
                continue
            lead = _lead(raw, s)
            if kind == "wd" and m.group(0).endswith("s") and not m.group(0).endswith(("’s", "'s")):
                continue
            tense = _tense_near(raw, s, e)
            if tense <= 0 and _FORWARD_LEAD.match(lead) and _INTENT.search(raw, max(0, s - 90), s):
                tense = 1  # "agreed on Sunday to cut output from Nov. 1"
            if kind == "wd" and m.group(0).endswith(("’s", "'s")):
                tense = 0
            if tense <= 0 and _AGREED_TO.search(raw, max(0, s - len(lead) - 60), s - len(lead)):
                tense = 1  # "have agreed to meet every day this week, including Saturday"
            if kind in {"m", "my", "dmy", "mdy", "wd"} and _ATTRIBUTIVE.match(raw, e):
                tense = 0  # "their December target", "the original December date"
            if _SET_FOR.search(raw, max(0, s - len(lead) - 30), s - len(lead)):
                tense = 1  # "which had been set for Nov. 12"
            if lead.strip().lower() in {"to", "until", "till"} and _CHANGE_VERB.search(
                raw, max(0, s - 90), s
            ):
                tense = 1  # "has postponed the measure to <date>": the new date lies ahead
            fd = _resolve(kind, m, lead, raw, s, published, tense)
            if fd is None:
                continue
            if kind == "span" and tense < 0:
                continue  # "with 12 days left" in a story told in the past is no date ahead
            taken.append((s, e))
            possessive = kind in {"rel", "rm", "m", "wd"} and raw.startswith(("’s", "'s"), e)
            found.append(
                DateMatch(
                    s - len(lead),
                    e,
                    raw[s - len(lead) : e],
                    fd,
                    lead.strip(),
                    _qualifier(lead),
                    kind,
                    possessive,
                )
            )
    found.sort(key=lambda d: d.start)
    return found


def _resolve(
    kind: str, m: re.Match[str], lead: str, raw: str, s: int, published: date, tense: int
) -> FuzzyDate | None:
    """Turn one regex match into a FuzzyDate, or None when it is not really a date."""
    try:
        if kind == "iso":
            return FuzzyDate(int(m.group("year")), int(m.group("m")), int(m.group("day")))
        if kind in {"dmy", "mdy", "my", "m"}:
            month = _MONTHS[m.group("mon").lower().rstrip(".")]
            if m.group("mon") == "May" and kind == "m" and not lead.strip():
                return None
            bare = m.group("mon") in _SHORT_MONTHS and not lead.strip()
            if kind == "m" and bare:
                return None
            year_text = m.groupdict().get("year")
            day_text = m.groupdict().get("day")
            if day_text:
                day = int(day_text)
                if not 1 <= day <= 31:
                    return None
                year = int(year_text) if year_text else _day_year(month, day, published, tense)
                return FuzzyDate(year, month, day) if year else None
            year = int(year_text) if year_text else _month_year(month, published, tense)
            return FuzzyDate(year, month)
        if kind == "rm":
            month = _MONTHS[m.group("mon").lower().rstrip(".")]
            rel = m.group("rel").lower()
            if rel == "this":
                return FuzzyDate(published.year, month)
            if rel == "last":
                return FuzzyDate(published.year - (month >= published.month), month)
            return FuzzyDate(published.year + (month <= published.month), month)
        if kind == "span":
            n = m.group("n").lower()
            count = int(n) if n.isdigit() else _COUNTS[n]
            d = published + timedelta(days=count * (7 if m.group("u").lower() == "weeks" else 1))
            return FuzzyDate(d.year, d.month, d.day)
        if kind == "wd":
            wd = _WEEKDAYS[m.group("wd").lower()]
            said = _WEEKDAY_SAID.search(raw, max(0, s - 20), s)
            if said:
                # "next Tuesday" is in the week after the article's; "this Tuesday" the one coming up.
                ahead = (wd - published.weekday()) % 7
                if said.group(1).lower() == "next":
                    ahead = ahead + 7 if ahead == 0 or ahead + published.weekday() < 7 else ahead
                d = published + timedelta(days=ahead or 7)
                return FuzzyDate(d.year, d.month, d.day)
            d = _weekday(wd, published, tense)
            return FuzzyDate(d.year, d.month, d.day)
        if kind == "rel":
            return _relative(m.group("rel"), published)
        if kind == "q":
            low = m.group(0).lower()
            if not m.group("unit") and not low.removeprefix("the ").startswith("q"):
                return None
            months = 6 if "half" in low and "q" not in low[:1] else 3
            q = m.group("q").lower()
            n = int(q[1]) if q.startswith("q") else _ORDINALS[q]
            if months == 6 and n > 2:
                return None
            year_text = m.group("year")
            rely = (m.group("rely") or "").lower()
            if year_text:
                year = int(year_text)
            elif rely:
                year = published.year + {"this": 0, "next": 1, "last": -1}[rely]
            else:
                year = _month_year(months * n, published, tense) if tense else published.year
            # A quarter or half is not a unit of FuzzyDate: its last month for "by/end of", else the year.
            if re.search(r"\b(?:end|by|before|until|close)\b", lead, re.I):
                return FuzzyDate(year, months * n)
            return FuzzyDate(year)
        if kind == "y":
            lead_word = lead.strip().split(" ")[0].lower() if lead.strip() else ""
            if lead_word not in _YEAR_PREPS:
                return None
            return FuzzyDate(int(m.group("year")))
    except (ValueError, KeyError):
        return None
    return None


_FROM_GAP = re.compile(
    r"\s*,?\s*(?:(?:up|down|back)\s+)?from(?:\s+(?:the|its|their|an?|original|originally|earlier|previous|"
    r"previously|initial|prior|old|planned|scheduled))*\s*",
    re.I,
)
_TO_GAP = re.compile(r"\s*(?:to|until|till)\s*", re.I)
_INSTEAD_GAP = re.compile(r"\s*,?\s*(?:rather\s+than|instead\s+of|not)(?:\s+(?:on|from|by|in|the))?\s*", re.I)
_CHANGE_VERB = re.compile(
    r"\b(?:mov\w*|push\w*|postpon\w*|delay\w*|extend\w*|brought|bring\w*|shift\w*|chang\w*|reschedul\w*|"
    r"put\s+back|set\s+back|deferr?\w*|advanc\w*)\b",
    re.I,
)


def changed_dates(raw: str, dates: list[DateMatch]) -> dict[int, int]:
    """Dates a sentence says replaced others: {index of the new date: index of the one it replaced}.

    "pushed back to April 24 from March 31" and "moved from March 31 to April 24" name one date
    and what it was before; they are one fact, not two.
    """
    out: dict[int, int] = {}
    for i in range(len(dates) - 1):
        a, b = dates[i], dates[i + 1]
        first = a.lead.split()[0].lower() if a.lead else ""
        gap = raw[a.end : b.start] + " " + b.lead
        if first in {"to", "until", "till"} and _FROM_GAP.fullmatch(gap):
            out[i] = i + 1
        elif _INSTEAD_GAP.fullmatch(raw[a.end : b.start]):
            out[i] = i + 1  # "on April 15 rather than March 1"
        elif (
            first == "from"
            and _TO_GAP.fullmatch(gap)
            and _CHANGE_VERB.search(raw, max(0, a.start - 60), a.start)
        ):
            out[i + 1] = i
    return out
