"""Supersession keys: stable subjects for deadlines, events and figures, built from actors and actions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from facts.calendar_words import DAY_AND_MONTH_NAMES, MONTH_WORDS
from facts.geo import country_of
from facts.text import STOP_WORDS, stem

# Event words grouped into one action each, so restatements in other words share a key. General
# English for what negotiations and their deadlines are about; the first one named in a phrase wins.
_ACTION_WORDS = {
    "deal": "agree agreed agreement agreements deal deals accord pact settle settlement conclude compromise "
    "treaty",
    "decision": "decide decision decisions rule ruling verdict approve approval clear clearance judgment "
    "judgement determine determination",
    "sale": "sell sale sales divest divestiture divestment dispose disposal",
    "completion": "complete completion close closing",
    "vote": "vote votes ballot referendum election poll",
    "talks": "talk talks negotiate negotiation negotiations round meeting meet summit consultation "
    "consultations conference hearing",
    "inquiry": "investigation investigations inquiry inquiries probe probes",
    "effect": "effect apply force implement implementation enforce",
    "expiry": "expire expires expired expiry expiration lapse",
    "payment": "pay payment payments repay repayment",
    "filing": "submit submission file filing notify notification",
    "response": "respond response reply retaliate retaliation",
    "offer": "offer proposal propose bid",
    "strike": "strike walkout stoppage",
}
_ACTIONS = {stem(w): action for action, words in _ACTION_WORDS.items() for w in words.split()}
# Words that say when something happens or who reported it, not what it is: never part of a key.
# (Function words missing from the shared list are here too; adding them there would change the index.)
KEY_STOP_EXTRA = frozenset(
    """according already although amid among beginning cent date day days deadline deadlines despite
    early either end even expect expected however instead last late meanwhile mid middle month months
    neither new next official officials per percent plan planned plans said say says since start still
    target though time today told tomorrow unless week weeks whose within without year years yesterday
    yet""".split()
)
_STOP = STOP_WORDS | KEY_STOP_EXTRA
_DATE_WORDS = MONTH_WORDS | DAY_AND_MONTH_NAMES
_CAPS = re.compile(
    r"(?:U\.S\.|[A-Z][\w’'&+.-]*)(?![$\w])(?:\s+(?:of\s+(?:the\s+)?)?(?:U\.S\.|[A-Z][\w’'&+.-]*)(?![$\w]))*"
)
_LOWER = re.compile(r"\b[a-z][a-z-]+\b")
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
NOT_ACTORS = _STOP | _DATE_WORDS | {"i", "mr", "mrs", "ms", "dr"}
_COMPASS = re.compile(r"^(?:north|south|east|west|central|northern|southern|eastern|western)\b", re.I)


class KeyContext:
    """What an article tells about its actors: proper words, short names, acronyms and its anchor."""

    def __init__(self, texts: list[str], people: Iterable[str] = (), title: str = "") -> None:
        self.proper: set[str] = set()
        self._cache: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        self.people = {w.lower() for name in people for w in name.split()}
        self.expansions = _acronyms(" ".join([title, *texts]))
        self._expanded = (
            re.compile("|".join(re.escape(e) for e in sorted(self.expansions, key=len, reverse=True)))
            if self.expansions
            else None
        )
        texts = [self.short(t) for t in texts]
        lower = {w for text in texts for w in _LOWER.findall(text)}
        for text in texts:
            for m in _CAPS.finditer(text):
                words = [_bare(w) if "s" in w[-2:] or "." in w else w for w in m.group(0).split()]
                self.proper.update(w.lower() for w in words[1:] if w[:1].isupper())
                low = words[0].lower()
                if m.start() > 0 or (low not in lower and low not in NOT_ACTORS and not low.endswith("s")):
                    self.proper.add(low)
                if len(words) > 1 and words[-1][:1].isupper() and "of" not in words:
                    self.heads.setdefault(_bare(words[-1]).lower(), _bare(m.group(0)))
        self.proper.update(a.lower() for a in self.expansions.values())
        self.lead: list[str] = []
        self.lead = self.actors(texts[0]) if texts else []
        # The story's main actor: the title's first, else the lead's (a follow-up's title names the same).
        named = self.actors(title) if title else []
        self.anchor = named[0] if named else self.lead[0] if self.lead else ""

    def short(self, text: str) -> str:
        """The text with the article's spelled-out acronyms written as the acronyms."""
        if self._expanded is None:
            return text
        return self._expanded.sub(lambda m: self.expansions[m.group(0)], text)

    def _actor(self, span: str) -> str:
        """The key word for one capitalised span, or '' when it is no actor (cached per article)."""
        found = self._cache.get(span)
        if found is None:
            found = self._cache[span] = self._find_actor(span)
        return found

    def _find_actor(self, span: str) -> str:
        """The key word for one capitalised span, uncached."""
        span = _bare(span)
        words = span.split()
        while words and (words[0].lower() in NOT_ACTORS or words[0].lower().endswith("-based")):
            words = words[1:]
        if not words:
            return ""
        span = " ".join(words)
        country = country_of(span)
        if country:
            return country
        if len(words) == 1:
            full = self.heads.get(words[0].lower())
            if full and full.lower() != span.lower():
                country = country_of(full)
                if country:
                    return country
                words = full.split()
        first = words[0].lower()
        if _COMPASS.match(first) or words[-1].lower().endswith("-based"):
            return ""
        if first in self.people or first not in self.proper and not country_of(first):
            return ""
        return country_of(first) or first

    def actors(self, text: str) -> list[str]:
        """Actor keys named in a text, organisations before countries, at most two."""
        orgs: list[str] = []
        countries: list[str] = []
        if self._expanded is not None:
            text = self.short(text)
        for m in _CAPS.finditer(text):
            key = self._actor(m.group(0))
            if not key:
                continue
            bucket = countries if country_of(key) else orgs
            if key not in bucket:
                bucket.append(key)
        if _BOTH_SIDES.search(text):
            # "the two sides", "both sides": the parties the article leads with.
            for key in self.lead:
                bucket = countries if country_of(key) else orgs
                if key not in bucket:
                    bucket.append(key)
        return (orgs + countries)[:2]


