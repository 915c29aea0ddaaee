"""Render a Q&A answer as a neutral message: the answer, its lines, notes and sources."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.messages import Message
from bot.text import citation, make_message


def render_answer(answer: Any, today: date) -> Message:
    """An 'answer' message with its sources, or a 'decline' offering the nearest topics."""
    lines = [*answer.lines, *answer.notes]
    if not answer.answered:
        if answer.suggestions:
            lines.append("Try: " + ", ".join(answer.suggestions))
        return make_message("decline", answer.text, lines)
    citations = []
    seen = set()
    for source in answer.sources:
        key = (source.title, source.published, source.url)
        if key not in seen:
            seen.add(key)
            citations.append(citation(source, today))
    return make_message("answer", answer.text, lines, citations)
