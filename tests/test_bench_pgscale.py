"""The `--pg-only` benchmark: a real PostgreSQL store grown through two sizes and its report."""

from __future__ import annotations

import pytest

from benchmarks import pgscale
from benchmarks.__main__ import main
from benchmarks.asking import question_mix


def test_grows_one_store_through_the_sizes_and_reports_each(pg_url: str) -> None:
    logged: list[str] = []
    run = pgscale.run(pg_url, [20, 50], question_mix()[:4], seed=7, rounds=1, log=logged.append)

    assert [size.articles for size in run.sizes] == [20, 50]
    assert [size.ingest.articles for size in run.sizes] == [20, 30]  # the second size only adds articles
    assert run.sizes[1].database_bytes > run.sizes[0].database_bytes > 0
    assert all(size.peak_rss_mb > 10 for size in run.sizes)
    assert all(len(size.ask.latencies_ms) == 4 for size in run.sizes)
    table = run.markdown()
    assert "| measure | PostgreSQL 20 | PostgreSQL 50 |" in table
    assert "Growth 20 → 50 articles" in table
    assert logged[0] == "ingest 0..20 into PostgreSQL"


def test_pg_only_and_no_pg_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pg-only", "--no-pg", "--sizes", "10"]) == 2
    assert "contradict" in capsys.readouterr().err
