"""The place tables' cache: built once, read back the same, rebuilt when unreadable, optional when unwritable."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from facts import geo, geo_cache


@pytest.fixture
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The cache folder moved to a temporary one, and the tables of this process forgotten."""
    monkeypatch.setattr(geo_cache, "cache_dir", lambda: tmp_path / "cache")
    geo._tables.cache_clear()
    yield tmp_path / "cache"
    geo._tables.cache_clear()


def test_tables_read_from_the_cache_equal_the_built_ones(cache_in: Path) -> None:
    built = geo._build_tables()
    first = geo._tables()
    assert list(cache_in.glob("places-*.marshal"))
    geo._tables.cache_clear()
    again = geo._tables()
    assert first == built and again == built
    assert list(again[1].items())[:50] == list(built[1].items())[:50]  # order too
    assert (
        geo.place_of("Mexico City") == ("Mexico City", "city") and geo.country_of("U.S.") == "united states"
    )


def test_a_corrupt_cache_file_is_built_again(cache_in: Path, caplog: pytest.LogCaptureFixture) -> None:
    geo._tables()
    (path,) = cache_in.glob("places-*.marshal")
    path.write_bytes(b"\x00not marshal")
    geo._tables.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert geo._tables() == geo._build_tables()
    assert "unreadable" in caplog.text
    geo._tables.cache_clear()
    assert geo._tables() == geo._build_tables()


def test_an_unwritable_cache_folder_still_gives_the_tables(cache_in: Path) -> None:
    cache_in.parent.joinpath("cache").write_text("a file where the folder should be")
    assert geo._tables() == geo._build_tables()


def test_the_key_changes_with_the_code_that_builds_the_tables(tmp_path: Path) -> None:
    source = tmp_path / "geo.py"
    source.write_text("A = 1\n")
    before = geo_cache.table_key(source)
    source.write_text("A = 2\n")
    assert geo_cache.table_key(source) != before
