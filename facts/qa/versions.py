"""Which version of a dated fact an answer gives: the newest one, told with what it replaced.

The store links the versions it can tell apart at ingest (one subject, `FactStore.newest_versions`);
answering adds what only the question shows: a newer article that moves the date ("pushed back to
9 June from 14 April") and one that restates it in other words. Asking for the earlier date turns the
moves off.
"""

from __future__ import annotations

import calendar
import re

from facts.calendar_words import MONTH_WORDS
from facts.models import Kind, Precision, StoredFact
from facts.qa.intent import Intent
from facts.qa.rank import EARLIER_ASKED, MOVING, Match, moves, spelled_out
from facts.qa.retrieve import Passage, Retrieval
from facts.qa.words import covered
from facts.store import FactStore
from facts.text import index_terms


def newest_dated(
    chosen: list[Match], retrieval: Retrieval, intent: Intent
) -> tuple[list[Match], dict[int, StoredFact]]:
    """The chosen dated matches with moved and restated dates replaced by their newest versions.

    Returns the matches and, by new fact id, the old fact each replaced (for "moved from …").
    """
    if not EARLIER_ASKED.search(intent.text):
        chosen = moved_on(chosen, retrieval, intent)
    return restated(chosen, intent)


def earlier_version(store: FactStore, fact: StoredFact) -> StoredFact | None:
    """The fact this one replaced in the store, when it said another date."""
    for old in store.history(fact.id):
        if old.date is not None and old.date != fact.date:
            return old
    return None


def _date_word(term: str) -> bool:
    return term in MONTH_WORDS or term.isdigit()


def _what_terms(fact: StoredFact) -> set[str]:
    what = str(fact.attrs.get("what") or fact.text.rsplit(": ", 1)[0])
    return {t for t in index_terms(what) if not _date_word(t)}


def restated(chosen: list[Match], intent: Intent) -> tuple[list[Match], dict[int, StoredFact]]:
    """Drop dated facts that a newer article restates with another date; remember what they said.

    The store links such facts when the extractor gives them one subject; this catches the restatements
    whose wording differs ("the deadline ... to December 16" against "the September 17 deadline ..."),
    and two deadlines (or two plans) whose clauses share the question's event word ("rule" ~ "decision").
    """
    asked = [t.stem for t in intent.content if not t.proper]
    replaced: dict[int, StoredFact] = {}
    pairs = [f for m in chosen for f in m.facts]
    stale: set[int] = set()
    for new in pairs:
        for old in pairs:
            if old.id == new.id or old.id in stale or new.as_of is None or old.as_of is None:
                continue
            if old.as_of >= new.as_of or old.document_id == new.document_id:
                continue
            a, b = _what_terms(new), _what_terms(old)
            if (a and b and len(a & b) / min(len(a), len(b)) >= 0.75) or _same_event(new, old, a, b, asked):
                stale.add(old.id)
                replaced.setdefault(new.id, old)
    kept = []
    for match in chosen:
        match.facts = [f for f in match.facts if f.id not in stale]
        if match.facts:
            kept.append(match)
    return kept, replaced


def _same_event(new: StoredFact, old: StoredFact, a: set[str], b: set[str], asked: list[str]) -> bool:
    """True when two dated facts of one kind, both ahead when written, name the event the question asks."""
    if new.kind is not old.kind or new.date is None or old.date is None:
        return False
    if new.kind is not Kind.DEADLINE and not (
        new.as_of and old.as_of and new.date.last_day() >= new.as_of and old.date.last_day() >= old.as_of
    ):
        return False
    return any(covered(t, a) and covered(t, b) for t in asked)


def moved_on(chosen: list[Match], retrieval: Retrieval, intent: Intent) -> list[Match]:
    """Dates a newer article says were moved ("back to 9 June from 14 April") give way to the new date.

    The newer sentence must name the question's names (or its article's title must), so that only a
    move of the same event by the same actors replaces the date.
    """
    out: list[Match] = []
    for match in chosen:
        facts: list[StoredFact] = []
        for fact in match.facts:
            newer = _move_of(fact, retrieval, intent)
            if newer is None:
                facts.append(fact)
                continue
            passage, new = newer
            out.append(Match(passage, [new], match.score, match.strong))
            passage.replaced[new.id] = fact
        if facts:
            match.facts = facts
            out.append(match)
    return out


def _move_of(fact: StoredFact, retrieval: Retrieval, intent: Intent) -> tuple[Passage, StoredFact] | None:
    if fact.date is None or fact.as_of is None or fact.date.precision is not Precision.DAY:
        return None
    names = [t for t in intent.content if t.proper]
    for passage in retrieval.passages:
        if passage.published <= fact.as_of or passage.document_id == fact.document_id:
            continue
        for old, new in moves(passage) or _moves_from_day(passage, fact):
            if old.date != fact.date:
                continue
            pool = passage.terms | passage.title_terms
            if all(covered(t.stem, pool) or spelled_out(t, intent, passage, pool) for t in names):
                return passage, new
    return None


def _moves_from_day(passage: Passage, fact: StoredFact) -> list[tuple[StoredFact, StoredFact]]:
    """(fact, new) when a sentence moves a date "to 9 June from 14 April" and only the new one was read."""
    if not MOVING.search(passage.sentence) or fact.date is None or fact.date.day is None:
        return []
    tos = [
        f
        for f in passage.of_kind(Kind.DEADLINE, Kind.EVENT)
        if f.date is not None and f.date != fact.date and _TO.match(str(f.attrs.get("phrase") or ""))
    ]
    month = calendar.month_name[fact.date.month or 1][:3]
    day = fact.date.day
    said = rf"\bfrom\s+(?:{day}(?:st|nd|rd|th)?\s+{month}\w*\.?|{month}\w*\.?\s+{day}\b)"
    if len(tos) != 1 or not re.search(said, passage.sentence, re.I):
        return []
    return [(fact, tos[0])]


_TO = re.compile(r"(?:back\s+)?(?:to|until|till)\b", re.I)
