"""Tariff, duty, tax and interest rates with who imposes them, on what, and their status."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.calendar_words import DAY_AND_MONTH_NAMES, MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS, alternation
from facts.geo import country_of, normalise_entity
from facts.text import stem as _stem

PERCENT = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?)\s?(?P<unit>%|per\s?cent\b|percent\b|percentage\s+points?\b|pct\b)", re.I
)
_RATE_NOUN = re.compile(
    r"\b(?P<noun>tariffs?|dut(?:y|ies)|levy|levies|tax(?:es)?|surcharges?|vat|excise|customs|tolls?|fees?"
    r"|royalt(?:y|ies)|(?:interest|policy|benchmark|base|lending|deposit|mortgage|tax|tariff|key|repo)\s+rates?"
    r"|rates?(?=\s+(?:on|of|for)\b))(?![\w-])",
    re.I,
)
_IMPOSE_VERB = re.compile(
    r"\b(?:impos\w*|levie?[sd]?|levying|charg\w*|slapp?\w*|appl(?:y|ies|ied)|rais\w*|hik\w*|cut\w*|"
    r"lower\w*|set|sets|maintain\w*|keep\w*|kept|introduc\w*|announc\w*|threaten\w*|proposes?|proposed)\b",
    re.I,
)
_CHANGE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|grew|grow(?:s|n|ing)?|increas\w*|decreas\w*|"
    r"climb\w*|jump\w*|drop\w*|declin\w*|gain\w*|slump\w*|surg\w*|up|down|plung\w*|soar\w*)\b",
    re.I,
)
_CEILING = re.compile(
    r"\b(?:up\s+to|as\s+(?:high|much)\s+as|maximum(?:\s+of)?|at\s+most|capped\s+at|ceiling\s+of)\s*$", re.I
)
_PLANNED = re.compile(
    r"\b(?:will|would|plans?|planned|planning|intends?|proposed|proposes?|threaten\w*|set\s+to|"
    r"is\s+to|are\s+to|going\s+to|could|may|might|expected\s+to|from\s+next|starting|due\s+to|consider\w*|"
    r"weigh\w*|mull\w*|seek\w*|sought|wants?|push\w*\s+for|offer(?:s|ed|ing)?\s+to)\b",
    re.I,
)
_EXPIRING = re.compile(r"\b(?:expir\w*|lapse[sd]?|lapsing|end(?:s|ing)?\s+on|runs?\s+out)\b", re.I)
_TARGET = re.compile(
    r"^\s*(?:(?:tariffs?|dut(?:y|ies)|levy|levies|tax(?:es)?|surcharges?)\s+)?(?:on|against|for|to)\s+(?P<t>(?:(?:the|all|most|some|imported|many)\s+)?"
    r"(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+?)(?=\s+(?:and|but|or|unless|if|which|that|from|starting|until|by|in|"
    r"as|while|after|before|when|to|at|with|for|under|over|above|below|beyond|exceeding|within|outside|since|"
    r"is|are|was|were|will|would|could|should|might|may|can|must|has|have|had|takes?|took|comes?|came|"
    r"remains?|stands?|rose|fell|appl(?:y|ies|ied)|expires?|begins?|began|starts?|kicks?|hits?|covers?|"
    r"affects?|goes|went|does|did)\b|[,;:()]|\.(?=\s+(?-i:[A-Z])|\s*$)|$)",
    re.I,
)
_TARGET_BEFORE = re.compile(
    r"\b(?:on|against)\s+(?P<t>(?:[\w’'.-]+\s+){0,3}?[\w’'.-]+)\s+(?:of|at|to|from|stand|stands|are|is|will|would)"
    r"\b",
    re.I,
)
_ACTOR = re.compile(
    r"(?P<a>(?:the\s+)?(?:[A-Z][\w’'.&-]*\.?|U\.S\.)(?:\s+(?:of\s+)?[A-Z][\w’'.&-]*)*)(?:[’']s)?",
)
_DATE_WORD = re.compile(
    rf"(?:the\s+)?(?:{alternation(WEEKDAYS + MONTHS + MONTH_ABBREVIATIONS)}|today|tomorrow|yesterday"
    r"|(?:19|20)\d\d)\b",
    re.I,
)
_TAKES_EFFECT = re.compile(
    r"\b(?:takes?|will\s+take|comes?\s+into|will\s+come\s+into)\s+(?:effect|force)\b", re.I
)
_BY_ACTOR = re.compile(
    r"^[^,;]{0,40}?\b(?:imposed|levied|charged|set|applied|introduced|announced|proposed)\s+by\s+"
    r"(?:the\s+)?(?P<a>(?:U\.S\.|[A-Z][\w’'.&-]*)(?:\s+[A-Z][\w’'.&-]*)*)"
)
_GOODS = frozenset(
    {"goods", "imports", "exports", "products", "shipments", "items", "merchandise", "imported"}
)
_DETERMINERS = frozenset({"the", "all", "most", "some", "many", "a", "an", "its", "their", "imported"})
_NOT_ACTORS = DAY_AND_MONTH_NAMES | frozenset(
    {
        "shares",
        "prices",
        "tariffs",
        "duties",
        "officials",
        "analysts",
        "the",
        "for",
        "but",
        "and",
        "yet",
        "in",
        "on",
        "at",
        "these",
        "this",
        "those",
        "a",
        "an",
        "it",
        "its",
        "now",
        "if",
        "when",
        "while",
        "after",
        "before",
        "so",
        "as",
        "meanwhile",
        "however",
        "still",
    }
)


@dataclass
class RateMatch:
    """One percentage in a sentence, classified as a rate (or not) with its details."""

    start: int
    end: int
    percent: float
    value: str
    is_rate: bool
    noun: str = ""
    imposer: str = ""
    imposer_key: str = ""
    target: str = ""
    target_key: str = ""
    status: str = ""
    planned: bool = False
    change: bool = False
    points: bool = False
    previous: str = ""
    absorbed: bool = False
    received: bool = False
    origin: str = ""


_RANGE_JOIN = re.compile(r"\s*(?:to|and)\s*", re.I)
# "cut duties on cars to zero from 5%": the new rate is nil, the percentage is the old one.
_TO_ZERO_FROM = re.compile(r"\b(?:to|at)\s+(?:zero|nil|nothing)\s+from\s+(?:about\s+|around\s+)?$", re.I)
_FROM_TO_ZERO = re.compile(r"^\s*to\s+(?:zero|nil|nothing)\b", re.I)
# "Acme received a rate of 4.6%", "other exporters were assigned duties of": the subject pays.
_RECEIVER = re.compile(
    r"(?P<t>[^,;]{2,60}?),?\s+(?:received|receives|receive|got|gets|get|faces|face|faced|was\s+(?:assigned|given|hit\s+with)"
    r"|were\s+(?:assigned|given|hit\s+with)|(?:currently\s+)?faces)\s+(?:an?\s+|the\s+)?"
    r"(?:(?:[\w-]+\s+){0,3}?(?:rate|dut(?:y|ies)|tariffs?|levy|levies|margin)s?\s+of\s+)?(?:up\s+to\s+)?$",
    re.I,
)
_SUBJECT_CUT = re.compile(
    r"\s+(?:(?-i:[a-z]\w*(?:ed|ing))|outside|inside|from|in|at|of|with|which|that|who|currently)\b.*$", re.I
)
_ORIGIN = re.compile(
    r"\s+from\s+(?:(?:one|some|two|three|several|many|most)\s+of\s+)?(?:the\s+)?(?P<c>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?:[’']s)?"
)
_ZERO_TARGET = re.compile(r"\b(?:on|against)\s+(?P<t>[^,;]{2,40}?)(?=,|\s+(?:to|from|including)\b)", re.I)
_RANGE_FROM = re.compile(r"\bfrom\s+(?:about\s+|around\s+)?$", re.I)
# "raises its duty on X to 15% from 5%": the rate it moved to, then the one it replaced.
_TO_BEFORE = re.compile(r"\bto\s+(?:about\s+|around\s+|roughly\s+)?$", re.I)
_FROM_BETWEEN = re.compile(r"\s+from\s+(?:about\s+|around\s+)?", re.I)
# What a rate noun is on, read from the noun onwards: "duty on X and Y, the ..., to 15%".
_NOUN_TARGET = re.compile(
    r"\s+(?:on|against)\s+(?P<t>[^,;:()]{2,60}?)(?=\s*[,;(]|\s+(?:to|from|including|at|of)\b)", re.I
)


def _segment_bounds(raw: str, spans: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """Left and right limits of the clause owning the i-th percentage."""
    start = spans[i - 1][1] if i > 0 else 0
    if i > 0 and _RANGE_JOIN.fullmatch(raw[start : spans[i][0]]):
        # "from 25% to 50%": the new value shares the old one's clause.
        start = spans[i - 2][1] if i > 1 else 0
    end = spans[i + 1][0] if i + 1 < len(spans) else len(raw)
    left = raw[start : spans[i][0]]
    cut = max(left.rfind(";"), left.rfind(" but "), left.rfind(" while "), left.rfind(" whereas "))
    if cut >= 0:
        start += cut + 1
    return start, end


_OBJECT_BEFORE = re.compile(
    r"\b(?:on|against|from|to|into|with|toward|towards|for|over|removing|targeting|hitting|exempting|"
    r"sparing|excluding|punishing|\w+ing\s+(?:imports|exports|goods)\s+from)\s+(?:the\s+)?$",
    re.I,
)
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.(?:\s|$)")
_LOWER_ACTOR = re.compile(
    r"\bthe\s+(?P<a>(?:(?:central|federal|national|state|local|city|provincial|regional|trade|finance)\s+)?"
    r"(?:bank|commission|government|administration|regulator|ministry|council|board|authority|authorities|"
    r"agency|parliament|legislature|bloc|cabinet|treasury|city|state|province|company|union|group))\b",
    re.I,
)


def _lower_actor(text: str) -> str:
    """The last institution named in lower case ('the central bank'), when no name is given."""
    found = list(_LOWER_ACTOR.finditer(text))
    return found[-1].group("a").lower() if found else ""


def _find_actor(text: str) -> str:
    """The most plausible imposing actor in the text left of a rate: a country, capital or organisation."""
    best = ""
    for m in _ACTOR.finditer(text):
        cand = m.group("a").strip()
        words = cand.split()
        while words and words[0].lower() in _NOT_ACTORS:
            words = words[1:]
        if not words:
            continue
        cand = " ".join(words)
        if _OBJECT_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "removing Japan from", "on Japan": an object, not the one who imposes
        if not country_of(cand) and (len(words[0].rstrip(".")) <= 1 or _INITIAL.search(cand)):
            continue  # "J. Smith", a lone letter
        if country_of(cand) or country_of(words[0]):
            best = cand if country_of(cand) else words[0]
        elif not best and (m.start() > 0 or len(words) > 1):
            best = cand
    return best


def _first_actor(text: str) -> str:
    """The first country or capitalised organisation in a text (the sentence subject, usually)."""
    for m in _ACTOR.finditer(text):
        words = m.group("a").split()
        while words and words[0].lower() in _NOT_ACTORS:
            words = words[1:]
        if words:
            return " ".join(words)
    return ""


def _target_key(target: str) -> str:
    """Stable key for what a rate applies to: origin country plus goods words, or a company's name."""
    words = [w for w in re.findall(r"[\w’'.-]+", target) if w.lower() not in _DETERMINERS]
    if len(words) > 1 and all(w[:1].isupper() for w in words) and not country_of(words[0]):
        return normalise_entity(" ".join(words))  # "Ca Mau Seafood Joint Stock Co."
    country = ""
    rest: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        if i + 1 < len(words) and country_of(two):
            country = country or country_of(two) or ""
            i += 2
            continue
        c = country_of(words[i].rstrip("’'s") if words[i].endswith(("’s", "'s")) else words[i])
        if c and words[i][:1].isupper():
            country = country or c
        elif words[i].lower() not in _GOODS:
            rest.append(words[i].lower().rstrip("."))
        i += 1
    parts = [country] if country else []
    head = [w for w in rest if w[:1].isalpha()][-1:]
    parts.extend(_stem(w) for w in head)
    return " ".join(parts) if parts else "goods"


