"""`python -m facts.qa.train`: fit the answer model from the question sets, choose its bars, report.

Each question set (a folder with articles and a questions.yaml) is ingested into its own store; every
candidate of every question gets its features and a label (does it, alone, satisfy the question's
`must` groups?). Abstain questions label every candidate wrong, and so do traps made by swapping one
slot of an answerable question (a country, a year, a person) for one its articles never name: those
train the model but are never scored. Gradient-boosted trees are fitted per source (rules, spans),
deterministic. The answer bars are chosen on leave-one-set-out predictions so that false answers stay
at or below 1% of questions, and the report is nested leave-one-set-out: each set is scored by a model
and bars fitted without it. scikit-learn is needed here only; answering reads the weights file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from facts.geo import countries, countries_in
from facts.ingest import Overrides, ingest_document, read_document
from facts.qa import Config, answer_types, consider
from facts.qa.answer_types import AnswerTypes, type_features
from facts.qa.model import WEIGHTS_FILE, Model, Scorer
from facts.qa.reply import given
from facts.store import FactStore

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
DEV = ROOT / "tests" / "qa" / "dev.yaml"
BUNDLED = ROOT / "facts" / "corpus"
SEALED = ("final",)  # written last, used for nothing, run once
OUT = Path(__file__).resolve().parent / "data" / WEIGHTS_FILE
# False answers allowed, as a share of all questions: the first of these under which some bar also keeps
# every dev question on the bundled article right. Issue 12 asks for 1% and for every dev question
# right; when both cannot hold, the dev questions win and the share used is reported (README).
FALSE_SHARES = (0.01, 0.02, 0.03, 0.04, 0.05)
FALSE_SHARE = FALSE_SHARES[0]
# Chosen by leave-one-set-out recall at 1-2% false answers among a few settings (README, "The Q&A model").
BOOSTING: dict[str, Any] = {
    "max_iter": 150,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}
SOURCES = ("rules", "span")
# The bundled articles' questions must all be answered right (issue 12), so they weigh more in fitting;
# at 10 the bars keep them all at a 1% false-answer share, where at 1 they needed 4% (29 sets).
DEV_WEIGHT = 10.0
# Bars tried: coarse where few answers lie, fine near the top where the choice is made (a right answer at
# 0.89 must not need a bar of 0.8); 1.1 never answers.
_BARS = (*(n / 10 for n in range(8)), *(0.8 + n / 200 for n in range(40)), 1.1)
_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass
class Row:
    """One candidate of one question: its features and whether it is right."""

    source: str
    features: dict[str, float]
    label: int  # the candidate alone answers the question
    right: int  # the whole answer given with it would be judged right
    head: str = ""  # what the candidate answers, kept for reading the misses


@dataclass
class Asked:
    """One question of a set with its candidates (a trap made for training has `made` set)."""

    set_name: str
    qid: str
    expect: str
    rows: list[Row] = field(default_factory=list)
    made: bool = False
    question: str = ""
    answer_type: str = ""  # the type of its expected answer, "" when it has none (a trap)


def judged(text: str, item: dict[str, Any]) -> bool:
    """True when a text answers a question by its set's rules (every must group met, no must_not)."""
    low = text.lower()
    if item.get("expect", "answer") == "abstain":
        return False
    groups = item.get("must") or []
    if not all(any(str(o).lower() in low for o in group) for group in groups):
        return False
    return not any(str(bad).lower() in low for bad in item.get("must_not") or [])


def _now(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment


def question_files(paths: Sequence[Path]) -> list[Path]:
    """The questions.yaml files of the given sets (folders) or files."""
    out = []
    for path in paths:
        out.append(path / "questions.yaml" if path.is_dir() else path)
    return out


def default_sets() -> list[Path]:
    """Every set but the sealed final one, and the dev set."""
    sets = sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name not in SEALED)
    return [DEV, *sets]


