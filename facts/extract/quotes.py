"""Quotations in a sentence and the words that tell who said them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTED = re.compile(r"“(?P<c>[^”]{2,})”|\"(?P<s>[^\"]{2,})\"")
SPEECH_VERBS = (
    r"said|says|say|told|tells|stated|states|added|adds|noted|notes|wrote|writes|argued|argues|warned|warns|"
    r"explained|explains|insisted|insists|asked|asks|replied|declared|declares|remarked|commented|stressed|"
    r"stresses|emphasi[sz]ed|acknowledged|admitted|conceded|claimed|claims|announced|continued|recalled|"
    r"tweeted|posted|wrote|saying|telling|adding|noting|warning|arguing|declaring|according\s+to"
)
_VERB = re.compile(r"\b(?:" + SPEECH_VERBS + r")\b", re.I)
_AFTER = re.compile(
    r"^[\s,]*(?:(?P<pro>he|she|they)\s+(?:" + SPEECH_VERBS + r")"
    r"|(?:" + SPEECH_VERBS + r")\s+(?P<pro2>he|she)\b|(?:" + SPEECH_VERBS + r")\s+(?P<after>[A-Z])"
    r"|(?P<before>(?:the|a|an)\s+(?:[\w’'.-]+\s+){0,2}[\w’'.-]+"
    r"|(?-i:[A-Z])[\w’'.-]*(?:\s+(?-i:[A-Z])[\w’'.-]*){0,3}),?\s+(?:" + SPEECH_VERBS + r"))",
    re.I,
)


@dataclass
class QuoteMatch:
    """A quotation with its span in the sentence and the clue to its speaker."""

    start: int
    end: int
    quote: str
    clue: str  # "pronoun", "after", "before", "subject" or ""
    clue_pos: int = -1


def find_quotes(raw: str) -> list[QuoteMatch]:
    """Quotations of four words or more, with where the sentence says who spoke."""
    out: list[QuoteMatch] = []
    for m in _QUOTED.finditer(raw):
        text = m.group("c") if m.group("c") is not None else m.group("s")
        text = " ".join(text.split()).strip()
        if len(text.split()) < 3:
            continue
        after = raw[m.end() : m.end() + 60]
        before = raw[max(0, m.start() - 160) : m.start()]
        am = _AFTER.match(after)
        clue, pos = "", -1
        if am and (am.group("pro") or am.group("pro2")):
            clue = "pronoun"
        elif am and am.group("after"):
            clue, pos = "after", m.end() + am.start("after")
        elif am and am.group("before"):
            clue, pos = "after", m.end() + am.start("before")
        elif _VERB.search(before):
            verbs = list(_VERB.finditer(before))
            clue, pos = "before", m.start() - len(before) + verbs[-1].start()
        else:
            clue = "subject"
        out.append(QuoteMatch(m.start(), m.end(), text.rstrip(",").strip(), clue, pos))
    return out
