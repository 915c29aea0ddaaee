"""The hand-written rules: a typed fact or sentence chosen by slot matching, rendered as answer lines.

Their answer is the first candidate of a question (facts/qa/candidates.py); a learned model decides
whether it is given. `Policy` switches their fallbacks off one by one for ablation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from facts.models import Kind, StoredFact
from facts.qa import render
from facts.qa.intent import Intent
from facts.qa.quotes import answer_quote
from facts.qa.rank import Match, clause_at, coverage, holds_role, rank, rate_matches
from facts.qa.retrieve import Retrieval
from facts.qa.versions import earlier_version, newest_dated
from facts.qa.words import name_stems
from facts.store import FactStore
from facts.text import index_terms

_ROLE_TITLES = (
    r"(?:[A-Z][a-z]+\s+){0,3}(?:Minister|Secretary|Representative|Director|Governor|President|Ambassador)"
)


@dataclass
class RuleAnswer:
    """What the rules answer: lines, the facts behind them, the matches they came from and the path taken."""

    lines: list[str]
    facts: list[StoredFact]
    matches: list[Match] = field(default_factory=list)
    path: str = "rank"  # rank | quote | who_is | mentions | named_in
    replaced: dict[int, StoredFact] = field(default_factory=dict)  # what each newest dated fact replaced


def apply_rules(store: FactStore, retrieval: Retrieval, intent: Intent, today: date) -> RuleAnswer | None:
    """The rules' answer to a question over its retrieved passages, or None when they decline."""
    path = "rank"
    replaced: dict[int, StoredFact] = {}
    if intent.kind == "quote":
        chosen = answer_quote(store, retrieval, intent, today)
        path = "quote"
    else:
        chosen = rank(retrieval, intent)
        if intent.kind in {"date", "countdown"}:
            chosen, replaced = newest_dated(chosen, retrieval, intent)
        if chosen and intent.kind == "person" and intent.name:
            chosen = _who_is(retrieval, intent, chosen)
            path = "who_is" if any(m.extra for m in chosen) else path
        if not chosen and intent.kind == "person":
            if intent.name and intent.policy.mentions:
                chosen = _mentions(retrieval, intent)
                path = "mentions"
            elif not intent.name:
                chosen = _named_in(retrieval, intent)
                path = "named_in"
    if not chosen:
        return None
    lines, facts = _lines(store, chosen, intent, today, replaced)
    if not lines:
        return None
    return RuleAnswer(lines, facts, chosen, path, replaced)


def _mentions(retrieval: Retrieval, intent: Intent) -> list[Match]:
    """For 'who is X' without a role on record: the sentences naming X in full."""
    out = []
    for passage in retrieval.passages:
        match = coverage(passage, intent, retrieval.idf)
        if match.missing or passage.statement is None:
            continue
        if all(s in passage.terms for s in intent.name_stems if s) and _introduces(
            passage.sentence, intent.name
        ):
            match.facts = [passage.statement]
            out.append(match)
    out.sort(key=lambda m: (-m.score, m.passage.published, m.passage.index))
    return out[:1]


_NAME = r"[A-Z][\w’'-]+(?:\s+(?:de|da|van|von|bin|al|del|la)?\s*[A-Z][\w’'-]+){1,3}"
_LEADER = re.compile(
    rf"\b(?:led|headed|chaired|run|directed|managed|fronted)\s+by\s+(?:{_ROLE_TITLES}\s+)?(?P<name>{_NAME})"
    rf"|(?P<subject>{_NAME})\s+(?:leads|heads|chairs|runs|directs|manages|fronts)\b"
)


_WHO_CLAUSE = (
    r",\s+who\s+(?P<what>(?:is|was|has|had|also|now|leads|heads|chairs|runs|directs|manages|represents"
)
_WHO_CLAUSE += r"|sits|serves|oversees|advises|[a-z]+s)\b[^,.;:“”\"]{3,80})"
_BY = r"(?P<what>(?:led|headed|chaired|run|directed|managed|represented)\s+by)\s+(?:[A-Z][a-z]+\s+){0,3}"
# "Britain's Business and Trade Secretary, Daniel Hartley": the full title written before the name.
_TITLED = (
    r"(?P<what>(?:(?:[A-Z][\w’'-]+(?:[’']s)?|and|of|for|the)\s+){1,6}"
    r"(?:Minister|Secretary|Representative|Director|Governor|President|Ambassador|Commissioner|Executive"
    r"|Chair\w*|Negotiator|Envoy)),\s+"
)
MAX_ROLES = 3


def _who_is(retrieval: Retrieval, intent: Intent, chosen: list[Match]) -> list[Match]:
    """For 'who is X': every distinct role and description of X the articles give, the best first (at most 3).

    A person described as "a former telecoms executive" in one clause may chair the panel in another.
    """
    out = list(chosen)
    seen = {render.person_line(f).lower() for m in chosen for f in m.facts}
    for passage in retrieval.passages:
        if coverage(passage, intent, retrieval.idf).missing:
            continue
        for fact in passage.of_kind(Kind.PERSON):
            line = render.person_line(fact)
            if fact.attrs.get("role") and _names_person(fact, intent) and line.lower() not in seen:
                seen.add(line.lower())
                out.append(Match(passage, [fact], 0.0, 1))
        described = _description(passage.sentence, intent.name)
        if described and passage.statement is not None and described.lower() not in seen:
            seen.add(described.lower())
            out.append(Match(passage, [passage.statement], 0.0, 1, extra=[described]))
    return out[:MAX_ROLES]