_BOTH_SIDES = re.compile(r"\b(?:[Tt]he\s+two|[Bb]oth)\s+sides\b")
_NAME_RUN = re.compile(r"[A-Z][a-z]+(?:\s+(?:(?:and|of|for|on|the|&)\s+)*[A-Z][a-z]+)+")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_LINK_WORDS = frozenset({"and", "of", "for", "on", "the", "&"})


def _acronyms(text: str) -> dict[str, str]:
    """Spelled-out names of the acronyms an article uses: {"Competition and Markets Authority": "CMA"}.

    A name is an acronym's spelling when the initials of its capitalised words spell it
    ("the Competition and Markets Authority (CMA)" and "the CMA" are one organisation).
    """
    wanted = {a for a in _ACRONYM.findall(text) if not country_of(a)}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        caps = [i for i, w in enumerate(words) if w not in _LINK_WORDS]
        initials = "".join(words[i][0] for i in caps)
        for acronym in wanted:
            at = initials.find(acronym)
            if at < 0 or words[caps[at]] == "The":
                continue
            name = " ".join(words[caps[at] : caps[at + len(acronym) - 1] + 1])
            if " " in name:
                found.setdefault(name, acronym)
    return found


def _bare(text: str) -> str:
    """Drop a possessive and a leading article."""
    if "s" in text and ("’s" in text or "'s" in text):
        text = re.sub(r"[’']s\b", "", text)
    text = text.strip(" .,")
    return text[4:] if text[:4] in {"the ", "The "} else text


_AGREE_VERBS = frozenset({"agree", "agreed", "agrees", "agreeing"})
_DETS = frozenset("a an the this that its their his her our any some".split())


def action_of(text: str) -> str:
    """The action class of the first event word in a phrase ('sell' and 'sale' are both 'sale').

    Talks are the setting of most negotiation news, so they count only when nothing else is named.
    """
    found = ""
    words = _WORD.findall(text)
    for i, w in enumerate(words):
        action = _ACTIONS.get(stem(w.lower()))
        if (
            w.lower() in _AGREE_VERBS
            and i + 2 < len(words)
            and words[i + 1] == "to"
            and words[i + 2] not in _DETS
        ):
            continue  # "agreed to hold talks": what was agreed is the next verb's
        if action and action != "talks":
            return action
        found = found or action or ""
    return found


def content_stems(text: str, limit: int = 2) -> list[str]:
    """Stems of the first lower-case content words of a phrase, without dates and numbers."""
    out: list[str] = []
    for w in _WORD.findall(text):
        low = w.lower().replace("’", "'").removesuffix("'s")
        if w[:1].isupper() or low in _STOP or low in _DATE_WORDS or len(low) < 3:
            continue
        s = stem(low)
        if s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return out


def _join(parts: Iterable[str]) -> str:
    """Sorted, de-duplicated key words; multi-word names hyphenated."""
    return " ".join(sorted({p.replace(" ", "-") for p in parts if p}))


# Actions whose object tells one deadline from another ("sell its widget unit", "sell its chemicals unit").
_OBJECT_ACTIONS = frozenset({"sale", "payment", "completion", "filing"})
_OBJECT_SKIP = frozenset("of the a an its their his her our this that these those all some any".split())
_OBJECT_END = frozenset(
    """by to on in at for from with before after until till under over as and or but is are was were
    be been will would which that who when while""".split()
)


