"""Ratings as a question set the Q&A's evaluation and training read: questions.yaml and its articles.

One entry per rated answer, asked again at the moment it was first asked:
- every vote 👍 -> answerable, and right when the answer says what it said (the values of the facts it
  gave that its text shows, else its first line); a declined question everyone liked -> `expect: abstain`;
- a 👎 with "what would be right?" text (the newest, when several) -> answerable, right when it says that;
- anything else (👎 without text, or votes that disagree) -> `to_label`: the question, the moment and
  the answer people rejected (`was`), for a person to give `must` (or `expect: abstain`) and move under
  `questions`. The loaders read only `questions`.
The articles the answers cited or offered are written next to the file and listed as its `corpus`.
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

from bot.ratings import LoggedAnswer, Rating
from facts.models import StoredFact
from facts.store import FactStore

logger = logging.getLogger(__name__)

QUESTIONS_FILE = "questions.yaml"
HEADER = """\
# Questions people rated in chat, exported by `briefbot feedback --questions` ({count} ratings).
# Format as tests/corpus/*/questions.yaml: q, now (ISO, UTC), expect: answer (default) | abstain,
# must: groups of alternatives (case-insensitive substrings; one of each group must appear).
# `was` is the answer given then. `to_label`: answers people rejected without saying what is right;
# give each `must` (or `expect: abstain`) and move it under `questions`.
"""


@dataclass
class QuestionSet:
    """A question set built from ratings: labelled questions, questions to label, and their articles."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    to_label: list[dict[str, Any]] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    ratings: int = 0


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


def build(store: FactStore, rated: Iterable[Rating]) -> QuestionSet:
    """The question set of these ratings (one entry per rated answer, in the order answers were given)."""
    by_answer: dict[int, list[Rating]] = {}
    for rating in rated:
        by_answer.setdefault(rating.answer.id, []).append(rating)
    answers = [votes[0].answer for _, votes in sorted(by_answer.items())]
    fact_ids = {fact_id for answer in answers for fact_id in answer.fact_ids}
    values = {fact.id: _wordings(fact) for fact in store.get(fact_ids)} if fact_ids else {}
    out = QuestionSet(ratings=sum(len(votes) for votes in by_answer.values()))
    for answer in answers:
        votes = by_answer[answer.id]
        item: dict[str, Any] = {"id": f"fb{answer.id}", "now": moment(answer.asked_at), "q": answer.question}
        corrections = sorted(
            (r for r in votes if r.vote == "down" and r.correction), key=lambda r: r.rated_at
        )
        if corrections:
            out.questions.append(
                {**item, "must": [[corrections[-1].correction]], "was": first_line(answer.answer)}
            )
        elif all(r.vote == "up" for r in votes):
            liked = {"must": must_groups(answer, values)} if answer.answered else {"expect": "abstain"}
            out.questions.append({**item, **liked})
        else:
            out.to_label.append({**item, "was": first_line(answer.answer)})
    out.document_ids = _documents_of(store, answers)
    return out


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
    target.write_text(HEADER.format(count=question_set.ratings) + text, encoding="utf-8")
    return target
