"""Render a Q&A answer as a neutral message: the answer's own text, its lines and its sources."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.messages import Message, Passage
from bot.text import citation


def render_answer(answer: Any, today: date) -> Message:
    """An 'answer' message with its sources, or a 'decline' with the closest passages (or nearest topics).

    Each part goes in once: `text` is the Q&A's own plain answer (lines, "Source:" line, notes) for the
    console and notification fallbacks; rich renderers (Slack blocks, Discord embeds) show `lines` and
    `citations` instead, so the answer carries no title: a title holding the text would repeat it all.
    """
    notes = tuple(f"Note: {note}." for note in answer.notes)
    if not answer.answered and answer.related:
        # The closest passages go as their own part: a context block in Slack, an embed field in Discord.
        related = tuple(Passage(r.sentence, r.title, r.published, r.url) for r in answer.related)
        lead = answer.text.split(". Closest passages", 1)[0].rstrip(".") + "."
        return Message(text=answer.text, kind="decline", lines=(lead, *notes), related=related)
    if not answer.answered:
        return Message(
            text=answer.text,
            kind="decline",
            title="",
            lines=(),  # a refusal is one sentence (with its notes): renderers show `text` as it is
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
        title="",
        lines=(*answer.lines, *notes),
        citations=tuple(citations),
        extra={"citations_age": answer.citations_age},
    )
