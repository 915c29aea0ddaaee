"""Deadlines and dated events: what happens on a date found in a sentence."""

from __future__ import annotations

import re

from facts.extract.dates import DateMatch

_DEADLINE_WORDS = re.compile(
    r"\b(?:deadlines?|target\s+dates?|expir\w*|expiry|due(?!\s+to\s)|cut-?off|ultimatum|no\s+later\s+than|must|lapse[sd]?|"
    r"runs?\s+out|ends?\s+(?:on|in|at)|until|till)\b",
    re.I,
)
_DEADLINE_FOR = re.compile(
    r"\bdeadline\s+(?:for|to|of|on)\s+(?P<what>.+?)(?=\s+(?:is|was|has|had|will|would|remains?|looms?|"
    r"approach(?:es)?|passed|expires?|falls?|comes?|by|on|in)\b|[,;:!?]|\.(?=\s+(?-i:[A-Z])|\s*$)|\s+[—–-]\s|$)",
    re.I,
)
_CLAUSE_SPLIT = re.compile(
    r"\s*(?:[;—–]|(?<!\d):(?!\d)|,\s+(?:but|and|while|although|though|as|after|which|who|where)\b|,(?=\s)"
    r"|\s[—–-]\s)\s*"
)
_NP_BREAK = frozenset(
    "from by to of with for on in at that than and needs need said says is are was were has have".split()
)
_LEADING = re.compile(
    r"^(?:(?:and|but|yet|so|then|also|however|meanwhile|now|such|these|those|this|that|the|a|an|"
    r"already|earlier|later|once|again|including)\s+)+",
    re.I,
)


def is_deadline(raw: str, dm: DateMatch) -> bool:
    """True when the date is tied to deadline wording in its part of the sentence."""
    lead = dm.lead.lower()
    if lead.startswith(("by", "until", "till", "no later than", "before")):
        return True
    window = raw[max(0, dm.start - 60) : dm.end + (90 if dm.kind == "span" else 40)]
    if _DEADLINE_WORDS.search(window):
        return True
    return bool(_DEADLINE_FOR.search(raw))


_ATTRIBUTION = re.compile(
    r"^(?:[\w’'.-]+\s+){0,4}?(?:said|says|told|announced|added|noted|reported|confirmed|wrote)\b", re.I
)
_VERB_START = re.compile(
    r"^(?:will|would|shall|should|must|may|might|can|could|is|are|was|were|has|have|had|expires?|ends?|"
    r"begins?|starts?|takes?|runs?|comes?|lapses?|closes?|opens?)\b",
    re.I,
)


_HEDGES = frozenset({"possibly", "probably", "perhaps", "likely", "maybe", "most likely", "as early as"})
_RELATIVE = re.compile(r",\s*(?:which|who)\s*$")


