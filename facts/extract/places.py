"""Places where things happen: capitalised spans after in/at/near that geonames knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.calendar_words import DAY_AND_MONTH_NAMES
from facts.geo import place_of

_CANDIDATE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|throughout|around|"
    r"(?:(?<=scheduled )|(?<=planned )|(?<=slated )|(?<=set )|(?<=bound )|(?<=headed )|(?<=left ))for)"
    r"\s+(?P<the>the\s+)?"
    r"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
    r"(?:\s+(?:and|or)\s+(?P<also>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}))?"
)
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z .'-]{2,40}?)(?:,\s+(?P<region>[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?))?\s*(?:—|–|--|-)\s"
)


_DATE_WORDS = DAY_AND_MONTH_NAMES


@dataclass
class PlaceMatch:
    """A known place named in a sentence."""

    start: int
    end: int
    name: str
    kind: str
    preposition: str


def find_places(raw: str) -> list[PlaceMatch]:
    """Known cities, states and countries named after a locative preposition."""
    out: list[PlaceMatch] = []
    for m in _CANDIDATE.finditer(raw):
        words = m.group("name").split()
        prep = m.group(0).split()[0].lower()
        # Longest known prefix: "South Korea" before "South".
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n]).rstrip(".,")
            if cand.endswith(("’s", "'s")):
                continue
            hit = place_of(cand)
            if (
                hit
                and n < len(words)
                and words[n][:1].isupper()
                and words[n].lower().rstrip(".,;:") not in _DATE_WORDS
            ):
                break  # "in the Federal Register", "in China Southern Airlines": part of a longer name
            if hit:
                name, kind = hit
                end = m.start("name") + len(cand)
                out.append(PlaceMatch(m.start(), end, name, kind, prep))
                break
        also = m.group("also")
        if also:
            hit = place_of(also.rstrip(".,"))
            if hit:
                out.append(
                    PlaceMatch(
                        m.start("also"), m.start("also") + len(also.rstrip(".,")), hit[0], hit[1], prep
                    )
                )
    return out


def find_dateline(raw: str) -> PlaceMatch | None:
    """The place in a news dateline such as 'COLUMBUS, Ohio —' at the start of a sentence."""
    m = _DATELINE.match(raw)
    if not m:
        return None
    hit = place_of(m.group("city").strip().title())
    if not hit:
        return None
    return PlaceMatch(0, m.end("city"), hit[0], hit[1], "dateline")
