"""The editable topic taxonomy (topic -> aliases) and the matching of text to topics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


class TaxonomyError(ValueError):
    """The taxonomy file is not a mapping of topic names to lists of aliases."""


@dataclass(frozen=True)
class Taxonomy:
    """Topics and the compiled patterns that recognise them."""

    patterns: dict[str, re.Pattern[str]]

    @property
    def names(self) -> list[str]:
        """Topic names in file order."""
        return list(self.patterns)

    def topics_for(self, text: str) -> tuple[str, ...]:
        """The topics whose aliases occur in a text, in taxonomy order."""
        return tuple(name for name, pattern in self.patterns.items() if pattern.search(text))


def _alias_pattern(alias: str) -> str:
    alias = alias.strip().lower()
    wildcard = alias.endswith("*")
    body = re.escape(alias.rstrip("*")).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
    return rf"\b{body}" + (r"[\w'’-]*" if wildcard else r"\b")


def parse_taxonomy(text: str) -> Taxonomy:
    """Build a taxonomy from YAML text; raises TaxonomyError on a malformed file."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not data:
        raise TaxonomyError("topics file must map topic names to lists of aliases")
    patterns: dict[str, re.Pattern[str]] = {}
    for name, aliases in data.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            raise TaxonomyError(f"topic name {name!r} must be lower-case letters, digits and dashes")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise TaxonomyError(f"topic {name!r} needs a list of aliases")
        alternatives = [_alias_pattern(name.replace("-", " "))] + [_alias_pattern(a) for a in aliases]
        patterns[name] = re.compile("|".join(alternatives), re.IGNORECASE)
    return Taxonomy(patterns)


@lru_cache(maxsize=8)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy from a file, or the one shipped with briefbot."""
    if path:
        return parse_taxonomy(Path(path).read_text(encoding="utf-8"))
    return parse_taxonomy(resources.files("facts").joinpath("topics.yaml").read_text(encoding="utf-8"))