def _pieces(raw: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, split at commas, semicolons, colons and dashes."""
    bounds = [0]
    for m in _CLAUSE_SPLIT.finditer(raw):
        bounds.append(m.start())
        bounds.append(m.end())
    bounds.append(len(raw))
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2) if bounds[i + 1] > bounds[i]]


def _clause(raw: str, dm: DateMatch) -> str:
    """The clause holding the date, without the date; a neighbouring clause when it says too little."""
    pieces = _pieces(raw[: dm.start] + "x" * (dm.end - dm.start) + raw[dm.end :])
    for idx, (s, e) in enumerate(pieces):
        if not (s <= dm.start < e or s < dm.end <= e):
            continue
        text = _tidy(raw[s : dm.start] + " " + raw[dm.end : e])
        if idx > 0 and text.lower() in _HEDGES:
            ps, pe = pieces[idx - 1]  # "…sign it before the new date, possibly in mid-April": what is hedged
            return _tidy(raw[ps:pe])
        if len(text.split()) <= 1 and idx + 1 < len(pieces):
            ns, ne = pieces[idx + 1]
            return _tidy(raw[ns:ne])
        if len(text.split()) <= 1 and idx > 0 and not _VERB_START.match(text):
            ps, pe = pieces[idx - 1]  # "…, including Saturday": what the list belongs to
            return _tidy(raw[ps:pe])
        if idx > 0 and _APPOSITIVE.match(raw, s) and len(text.split()) <= 4:
            ps, pe = pieces[idx - 1]  # "…, a decision expected in February": what the decision is on
            return _tidy(f"{raw[ps:pe]}, {text}")
        if idx > 0 and _ATTRIBUTION.match(text) and len(text.split()) <= 6:
            ps, pe = pieces[0]
            return _tidy(raw[ps:pe])
        relative = idx > 0 and _RELATIVE.search(raw, max(0, s - 12), s)
        if relative and not _VERB_START.match(text):
            said = _ATTRIBUTION.match(text)  # "which officials said would be held": what would be held
            if said and _VERB_START.match(text[said.end() :].lstrip()):
                text = text[said.end() :].lstrip()
        if relative and _VERB_START.match(text):
            prev_words = raw[pieces[idx - 1][0] : pieces[idx - 1][1]].split()
            cut = max((i for i, w in enumerate(prev_words) if w.lower() in _NP_START), default=-1)
            tail = prev_words[cut + 1 :]
            if 0 < len(tail) <= 5:
                return f"{_tidy(' '.join(tail))} {text}"
        if idx > 0 and _VERB_START.match(text):
            ps, pe = pieces[0]
            subject = _tidy(raw[ps:pe])
            if subject and len(subject.split()) <= 6:
                return f"{subject} {text}"
            prev_words = raw[pieces[idx - 1][0] : pieces[idx - 1][1]].split()
            cut = max((i for i, w in enumerate(prev_words) if w.lower() in _NP_BREAK), default=-1)
            tail = prev_words[cut + 1 :]
            if 0 < len(tail) <= 5:
                return f"{_tidy(' '.join(tail))} {text}"
        return text
    return _tidy(raw)


def clause_upto(raw: str, start: int, end: int) -> str:
    """The clause holding raw[start:end], from its beginning to `end` (e.g. 'Talks resumed in Madrid')."""
    for s, e in _pieces(raw):
        if s <= start < e:
            return " ".join(raw[s:end].split()).strip(' ,;:“”"')
    return " ".join(raw[:end].split())


_APPOSITIVE = re.compile(r"(?:a|an)\s+[a-z]", re.I)
_CLOCK = re.compile(
    r"\s*\b(?:at\s+)?(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight)"
    r"(?:\s+(?:[A-Z][a-z]+\s+)?time\b)?",
)
_SAID_THAT = re.compile(r"^(?:said|says|told\s+\w+|added|noted|stated)\s+(?:that\s+)?", re.I)


def _tidy(text: str) -> str:
    """Squeeze spaces, drop leading connectives, clock times and trailing punctuation."""
    text = " ".join(text.split())
    if "m." in text or "noon" in text or "midnight" in text or " am" in text or " pm" in text:
        text = _CLOCK.sub("", text)
    text = _LEADING.sub("", text)
    text = _SAID_THAT.sub("", text)
    text = re.sub(r"\s+(?:in|on|by|at|of|from|until|during)$", "", text)
    text = text.strip(' ,.;:—–-“”"')
    return text


_NOUN_DEADLINE = re.compile(r"\b(?P<pre>(?:[\w’'.-]+\s+){1,5})deadlines?\b(?!\s+(?:for|of)\b)", re.I)
_NP_START = _NP_BREAK | frozenset("the a an its their his her our back new original old its".split())


def _noun_deadline(raw: str, dm: DateMatch) -> str:
    """The words that name a deadline before the word itself: 'the Commission's decision deadline'."""
    at = raw.find("deadline")
    if at < 0:
        return ""
    for m in _NOUN_DEADLINE.finditer(raw, max(0, at - 80)):
        if not (abs(m.end() - dm.start) < 30 or abs(dm.end - m.start()) < 30):
            continue
        words = m.group("pre").split()
        cut = max((i for i, w in enumerate(words) if w.lower() in _NP_START or w[-1] in ",;:"), default=-1)
        tail = [w for w in words[cut + 1 :] if not _DATE_ONLY.fullmatch(w)]
        if tail:
            return _tidy(" ".join(tail))
    return ""


_DATE_ONLY = re.compile(
    r"(?:\d+(?:st|nd|rd|th)?|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|[,.]|the|of|end|start|mid-\w+)(?:[,.])?",
    re.I,
)


_NP_END = re.compile(
    r"[,;:.!?()“”\"]|\s(?:to|is|are|was|were|will|would|be|has|have|had|that|which|on|in|at)\s"
)
_BEFORE_WHAT = re.compile(r"\s*(?:before|until|till)\s+(?P<what>[^,;:—–]+)")


def _following(raw: str, at: int, limit: int = 4) -> str:
    """The noun phrase right after a position ("next year's [budget talks] to be …")."""
    end = _NP_END.search(raw, at)
    words = raw[at : end.start() if end else len(raw)].split()[:limit]
    return _tidy(" ".join(words))


def what_of(raw: str, dm: DateMatch) -> str:
    """What happens on the date, as a short phrase."""
    if dm.possessive:
        noun = _following(raw, dm.end + 2)
        if noun:
            return noun  # "next year's election", "Monday's vote"
    if dm.kind == "span":
        ahead = _BEFORE_WHAT.match(raw, dm.end)
        if ahead:
            return _tidy(ahead.group("what"))  # "12 days left before the cooling-off period expires"
    m = _DEADLINE_FOR.search(raw)
    near = m and (abs(m.start() - dm.end) < 60 or abs(dm.start - m.end()) < 40)
    if m and near and not (m.start("what") < dm.end and m.end("what") > dm.start):
        what = _tidy(m.group("what"))
        if what and not all(_DATE_ONLY.fullmatch(w) for w in what.split()):
            return what
    return _noun_deadline(raw, dm) or _clause(raw, dm)
