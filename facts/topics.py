"""The editable topic taxonomy (topic -> aliases) and the matching of text to topics."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from facts.caseless import can_rewrite, caseless, lower


class TaxonomyError(ValueError):
    """The taxonomy file is not a mapping of topic names to lists of aliases."""


@dataclass(frozen=True)
class Taxonomy:
    """Topics and the compiled patterns that recognise them."""

    patterns: dict[str, re.Pattern[str]]
    # Per topic, lower-case words one of which every match contains; a topic missing here is always searched.
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _pairs: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    _unanchored: frozenset[str] = field(init=False, repr=False, compare=False)
    _caseless: dict[str, re.Pattern[str]] = field(init=False, repr=False, compare=False)
    # Per run of letters and digits met so far, the topics with an anchor word inside it.
    _by_run: dict[str, frozenset[str]] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = tuple((w, name) for name in self.patterns for w in self.anchors.get(name, ()))
        object.__setattr__(self, "_pairs", pairs)
        # None when an anchor holds other characters (only a hand-built taxonomy's can): test each then.
        object.__setattr__(self, "_by_run", {} if all(_ANCHOR.fullmatch(w) for w, _ in pairs) else None)
        object.__setattr__(self, "_unanchored", frozenset(n for n in self.patterns if n not in self.anchors))
        rewritten = {n: caseless(p) for n, p in self.patterns.items() if can_rewrite(p)}
        object.__setattr__(self, "_caseless", rewritten)

    @property
    def names(self) -> list[str]:
        """Topic names in file order."""
        return list(self.patterns)

    def topics_for(self, text: str) -> tuple[str, ...]:
        """The topics whose aliases occur in a text, in taxonomy order."""
        low = lower(text)
        return self._ordered(self._found(text, low, self._candidates(low)))

    def topics_for_facts(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
        """`topics_for(f"{sentence} {text}")` for each (sentence, text) pair, searching each sentence once.

        A match inside the sentence alone is a match in the joined text (the joining space looks to
        `\\b` like the end of the string), so a sentence's own topics hold for all its facts; the other
        candidates, from the fact's text or unconfirmed in the sentence, are searched in the joined text.
        """
        by_sentence: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        out: list[tuple[str, ...]] = []
        for sentence, text in pairs:
            known = by_sentence.get(sentence)
            if known is None:
                low = lower(sentence)
                maybe = self._candidates(low)
                known = by_sentence[sentence] = (maybe, frozenset(self._found(sentence, low, maybe)))
            maybe, found = known
            # A text inside its sentence (as a statement's is) has no anchor word the sentence lacks.
            rest = (maybe if text in sentence else maybe | self._candidates(lower(text))) - found
            if rest:
                joined = f"{sentence} {text}"
                found = found | self._found(joined, lower(joined), rest)
            out.append(self._ordered(found))
        return out

    def _candidates(self, low: str | None) -> frozenset[str]:
        """Topics that may occur in a text, given its `lower`: those with an anchor word in it or none."""
        if low is None:
            return frozenset(self.patterns)
        # A substring test is far cheaper than a case-insensitive search, and rules most topics out.
        # Anchor words are letters and digits, so each lies inside one run of them: the runs' own
        # anchors, looked up once per distinct run, are the text's.
        by_run = self._by_run
        if by_run is None:
            return self._unanchored.union([name for word, name in self._pairs if word in low])
        if len(by_run) > _RUNS_KEPT:
            by_run.clear()
        found: set[str] = set()
        for run in set(_ANCHOR.findall(low)):
            names = by_run.get(run)
            if names is None:
                names = by_run[run] = frozenset(name for word, name in self._pairs if word in run)
            if names:
                found |= names
        return self._unanchored.union(found)

    def _found(self, text: str, low: str | None, names: Iterable[str]) -> set[str]:
        """Those of `names` whose pattern occurs in a text (searched in its `lower` where that is exact)."""
        found = set()
        for name in names:
            rewritten = self._caseless.get(name)
            if rewritten is not None and low is not None:
                if rewritten.search(low):
                    found.add(name)
            elif self.patterns[name].search(text):
                found.add(name)
        return found

    def _ordered(self, names: AbstractSet[str]) -> tuple[str, ...]:
        """Topic names in taxonomy order."""
        return tuple(name for name in self.patterns if name in names) if names else ()


_ANCHOR = re.compile(r"[a-z0-9]+")
_RUNS_KEPT = 200_000  # distinct words whose anchors are remembered (a few MB); past it, start again


def _anchor(alias: str) -> str | None:
    """The alias's first word when it is plain ASCII (what `str.lower` and `re.I` agree on), else None."""
    first = re.split(r"[ -]", alias.strip().lower().rstrip("*"), maxsplit=1)[0]
    return first if _ANCHOR.fullmatch(first) else None


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
    anchors: dict[str, tuple[str, ...]] = {}
    for name, aliases in data.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            raise TaxonomyError(f"topic name {name!r} must be lower-case letters, digits and dashes")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise TaxonomyError(f"topic {name!r} needs a list of aliases")
        alternatives = [_alias_pattern(name.replace("-", " "))] + [_alias_pattern(a) for a in aliases]
        patterns[name] = re.compile("|".join(alternatives), re.IGNORECASE)
        words = [_anchor(a) for a in [name.replace("-", " "), *aliases]]
        if all(words):
            unique = set(filter(None, words))
            # "tariff" is in every text "tariffs" is in: test the shorter word only.
            anchors[name] = tuple(sorted(w for w in unique if not any(v != w and v in w for v in unique)))
    return Taxonomy(patterns, anchors)


@lru_cache(maxsize=8)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy from a file, or the one shipped with briefbot."""
    if path:
        return parse_taxonomy(Path(path).read_text(encoding="utf-8"))
    return parse_taxonomy(resources.files("facts").joinpath("topics.yaml").read_text(encoding="utf-8"))
