"""Ratings and fixes as a question set the Q&A's evaluation and training read: questions.yaml and articles.

One entry per rated answer, or answer that gave a fact since fixed, asked again when it was first asked:
- a fix (not undone) of a fact the answer gave -> answerable, right when it says the fixed value (the
  newest fix when fixed again) and not the old fact's line (`must_not`, unless the old value is part of
  the new); an editor's fix outweighs the votes, and one entry stands for the same question asked again;
- every vote 👍 -> answerable, and right when the answer says what it said (the values of the facts it
  gave that its text shows, else its first line); a declined question everyone liked -> `expect: abstain`;
- a 👎 with "what would be right?" text (the newest, when several) -> answerable, right when it says that;
- anything else (👎 without text, or votes that disagree) -> `to_label`: the question, the moment and
  the answer people rejected (`was`), for a person to give `must` (or `expect: abstain`) and move under
  `questions`. A fix no logged answer used is there too, with its `must` and `must_not` and no `q`.
  The loaders read only `questions`.
The articles the answers cited or offered, and those of the fixed facts, are written next to the file
and listed as its `corpus`. They are the articles as published: a fix lives in the store, not in them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.ratings import LoggedAnswer, Rating, answers_using
from facts.corrections import AuditEntry
from facts.models import StoredFact
from facts.store import FactStore

logger = logging.getLogger(__name__)

QUESTIONS_FILE = "questions.yaml"
HEADER = """\
# Questions people rated in chat or whose facts editors fixed, exported by `briefbot feedback --questions`
# (ratings: {count}, fixes: {fixes}). Format as tests/corpus/*/questions.yaml: q, now (ISO, UTC),
# expect: answer (default) | abstain, must: groups of alternatives (case-insensitive substrings; one of
# each group must appear), must_not: strings that must not appear. `was` is the answer given then.
# `to_label`: answers people rejected without saying what is right (give each `must` or
# `expect: abstain`), and fixes no answer used (give each `q`); then move them under `questions`.
"""


@dataclass
class QuestionSet:
    """A question set built from ratings: labelled questions, questions to label, and their articles."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    to_label: list[dict[str, Any]] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    ratings: int = 0
    fixes: int = 0


def moment(when: datetime) -> str:
    """An instant as the question sets write it: ISO 8601 in UTC with a Z."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def first_line(text: str) -> str:
    """An answer's first line: the answer itself, without its sources and notes."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def must_groups(answer: LoggedAnswer, values: dict[int, tuple[str, ...]]) -> list[list[str]]:
    """What a liked answer says: each of its facts as its text words it, else the answer's first line."""
    text = answer.answer.lower()
    groups: list[list[str]] = []
    for fact_id in answer.fact_ids:
        shown = next((v for v in values.get(fact_id, ()) if v.strip() and v.lower() in text), None)
        if shown is not None and [shown] not in groups:
            groups.append([shown])
    return groups or [[first_line(answer.answer)]]


def _wordings(fact: StoredFact) -> tuple[str, ...]:
    """How an answer may show a fact: its value, or for a date "September 17, 2025" (not 2025-09-17)."""
    return (fact.value.strip(), fact.date.human()) if fact.date is not None else (fact.value.strip(),)


def build(store: FactStore, rated: Iterable[Rating], fixes: Iterable[AuditEntry] = ()) -> QuestionSet:
    """The question set of these ratings and standing fixes (one entry per answer, in the order given)."""
    by_answer: dict[int, list[Rating]] = {}
    for rating in rated:
        by_answer.setdefault(rating.answer.id, []).append(rating)
    chain = _Chain(fixes)
    given = {votes[0].answer.id: votes[0].answer for votes in by_answer.values()}
    given.update({a.id: a for a in answers_using(store.engine, chain.fixed) if a.answered})
    answers = [given[answer_id] for answer_id in sorted(given)]
    fact_ids = {fact_id for answer in answers for fact_id in answer.fact_ids}
    fact_ids |= chain.fixed | {chain.newest(fact_id) for fact_id in chain.fixed}
    known = {fact.id: fact for fact in store.get(fact_ids)} if fact_ids else {}
    values = {fact_id: _wordings(fact) for fact_id, fact in known.items()}
    out = QuestionSet(ratings=sum(len(votes) for votes in by_answer.values()), fixes=len(chain.entries))
    asked: set[tuple[str, tuple[int, ...]]] = set()
    covered: set[int] = set()
    for answer in answers:
        item: dict[str, Any] = {"id": f"fb{answer.id}", "now": moment(answer.asked_at), "q": answer.question}
        fixed = [fact_id for fact_id in answer.fact_ids if fact_id in chain.fixed] if answer.answered else []
        if fixed:
            covered.update(fact for fact_id in fixed for fact in chain.through(fact_id))
            newest = tuple(sorted({chain.newest(fact_id) for fact_id in fixed}))
            if (answer.question.casefold(), newest) not in asked:
                asked.add((answer.question.casefold(), newest))
                labels = _fixed_labels(fixed, chain, known)
                out.questions.append({**item, **labels, "was": first_line(answer.answer)})
        elif answer.id in by_answer:
            _add_rated(out, item, answer, by_answer[answer.id], values)
    unused = [fact_id for fact_id in chain.heads() if covered.isdisjoint(chain.through(fact_id))]
    for fact_id in unused:
        last = chain.last_entry(fact_id)
        labels = _fixed_labels([fact_id], chain, known)
        fixed_fact = known.get(chain.newest(fact_id))
        item = {"id": f"fix{last.id}", "now": moment(last.at), "fact": fixed_fact.text if fixed_fact else ""}
        out.to_label.append({**item, **labels, "was": chain.next[fact_id].was})
    fact_documents = {known[f].document_id for f in unused if f in known}
    out.document_ids = sorted(set(_documents_of(store, answers)) | fact_documents)
    return out