def find_rates(raw: str) -> list[RateMatch]:
    """Every percentage in a sentence, with rate details when it is a rate."""
    matches = list(PERCENT.finditer(raw))
    spans = [m.span() for m in matches]
    out: list[RateMatch] = []
    for i, m in enumerate(matches):
        num = m.group("num").replace(",", ".")
        percent = float(num)
        points = "point" in m.group("unit").lower()
        shown = num.rstrip("0").rstrip(".") if "." in num else num
        value = f"{shown} percentage points" if points else f"{shown}%"
        seg_start, seg_end = _segment_bounds(raw, spans, i)
        left = raw[seg_start : m.start()]
        right = raw[m.end() : seg_end]
        near_left = left[-70:]
        rm = RateMatch(m.start(), m.end(), percent, value, False, points=points)
        left_nouns = list(_RATE_NOUN.finditer(near_left))
        nouns = left_nouns or list(_RATE_NOUN.finditer(right[:40]))
        verb = _IMPOSE_VERB.search(near_left)
        tm = _TARGET.match(right)
        if tm and (_DATE_WORD.match(tm.group("t")) or tm.group("t")[:1].isdigit()):
            tm = None
        rm.change = bool(_CHANGE.search(left[-25:])) or bool(
            re.match(r"\s*(?:rise|increase|drop|fall|gain)", right)
        )
        by_change = bool(re.search(r"\bby\s+(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+)?$", left))
        if by_change:
            rm.change = True
        old_value = bool(_RANGE_FROM.search(left)) and bool(
            re.match(r"\s*to\s+\d", raw[m.end() : m.end() + 12])
        )
        if old_value:
            rm.change = True
        zero_from = bool(_TO_ZERO_FROM.search(left))
        zero_to = not zero_from and bool(_RANGE_FROM.search(left)) and bool(_FROM_TO_ZERO.match(right))
        # "raises its duty on X, <an aside>, to 15%": the verb and noun stand further back.
        moved_to = not nouns and bool(_TO_BEFORE.search(left)) and bool(_IMPOSE_VERB.search(left[-200:]))
        if (zero_from or zero_to or moved_to) and not nouns:
            wide = list(_RATE_NOUN.finditer(left[-200:]))
            nouns = left_nouns = wide[-1:]
            near_left = left[-200:]
        if not points and not by_change and not old_value and (nouns or (verb and tm)):
            rm.is_rate = True
            rm.noun = nouns[-1].group("noun").lower() if nouns else ""
            actor_left = left
            if tm:
                rm.target = tm.group("t").strip()
                origin = _ORIGIN.match(right, tm.end("t"))
                if origin and country_of(origin.group("c").rstrip(".")):
                    rm.origin = country_of(origin.group("c").rstrip(".")) or ""
            else:
                tbs = list(_TARGET_BEFORE.finditer(left))
                tb = tbs[-1] if tbs else None
                if tb:
                    rm.target = tb.group("t").strip()
                    actor_left = left[: tb.start()]
                elif left_nouns:
                    on = _NOUN_TARGET.match(left, len(left) - len(near_left) + left_nouns[-1].end())
                    if on and not _DATE_WORD.match(on.group("t")):
                        rm.target = on.group("t").strip()
            by = _BY_ACTOR.search(right)
            actor = by.group("a") if by else ""
            if not actor and nouns and near_left is not left[-70:]:
                actor = ""
            if not actor:
                zone = actor_left
                if left_nouns:
                    zone = actor_left[: len(left) - len(near_left) + left_nouns[-1].end()]
                actor = _find_actor(zone) or _find_actor(actor_left)
            inherited = False
            if not actor and seg_start > 0:
                actor = _first_actor(raw[:seg_start])
                inherited = bool(actor)
            if not actor:
                actor = _lower_actor(actor_left) or _lower_actor(raw[: m.start()])
            rm.status = "in_force"
            head = left[-14:]
            if _CEILING.search(head):
                rm.status = "ceiling"
            elif _EXPIRING.search(left) or _EXPIRING.search(right[:30]):
                rm.status = "expiring"
            if _PLANNED.search(left) or (inherited and _PLANNED.search(raw[: m.start()])):
                rm.planned = True
                if rm.status == "in_force":
                    rm.status = "planned"
            if rm.status == "in_force" and _TAKES_EFFECT.search(right[:80]):
                rm.status, rm.planned = "planned", True
            receiver = _RECEIVER.search(raw, seg_start, m.start())
            if receiver and not rm.target:
                subject = _SUBJECT_CUT.sub("", receiver.group("t").strip())
                subject = re.sub(r"^(?:the|a|an|while|and|but)\s+", "", subject, flags=re.I)
                if subject and len(subject.split()) <= 6:
                    rm.target, actor = subject, ""
                    rm.received = True
            if zero_from or zero_to:
                rm.previous, rm.value, rm.percent = rm.value, "0%", 0.0
                if not rm.target:
                    zt = list(_ZERO_TARGET.finditer(left))
                    rm.target = zt[-1].group("t").strip() if zt else ""
            rm.imposer = re.sub(r"[’']s$", "", actor)
            rm.imposer_key = normalise_entity(actor) if actor else ""
            rm.target_key = _target_key(rm.target) if rm.target else ""
            if rm.origin and rm.origin not in rm.target_key:
                rm.target_key = f"{rm.origin} {rm.target_key}"  # "shrimp from one of Vietnam's exporters"
        out.append(rm)
    for i, rm in enumerate(out[:-1]):
        nxt = out[i + 1]
        if rm.change and not rm.is_rate and nxt.is_rate and _RANGE_JOIN.fullmatch(raw[rm.end : nxt.start]):
            nxt.previous, rm.absorbed = rm.value, True  # "from 25% to 50%": 50% now, 25% before
        elif (
            rm.is_rate
            and not rm.previous
            and not nxt.is_rate
            and _FROM_BETWEEN.fullmatch(raw[rm.end : nxt.start])
            and _TO_BEFORE.search(raw, 0, rm.start)
        ):
            rm.previous, nxt.absorbed = nxt.value, True  # "to 15% from 5%": 15% now, 5% before
    if not any(rm.is_rate for rm in out):
        return out  # the sentence's rate noun only fills in rates' nouns
    sentence_noun = _RATE_NOUN.search(raw)
    last_noun = sentence_noun.group("noun").lower() if sentence_noun else ""
    for rm in out:
        if rm.is_rate:
            rm.noun = rm.noun or last_noun
            last_noun = rm.noun or last_noun
    return out


