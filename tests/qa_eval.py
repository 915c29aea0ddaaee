"""Shared Q&A evaluator: loads a question set, answers it over a store of its articles, scores and reports.

Run as `python -m tests.qa_eval tests/corpus/tune` (or `tests/qa/dev.yaml`) for a printed report; what each
fallback of the rules is worth is measured with the model refitted by `python -m facts.qa.ablate`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from facts.ingest import Overrides, ingest_document, read_document
from facts.qa import Answer, Config, answer
from facts.store import FactStore

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "qa" / "dev.yaml"
BUNDLED = ROOT / "facts" / "corpus"


@dataclass(frozen=True)
class Question:
    """One question of a set with its clock and how a right answer looks."""

    id: str
    q: str
    now: datetime
    expect: str = "answer"
    must: tuple[tuple[str, ...], ...] = ()
    must_not: tuple[str, ...] = ()


@dataclass
class Verdict:
    """How one answer was judged: right, a false answer (answered but wrong), or a miss (declined wrongly)."""

    question: Question
    answer: Answer
    outcome: str  # "right", "false", "missed"
    reason: str = ""


@dataclass
class Report:
    """Scores of a question set."""

    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of questions."""
        return len(self.verdicts)

    def count(self, outcome: str) -> int:
        """How many questions had this outcome."""
        return sum(1 for v in self.verdicts if v.outcome == outcome)

    @property
    def accuracy(self) -> float:
        """Share of questions answered right (declining an abstain question is right)."""
        return self.count("right") / self.total if self.total else 0.0

    @property
    def false_on_abstain(self) -> int:
        """Questions that should have been declined but were answered."""
        return sum(1 for v in self.verdicts if v.outcome == "false" and v.question.expect == "abstain")

    def summary(self) -> str:
        """One line of numbers."""
        return (
            f"{self.count('right')}/{self.total} right ({self.accuracy:.1%}); "
            f"false answers {self.count('false')} (on abstain questions {self.false_on_abstain}); "
            f"missed {self.count('missed')}"
        )


def _parse_now(text: str) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_questions(path: Path) -> tuple[list[Question], list[str]]:
    """Questions and corpus file names of a YAML question set."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in data["questions"]:
        out.append(
            Question(
                id=str(item["id"]),
                q=str(item["q"]),
                now=_parse_now(item["now"]),
                expect=str(item.get("expect", "answer")),
                must=tuple(tuple(str(s) for s in group) for group in item.get("must", [])),
                must_not=tuple(str(s) for s in item.get("must_not", [])),
            )
        )
    return out, [str(c) for c in data.get("corpus", [])]


def articles_for(question_file: Path, corpus: list[str]) -> list[Path]:
    """The article files a question set is asked over: next to it, or in the bundled corpus."""
    out = []
    for name in corpus:
        for folder in (question_file.parent, BUNDLED):
            if (folder / name).exists():
                out.append(folder / name)
                break
        else:
            raise FileNotFoundError(f"{question_file}: corpus article {name} not found")
    return out


def load_store(store: FactStore, articles: list[Path]) -> FactStore:
    """Ingest articles into a store with the real extractor."""
    for path in articles:
        ingest_document(store, read_document(path, Overrides(), date(2025, 1, 1)))
    return store


def backend_url(request: Any, tmp_path_factory: Any, name: str) -> str:
    """A fresh database URL for a module-scoped store, by the backend param (as conftest's database_url)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('qa') / f'{name}.db'}"
    server = request.getfixturevalue("pg_server")
    database = server.create_database()
    request.addfinalizer(lambda: server.drop_database(database))
    return str(server.url(database))


def judge(question: Question, result: Answer) -> Verdict:
    """Right, false or missed, by the set's rules (case-insensitive substrings on the answer text)."""
    text = result.text.lower()
    if question.expect == "abstain":
        if result.answered:
            return Verdict(question, result, "false", "answered an abstain question")
        return Verdict(question, result, "right")
    if not result.answered:
        return Verdict(question, result, "missed", "declined")
    for group in question.must:
        if not any(option.lower() in text for option in group):
            return Verdict(question, result, "false", f"lacks one of {list(group)}")
    for bad in question.must_not:
        if bad.lower() in text:
            return Verdict(question, result, "false", f"contains {bad!r}")
    return Verdict(question, result, "right")


def evaluate(store: FactStore, questions: list[Question], config: Config | None = None) -> Report:
    """Answer every question and judge it."""
    report = Report()
    for question in questions:
        report.verdicts.append(judge(question, answer(store, question.q, question.now, config)))
    return report


def question_file(target: Path) -> Path:
    """The question set for a folder (its questions.yaml) or the file itself."""
    return target / "questions.yaml" if target.is_dir() else target


def totals(reports: list[Report]) -> tuple[int, int, int, int, int]:
    """Right, false, false on abstain questions, missed and all questions over several reports."""
    right = sum(r.count("right") for r in reports)
    false = sum(r.count("false") for r in reports)
    on_abstain = sum(r.false_on_abstain for r in reports)
    total = sum(r.total for r in reports)
    return right, false, on_abstain, sum(r.count("missed") for r in reports), total


def main(argv: list[str] | None = None) -> int:
    """Print a report for a question set: every wrong answer, then the totals."""
    parser = argparse.ArgumentParser(prog="python -m tests.qa_eval")
    parser.add_argument(
        "target", nargs="?", default=str(DEV), help="a questions.yaml or a folder holding one"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every answer")
    args = parser.parse_args(argv)
    path = question_file(Path(args.target))
    questions, corpus = load_questions(path)
    with tempfile.TemporaryDirectory() as tmp:
        store = FactStore.open(f"sqlite:///{Path(tmp) / 'eval.db'}")
        try:
            load_store(store, articles_for(path, corpus))
            report = evaluate(store, questions)
        finally:
            store.close()
    for verdict in report.verdicts:
        if verdict.outcome != "right" or args.verbose:
            q = verdict.question
            print(f"[{verdict.outcome.upper()}] {q.id} {q.q!r} — {verdict.reason}")
            for line in verdict.answer.text.splitlines():
                print(f"      {line}")
    print(f"{path}: {report.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