def _add_rated(
    out: QuestionSet,
    item: dict[str, Any],
    answer: LoggedAnswer,
    votes: list[Rating],
    values: dict[int, tuple[str, ...]],
) -> None:
    """The entry of a rated answer no fix concerns: labelled by its votes, or to label."""
    corrections = sorted((r for r in votes if r.vote == "down" and r.correction), key=lambda r: r.rated_at)
    if corrections:
        out.questions.append(
            {**item, "must": [[corrections[-1].correction]], "was": first_line(answer.answer)}
        )
    elif all(r.vote == "up" for r in votes):
        liked = {"must": must_groups(answer, values)} if answer.answered else {"expect": "abstain"}
        out.questions.append({**item, **liked})
    else:
        out.to_label.append({**item, "was": first_line(answer.answer)})


def _fixed_labels(fixed: list[int], chain: _Chain, known: dict[int, StoredFact]) -> dict[str, Any]:
    """`must` the newest values of these fixed facts; `must_not` the old facts as an answer states them.

    Not the bare old value: a corrected answer's note says "was 30%", and that answer is right. The old
    fact's line ("U.S. duties on Chinese goods: 30%") is what only a wrong answer says; it is left out
    when its value is part of the new one ("25%" in "125%").
    """
    must: list[list[str]] = []
    for fact_id in fixed:
        newest = known.get(chain.newest(fact_id))
        group = list(dict.fromkeys(_wordings(newest))) if newest is not None else []
        if group and group not in must:
            must.append(group)
    new = [option.lower() for group in must for option in group]
    must_not: list[str] = []
    for fact_id in fixed:
        old = known.get(fact_id)
        if old is None or any(w.lower() in n for w in _wordings(old) if w.strip() for n in new):
            continue
        if old.text.strip() and old.text not in must_not:
            must_not.append(old.text)
    return {"must": must, "must_not": must_not} if must_not else {"must": must}


class _Chain:
    """Standing fixes as links from a fact to its fixed version, followed to the newest fix."""

    def __init__(self, fixes: Iterable[AuditEntry]) -> None:
        self.entries = [e for e in fixes if e.fact_id is not None and e.new_fact_id is not None]
        self.next: dict[int, AuditEntry] = {}
        for entry in self.entries:
            assert entry.fact_id is not None  # checked above; for the type checker
            self.next[entry.fact_id] = entry
        self.fixed = set(self.next)

    def through(self, fact_id: int) -> list[int]:
        """The fact and every version its fixes led to, oldest first."""
        out = [fact_id]
        while out[-1] in self.next and len(out) <= len(self.next):
            new = self.next[out[-1]].new_fact_id
            assert new is not None
            out.append(new)
        return out

    def newest(self, fact_id: int) -> int:
        """The fact's newest fixed version (itself when not fixed)."""
        return self.through(fact_id)[-1]

    def last_entry(self, fact_id: int) -> AuditEntry:
        """The newest fix along a fixed fact's chain."""
        return self.next[self.through(fact_id)[-2]]

    def heads(self) -> list[int]:
        """The fixed facts that are no fix themselves: where each chain starts."""
        made = {e.new_fact_id for e in self.entries}
        return sorted(fact_id for fact_id in self.fixed if fact_id not in made)


def _documents_of(store: FactStore, answers: Iterable[LoggedAnswer]) -> list[int]:
    """The stored articles the answers cited (by id) or offered as passages (by title, date and URL)."""
    ids: set[int] = set()
    wanted: set[tuple[str, str, str]] = set()
    for answer in answers:
        for source in answer.sources:
            if source.get("document_id"):
                ids.add(int(source["document_id"]))
            else:
                wanted.add((str(source["title"]), str(source["published"]), str(source.get("url") or "")))
    if wanted:
        for document in store.documents():
            if (document.title, document.published.isoformat(), document.url or "") in wanted:
                ids.add(document.id)
    return sorted(ids)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-") or "article"


def write(store: FactStore, question_set: QuestionSet, folder: Path) -> Path:
    """Write questions.yaml and one Markdown file per article (with its front matter) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = []
    for document in store.documents_with_bodies(question_set.document_ids):
        name = f"{document.published.isoformat()}-{_slug(document.title)}-{document.id}.md"
        front: dict[str, Any] = {"title": document.title, "published": document.published}
        if document.url:
            front["url"] = document.url
        matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000)
        (folder / name).write_text(f"---\n{matter}---\n{document.body}", encoding="utf-8")
        corpus.append(name)
    data: dict[str, Any] = {"corpus": corpus, "questions": question_set.questions}
    if question_set.to_label:
        data["to_label"] = question_set.to_label
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    target = folder / QUESTIONS_FILE
    header = HEADER.format(count=question_set.ratings, fixes=question_set.fixes)
    target.write_text(header + text, encoding="utf-8")
    return target
