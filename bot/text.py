"""Build neutral messages whose plain text stands alone: title, lines, fields and numbered sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.messages import Citation, Field, Message
from facts.countdown import age_in_words
from facts.models import Source


def citation(source: Source, today: date) -> Citation:
    """A message citation for a fact's source, aged from a given day."""
    return Citation(source.title, source.published, source.url, age_in_words(source.published, today))


def make_message(
    kind: str,
    title: str,
    lines: Sequence[str] = (),
    citations: Sequence[Citation] = (),
    fields: Sequence[Field] = (),
    ephemeral: bool = False,
    **extra: object,
) -> Message:
    """A message whose `text` renders everything for plain-text platforms (the console, notifications)."""
    parts = [title] if title else []
    parts.extend(f"• {line}" if kind not in ("help", "error") else line for line in lines)
    parts.extend(f"{f.label}: {f.value}" for f in fields)
    if len(citations) == 1:
        parts.append(f"Source: {citations[0].describe()}{_link(citations[0])}")
    elif citations:
        parts.append("Sources:")
        parts.extend(f"[{n}] {c.describe()}{_link(c)}" for n, c in enumerate(citations, 1))
    return Message(
        text="\n".join(parts),
        kind=kind,
        title=title,
        lines=tuple(lines),
        fields=tuple(fields),
        citations=tuple(citations),
        ephemeral=ephemeral,
        extra=dict(extra),
    )


def _link(citation: Citation) -> str:
    """' https://…' after a web source in plain text (the terminal has no links of its own), else ''."""
    return f" {citation.url}" if citation.url.lower().startswith(("http://", "https://")) else ""


class CitationList:
    """Numbers sources in order of first use so several lines can share one citation."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._index: dict[tuple[str, date, str], int] = {}
        self.items: list[Citation] = []

    def ref(self, source: Source | None) -> str:
        """' [n]' for a source (numbering new ones), or '' when a fact has none."""
        if source is None:
            return ""
        key = (source.title, source.published, source.url)
        if key not in self._index:
            self.items.append(citation(source, self.today))
            self._index[key] = len(self.items)
        return f" [{self._index[key]}]"

    def markers_needed(self) -> bool:
        """True when more than one source is cited (one source needs no numbers)."""
        return len(self.items) > 1
