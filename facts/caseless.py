"""Case-insensitive matching without `re.I`: lower the text once, then run case-sensitive patterns."""

from __future__ import annotations

import re

# Characters that match an ASCII letter under `re.I` although str.lower() does not give that letter
# (dotless i, long s, dotted capital I). Every other character lowers to exactly one character of the
# same class (\w, \s, \d), to an ASCII letter or digit only when `re.I` matches it to that letter or
# digit, and to ', ’, -, . or a line break only when it is that character (checked over all of Unicode).
_UNLOWERED = "ıſİ"
# Non-ASCII characters a caseless pattern may hold: each matches only itself, before and after lowering.
_UNCASED = frozenset("’")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")
# An upper-case letter that is neither an escape (\S, \W) nor the P of a named group.
_UPPER_LITERAL = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]")


def lower(text: str) -> str | None:
    """text.lower(), index for index, when `caseless` patterns find in it what `re.I` finds in text."""
    if not text.isascii() and any(c in text for c in _UNLOWERED):
        return None
    return text.lower()


def can_rewrite(pattern: re.Pattern[str]) -> bool:
    """Whether `caseless` can rewrite a pattern: `re.I`, lower-case ASCII, no inline flags."""
    source = pattern.pattern
    return (
        bool(pattern.flags & re.I)
        and all(c.isascii() or c in _UNCASED for c in source)
        and not _INLINE_FLAGS.search(source)
        and not _UPPER_LITERAL.search(source)
    )


def caseless(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The `re.I` pattern without the flag: run on `lower(text)`, it matches the spans it matched in text."""
    if not can_rewrite(pattern):
        raise ValueError(f"not a pattern caseless can rewrite: {pattern.pattern!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.I)