_NOUN_FAMILY = (
    (re.compile(r"tariff|dut(?:y|ies)|lev(?:y|ies)|customs|surcharge", re.I), "tariff"),
    (re.compile(r"interest|policy|benchmark|base|lending|deposit|repo|key|mortgage", re.I), "interest rate"),
    (re.compile(r"tax|vat|excise", re.I), "tax"),
    (re.compile(r"fee|toll", re.I), "fee"),
)


def noun_family(noun: str) -> str:
    """One name for synonyms so subject keys agree: duties, levies and tariffs are all 'tariff'."""
    for pattern, family in _NOUN_FAMILY:
        if pattern.search(noun):
            return family
    return noun or "rate"


def rate_subject(rm: RateMatch) -> str:
    """Supersession key from normalised imposer, rate family, target and status."""
    return f"{rm.imposer_key or '?'}|{noun_family(rm.noun)}|{rm.target_key or '?'}|{rm.status}"


def rate_text(rm: RateMatch) -> str:
    """One readable line such as 'U.S. duties on Chinese goods: 30%'."""
    noun = rm.noun or "rate"
    head = f"{rm.imposer} {noun}" if rm.imposer else noun
    head = head[:1].upper() + head[1:]
    if rm.target:
        head += f" on {rm.target}"
    value = rm.value
    if rm.status == "ceiling":
        value = f"up to {value}"
    suffix = {"planned": " (planned)", "expiring": " (expiring)"}.get(rm.status, "")
    if rm.status == "ceiling" and rm.planned:
        suffix = " (planned)"
    if rm.previous:
        suffix = f" (from {rm.previous}{', planned' if suffix == ' (planned)' else ''})"
    return f"{head}: {value}{suffix}"
