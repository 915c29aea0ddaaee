"""Messages to and from JSON, so the deliveries ledger keeps exactly what a retry must resend."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.messages import Citation, Field, Message


def message_to_json(message: Message) -> dict[str, Any]:
    """A JSON-safe dict of a message (extra values must be JSON-safe already)."""
    return {
        "text": message.text,
        "kind": message.kind,
        "title": message.title,
        "lines": list(message.lines),
        "fields": [[f.label, f.value] for f in message.fields],
        "citations": [[c.title, c.published.isoformat(), c.url, c.age_note] for c in message.citations],
        "ephemeral": message.ephemeral,
        "in_thread": message.in_thread,
        "extra": dict(message.extra),
    }


def message_from_json(data: dict[str, Any]) -> Message:
    """The message a dict from `message_to_json` describes."""
    return Message(
        text=data["text"],
        kind=data.get("kind", "info"),
        title=data.get("title", ""),
        lines=tuple(data.get("lines", ())),
        fields=tuple(Field(label, value) for label, value in data.get("fields", ())),
        citations=tuple(
            Citation(title, date.fromisoformat(published), url, age)
            for title, published, url, age in data.get("citations", ())
        ),
        ephemeral=bool(data.get("ephemeral", False)),
        in_thread=bool(data.get("in_thread", False)),
        extra=dict(data.get("extra", {})),
    )
