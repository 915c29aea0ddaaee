"""Numbers written in words, read as digits ("twenty per cent" -> "20 per cent"), with text2num."""

from __future__ import annotations

import re
from functools import lru_cache

# "1.2 billion" already has its digits: text2num would turn the scale word alone into "1000000000".
_SCALED = re.compile(r"(\d)(\s+)(thousand|million|billion|trillion)\b", re.I)
_ANY_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
    r"|million|billion)\b",
    re.I,
)


@lru_cache(maxsize=4096)
def digits_for_words(text: str) -> str:
    """The text with its spelled-out numbers as digits; text without number words comes back as it is."""
    if not _ANY_NUMBER_WORD.search(text):
        return text
    from text_to_num import alpha2digit  # a compiled library: loaded only for text that needs it

    # A zero-width space inside the scale word hides it from text2num, and goes again afterwards.
    guarded = _SCALED.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)[0]}\u200b{m.group(3)[1:]}", text)
    return alpha2digit(guarded, "en").replace("\u200b", "")
