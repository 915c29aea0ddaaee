"""Which article URLs may become links in a chat: http(s) only, as a link target no platform misreads."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

logger = logging.getLogger(__name__)

# Characters a URL may keep as they are; anything else (spaces, quotes, <, >, |, controls) is
# percent-encoded, so no platform's link syntax can be closed or extended from inside the URL.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"
MAX_URL = 2048


def link_target(url: str) -> str | None:
    """The URL to link to, or None when it is not an http(s) URL with a host (javascript:, data:, …)."""
    if not url or len(url) > MAX_URL:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url.strip(), safe=_URL_SAFE)
