"""People with their role and organisation, found by capitalised names anchored on a role lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facts.calendar_words import DAY_AND_MONTH_NAMES
from facts.extract.words import first_words, has_word
from facts.geo import country_of

_ROLE_HEADS = (
    "president|vice president|prime minister|minister|secretary-general|secretary general|secretary|"
    "premier|vice premier|chancellor|governor|"
    "senator|sen\\.|gov\\.|lt\\. gov\\.|representative|rep\\.|congressman|congresswoman|ambassador|envoy|"
    "adviser|advisor|analyst|"
    "ceo|cfo|coo|cto|chief executive|chief executive officer|chief financial officer|chief economist|"
    "chairman|chairwoman|chair|chairperson|spokesperson|spokesman|spokeswoman|director|director-general|"
    "economist|professor|judge|justice|mayor|commissioner|negotiator|strategist|founder|co-founder|"
    "head|leader|speaker|lawmaker|legislator|official|attorney general|attorney|lawyer|researcher|fellow|"
    "general|admiral|king|queen|prince|princess|chief|executive|manager|partner|editor|correspondent|"
    "president-elect|deputy|diplomat|trader|investor|consultant|scientist|author|activist|officer|"
    "administrator|regulator|auditor|treasurer|comptroller|coach|captain|pope|archbishop|bishop|"
    "delegate|councillor|councilor|councilmember|whip|aide|inspector|superintendent|mp|mep"
)
# A role title and nothing after it: "minister", "CHAIR" labelling a transcript's turn.
ROLE_HEAD = re.compile(r"(?:" + _ROLE_HEADS + r")$", re.I)
# Capitalised words that belong to a role title rather than to an organisation.
_ROLE_MODIFIERS = frozenset(
    """vice deputy prime chief senior assistant acting interim executive general attorney foreign finance
    treasury trade commerce defense defence home interior health education energy labor labour agriculture
    transport transportation economy economic state homeland security justice environment minority majority
    press managing operating financial technology information marketing lead principal special supreme
    associate first former then incoming outgoing lead top national international junior senate
    house""".split()
)
_UP = "A-ZÀ-ÖØ-ÞĀ-ſ"
_LO = "a-zß-öø-ÿĀ-ſ"
_NAME_TOKEN = (
    rf"(?:[{_UP}][{_LO}]+(?:[-’'][{_UP}]?[{_LO}]+)*|[{_UP}]['’][{_UP}][{_LO}]+|Ma?c[{_UP}][{_LO}]+"
    rf"|[{_UP}][{_LO}]*[{_UP}][{_LO}]+|[{_UP}]\.)"
)
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|bin|al|la|le|dos|das)"
_NAME = rf"(?P<name>{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{1,3}})"
_HEAD_FINDER = re.compile(r"(?<![\w-])(?:" + _ROLE_HEADS + r")(?![\w-])", re.I)
# Every head found starts with one of these as a whole word; most sentences hold none.
_HEAD_WORDS = first_words(_ROLE_HEADS)
_AFTER_HEAD = re.compile(
    rf"(?P<of>\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'&-]*(?:\s+(?:(?:and|&)\s+)?[A-Z][\w’'&-]*)*?)?\s+{_NAME}(?![\w’'-])"
)
# A capitalised title before a lone surname: "President Trump", "Chancellor Merz".
_AFTER_HEAD_SURNAME = re.compile(rf"\s+(?P<name>[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?)(?![\w’'-]|\s+[{_UP}])")
_FUNCTION_WORDS = frozenset(
    """by led with said to of from is was are were be been has have had and or but the a an as at in on for
    who whom that which this these those its his her their our when while after before including like
    alongside between among against speaking told says according""".split()
)
_APPOS = re.compile(
    rf"{_NAME},\s+(?:(?:the|a|an)\s+)?(?:(?P<poss>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*|[a-z]+)['’]s\s+)?"
    rf"(?P<role>(?:[\w-]+\s+){{0,4}}?(?i:{_ROLE_HEADS})(?:\s+(?:and|&)\s+(?:[\w-]+\s+){{0,2}}?(?i:{_ROLE_HEADS}))?(?:\s+(?:of|for|on)\s+[a-z][\w-]*(?:\s+(?:and\s+)?[a-z][\w-]*){{0,2}})?)"
    rf"(?:\s+(?P<prep>at|of|for|with|to|in)\s+(?P<org>(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+(?:of|for|and|&|on|the|[A-Z][\w’'.&-]*))*"
    rf"(?:\s+[a-z][\w-]*){{0,4}}?(?<![\s,])))?(?=[,.;:)]|\s*\(|\s+(?:said|says|told|who|and)\b|$)",
)
_APPOS_LOOSE = re.compile(
    rf"{_NAME},\s+(?:the|a|an)\s+(?P<role>(?:[a-z][\w-]*\s+){{0,3}}?(?:{_ROLE_HEADS}))"
    rf"(?=\s+(?:[a-z]+ing|based|who|with|in|at|on|from)\b)"
)
_LOOSE_EMPLOYER = re.compile(
    r"\s+(?P<prep>at|with)\s+(?:the\s+)?(?P<org>[A-Za-z][^,.;:()“”\"]{1,80}?)"
    r"(?=[,.;:)]|\s+(?:said|says|told|who|which|and)\b|$)"
)
_ABBREVIATED = {
    "rep.": "Representative",
    "sen.": "Senator",
    "gov.": "Governor",
    "lt. gov.": "Lieutenant Governor",
}
_COMMA_NAME = re.compile(rf",\s+{_NAME},")
_AFTER_NAME_ORG = re.compile(
    r"\s+(?P<prep>of|at|from|with)\s+(?:the\s+)?(?P<org>[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*)"
)
_OF_ORG_NAME = re.compile(
    rf"\s+(?:of|at)\s+(?:the\s+)?(?P<org>[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*),\s+{_NAME}\b"
)
# Words that never begin or end a name ("The", "When", "May"): not the index's stop words, which
# hold words that are names too ("Don", "Will").
_NOT_NAME_WORDS = (
    frozenset(
        """the a an this that these those but and in on at for with from by as if when while after before
    it he she they we i his her their its our""".split()
    )
    | DAY_AND_MONTH_NAMES
)


@dataclass
class Person:
    """A named person with what the article says they are."""

    name: str
    role: str = ""
    org: str = ""
    country: str = ""
    prep: str = ""
    sentence_index: int = 0
    start: int = 0
    end: int = 0
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Normalised full name used as the subject key."""
        return " ".join(self.name.replace("’", "'").lower().split())

    @property
    def surname(self) -> str:
        """The last word of the name."""
        return self.name.split()[-1]

    def describe(self) -> str:
        """One line such as 'Scott Bessent, U.S. Treasury Secretary'."""
        if " " not in self.name and self.role and not self.org and self.role[:1].isupper():
            return f"{self.role} {self.name}"
        if not self.org or self.org.lower() in self.role.lower():
            return f"{self.name}, {self.role}" if self.role else self.name
        if not self.role:
            return f"{self.name}, {self.org}"
        if not self.prep:
            return f"{self.name}, {self.org} {self.role}"
        return f"{self.name}, {self.role} {self.prep} {self.org}"


