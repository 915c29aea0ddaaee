"""Evidence for each candidate answer, as named numbers a learned model weighs.

The slots that tell a trap from an answer (the measure, the object, the countries, the speaker, the year)
are read as: does the candidate's sentence hold the question's word, does its article, and does the
sentence hold a rival in the same role. The rules' verdict is evidence too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from facts.qa.answer_types import held_features
from facts.qa.candidates import MONEY, PERCENT, Candidate
from facts.qa.intent import Intent, QuestionKind
from facts.qa.retrieve import Passage, Retrieval
from facts.qa.words import alternatives, covered, name_stems
from facts.text import index_terms, stem

_YEAR = re.compile(r"\b(?:19|20|21)\d\d\b")
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?")
_FROM_BEFORE = re.compile(
    r"\b(?:from|was|were|previously|originally|initially|before|instead\s+of|than)\s+(?:\S+\s+){0,2}$", re.I
)
_TO_BEFORE = re.compile(r"\b(?:to|at|of|by|on|until|till|from)\s+(?:\S+\s+){0,1}$", re.I)
_HEDGE = re.compile(
    r"\b(?:could|would|might|may|if|proposed|proposal|plans?|planned|considering|threaten\w*|expected|"
    r"likely|possible|possibly|draft|would-be|mooted|floated|consider\w*)\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|declined|refused|without)\b", re.I)
_QUOTE_MARK = re.compile(r"[“”\"]")
_WORD = re.compile(r"[A-Za-z0-9]+")
_PATHS = ("rank", "quote", "who_is", "mentions", "named_in")
_NEWS_DAYS = timedelta(days=3)
_SPAN_KINDS = ("percent", "money", "number", "date", "person", "name", "place", "quote", "sentence")


def describe(candidates: list[Candidate], retrieval: Retrieval, intent: Intent, today: date) -> None:
    """Fill in every candidate's features."""
    question = _question_features(intent, retrieval, candidates)
    newest = max((p.published for p in retrieval.passages), default=today)
    coverage = {
        (p.document_id, p.index): _share(intent, retrieval, p.terms | p.title_terms)
        for p in retrieval.passages
    }
    rules = next((c for c in candidates if c.source == "rules"), None)
    for candidate in candidates:
        features = dict(question)
        features.update(_passage_features(candidate.passage, intent, retrieval, newest, today))
        features["p_newer_as_good"] = _newer_as_good(candidate.passage, retrieval, coverage)
        if candidate.source == "rules" and candidate.rule is not None:
            features.update(_rule_features(candidate))
        else:
            features.update(_span_features(candidate, intent, rules, today))
        features.update(held_features(candidate.head))
        candidate.features = features
    if rules is not None:
        rules.features.update(_agreeing_span(candidates, rules))


# The rules' answer is otherwise judged by its sentence alone; the best-ranked span that says the same value
# tells where that value sits (beside the question's head, after "from", alone of its kind, ...).
_RULES_OWN = frozenset({"s_rules_agree", "s_rules_same_sentence"})


def _agreeing_span(candidates: list[Candidate], rules: Candidate) -> dict[str, float]:
    spans = [c for c in candidates if c.source == "span"]
    span = next((c for c in spans if c.features.get("s_rules_agree")), None)
    if span is None:
        # A value an editor corrected is no longer in its sentence: it stands where the value it replaced
        # was read, so that span's evidence is the corrected value's (the span itself still says the old one).
        replaced = " ".join(str(f.correction["was"]) for f in rules.facts if f.correction).lower()
        span = next((c for c in spans if replaced and _value_within(c, replaced)), None)
    out = {"r_span_agrees": float(span is not None)}
    if span is not None:
        out.update(
            {f"r_{k}": v for k, v in span.features.items() if k.startswith("s_") and k not in _RULES_OWN}
        )
    return out


def _question_features(intent: Intent, retrieval: Retrieval, candidates: list[Candidate]) -> dict[str, float]:
    out = {f"q_{kind.value}": float(intent.kind is kind) for kind in QuestionKind}
    content = intent.content
    out["q_terms"] = min(len(content), 8) / 8
    out["q_name"] = float(bool(intent.name))
    out["q_countries"] = min(len(intent.countries), 2) / 2
    out["q_year"] = float(bool(_YEAR.search(intent.text)))
    out["q_digits"] = float(bool(_numbers(intent.text)))
    out["q_future"] = float(intent.future)
    out["q_money"] = float(intent.money)
    top = retrieval.by_rank()[0].score if retrieval.passages else 0.0
    out["q_top_match"] = top / retrieval.best_possible if retrieval.best_possible else 0.0
    out["q_rules_answered"] = float(any(c.source == "rules" for c in candidates))
    out["q_spans"] = min(sum(c.source == "span" for c in candidates), 20) / 20
    return out


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text) if not _YEAR.fullmatch(n)}


