"""Exact top-k sentence search: every sentence meeting a question's terms is ranked, none is skipped.

A question is a list of term groups (a word with its synonyms, a country with its names). A sentence
scores the sum of the weights of the groups it meets; ties go to the sentence stored last. The best `k`
sentences known by a date are found term group at a time with MaxScore pruning (Turtle and Flood, 1995):
groups are read rarest first into running scores, and reading stops once the groups left could not lift
an unseen sentence to the k-th best score so far. Common words then cost little, while the result is
exactly that of scoring every matching sentence. Asked on a date before the newest article, sentences
not known by then are dropped as their ids are read, so the k-th best so far is that of known sentences
without looking any date up again. The store supplies postings from the database's own full-text index
through the `Postings` interface.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

# Candidates are scored in full this many at a time, most promising first.
# Partial sums are compared with a margin, as final scores are rounded (see `score`).
_SLACK = 1e-6
# Sums of the same few weights in another order differ by far less than this.
_NOISE = 1e-12
_SCORE_BATCH = 64


@dataclass(frozen=True)
class Ranked:
    """A sentence found by a search (its statement fact's id) with its score."""

    fact_id: int
    score: float


class Postings(Protocol):
    """What a search reads from the store's full-text index."""

    def meeting(self, group: frozenset[str], upto: int | None = None) -> Sequence[int]:
        """Ids of the sentences holding any of the group's terms (up to `upto`, if given), highest first."""
        ...

    def known_among(self, ids: Sequence[int], known_by: date) -> Sequence[int]:
        """The given sentences that are known by `known_by`, in the order given."""
        ...

    def last_known(self, known_by: date) -> int | None:
        """The highest id a sentence known by `known_by` can have (None when the store cannot tell)."""
        ...

    def sentences(self, ids: Iterable[int]) -> dict[int, tuple[date, frozenset[str]]]:
        """The as-of date and search terms of each given sentence."""
        ...

    def newest(self) -> date | None:
        """The latest as-of date of any sentence (None for an empty store)."""
        ...


@dataclass(frozen=True)
class Group:
    """A question's word with its synonyms (or a country with its names): its terms, weight and reach."""

    terms: frozenset[str]
    weight: float
    sentences: int  # how many sentences hold one of its terms, at most


def weight(sentences: int, total: int) -> float:
    """BM25's idf of a term group met by `sentences` of `total` sentences (always above zero)."""
    return math.log(1.0 + (total - sentences + 0.5) / (sentences + 0.5))


def weigh(groups: Sequence[frozenset[str]], counts: Mapping[str, int], total: int) -> list[Group]:
    """The term groups with the sentences they reach and their weight, from each term's sentence count.

    Groups reaching no sentence are left out.
    """
    wanted = [frozenset(t for t in group if t) for group in groups]
    weighted = []
    for group in dict.fromkeys(wanted):
        reach = min(total, sum(counts.get(t, 0) for t in group))
        if reach:
            weighted.append(Group(group, weight(reach, total), reach))
    return weighted


def score(terms: frozenset[str], groups: Sequence[Group]) -> float:
    """The weights of the groups a sentence's terms meet, rounded so that equal sums tie in any order."""
    return round(sum(g.weight for g in groups if not g.terms.isdisjoint(terms)), 9)


# Reading a posting costs about a twelfth of reading one sentence's terms to score it (measured on SQLite).
_READ_VERSUS_SCORE = 12


def top(postings: Postings, groups: Sequence[Group], known_by: date, k: int) -> list[Ranked]:
    """The `k` best sentences known by `known_by`, best first, exactly as if every one were scored."""
    live = sorted((g for g in groups if g.terms and g.weight > 0), key=lambda g: -g.weight)
    if not live or k <= 0:
        return []
    known = _Known(postings, known_by)
    left = [0.0] * (len(live) + 1)  # left[i]: the most a sentence meeting only groups i.. can score
    for i in range(len(live) - 1, -1, -1):
        left[i] = left[i + 1] + live[i].weight
    partial: dict[int, float] = {}
    floor = -math.inf
    read = 0
    while read < len(live) and left[read] + _SLACK >= floor:
        for fid in known.among(postings.meeting(live[read].terms, known.upto)):
            partial[fid] = partial.get(fid, 0.0) + live[read].weight
        read += 1
        floor = _kth_best(partial, k)
    # No sentence outside `partial` can reach the k best now. While reading the next group costs less
    # than scoring the sentences that might, read it to narrow them down.
    while read < len(live):
        maybe = sum(1 for value in partial.values() if value + left[read] + _SLACK >= floor)
        if live[read].sentences > _READ_VERSUS_SCORE * maybe:
            break
        for fid in known.among(postings.meeting(live[read].terms, known.upto)):
            if fid in partial:
                partial[fid] += live[read].weight
        read += 1
        floor = _kth_best(partial, k)
    return _score_fully(postings, live, partial, left[read], floor, known, k)


def _score_fully(
    postings: Postings,
    live: Sequence[Group],
    partial: dict[int, float],
    unread: float,
    floor: float,
    known: _Known,
    k: int,
) -> list[Ranked]:
    """Score the sentences that may reach the k best in full, most promising first, until none can."""
    maybe = sorted(
        ((fid, value) for fid, value in partial.items() if value + unread + _SLACK >= floor),
        key=lambda item: (-item[1], -item[0]),
    )
    best: list[tuple[float, int]] = []
    position = 0
    while position < len(maybe):
        batch: list[int] = []
        while position < len(maybe) and len(batch) < _SCORE_BATCH:
            fid, value = maybe[position]
            if len(best) >= k and value + unread + _SLACK < best[0][0]:
                position = len(maybe)  # neither this one nor any after it can reach the k-th best
                break
            position += 1
            if len(best) >= k and round(value + unread + _NOISE, 9) <= best[0][0] and fid < best[0][1]:
                continue  # at best it ties with the k-th best, and ties go to the sentence stored last
            batch.append(fid)
        found = postings.sentences(batch) if batch else {}
        for fid in batch:
            if fid not in found or (known.filtering and found[fid][0] > known.known_by):
                continue
            item = (score(found[fid][1], live), fid)
            if len(best) < k:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
    return [Ranked(fid, value) for value, fid in sorted(best, reverse=True)]


class _Known:
    """Which sentences are known by a date (all of them when asked after the newest article)."""

    def __init__(self, postings: Postings, known_by: date) -> None:
        self.postings = postings
        self.known_by = known_by
        newest = postings.newest()
        # Questions are mostly asked now, after every stored article: then every sentence counts.
        self.filtering = newest is not None and newest > known_by
        # Asked on an old date, sentences stored after the last one known by then need not be read at all.
        self.upto = postings.last_known(known_by) if self.filtering else None

    def among(self, ids: Sequence[int]) -> Sequence[int]:
        """The given sentences known by the date, in order (all of them when every sentence is)."""
        return self.postings.known_among(ids, self.known_by) if self.filtering else ids


def _kth_best(partial: dict[int, float], k: int) -> float:
    """The k-th best partial score (-inf while fewer are read); `partial` holds known sentences only."""
    if len(partial) < k:
        return -math.inf
    return heapq.nlargest(k, partial.values())[-1]
