"""Front matter read by libyaml's parser says and accepts what PyYAML's own parser did."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from facts.ingest import IngestError, Overrides, parse_document

TODAY = date(2026, 11, 26)


def _pure_python_reason(front: str) -> str:
    """The first line of the error PyYAML's pure-Python SafeLoader gives for this front matter."""
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.load(front, Loader=yaml.SafeLoader)
    return str(raised.value).splitlines()[0]


@pytest.mark.parametrize(
    "front",
    [
        "title: a: b",  # libyaml words this one otherwise ("... not allowed in this context")
        "title: [unclosed",
        'title: "unclosed',
    ],
)
def test_broken_front_matter_is_reported_in_the_same_words(front: str) -> None:
    with pytest.raises(IngestError) as raised:
        parse_document(f"---\n{front}\n---\nText.\n".encode(), "a.md", Overrides(), TODAY)
    assert str(raised.value) == f"a.md: broken front matter ({_pure_python_reason(front)})"


def test_front_matter_fields_and_dates_read_as_before() -> None:
    raw = "---\ntitle: Tariffs 'rise'\npublished: 2025-06-01\nurl: https://example.test/a\n---\nBody text.\n"
    document = parse_document(raw.encode(), "a.md", Overrides(), TODAY)
    assert (document.title, document.published, document.url) == (
        "Tariffs 'rise'",
        date(2025, 6, 1),
        "https://example.test/a",
    )
    with pytest.raises(IngestError, match=r"published date '2025-13-45' is not a real date"):
        parse_document(b"---\npublished: 2025-13-45\n---\nBody.\n", "a.md", Overrides(), TODAY)
