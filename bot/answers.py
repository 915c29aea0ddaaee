"""Render a Q&A answer as a neutral message: the answer's own text, its lines and its sources."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.messages import Message
from bot.text import citation


def render_answer(answer: Any, today: date) -> Message:
    """An 'answer' message with its sources, or a 'decline' offering the nearest topics.

    The Q&A's `text` already stands alone (lines, source and its age), so it is the message text as is;
    lines and citations carry the same content for adapters that render structure.
    """
    if not answer.answered:
        return Message(
            text=answer.text,
            kind="decline",
            lines=tuple(answer.lines),
            extra={"suggestions": list(answer.suggestions)},
        )
    citations = []
    seen = set()
    for source in answer.sources:
        key = (source.title, source.published, source.url)
        if key not in seen:
            seen.add(key)
            citations.append(citation(source, today))
    return Message(
        text=answer.text,
        kind="answer",
        lines=tuple([*answer.lines, *answer.notes]),
        citations=tuple(citations),
        extra={"citations_age": answer.citations_age},
    )