# Last words of organisation names, which no person's name ends with ("National Mediation Board").
_ORG_WORDS = frozenset(
    """board bank fund commission council committee association union ministry department office agency
    authority court party group company corporation corp inc ltd llc plc institute university organization
    organisation service federation bureau administration assembly parliament senate congress railway
    railways airlines airways foundation centre center forum alliance coalition network bloc club trust
    exchange reserve treasury times post news motors industries holdings partners capital bancorp
    cooperative co""".split()
)


def _clean_name(name: str, strip: bool = True) -> str | None:
    """Reject spans that are not names; trim trailing possessives."""
    words = name.replace("’s", "").replace("'s", "").split()
    while strip and words and words[0].lower() in _NOT_NAME_WORDS:
        words = words[1:]
    if len(words) < 2:
        return None
    if any(country_of(w) for w in words[-1:]) or words[-1].lower() in _NOT_NAME_WORDS:
        return None
    if words[-1].lower().rstrip(".") in _ORG_WORDS:
        return None
    if all(w.endswith(".") for w in words):
        return None
    return " ".join(words)


def _pre_title(raw: str, head_start: int) -> tuple[str, str]:
    """Walk left from a role head over role modifiers and then organisation words: (role, org)."""
    words = list(re.finditer(r"\S+", raw[:head_start]))
    role_words: list[str] = []
    org_words: list[str] = []
    i = len(words) - 1
    while i >= 0 and len(role_words) < 4:
        w = words[i].group(0)
        if w[-1] in ',;:()“”"':
            break
        low = w.lower().strip(".")
        modifier = w[:1].isupper() and (low in _ROLE_MODIFIERS or bool(ROLE_HEAD.match(low)))
        lower_word = w[:1].islower() and low not in _FUNCTION_WORDS and low not in _NOT_NAME_WORDS
        if modifier or lower_word:
            role_words.insert(0, w)
        else:
            break
        i -= 1
    while i >= 0 and len(org_words) < 5:
        w = words[i].group(0)
        if w[-1] in ',;:()“”"':
            break
        if ROLE_HEAD.match(w.lower()):
            if w[:1].isupper() and w.lower() in _ROLE_MODIFIERS and org_words:
                org_words.insert(0, w)
            break
        capital = (w[:1].isupper() or w == "U.S.") and w.lower() not in _NOT_NAME_WORDS
        if capital or (w in {"of", "for"} and org_words):
            org_words.insert(0, w)
        else:
            break
        i -= 1
    while org_words and org_words[0] in {"of", "for", "and", "&"}:
        org_words.pop(0)
    # "Deputy U.S. Trade Representative": the modifier is the role's; in "Supreme Court judge" it is the
    # organisation's, whose other words ("Court") name no organisation alone.
    if (
        org_words
        and len(role_words) < 4
        and org_words[0].lower().strip(".") in _ROLE_MODIFIERS
        and not all(w.lower().strip(".") in _ORG_WORDS for w in org_words[1:])
    ):
        role_words.insert(0, org_words.pop(0))
    org = " ".join(org_words)
    org = org.removesuffix("’s").removesuffix("'s")
    return " ".join(role_words), org


