"""Deadlines and dated events: what happens on a date found in a sentence."""

from __future__ import annotations

import re

import snowballstemmer

from facts.extract.dates import DateMatch

_DEADLINE_WORDS = re.compile(
    r"\b(?:deadlines?|expir\w*|expiry|due|cut-?off|ultimatum|no\s+later\s+than|must|lapse[sd]?|"
    r"runs?\s+out|ends?\s+(?:on|in)|until|till)\b",
    re.I,
)
_DEADLINE_FOR = re.compile(
    r"\bdeadline\s+(?:for|to|of|on)\s+(?P<what>.+?)(?=\s+(?:is|was|has|had|will|would|remains?|looms?|"
    r"approach(?:es)?|passed|expires?|falls?|comes?|by|on|in)\b|[,;:!?]|\.(?=\s+(?-i:[A-Z])|\s*$)|\s+[—–-]\s|$)",
    re.I,
)
_CLAUSE_SPLIT = re.compile(r"\s*(?:[;:—–]|,\s+(?:but|and|while|although|though|as|after|which|where)\b|,)\s*")
_LEADING = re.compile(
    r"^(?:(?:and|but|yet|so|then|also|however|meanwhile|now|such|these|those|this|that|the|a|an|"
    r"already|earlier|later|once|again)\s+)+",
    re.I,
)
_STOPWORDS = frozenset(
    """a an the of to in on at for by with from and or but is are was were be been will would may might
    could should can this that these those it its as into about over after before than then there their
    his her they he she we our has have had do does did not no so such also already once again which
    who whom whose what when where why how all any some more most other""".split()
)
_STEMMER = snowballstemmer.stemmer("english")


def is_deadline(raw: str, dm: DateMatch) -> bool:
    """True when the date is tied to deadline wording in its part of the sentence."""
    lead = dm.lead.lower()
    if lead.startswith(("by", "until", "till", "no later than", "before")):
        return True
    window = raw[max(0, dm.start - 60) : dm.end + 40]
    return bool(_DEADLINE_WORDS.search(window))


def _clause(raw: str, dm: DateMatch) -> str:
    """The clause holding the date, without the date; the next clause when the date stands alone."""
    bounds = [0]
    for m in _CLAUSE_SPLIT.finditer(raw):
        bounds.append(m.start())
        bounds.append(m.end())
    bounds.append(len(raw))
    pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2)]
    for idx, (s, e) in enumerate(pieces):
        if s <= dm.start < e or (s < dm.end <= e):
            text = (raw[s : dm.start] + " " + raw[dm.end : e]).strip()
            words = [w for w in text.split() if w.lower() not in {"in", "on", "by"} or len(text.split()) > 2]
            if len(words) <= 1 and idx + 1 < len(pieces):
                ns, ne = pieces[idx + 1]
                text = raw[ns:ne]
            return _tidy(text)
    return _tidy(raw)


def _tidy(text: str) -> str:
    """Squeeze spaces, drop leading connectives and trailing punctuation."""
    text = " ".join(text.split())
    text = _LEADING.sub("", text)
    text = re.sub(r"\s+(?:in|on|by|at|of|from|until|during)$", "", text)
    text = text.strip(' ,.;:—–-“”"')
    return text


def what_of(raw: str, dm: DateMatch) -> str:
    """What happens on the date, as a short phrase."""
    m = _DEADLINE_FOR.search(raw)
    if m and abs(m.start() - dm.end) < 60 or (m and abs(dm.start - m.end()) < 40):
        return _tidy(m.group("what"))
    return _clause(raw, dm)


def key_words(text: str, limit: int = 6) -> str:
    """A stable key from the content words of a phrase: stems of its first content words."""
    words = re.findall(r"[A-Za-z][\w’'.-]*", text.replace("’", "'"))
    names = [w.lower().removesuffix("'s").rstrip(".") for w in words[1:] if w[:1].isupper()]
    if words and words[0][:1].isupper() and words[0].lower() not in _STOPWORDS:
        names.insert(0, words[0].lower().removesuffix("'s").rstrip("."))
    names = [n for n in names if n not in {"u.s", "us"}]
    stems = [
        _STEMMER.stemWord(w.lower().removesuffix("'s"))
        for w in words
        if w.lower() not in _STOPWORDS and not w[:1].isupper()
    ]
    parts = sorted(set(names))[:3] + stems[: max(1, limit - len(names))]
    return " ".join(parts[:limit])
