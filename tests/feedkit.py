"""Helpers for the feed tests: RSS and Atom documents, article pages, and a real HTTP site on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

TARIFF_TEXT = (
    "Washington raised the tariff on Chinese steel to 50% on Monday, the Commerce Department said. "
    "Officials said the new rate takes effect on October 1, 2025, and will stay in force until talks resume. "
    "Trade negotiators from both sides are due to meet in Geneva on October 20, 2025, to discuss the duties. "
    "Beijing called the move a violation of the truce agreed in Madrid and promised a measured response. "
    "Analysts said the tariffs would raise costs for carmakers and builders across the United States."
)


@dataclass(frozen=True)
class Item:
    """One entry of a test feed."""

    guid: str
    title: str
    link: str
    published: datetime
    summary: str = ""


def rss(items: list[Item], title: str = "Trade wire") -> bytes:
    """An RSS 2.0 document."""
    parts = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
    ]
    parts.append("<link>https://trade.example/</link><description>Trade news</description>")
    for item in items:
        parts.append(
            f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f'<guid isPermaLink="false">{escape(item.guid)}</guid>'
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<description>{escape(item.summary)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def atom(items: list[Item], title: str = "Trade atom") -> bytes:
    """An Atom 1.0 document."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:feed</id><updated>2025-09-16T00:00:00Z</updated>"
    ]
    for item in items:
        stamp = item.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append(
            f"<entry><title>{escape(item.title)}</title><id>{escape(item.guid)}</id>"
            f'<link rel="alternate" href="{escape(item.link)}"/><updated>{stamp}</updated>'
            f"<published>{stamp}</published>"
            f'<content type="html">{escape(item.summary)}</content></entry>'
        )
    parts.append("</feed>")
    return "".join(parts).encode()


def article_page(title: str, text: str, published: str = "2025-09-16") -> bytes:
    """A realistic news page: the article inside navigation, related links, comments and a script."""
    paragraphs = "".join(f"<p>{escape(s.strip())}.</p>" for s in text.split(". ") if s.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{published}T08:00:00+00:00">
<script>window.ads = ["buy now"];</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
<main><article><h1>{escape(title)}</h1><p class="byline">By A. Reporter, {published}</p>{paragraphs}</article></main>
<aside><h2>Related</h2><ul><li><a href="/x">Ten things about ports</a></li></ul></aside>
<section class="comments"><p>Great article!! Visit my site.</p></section>
<footer>Copyright Trade Example</footer></body></html>""".encode()


@dataclass
class Route:
    """What the site answers on one path; an `etag` makes it answer 304 to a matching If-None-Match."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: datetime | None = None


@dataclass
class Site:
    """A real HTTP server on 127.0.0.1 serving the routes it is given, recording every request."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.requests.append((self.path, headers))
            route = site.routes.get(self.path)
            if route is None:
                self._send(404, b"not found", "text/plain")
                return
            if route.etag and headers.get("if-none-match") == route.etag:
                self._send(304, b"", "", route)
                return
            if route.last_modified and headers.get("if-modified-since") == format_datetime(
                route.last_modified, usegmt=True
            ):
                self._send(304, b"", "", route)
                return
            self._send(route.status, route.body, route.content_type, route)

        def _send(self, status: int, body: bytes, content_type: str, route: Route | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if route is not None and route.etag:
                self.send_header("ETag", route.etag)
            if route is not None and route.last_modified:
                self.send_header("Last-Modified", format_datetime(route.last_modified, usegmt=True))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Run the site on a free loopback port until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.port = server.server_address[1]
    site.routes.setdefault("/robots.txt", Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


class FakeTime:
    """A wall clock that only `sleep` moves: the pacing between requests is checked without sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)