def _lower_modifiers(raw: str, head_start: int) -> tuple[str, str]:
    """Lower-case role words left of a role head, and a possessive organisation before them."""
    words = raw[:head_start].split()
    mods: list[str] = []
    while words and len(mods) < 3:
        w = words[-1]
        low = w.lower()
        possessive = low.endswith(("’s", "'s"))
        if (
            w[:1].islower()
            and low not in _FUNCTION_WORDS
            and low not in _NOT_NAME_WORDS
            and w[-1].isalpha()
            and not possessive
        ):
            mods.insert(0, words.pop())
        else:
            break
    poss = ""
    if words and words[-1].endswith(("’s", "'s")):
        after_the = len(words) > 1 and words[-2].lower() == "the"
        if words[-1][:1].isupper() or (after_the and words[-1][:-2].isalpha()):
            org = [words.pop()[:-2]]
            while words and len(org) < 4 and words[-1][:1].isupper() and words[-1][-1].isalnum():
                if words[-1].lower() in _NOT_NAME_WORDS:
                    break
                org.insert(0, words.pop())  # "Heartland Pacific's chief executive"
            poss = " ".join(org)
    return " ".join(mods), poss


def find_people(raw: str) -> list[Person]:
    """People introduced with a role in one sentence (pre-name titles and appositions)."""
    found: list[Person] = []
    seen: set[str] = set()
    if not has_word(raw, _HEAD_WORDS):
        return found
    heads = list(_HEAD_FINDER.finditer(raw))
    if not heads:
        return found

    def add(
        name: str,
        role: str,
        org: str,
        start: int,
        end: int,
        strip: bool = True,
        prep: str = "",
        single: bool = False,
    ) -> None:
        clean = name if single else _clean_name(name, strip)
        if not clean or clean.lower() in seen:
            return
        if any(p.start < start < p.end for p in found):
            return  # inside another person's apposition: "X, chair of the National Mediation Board"
        seen.add(clean.lower())
        org = org.strip()
        country = country_of(org) or "" if org else ""
        role = " ".join(_ABBREVIATED.get(w.lower(), w) for w in role.strip().split())
        found.append(Person(clean, role, org, country, prep=prep, start=start, end=end))

    for m in _APPOS.finditer(raw):
        role = m.group("role")
        role_words = role.split()
        # Drop leading words that are not part of the role ("senior trade adviser" keeps all).
        while role_words and role_words[0].lower() in _NOT_NAME_WORDS:
            role_words = role_words[1:]
        org = m.group("org") or m.group("poss") or ""
        role_text = " ".join(role_words)
        if m.group("org") and m.group("poss") and m.group("prep") in {"for", "on"}:
            # "the IMF's mission chief for Argentina": the possessor employs, the rest is the remit.
            role_text, org = f"{role_text} {m.group('prep')} {m.group('org')}", m.group("poss")
            if role_text.endswith(".") and len(role_text.split()[-1]) > 4:
                role_text = role_text[:-1]
        if org.startswith("the "):
            org = org[4:]
        if org.endswith(".") and len(org.split()[-1]) > 4:
            org = org[:-1]
        if org and org[:1].islower():
            org = ""
        prep = (m.group("prep") or "at") if m.group("org") and org != m.group("poss") else ""
        add(m.group("name"), role_text, org, m.start("name"), m.end(), prep=prep)
    for m in _APPOS_LOOSE.finditer(raw):
        # "Karen Liu, a partner specialising in trade remedies at …": the role without what follows, but
        # "an analyst at Fjellstad Securities in Bergen" keeps where the analyst works.
        employer = _LOOSE_EMPLOYER.match(raw, m.end("role"))
        if employer and any(w[:1].isupper() for w in employer.group("org").split()):
            org, prep, end = employer.group("org"), employer.group("prep"), employer.end("org")
        else:
            org, prep, end = "", "", m.end("role")
        add(m.group("name"), m.group("role"), org, m.start("name"), end, prep=prep)
    for h in heads:
        # "Contoso's chief financial officer, Priya Patel," and "the chief executive of Acme, John Smith".
        comma = _COMMA_NAME.match(raw, h.end())
        of_org = None if comma else _OF_ORG_NAME.match(raw, h.end())
        if not comma and not of_org:
            continue
        modifiers, poss = _lower_modifiers(raw, h.start())
        role = f"{modifiers} {h.group(0)}".strip()
        if comma:
            add(comma.group("name"), role, poss, comma.start("name"), comma.end("name"))
        elif of_org:
            add(
                of_org.group("name"),
                role,
                of_org.group("org"),
                of_org.start("name"),
                of_org.end("name"),
                prep="of",
            )
    for h in heads:
        named = _AFTER_HEAD.match(raw, h.end())
        if not named:
            lone = _AFTER_HEAD_SURNAME.match(raw, h.end()) if h.group(0)[:1].isupper() else None
            lone_name = lone.group("name") if lone else ""
            if (
                lone
                and lone_name.lower() not in _NOT_NAME_WORDS
                and not country_of(lone_name)
                and not ROLE_HEAD.match(lone_name.lower())
                and lone_name.lower() not in _ROLE_MODIFIERS
            ):
                modifiers, org = _pre_title(raw, h.start())
                role = f"{modifiers} {h.group(0)}".strip()
                add(lone.group("name"), role, org, lone.start("name"), lone.end("name"), single=True)
            continue
        head = h.group(0)
        if head[:1].islower() and head.lower() in {"general", "chief", "head", "official", "executive"}:
            continue
        modifiers, org = _pre_title(raw, h.start())
        role = (modifiers + " " + head).strip() + (named.group("of") or "")
        prep = ""
        if not org:
            after = _AFTER_NAME_ORG.match(raw, named.end("name"))
            if after:
                org, prep = after.group("org"), after.group("prep")
        add(
            named.group("name"),
            " ".join(role.split()),
            org,
            named.start("name"),
            named.end("name"),
            strip=False,
            prep=prep,
        )
    found.sort(key=lambda p: p.start)
    return found