def object_of(what: str, action: str) -> list[str]:
    """Stems of the object noun phrase after the action word ("sell its widget unit" -> widget, unit)."""
    words = _WORD.findall(what)
    at = next((i for i, w in enumerate(words) if _ACTIONS.get(stem(w.lower())) == action), -1)
    out: list[str] = []
    for w in words[at + 1 :] if at >= 0 else []:
        low = w.lower().replace("’", "'")
        if low in _OBJECT_SKIP or (w[:1].isupper() and not out) or low.endswith("'s"):
            continue  # determiners and owners: "of Acme's widget unit"
        if low in _OBJECT_END or low in _STOP or w[:1].isupper() or len(out) >= 3:
            break
        out.append(stem(low))
    return out[-2:]


def event_key(what: str, sentence: str, ctx: KeyContext, deadline: bool = False, before: str = "") -> str:
    """Key for a deadline or event: its action (with its object for sales and payments) plus its actors.

    A deadline that names no action ("its final deadline") is the deadline of what the words before
    it are about; an inquiry's deadline is its decision.
    """
    action = action_of(what)
    if deadline and not action and before and len(what.split()) <= 2:
        action = action_of(before)
    if deadline and action == "inquiry":
        action = "decision"
    actors = ctx.actors(what) or ctx.actors(sentence) or ctx.lead
    parts = [action] if action else content_stems(what)
    if action in _OBJECT_ACTIONS:
        parts += object_of(what, action)
    return _join([*parts, *actors, ctx.anchor])


_NP_SKIP = frozenset("in of for worth the a an its their in cash".split())
_NP_END = frozenset(
    """by to on at from with before after until till under over as and or but is are was were be been
    will would has have had which that who when while this next last than per a year annually""".split()
)
_AUX = re.compile(r"\b(?:has|have|had|is|are|was|were|will|would|could|may|might|must|should)\b")
_TO_AMOUNT = re.compile(r"\b(?:to|at)(?:\s+(?:about|around|roughly|some|nearly|almost))?\s*$")
_MEASURE = frozenset("target goal aim forecast estimate cap ceiling limit threshold projection".split())


def _head_after(after: str) -> str:
    """Stem of the head noun of the phrase after an amount: "in net international [reserves] by …"."""
    words: list[str] = []
    for w in _WORD.findall(after.split(",")[0].split(";")[0]):
        low = w.lower().replace("’", "'")
        if not words and low in _NP_SKIP:
            continue
        if low in _NP_END or low in _STOP or w[:1].isupper() or len(words) >= 3:
            break
        words.append(low.removesuffix("'s"))
    return stem(words[-1]) if words else ""


def _subject_head(before: str) -> str:
    """Stem of the subject's noun when an amount is what it became ("The target for X was cut to")."""
    clause = re.split(r"[,;:]\s", before)[-1]
    aux = _AUX.search(clause)
    if aux is None or not _TO_AMOUNT.search(clause):
        return ""
    words = [w.lower() for w in _WORD.findall(clause[: aux.start()])]
    for i, w in enumerate(words[:-1]):
        if stem(w) in _MEASURE and words[i + 1] in {"for", "of", "on"}:
            words = words[i + 2 :]  # "the target for reserves": the reserves are measured
            break
    nouns: list[str] = []
    for w in words:
        if nouns and (w in _NP_END or w in {"of", "for", "in", "tied", "linked"} or w.endswith("ed")):
            break  # "the disbursement [tied to the review]"
        if w not in _STOP and w not in _NP_SKIP:
            nouns.append(w)
    return stem(nouns[-1]) if nouns else ""


def figure_key(unit: str, before: str, after: str) -> str:
    """Key for a count or amount: the counted noun (for money, the noun it is the price or size of)."""
    if len(unit) == 3 and unit.isupper():
        after = re.sub(r"^\s*(?:worth|in\s+cash|a\s+year|per\s+year|annually)\b", "", after)
        noun = _head_after(after) or _subject_head(before)
        found = [noun] if noun else content_stems(" ".join(after.split()[:2]), 1)
        found = found or content_stems(" ".join(before.split()[-3:]), 1)
        return f"{unit.lower()}:{_join(found)}"
    return _join(
        stem(w.lower()) for w in _WORD.findall(unit) if w.lower() not in {"of", "the", "a", "an", "and"}
    )


def percent_key(phrase: str) -> str:
    """Key for a percentage that is not a rate: what is measured, in at most three stems."""
    return "percent:" + _join(content_stems(phrase, 3))
