"""A fetched web page as an article: its main text (trafilatura), title, published date and canonical URL."""

from __future__ import annotations

import codecs
import logging
import re
from datetime import date
from urllib.parse import urljoin, urlsplit

import trafilatura

from facts.ingest import IngestError, parse_date
from facts.models import NewDocument
from facts.web.fetch import Fetched

logger = logging.getLogger(__name__)

# Less main text than this is a page of links, a paywall or an error page, not an article.
MIN_ARTICLE_CHARS = 200
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# Charsets in which any byte sequence decodes, so a lie shows only as UTF-8 read byte by byte.
_SINGLE_BYTE = frozenset({"latin_1", "iso8859_1", "cp1252", "ascii"})
_LOOKS_LIKE_HTML = re.compile(r"<\s*(?:p|div|br|span|a|em|strong|b|i|h[1-6]|ul|ol|li|img|html|body)\b", re.I)


def page_document(
    fetched: Fetched, fallback_title: str | None = None, today: date | None = None
) -> NewDocument:
    """The main text of an HTML page (trafilatura) as an article: title, published date (trafilatura
    metadata / htmldate), canonical URL as its url. Raises IngestError (one line) when the page has no
    article text (or its declared charset does not match its bytes)."""
    html = decode_page(fetched)
    text = main_text(html, fetched.url)
    if len(text) < MIN_ARTICLE_CHARS:
        raise IngestError(f"{fetched.url}: no article text found on the page")
    day = today or date.today()
    # Only dates the page gives as its own (markup, URL), never one read from the text: an article's
    # "takes effect on July 1, 2026" is not its publication date. None after today either.
    dates = {"original_date": True, "extensive_search": False, "max_date": day.isoformat()}
    meta = trafilatura.extract_metadata(html, default_url=fetched.url, date_config=dates)
    title = _one_line(meta.title or "") or (fallback_title or "").strip() or fetched.url
    published, inferred = _published(meta.date, fetched.url, day)
    return NewDocument(
        title=title,
        published=published,
        body=text,
        url=canonical_url(meta.url, fetched.url),
        path=fetched.url,
        published_inferred=inferred,
    )


def document_from_text(
    url: str, title: str, published: date | None, text: str, today: date | None = None
) -> NewDocument:
    """An article from a feed entry's own content (HTML or text) when its page cannot be had."""
    body = _html_text(text) if _LOOKS_LIKE_HTML.search(text) else _paragraphs(text)
    if not body:
        raise IngestError(f"{url}: the entry has no article text")
    inferred = published is None
    day = published if published is not None else (today or date.today())
    return NewDocument(
        title=_one_line(title) or url,
        published=day,
        body=body,
        url=url,
        path=url,
        published_inferred=inferred,
    )


def decode_page(fetched: Fetched) -> str:
    """The page as text in the charset it declares (HTTP header, else <meta>), else UTF-8 or cp1252.

    A declared charset its bytes are not valid in is an IngestError: guessing would store mojibake.
    """
    raw = fetched.body
    declared = _declared_charset(fetched.content_type, raw)
    if declared is None:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")  # HTML's default for undeclared pages
    try:
        codec = codecs.lookup(declared).name.replace("-", "_")
    except LookupError:
        raise IngestError(f"{fetched.url}: the page declares an unknown charset {declared!r}") from None
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise IngestError(
            f"{fetched.url}: the page declares charset {declared} but its text is not {declared}"
        ) from None
    if codec in _SINGLE_BYTE and not raw.isascii():
        try:
            # Valid UTF-8 with non-ASCII bytes is all but never real Latin-1 text: the declaration is stale.
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return text


def main_text(html: str, url: str) -> str:
    """The article's own text as Markdown paragraphs: no menus, ads, related links, comments or scripts."""
    extracted = trafilatura.extract(
        html,
        url=url,
        output_format="markdown",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    return _paragraphs(extracted or "")


def canonical_url(declared: str | None, fetched_url: str) -> str:
    """The page's canonical URL when it gives an http(s) one, else the URL it was fetched from."""
    if declared:
        absolute = urljoin(fetched_url, declared.strip())
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.hostname:
            return absolute
    return fetched_url


def _published(found: str | None, name: str, today: date) -> tuple[date, bool]:
    """The published date found on the page, or today (marked inferred) when it has none or a wrong one."""
    if found:
        try:
            return parse_date(found[:10], name), False
        except IngestError as error:
            logger.info("ignoring the page's date: %s", error)
    return today, True


def _declared_charset(content_type: str, raw: bytes) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        return match.group(1)
    found = _META_CHARSET.search(raw[:4096])
    return found.group(1).decode("ascii") if found else None


def _html_text(html: str) -> str:
    wrapped = html if re.search(r"<\s*html\b", html, re.I) else f"<html><body>{html}</body></html>"
    extracted = trafilatura.extract(
        wrapped, output_format="markdown", include_comments=False, favor_recall=True
    ) or trafilatura.html2txt(wrapped)
    return _paragraphs(extracted or "")


def _paragraphs(text: str) -> str:
    """One blank line between the extractor's lines, so each line reads as its own paragraph."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(text.split())
