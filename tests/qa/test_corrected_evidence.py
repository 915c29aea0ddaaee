"""An editor's fix keeps the evidence the model judges the fixed value by."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from facts.corrections import Corrections
from facts.ingest import Overrides, ingest_document, parse_document
from facts.models import Kind
from facts.qa import consider
from facts.store import FactStore

ARTICLE = """\
WASHINGTON — The United States will keep tariffs on Chinese goods at 30% while talks continue, officials said.

China has imposed 10% on American exports, and the two sides meet again in October.
"""
QUESTION = "What's the US tariff on Chinese goods?"
NOW = datetime(2025, 9, 16, 12, tzinfo=UTC)


def _rules_features(store: FactStore) -> dict[str, float]:
    considered = consider(store, QUESTION, NOW)
    assert considered is not None
    [rules] = [c for c in considered.candidates if c.source == "rules"]
    return rules.features


def test_a_fixed_value_is_judged_where_the_value_it_replaced_was_read(tmp_path: Path) -> None:
    store = FactStore.open(f"sqlite:///{tmp_path / 'fix.db'}")
    raw = f'---\ntitle: "Tariffs stay"\npublished: 2025-09-15\n---\n{ARTICLE}'.encode()
    ingest_document(store, parse_document(raw, "tariffs.md", Overrides(), date(2025, 1, 1)))
    before = _rules_features(store)
    [rate] = [f for f in store.facts(kinds=[Kind.RATE]) if f.value == "30%"]
    Corrections(store).fix(rate.id, "35%", "alice", "misread", NOW)
    after = _rules_features(store)
    store.close()

    # The fixed 35% is in no sentence: the span of the 30% it replaced tells where it stands, and a fix is
    # not a newer article replacing the sentence's fact.
    assert before["r_span_agrees"] == after["r_span_agrees"] == 1.0
    assert after["p_replaced"] == 0.0
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed <= {"r_s_typed"}, changed