def _passage_features(
    passage: Passage | None, intent: Intent, retrieval: Retrieval, newest: date, today: date
) -> dict[str, float]:
    if passage is None:
        return {"p_missing": 1.0}
    idf = retrieval.idf
    content = intent.content
    weights = [max((idf.get(a, 1.0) for a in alternatives(t.stem)), default=1.0) for t in content]
    total = sum(weights) or 1.0
    own = passage.own_terms or passage.terms
    context = passage.terms | passage.title_terms
    doc = passage.doc_terms | passage.title_terms

    def share(pool: set[str] | frozenset[str]) -> float:
        return sum(w for t, w in zip(content, weights, strict=True) if covered(t.stem, pool)) / total

    def worst_missing(pool: set[str] | frozenset[str]) -> float:
        gone = [w for t, w in zip(content, weights, strict=True) if not covered(t.stem, pool)]
        return max(gone, default=0.0) / 10

    proper = [t for t in content if t.proper]
    countries = intent.countries
    article_countries = set(passage.title_countries) | _article_countries(passage)
    sentence_countries = passage.countries
    rivals = sentence_countries - countries
    numbers = _numbers(intent.text)
    years = set(_YEAR.findall(intent.text))
    sentence_years = set(_YEAR.findall(passage.sentence))
    out = {
        "p_missing": 0.0,
        "p_rank": 1 / (1 + passage.rank),
        "p_score": passage.score / retrieval.best_possible if retrieval.best_possible else 0.0,
        "p_cover_sentence": share(own),
        "p_cover_context": share(context),
        "p_cover_article": share(doc),
        "p_worst_missing_sentence": worst_missing(context),
        "p_worst_missing_article": worst_missing(doc),
        "p_names_missing_article": float(sum(not covered(t.stem, doc) for t in proper)),
        "p_names_missing_sentence": float(sum(not covered(t.stem, context) for t in proper)),
        "p_countries_article": float(bool(countries) and countries <= article_countries),
        "p_countries_sentence": float(bool(countries) and countries <= sentence_countries),
        # Another country in the sentence, which does not name the question's: about someone else.
        "p_country_rival": float(bool(countries) and bool(rivals) and not countries <= sentence_countries),
        "p_country_absent": float(bool(countries - article_countries)),
        "p_number_missing": float(bool(numbers) and not numbers <= _numbers(passage.sentence)),
        "p_year_conflict": float(bool(years) and bool(sentence_years) and not years & sentence_years),
        "p_year_missing_article": float(bool(years) and not all(y in passage.doc_terms for y in years)),
        "p_newest": float(passage.published >= newest),
        "p_hedged": float(bool(_HEDGE.search(passage.sentence))),
        "p_negated": float(bool(_NEGATION.search(passage.sentence))),
        "p_anaphor": float(bool(passage.previous)),
        # Replaced by a newer article; an editor's fix is not news about the sentence.
        "p_replaced": float(bool(set(passage.replaced) - {f.id for f in passage.facts if f.correction})),
        "p_name_in_sentence": _name_in(intent, passage),
        "p_lede": float(passage.index == 0),
        "p_speaker_in_sentence": _speaker_in(intent, passage),
    }
    return out


def _share(intent: Intent, retrieval: Retrieval, pool: set[str] | frozenset[str]) -> float:
    """The idf-weighted share of the question's content words a pool of terms holds."""
    content = intent.content
    weights = [max((retrieval.idf.get(a, 1.0) for a in alternatives(t.stem)), default=1.0) for t in content]
    total = sum(weights) or 1.0
    return sum(w for t, w in zip(content, weights, strict=True) if covered(t.stem, pool)) / total


def _newer_as_good(
    passage: Passage | None, retrieval: Retrieval, coverage: dict[tuple[int, int], float]
) -> float:
    """1 when a newer article has a sentence matching the question as well: this one may be stale."""
    if passage is None:
        return 0.0
    mine = coverage.get((passage.document_id, passage.index), 0.0)
    return float(
        any(
            p.published > passage.published and coverage[(p.document_id, p.index)] >= mine - 1e-9
            for p in retrieval.passages
        )
    )


def _article_countries(passage: Passage) -> set[str]:
    return set(passage.doc_countries) | set(passage.countries)


def _name_in(intent: Intent, passage: Passage) -> float:
    if not intent.name_stems:
        return 0.0
    pool = passage.terms
    return sum(s in pool for s in intent.name_stems) / len(intent.name_stems)


def _speaker_in(intent: Intent, passage: Passage) -> float:
    if not intent.speaker:
        return 0.0
    stems = name_stems(intent.speaker)
    if not stems:
        return 0.0
    pool = passage.terms | index_terms(passage.before)
    return sum(s in pool for s in stems) / len(stems)


def _rule_features(candidate: Candidate) -> dict[str, float]:
    rule = candidate.rule
    assert rule is not None
    out = {f"r_path_{p}": float(rule.path == p) for p in _PATHS}
    best = rule.matches[0] if rule.matches else None
    out["r_match_score"] = min(best.score, 20.0) / 20 if best else 0.0
    out["r_strong"] = min(best.strong, 6) / 6 if best else 0.0
    out["r_missing"] = float(bool(best and best.missing))
    out["r_lines"] = min(len(rule.lines), 6) / 6
    out["r_typed"] = float(any(f.kind.value != "statement" for f in rule.facts))
    out["r_sources"] = min(len({f.document_id for f in rule.facts}), 3) / 3
    out["r_matches"] = min(len(rule.matches), 3) / 3
    out["r_long"] = float(sum(len(line) for line in rule.lines) > 300)
    return out


