"""Mentions of known people: the lower-case pre-check skips only sentences the name pattern cannot match."""

from __future__ import annotations

import pytest

from facts.extract.article import _People
from facts.extract.people import Person


def registry(*names: str) -> _People:
    """A people registry holding these full names, compiled."""
    people = _People()
    for name in names:
        people.add(Person(name))
    people.compile()
    return people


def pattern_mentions(people: _People, raw: str) -> list[tuple[int, str]]:
    """Mentions as the name pattern alone finds them, without any pre-check."""
    assert people._pattern is not None
    return [
        (m.start(), people._lookup[m.group(0).lower()])
        for m in people._pattern.finditer(raw)
        if raw[m.start()].isupper()
    ]


SENTENCES = [
    "Ana Torres said the talks would resume.",
    "TORRES declined to comment; Torres later spoke.",
    "Nobody named here spoke to reporters.",
    "torres in lower case is not a mention.",
    "José Núñez met Ana Torres in Madrid.",
    "Núñez and NÚÑEZ and núñez.",
]


@pytest.mark.parametrize("names", [("Ana Torres",), ("Ana Torres", "José Núñez")])
@pytest.mark.parametrize("raw", SENTENCES)
def test_mentions_equal_the_name_patterns_matches(names: tuple[str, ...], raw: str) -> None:
    people = registry(*names)
    assert people.mentions(raw) == pattern_mentions(people, raw)


def test_mentions_find_surnames_and_skip_sentences_without_names() -> None:
    people = registry("Ana Torres")
    assert people.mentions("TORRES declined to comment; Torres later spoke.") == [
        (0, "Ana Torres"),
        (28, "Ana Torres"),
    ]
    assert people.mentions("Nobody named here spoke to reporters.") == []