_SPEAKER_VERBS = (
    "said|says|told|added|stated|noted|wrote|argued|warned|explained|insisted|"
    "asked|replied|declared|stressed|acknowledged|admitted|claimed|announced|has said|had said"
)
_SPEAKER_NAME = re.compile(rf"{_NAME}(?=,?\s+(?:{_SPEAKER_VERBS}))")
_SAID_WORDS = "said|says|according to"
_SAID_NAME = re.compile(rf"\b(?:{_SAID_WORDS})\s+{_NAME}")


def _strip_titles(name: str) -> str:
    """Drop leading title words: 'President Donald Trump' -> 'Donald Trump'."""
    words = name.split()
    while words and (words[0].lower().strip(".") in _ROLE_MODIFIERS or ROLE_HEAD.match(words[0].lower())):
        words = words[1:]
    return " ".join(words)


def find_named_speakers(raw: str) -> list[tuple[str, int]]:
    """Names next to a speech verb ('Jane Roe said', 'said Jane Roe'), with their positions."""
    out: list[tuple[str, int]] = []
    for pattern, verbs in ((_SPEAKER_NAME, _SPEAKER_VERBS), (_SAID_NAME, _SAID_WORDS)):
        # Both patterns need one of their verbs, matched case-sensitively: a plain substring test.
        if not any(verb in raw for verb in verbs.split("|")):
            continue
        for m in pattern.finditer(raw):
            clean = _clean_name(_strip_titles(m.group("name")))
            if clean:
                out.append((clean, m.start("name")))
    return out
