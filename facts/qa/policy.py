"""Which fallbacks of the rules are on: each trades false answers for recall, measured apart (ablation)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Policy:
    """Switches for the fallbacks that let a passage clear the bar without its own sentence saying it all."""

    doc_words: bool = True  # a non-strict question word found elsewhere in the article, at low weight
    title_names: bool = True  # a name found in the title or all through the article ("the company")
    title_countries: bool = True  # a sentence naming no country (or one of a pair) takes the title's
    previous_sentence: bool = True  # a sentence opening "such/this/it …" takes the words of the one before
    previous_value: bool = True  # "the rate applies to …" takes the rate of the sentence before
    title_goods: bool = True  # a rate sentence takes the product the title names
    acronyms: bool = True  # an acronym the article spells out matches its head word in the sentence
    mentions: bool = True  # 'who is X' without a role on record: a sentence introducing X
    place_spans: bool = True  # places after for/to/from that the extractor did not read


def switches() -> list[str]:
    """The names of the policy's switches."""
    return [f.name for f in fields(Policy)]
