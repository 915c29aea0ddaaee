"""Places where things happen: capitalised spans after in/at/near that geonames knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.extract.geo import place_of

_CANDIDATE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|throughout|around|to|from)\s+(?P<the>the\s+)?"
    r"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
)


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
            cand = " ".join(words[:n]).rstrip(".,’'s").rstrip("’'")
            if n == len(words) and cand.endswith("’s"):
                continue
            hit = place_of(cand)
            if hit:
                name, kind = hit
                if prep in {"to", "from"} and kind == "city":
                    break
                end = m.start("name") + len(" ".join(words[:n]))
                out.append(PlaceMatch(m.start(), end, name, kind, prep))
                break
    return out