def collect(path: Path, traps: bool = True, config: Config | None = None) -> list[Asked]:
    """Every question of one set with its candidates' features and labels (and made-up traps)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = path.parent.name if path.name == "questions.yaml" else path.stem
    articles = [_article(path, n) for n in data.get("corpus", [])]
    config = config or Config(use_shipped_model=False)
    out: list[Asked] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = FactStore.open(f"sqlite:///{Path(tmp) / 'train.db'}")
        try:
            for article in articles:
                ingest_document(store, read_document(article, Overrides(), date(2025, 1, 1)))
            text = " ".join(a.read_text(encoding="utf-8") for a in articles).lower()
            rng = random.Random(name)
            for item in data["questions"]:
                out.append(_ask(store, name, item, config))
                if traps and item.get("expect", "answer") != "abstain":
                    for made in _traps(item, text, rng):
                        asked = _ask(store, name, made, config)
                        asked.made = True
                        out.append(asked)
        finally:
            store.close()
    return out


def _article(path: Path, name: str) -> Path:
    for folder in (path.parent, BUNDLED):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{path}: corpus article {name} not found")


def _ask(store: FactStore, set_name: str, item: dict[str, Any], config: Config) -> Asked:
    asked = Asked(set_name, str(item["id"]), str(item.get("expect", "answer")), question=str(item["q"]))
    groups = item.get("must") or []
    if asked.expect != "abstain" and groups and groups[0]:
        asked.answer_type = answer_types.label(str(groups[0][0]))
    considered = consider(store, str(item["q"]), _now(item["now"]), config)
    if considered is None:
        return asked
    for candidate in considered.candidates:
        text = given(candidate.lines, candidate.facts, considered.intent, considered.today, 0.0).text
        label = judged("\n".join(candidate.lines) if candidate.source == "rules" else candidate.head, item)
        asked.rows.append(
            Row(
                candidate.source,
                candidate.features,
                int(label),
                int(judged(text, item)),
                candidate.head[:200],
            )
        )
    return asked


_PEOPLE = ("Halvorsen", "Okonjo", "Ferreira", "Lindqvist", "Tanaka", "Mbeki", "Kowalczyk", "Dufresne")


def _traps(item: dict[str, Any], text: str, rng: random.Random) -> list[dict[str, Any]]:
    """Questions made by swapping one slot for something the set's articles never name."""
    q = str(item["q"])
    out: list[dict[str, Any]] = []
    found = sorted(countries_in(q))
    if found:
        names = [k for k, v in countries().items() if v not in found and " " not in k and len(k) > 3]
        names = [n for n in sorted(set(names)) if n not in text and n.istitle()]
        for country in found[:1]:
            aliases = [k for k, v in countries().items() if v == country and k.lower() in q.lower()]
            if aliases and names:
                alias = max(aliases, key=len)
                swapped = re.sub(re.escape(alias), rng.choice(names), q, count=1, flags=re.I)
                out.append({**item, "q": swapped, "expect": "abstain", "id": f"{item['id']}~c"})
    year = _YEAR.search(q)
    if year:
        other = str(int(year.group(1)) + rng.choice((-3, 3, 5)))
        if other not in text:
            out.append(
                {**item, "q": q.replace(year.group(1), other), "expect": "abstain", "id": f"{item['id']}~y"}
            )
    names = re.findall(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z]{3,})\b", q)
    people = [n for n in names if n.lower() in text and not countries_in(n)]
    if people:
        stranger = rng.choice([p for p in _PEOPLE if p.lower() not in text] or ["Quillfeather"])
        out.append(
            {**item, "q": q.replace(people[-1], stranger), "expect": "abstain", "id": f"{item['id']}~p"}
        )
    return out


# -- fitting -------------------------------------------------------------------------------------