def _span_features(
    candidate: Candidate, intent: Intent, rules: Candidate | None, today: date
) -> dict[str, float]:
    out = {f"s_{kind}": float(candidate.kind == kind) for kind in _SPAN_KINDS}
    passage = candidate.passage
    sentence = passage.sentence if passage else ""
    out["s_rules_agree"] = float(rules is not None and _value_in(candidate, rules))
    out["s_rules_same_sentence"] = float(
        rules is not None
        and rules.passage is not None
        and passage is not None
        and (rules.passage.document_id, rules.passage.index) == (passage.document_id, passage.index)
    )
    out["s_typed"] = float(passage is not None and _typed_here(candidate, passage))
    if candidate.start >= 0 and sentence:
        before = sentence[: candidate.start]
        out["s_from_cue"] = float(bool(_FROM_BEFORE.search(before[-40:])))
        out["s_to_cue"] = float(bool(_TO_BEFORE.search(before[-25:])))
        out["s_in_quote"] = float(len(_QUOTE_MARK.findall(before)) % 2 == 1)
        out["s_position"] = candidate.start / max(len(sentence), 1)
        out["s_distance"] = _distance(sentence, candidate.start, candidate.end, intent)
        head = tuple(stem(h) for h in intent.head)  # "deadline" is kept whole in the head
        out["s_head_distance"] = _distance(sentence, candidate.start, candidate.end, intent, head)
    else:
        out.update(
            {
                "s_from_cue": 0.0,
                "s_to_cue": 0.0,
                "s_in_quote": 0.0,
                "s_position": 0.5,
                "s_distance": 0.0,
                "s_head_distance": 0.0,
            }
        )
    same = sum(1 for m in _spans_of_kind(sentence, candidate.kind)) if sentence else 1
    out["s_alone"] = 1.0 / max(same, 1)
    out["s_counted_follows"] = _counted_follows(candidate, intent, sentence)
    if candidate.when is not None:
        out["s_date_day"] = float(candidate.when.day is not None)
        out["s_date_ahead"] = float(passage is not None and candidate.when.last_day() >= passage.published)
        # The news itself ("announced on Monday") rarely answers when something starts or is due.
        out["s_date_news"] = float(
            passage is not None
            and passage.published - _NEWS_DAYS <= candidate.when.first_day() <= passage.published
        )
        out["s_date_past"] = float(candidate.when.last_day() < today)
    else:
        out["s_date_day"] = out["s_date_ahead"] = out["s_date_news"] = out["s_date_past"] = 0.0
    out["s_speaker_attributed"] = float(candidate.kind == "quote" and ":" in candidate.head.split("“")[0])
    out["s_head_words"] = min(len(candidate.head.split()), 30) / 30
    return out


def _value_in(candidate: Candidate, rules: Candidate) -> bool:
    return _value_within(candidate, " ".join(rules.lines).lower())


def _value_within(candidate: Candidate, text: str) -> bool:
    """True when a span's value (its numbers, else its first words) is in a lower-cased text."""
    value = candidate.head.lower()
    digits = _NUMBER.findall(value)
    if digits:
        return all(d in text for d in digits)
    return value[:40] in text


def _typed_here(candidate: Candidate, passage: Passage) -> bool:
    value = candidate.head.lower()
    digits = _NUMBER.findall(value)
    for fact in passage.facts:
        if fact.kind.value == "statement":
            continue
        fact_value = f"{fact.value} {fact.text}".lower()
        if digits and all(d in fact_value for d in digits):
            return True
        if not digits and value[:30] and value[:30] in fact_value:
            return True
    return False


def _distance(
    sentence: str, start: int, end: int, intent: Intent, among: tuple[str, ...] | None = None
) -> float:
    """How close the span sits to the question's words, or to `among`, in its sentence (1 beside one)."""
    stems = set(among) if among is not None else {t.stem for t in intent.content}
    best = None
    for m in _WORD.finditer(sentence):
        if m.start() >= start and m.end() <= end:
            continue
        if index_terms(m.group(0)) & stems:
            gap = start - m.end() if m.end() <= start else m.start() - end
            words = len(sentence[min(m.end(), end) : max(m.start(), start)].split()) if gap > 0 else 0
            best = words if best is None else min(best, words)
    return 0.0 if best is None else 1 / (1 + best)


def _spans_of_kind(sentence: str, kind: str) -> list[str]:
    if kind == "percent":
        return PERCENT.findall(sentence)
    if kind == "money":
        return MONEY.findall(sentence)
    if kind == "number":
        return _NUMBER.findall(sentence)
    return [sentence]


def _counted_follows(candidate: Candidate, intent: Intent, sentence: str) -> float:
    """For 'how many X': the span's own words or the few after it name X."""
    if not intent.counted or candidate.start < 0:
        return 0.0
    near = index_terms(sentence[candidate.start : candidate.end + 40])
    return float(any(covered(c, near) for c in intent.counted))