def _names_person(fact: StoredFact, intent: Intent) -> bool:
    have = set(name_stems(str(fact.attrs.get("name") or "")))
    return all(s in have for s in intent.name_stems if s)


def _description(sentence: str, name: str) -> str:
    """'X, who chairs the inquiry panel' or 'X: a panel chaired by X', from a sentence naming X."""
    full = re.escape(name).replace(r"\ ", r"\s+")
    who = re.search(full + _WHO_CLAUSE, sentence, re.I)
    if who:
        return f"{name}, who {who.group('what').strip()}"
    titled = re.search(_TITLED + full, sentence)
    if titled:
        # "Per Lund and Iceland's Fisheries Minister": the title starts at its owner, not at a name before.
        what = titled.group("what").strip()
        owners = [m.start() for m in re.finditer(r"\b[A-Z][\w-]*[’']s\s", what)]
        return f"{name}, {what[owners[-1] :] if owners else what}"
    by = re.search(_BY + full, sentence, re.I)
    if by:
        return f"{name}: {clause_at(sentence, by.start(), len(by.group(0))).strip().rstrip('.')}"
    return ""


def _named_in(retrieval: Retrieval, intent: Intent) -> list[Match]:
    """For 'who leads X' without a person on record: the sentence saying X is led by someone named."""
    out = []
    for passage in retrieval.passages:
        match = coverage(passage, intent, retrieval.idf)
        leader = _LEADER.search(passage.sentence)
        if match.missing or passage.statement is None or not leader:
            continue
        # What is led, and by whom, is in the clause of "led by" ("a panel chaired by X", not elsewhere).
        if not holds_role(
            index_terms(clause_at(passage.sentence, leader.start(), len(leader.group(0)))), intent
        ):
            continue
        match.facts = [passage.statement]
        out.append(match)
    out.sort(key=lambda m: (-m.score, m.passage.published, m.passage.index))
    return out[:1]


def _introduces(sentence: str, name: str) -> bool:
    """True when a sentence says who someone is: 'X, a trade lawyer at …' or 'Deputy minister X'."""
    last = re.escape(name.split()[-1])
    apposition = re.search(
        last + r"[’']?s?,\s+(?:the|a|an|[a-z-]+\s+(?:at|of|for|in)\b|[a-z-]+\s+[a-z-]+\s+(?:at|of|for)\b)",
        sentence,
    )
    return bool(apposition)


def _lines(
    store: FactStore, chosen: list[Match], intent: Intent, today: date, replaced: dict[int, StoredFact]
) -> tuple[list[str], list[StoredFact]]:
    """The answer lines of the chosen matches; `replaced` holds what each newest dated fact replaced."""
    lines: list[str] = []
    facts: list[StoredFact] = []
    kind = intent.kind
    if kind in {"statement", "reason"}:
        chosen = chosen[:1]  # one sentence says why; a pile of loosely related ones does not
    if kind in {"date", "countdown"} and chosen:
        top = max(m.score for m in chosen)
        chosen = [m for m in chosen if m.score >= top - 1e-9]
    for match in chosen[:3]:
        passage = match.passage
        picked = [f for f in match.facts if f.id not in {x.id for x in facts}]
        if not picked:
            continue
        sentence = f"{passage.previous} {passage.sentence}".strip() if passage.previous else passage.sentence
        if kind == "rate":
            picked = _prefer_status(picked, intent)
            new = render.rate_lines(picked, passage.sentence)
        elif kind in {"date", "countdown"}:
            new = [
                render.dated_line(
                    f,
                    today,
                    passage.replaced.get(f.id) or replaced.get(f.id) or earlier_version(store, f),
                    kind == "countdown",
                    intent.text,
                )
                for f in picked
            ]
        elif kind == "person":
            if match.extra:
                new = list(match.extra)
            else:
                new = [render.person_line(f) if f.kind is Kind.PERSON else f.sentence.strip() for f in picked]
        elif kind == "place":
            if match.extra:
                new = [f"{', '.join(match.extra)} — {passage.sentence.strip()}"]
            else:
                new = [render.place_line(f) for f in picked]
        elif kind == "quote":
            new = [render.quote_line(f) if f.kind is Kind.QUOTE else f.sentence.strip() for f in picked]
        elif kind == "number":
            new = render.number_lines(picked, passage.sentence)
        else:
            new = [sentence.strip()]
        for line in new:
            if line not in lines:
                lines.append(line)
        facts.extend(picked)
    if kind == "rate":
        lines, facts = _drop_planned(lines, facts, intent)
    return lines, facts


def _prefer_status(facts: list[StoredFact], intent: Intent) -> list[StoredFact]:
    """The rates between exactly the sides the question names, when the sentence has any; else all."""
    exact = [f for f in facts if f.kind is Kind.RATE and rate_matches(f, intent)]
    if not exact:
        return facts
    return [f for f in facts if f.kind is not Kind.RATE or f in exact]


def _drop_planned(
    lines: list[str], facts: list[StoredFact], intent: Intent
) -> tuple[list[str], list[StoredFact]]:
    """Keep planned and ceiling rates out of an answer about the rates in force, and the reverse."""
    ahead = {"planned", "ceiling"}
    rates = [f for f in facts if f.kind is Kind.RATE]
    in_force = [f for f in rates if f.attrs.get("status") == "in_force"]
    planned = [f for f in rates if f.attrs.get("status") in ahead]
    if not in_force or not planned:
        return lines, facts
    # "What could tariffs rise to?" wants the planned ceiling; "what is the rate?" the one in force.
    drop = {f.text for f in (in_force if intent.future else planned)}
    return [line for line in lines if line not in drop], [f for f in facts if f.text not in drop]
