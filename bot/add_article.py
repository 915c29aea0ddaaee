"""`add <link>` in chat: fetch one web article, ingest it, and say what it brought."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from bot.messages import Citation, Message
from bot.metrics import record_ingest, record_ingest_failure
from bot.text import make_message
from facts.ingest import IngestError, ingest_document
from facts.models import IngestResult, NewDocument
from facts.pipeline import WebPage, read_web_page
from facts.store import FactStore
from facts.topics import Taxonomy

logger = logging.getLogger(__name__)

# At most this many topics are named in the reply ("14 facts on tariffs, trade-talks").
MAX_TOPICS_NAMED = 4


def add_article(store: FactStore, url: str, allow: str, now: datetime, taxonomy: Taxonomy) -> Message:
    """Fetch and ingest one page; the reply names its title, date, facts and topics, or one error line."""
    try:
        document = read_web_page(WebPage(url, allow or None), now.date())
        result = ingest_document(store, document, taxonomy=taxonomy)
    except IngestError as error:
        record_ingest_failure()
        logger.debug("add %s: %s", url, error)
        return make_message("error", f"Could not add it: {error}", ephemeral=True)
    record_ingest(result.duplicate, len(result.added))
    return make_message(
        "info",
        added_line(document, result),
        citations=[Citation(document.title, document.published, document.url)],
    )


def added_line(document: NewDocument, result: IngestResult) -> str:
    """'Added “…” (published 2025-11-10): 14 facts on tariffs, trade-talks', or why nothing changed."""
    when = (
        "no published date, so dated today"
        if document.published_inferred
        else f"published {document.published.isoformat()}"
    )
    if result.duplicate:
        return f"Already have “{document.title}” ({when}); nothing changed."
    counts = Counter(topic for fact in result.added for topic in fact.topics)
    topics = [topic for topic, _ in counts.most_common(MAX_TOPICS_NAMED)]
    facts = "1 fact" if len(result.added) == 1 else f"{len(result.added)} facts"
    on = f" on {', '.join(topics)}" if topics else ""
    replaced = f" ({len(result.superseded)} replace older facts)" if result.superseded else ""
    return f"Added “{document.title}” ({when}): {facts}{on}{replaced}."
