"""How much of what a person types the bot reads: one cut for questions and command arguments alike."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

MAX_TYPED = 500


def cut_typed(text: str) -> tuple[str, bool]:
    """The text cut to MAX_TYPED characters, and whether anything was cut off."""
    if len(text) <= MAX_TYPED:
        return text, False
    return text[:MAX_TYPED], True