def fit(asked: list[Asked], features: Sequence[str]) -> dict[str, Scorer]:
    """Gradient-boosted trees per candidate source over the given questions' candidates (deterministic)."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # training only

    scorers: dict[str, Scorer] = {}
    for source in SOURCES:
        pairs = [(a, r) for a in asked for r in a.rows if r.source == source]
        rows = [r for _, r in pairs]
        if len({r.label for r in rows}) < 2:
            continue
        x = [[r.features.get(f, 0.0) for f in features] for r in rows]
        y = [r.label for r in rows]
        weight = [DEV_WEIGHT if a.set_name == DEV.stem else 1.0 for a, _ in pairs]
        model = HistGradientBoostingClassifier(**BOOSTING, early_stopping=False, random_state=0)
        model.fit(x, y, sample_weight=weight)
        scorer = _exported(model, features)
        _check_export(model, scorer, rows, features)
        scorers[source] = scorer
    return scorers


def _exported(model: Any, features: Sequence[str]) -> Scorer:
    """The fitted trees as plain numbers (scikit-learn keeps them in its predictors' node arrays)."""
    trees = []
    for (predictor,) in model._predictors:  # checked against predict_proba below
        nodes = []
        for node in predictor.nodes:
            leaf = bool(node["is_leaf"])
            nodes.append(
                (
                    int(node["feature_idx"]),
                    float(node["num_threshold"]),
                    -1 if leaf else int(node["left"]),
                    -1 if leaf else int(node["right"]),
                    float(node["value"]) if leaf else 0.0,
                )
            )
        trees.append(tuple(nodes))
    baseline = float(model._baseline_prediction.ravel()[0])
    return Scorer(tuple(features), baseline, tuple(trees))


def _check_export(model: Any, scorer: Scorer, rows: list[Row], features: Sequence[str]) -> None:
    """The exported trees must give scikit-learn's own probabilities."""
    sample = rows[:: max(1, len(rows) // 200)]
    expected = model.predict_proba([[r.features.get(f, 0.0) for f in features] for r in sample])[:, 1]
    for row, want in zip(sample, expected, strict=True):
        got = scorer.probability(row.features)
        if abs(got - want) > 1e-6:
            raise RuntimeError(f"exported trees disagree with scikit-learn: {got} != {want}")


@dataclass
class Outcome:
    """Counts of one set's questions under one model and bars."""

    right: int = 0
    false: int = 0
    missed: int = 0
    answerable: int = 0
    answerable_right: int = 0

    @property
    def total(self) -> int:
        """Questions scored."""
        return self.right + self.false + self.missed

    def add(self, other: Outcome) -> None:
        """Add another outcome's counts to this one."""
        self.right += other.right
        self.false += other.false
        self.missed += other.missed
        self.answerable += other.answerable
        self.answerable_right += other.answerable_right


def decide(asked: Asked, probabilities: dict[str, list[float]], bars: dict[str, float]) -> str:
    """What answering does with a question: 'right', 'false' or 'missed' (declining an abstain is right)."""
    return _verdict(asked, _tops(asked, probabilities), bars)


def _tops(asked: Asked, probabilities: dict[str, list[float]]) -> list[tuple[str, float, Row]]:
    """Each source's most probable candidate, in the order the sources are tried."""
    out = []
    for source in SOURCES:
        rows = [r for r in asked.rows if r.source == source]
        if rows:
            p, row = max(zip(probabilities.get(source, []), rows, strict=True), key=lambda pr: pr[0])
            out.append((source, p, row))
    return out


def _verdict(asked: Asked, tops: list[tuple[str, float, Row]], bars: dict[str, float]) -> str:
    chosen = next((row for source, p, row in tops if p >= bars[source]), None)
    if chosen is None:
        return "right" if asked.expect == "abstain" else "missed"
    return "right" if chosen.right else "false"


def outcome(asked: list[Asked], scorers: dict[str, Scorer], bars: dict[str, float]) -> Outcome:
    """How answering would do on these (real) questions."""
    out = Outcome()
    for a in asked:
        if a.made:
            continue
        verdict = decide(a, _probabilities(a, scorers), bars)
        setattr(out, verdict, getattr(out, verdict) + 1)
        if a.expect != "abstain":
            out.answerable += 1
            out.answerable_right += verdict == "right"
    return out


def _probabilities(asked: Asked, scorers: dict[str, Scorer]) -> dict[str, list[float]]:
    return {
        source: [
            scorers[source].probability(r.features) if source in scorers else 0.0
            for r in asked.rows
            if r.source == source
        ]
        for source in SOURCES
    }


def choose_bars(
    predicted: list[tuple[Asked, dict[str, list[float]]]],
    keep: list[tuple[Asked, dict[str, list[float]]]] | None = None,
    strict: bool = False,
    share: float = FALSE_SHARE,
) -> dict[str, float]:
    """The bars with the most right answers while false answers stay within FALSE_SHARE of questions.

    With `keep`, only bars under which every one of those questions is answered right are considered;
    when there are none, `strict` gives up, else the limit alone decides (inside cross-validation).
    """
    real = [(a, _tops(a, p)) for a, p in predicted if not a.made]
    kept = [(a, _tops(a, p)) for a, p in keep or []]
    allowed = share * len(real)
    best: tuple[int, int, dict[str, float]] | None = None
    for rules_bar in _BARS:
        for span_bar in _BARS:
            bars = {"rules": round(rules_bar, 3), "span": round(span_bar, 3)}
            if any(_verdict(a, t, bars) != "right" for a, t in kept):
                continue
            verdicts = [_verdict(a, t, bars) for a, t in real]
            false = verdicts.count("false")
            right = verdicts.count("right")
            if false <= allowed and (best is None or (right, -false) > (best[0], best[1])):
                best = (right, -false, bars)
    if best is None and keep:
        if strict:
            raise SystemExit("no answer bar keeps every dev question right within the false-answer limit")
        return choose_bars(predicted, share=share)  # none keeps them all: the limit alone decides
    return best[2] if best else {"rules": 1.1, "span": 1.1}


def bars_by_ladder(
    predicted: list[tuple[Asked, dict[str, list[float]]]],
    keep: list[tuple[Asked, dict[str, list[float]]]],
) -> tuple[dict[str, float], float]:
    """The bars at the first false-answer share that keeps every `keep` question right, and that share."""
    for share in FALSE_SHARES:
        try:
            return choose_bars(predicted, keep=keep, strict=True, share=share), share
        except SystemExit:
            continue
    return choose_bars(predicted, share=FALSE_SHARES[-1]), FALSE_SHARES[-1]


def fit_answer_types(asked: Iterable[Asked]) -> AnswerTypes:
    """The answer-type model counted from these questions' expected answers."""
    return answer_types.fit((a.question, a.answer_type) for a in asked if a.answer_type and not a.made)


def annotate(by_set: dict[str, list[Asked]], held_out: str | None) -> None:
    """Give every candidate its answer-type features from a model that never saw its question's set.

    The held-out set's questions get the model counted from all the other sets, and each other set's the
    model counted from the rest but it and the held-out set, so the trees learn from features as noisy
    as the ones a new set will have.
    """
    for name, asked in by_set.items():
        excluded = {name, held_out}
        counted = (a for n, rest in by_set.items() if n not in excluded for a in rest)
        annotate_with(asked, fit_answer_types(counted))


def annotate_with(asked: list[Asked], model: AnswerTypes) -> None:
    """Give these questions' candidates their answer-type features from one model."""
    for a in asked:
        probabilities = model.probabilities(a.question)
        for row in a.rows:
            row.features.update(type_features(probabilities, row.features))


def loso(
    by_set: dict[str, list[Asked]], features: Sequence[str]
) -> list[tuple[Asked, dict[str, list[float]]]]:
    """Leave-one-set-out predictions: each set's questions scored by a model fitted on the others."""
    out: list[tuple[Asked, dict[str, list[float]]]] = []
    for name, asked in by_set.items():
        annotate(by_set, name)
        others = [a for n, rest in by_set.items() if n != name for a in rest]
        scorers = fit(others, features)
        out.extend((a, _probabilities(a, scorers)) for a in asked)
    return out


def feature_names(asked: list[Asked], drop: Sequence[str] = ()) -> list[str]:
    """Every feature seen, in a fixed order, without those starting with a dropped prefix.

    The types of value a candidate holds (`v_`) reach the trees only through the answer-type features.
    """
    names = sorted({f for a in asked for r in a.rows for f in r.features})
    return [n for n in names if not any(n.startswith(d) for d in (*drop, "v_"))]


def nested_report(
    by_set: dict[str, list[Asked]], features: Sequence[str]
) -> dict[str, tuple[Outcome, dict[str, float]]]:
    """Each set scored by a model and bars chosen without it (bars from the other sets' LOSO predictions)."""
    out = {}
    for name, asked in by_set.items():
        others = {n: rest for n, rest in by_set.items() if n != name}
        predicted = loso(others, features)
        annotate(by_set, name)  # after the inner folds, which annotate the other sets their own way
        scorers = fit([a for rest in others.values() for a in rest], features)
        bars, _ = bars_by_ladder(predicted, _dev_kept(others, scorers))
        out[name] = (outcome(asked, scorers, bars), bars)
    return out


def _dev_kept(
    by_set: dict[str, list[Asked]], scorers: dict[str, Scorer]
) -> list[tuple[Asked, dict[str, list[float]]]]:
    """The dev set's questions scored by a model fitted with them: bars must keep every one right."""
    return [(a, _probabilities(a, scorers)) for a in by_set.get(DEV.stem, []) if not a.made]


def _row(name: str, o: Outcome, bars: str) -> str:
    def share(n: int, d: int) -> str:
        return f"{n / max(d, 1):.1%}"

    return (
        f"| {name} | {o.total} | {o.right} ({share(o.right, o.total)}) | "
        f"{o.answerable_right}/{o.answerable} ({share(o.answerable_right, o.answerable)}) | "
        f"{o.false} ({share(o.false, o.total)}) | {o.missed} | {bars} |"
    )


def _table(report: dict[str, tuple[Outcome, dict[str, float]]]) -> str:
    lines = [
        "| set | questions | right | answerable right | false answers | missed | bars (rules, span) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    total = Outcome()
    for name, (o, bars) in report.items():
        total.add(o)
        lines.append(_row(name, o, f"{bars['rules']}, {bars['span']}"))
    lines.append(_row("all", total, ""))
    return "\n".join(lines)


def _save_cache(path: Path, by_set: dict[str, list[Asked]]) -> None:
    data = {
        name: [
            {
                "qid": a.qid,
                "expect": a.expect,
                "made": a.made,
                "question": a.question,
                "answer_type": a.answer_type,
                "rows": [r.__dict__ for r in a.rows],
            }
            for a in asked
        ]
        for name, asked in by_set.items()
    }
    path.write_text(json.dumps(data), encoding="utf-8")


def _load_cache(path: Path) -> dict[str, list[Asked]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: [
            Asked(
                name,
                a["qid"],
                a["expect"],
                [Row(**r) for r in a["rows"]],
                a["made"],
                a.get("question", ""),
                a.get("answer_type", ""),
            )
            for a in asked
        ]
        for name, asked in data.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Collect, cross-validate, fit on everything and write the weights file."""
    parser = argparse.ArgumentParser(prog="python -m facts.qa.train", description=__doc__)
    parser.add_argument(
        "sets", nargs="*", type=Path, help="question sets (default: every set but the sealed one)"
    )
    parser.add_argument("--cache", type=Path, help="keep the collected candidates here and reuse them")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the weights")
    parser.add_argument("--no-report", action="store_true", help="skip the nested cross-validation report")
    parser.add_argument("--drop", action="append", default=[], help="leave out features with this prefix")
    parser.add_argument("--no-traps", action="store_true", help="train without the made-up traps")
    args = parser.parse_args(argv)
    if args.cache and args.cache.exists():
        by_set = _load_cache(args.cache)
    else:
        by_set = {}
        for path in question_files(args.sets or default_sets()):
            print(f"collecting {path}", file=sys.stderr, flush=True)
            asked = collect(path)
            by_set[asked[0].set_name if asked else path.stem] = asked
        if args.cache:
            _save_cache(args.cache, by_set)
    if args.no_traps:
        by_set = {n: [a for a in asked if not a.made] for n, asked in by_set.items()}
    everything = [a for asked in by_set.values() for a in asked]
    annotate(by_set, None)  # every candidate has the answer-type features before they are listed
    features = feature_names(everything, args.drop)
    if not args.no_report:
        print(_table(nested_report(by_set, features)))
    predicted = loso(by_set, features)
    annotate(by_set, None)
    scorers = fit(everything, features)
    types = fit_answer_types(everything)
    # The dev set's questions on the bundled article must all stay right (issue 12): the bar is the best
    # one in cross-validation under which the final model, with the answer types it ships with, answers
    # every one of them right.
    annotate_with(by_set.get(DEV.stem, []), types)
    bars, share = bars_by_ladder(predicted, _dev_kept(by_set, scorers))
    model = Model(scorers, bars, types)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"wrote {args.out} (bars: rules {bars['rules']}, spans {bars['span']}, false answers up to "
        f"{share:.0%} in cross-validation; {len(features)} features)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
