"""Fetching one URL safely: http(s) only, no internal addresses, bounded in time, size and redirects.

The guard works after DNS resolution and on every hop: each hop's host is resolved here, every address
it resolves to is checked, and the connection goes to the checked address itself (the Host header and
TLS name stay the host's), so neither a redirect nor a second, different DNS answer reaches an internal
host. Redirects are followed here, never by httpx.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from urllib.parse import urljoin, urlsplit

import httpx

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/feed+json",
)
ALLOW_VARIABLE = "BRIEFBOT_FETCH_ALLOW"
CONNECT_SECONDS = 5.0
TOTAL_SECONDS = 20.0
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
PROJECT_URL = "https://github.com/briefbot/briefbot"
ROBOTS_MAX_BYTES = 500_000
# robots.txt is read once per site and kept this long, so polling a feed does not fetch it every time.
ROBOTS_TTL_SECONDS = 3600.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Fetched:
    """One successful answer: the final URL after redirects, and the body (empty for a 304)."""

    url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None
    last_modified: str | None


class FetchError(Exception):
    """A fetch that failed, as one line (str(error)); `kind` names the failure for metrics.

    Kinds: refused (scheme or address not allowed), timeout, connect, status, too-large, content-type,
    robots, redirects, invalid.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@cache
def user_agent() -> str:
    """The User-Agent every request sends: briefbot, its version and its project URL."""
    try:
        version = metadata.version("briefbot")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"briefbot/{version} (+{PROJECT_URL})"


@dataclass(frozen=True)
class AddressPolicy:
    """Internal hosts that may be fetched after all: named hosts and address ranges (the allow-list)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AddressPolicy:
        """Read 'intranet.local,10.0.0.0/8,127.0.0.1'; raises ValueError naming a malformed entry."""
        hosts: set[str] = set()
        networks: list[Network] = []
        for raw in text.split(","):
            entry = raw.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            name = entry.lower().rstrip(".")
            if "/" in name or not name or any(c.isspace() for c in name):
                raise ValueError(f"{entry!r} is neither a host name, an address nor a CIDR range")
            hosts.add(name)
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: Address) -> bool:
        """True when this address may be reached for this host: public, or allowed by name or range."""
        if host.lower().rstrip(".") in self.hosts:
            return True
        if any(address in network for network in self.networks if network.version == address.version):
            return True
        return is_public(address)


def is_public(address: Address) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (an address resolves to itself)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def policy_from(allow: str | None) -> AddressPolicy:
    """The allow-list given, else BRIEFBOT_FETCH_ALLOW; a malformed one is an 'invalid' FetchError."""
    text = os.environ.get(ALLOW_VARIABLE, "") if allow is None else allow
    try:
        return AddressPolicy.parse(text)
    except ValueError as error:
        raise FetchError("invalid", f"{ALLOW_VARIABLE}: {error}") from None


def fetch(
    url: str,
    *,
    accept: Sequence[str] = HTML_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
    allow: str | None = None,
    connect_seconds: float = CONNECT_SECONDS,
    total_seconds: float = TOTAL_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET one URL safely; raises FetchError with one line.

    Only http/https; private/loopback/link-local/multicast addresses are refused after DNS resolution
    and on every redirect unless allowed by `allow` (default: BRIEFBOT_FETCH_ALLOW); connect timeout
    5 s, total 20 s, at most 5 MB, at most 5 redirects, robots.txt respected, User-Agent
    'briefbot/<version> (+<project url>)'. `accept` lists the content types taken (empty: any).
    """
    policy = policy_from(allow)
    session = _Session(policy, total_seconds, connect_seconds, max_bytes)
    conditional: dict[str, str] = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    with session:
        return session.get(url, accept, conditional, check_robots=True)


class _Session:
    """One fetch's client, deadline and limits, shared by its hops and its robots.txt request."""

    def __init__(
        self, policy: AddressPolicy, total_seconds: float, connect_seconds: float, max_bytes: int
    ) -> None:
        self.policy = policy
        self.total_seconds = total_seconds
        self.deadline = time.monotonic() + total_seconds
        self.connect_seconds = connect_seconds
        self.max_bytes = max_bytes
        # No keep-alive: connections go to checked addresses, and a pooled one must never serve another
        # host's request. No proxies from the environment: they would connect to hosts unchecked.
        self.client = httpx.Client(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def get(self, url: str, accept: Sequence[str], headers: dict[str, str], *, check_robots: bool) -> Fetched:
        """Follow up to MAX_REDIRECTS redirects, checking every hop; the final answer or FetchError."""
        current = url
        seen = {url}
        for _hop in range(MAX_REDIRECTS + 1):
            target = _Target.of(current)
            addresses = self.checked_addresses(target)
            if check_robots and not self.robots_allow(target):
                raise FetchError("robots", f"{current}: robots.txt does not allow briefbot to fetch it")
            status, response_headers, body, reason = self.send(target, addresses, accept, headers)
            if status in _REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise FetchError("invalid", f"{current}: redirect ({status}) without a Location")
                following = urljoin(current, location.strip())
                if following in seen:
                    raise FetchError("redirects", f"{url}: redirect loop (back to {following})")
                seen.add(following)
                current = following
                continue
            return self.answer(target, status, reason, response_headers, body, accept)
        raise FetchError("redirects", f"{url}: more than {MAX_REDIRECTS} redirects")

    def answer(
        self,
        target: _Target,
        status: int,
        reason: str,
        headers: httpx.Headers,
        body: bytes,
        accept: Sequence[str],
    ) -> Fetched:
        """A final (non-redirect) answer as Fetched, or FetchError for a bad status or content type."""
        etag, modified = headers.get("etag"), headers.get("last-modified")
        if status == 304:
            return Fetched(target.url, 304, "", b"", etag, modified)
        if not 200 <= status < 300:
            raise FetchError("status", f"{target.url}: the server answered {status} {reason}".rstrip())
        content_type = headers.get("content-type", "")
        if accept and _media_type(content_type) not in {a.lower() for a in accept}:
            shown = _media_type(content_type) or "no content type"
            raise FetchError("content-type", f"{target.url}: not a web page or feed ({shown})")
        return Fetched(target.url, status, content_type, body, etag, modified)

    def remaining(self, url: str) -> float:
        """Seconds left of the whole fetch; FetchError once none are."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FetchError("timeout", f"{url}: no complete answer within {self.total_seconds:g} s")
        return left

    def send(
        self, target: _Target, addresses: list[str], accept: Sequence[str], headers: dict[str, str]
    ) -> tuple[int, httpx.Headers, bytes, str]:
        """One request to the target's checked addresses: status, headers, body (bounded) and reason."""
        last_error: FetchError | None = None
        for address in addresses:
            try:
                return self.send_to(target, address, accept, headers)
            except FetchError as error:
                if error.kind != "connect":
                    raise
                last_error = error  # another address of the same host may answer
        assert last_error is not None
        raise last_error

    def checked_addresses(self, target: _Target) -> list[str]:
        """The target host's addresses, all of them allowed; FetchError('refused') if any is not."""
        try:
            found = resolve(target.host, target.port)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchError("connect", f"{target.url}: cannot resolve {target.host} ({error})") from None
        if not found:
            raise FetchError("connect", f"{target.url}: {target.host} has no address")
        for text in found:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not self.policy.allows(target.host, address):
                raise FetchError(
                    "refused",
                    f"{target.url}: refused, {target.host} resolves to the internal address {address}"
                    f" (allow it with {ALLOW_VARIABLE})",
                )
        return found

    def send_to(
        self, target: _Target, address: str, accept: Sequence[str], headers: dict[str, str]
    ) -> tuple[int, httpx.Headers, bytes, str]:
        """One request pinned to one checked address."""
        left = self.remaining(target.url)
        timeout = httpx.Timeout(left, connect=min(self.connect_seconds, left))
        request_headers = {"Host": target.netloc, **headers}
        if accept:
            request_headers["Accept"] = ", ".join([*accept, "*/*;q=0.1"])
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        pinned = httpx.URL(target.url).copy_with(host=address.split("%", 1)[0])
        request = self.client.build_request(
            "GET", pinned, headers=request_headers, timeout=timeout, extensions=extensions
        )
        try:
            response = self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError(
                "timeout", f"{target.url}: no answer in time (the server is too slow or silent)"
            ) from None
        except httpx.ConnectError as error:
            raise FetchError("connect", f"{target.url}: cannot connect ({_first_line(error)})") from None
        except httpx.HTTPError as error:
            raise FetchError("invalid", f"{target.url}: broken answer ({_first_line(error)})") from None
        try:
            body = b"" if response.status_code in _REDIRECTS else self.read_body(target.url, response)
        finally:
            response.close()
        return response.status_code, response.headers, body, response.reason_phrase

    def read_body(self, url: str, response: httpx.Response) -> bytes:
        """The body, at most max_bytes (after decompression), within the deadline."""
        if not 200 <= response.status_code < 300:
            return b""
        limit_mb = f"{self.max_bytes / 1e6:g} MB"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                "too-large", f"{url}: too large ({int(declared):,} bytes, the limit is {limit_mb})"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError("too-large", f"{url}: too large (over {limit_mb}, the limit)")
                chunks.append(chunk)
                self.remaining(url)
        except httpx.TimeoutException:
            raise FetchError("timeout", f"{url}: the answer stalled before it was complete") from None
        except httpx.HTTPError as error:
            raise FetchError("invalid", f"{url}: broken answer ({_first_line(error)})") from None
        return b"".join(chunks)

    def robots_allow(self, target: _Target) -> bool:
        """Whether the site's robots.txt lets briefbot fetch this URL (no robots.txt: yes)."""
        key = f"{target.scheme}://{target.netloc}"
        parser = _ROBOTS.get(key)
        if parser is None:
            parser = self.read_robots(key + "/robots.txt", target.url)
            _ROBOTS.put(key, parser)
        return parser.can_fetch("briefbot", target.url)

    def read_robots(self, url: str, page_url: str) -> urllib.robotparser.RobotFileParser:
        """The site's rules; a missing or unreadable robots.txt allows everything (RFC 9309's 4xx rule).

        A site that does not answer in time is a timeout of the page itself: it would not answer either.
        """
        parser = urllib.robotparser.RobotFileParser(url)
        saved = self.max_bytes
        self.max_bytes = min(saved, ROBOTS_MAX_BYTES)
        try:
            got = self.get(url, (), {}, check_robots=False)
        except FetchError as error:
            if error.kind == "timeout":
                raise FetchError("timeout", f"{page_url}: no answer in time (too slow or silent)") from None
            # A site without robots.txt, or one whose robots.txt is broken, has said nothing against us.
            logger.info("robots.txt not read (%s); fetching allowed", error)
            parser.parse([])
            return parser
        finally:
            self.max_bytes = saved
        parser.parse(got.body.decode("utf-8", errors="replace").splitlines())
        return parser


@dataclass(frozen=True)
class _Target:
    """A URL taken apart for a request: scheme, host (lower case, no brackets), port and Host header."""

    url: str
    scheme: str
    host: str
    port: int
    netloc: str

    @classmethod
    def of(cls, url: str) -> _Target:
        """Check the URL's form and scheme; FetchError('invalid' or 'refused')."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:
            raise FetchError("invalid", f"{url}: not a valid URL ({error})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError("refused", f"{url}: only http and https URLs can be fetched")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise FetchError("invalid", f"{url}: the URL names no host")
        default = 443 if scheme == "https" else 80
        shown = f"[{host}]" if ":" in host else host
        netloc = shown if port in (None, default) else f"{shown}:{port}"
        return cls(url.strip(), scheme, host, port or default, netloc)


class _RobotsCache:
    """robots.txt rules per site, kept ROBOTS_TTL_SECONDS (thread-safe: feeds poll from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}

    def get(self, site: str) -> urllib.robotparser.RobotFileParser | None:
        """The cached rules of a site while fresh."""
        with self._lock:
            found = self._rules.get(site)
        if found is None or time.monotonic() - found[0] > ROBOTS_TTL_SECONDS:
            return None
        return found[1]

    def put(self, site: str, parser: urllib.robotparser.RobotFileParser) -> None:
        """Keep a site's rules."""
        with self._lock:
            self._rules[site] = (time.monotonic(), parser)

    def clear(self) -> None:
        """Forget every site's rules."""
        with self._lock:
            self._rules.clear()


_ROBOTS = _RobotsCache()


def forget_robots() -> None:
    """Forget the robots.txt rules read so far (tests, and a long-running bot that wants them anew)."""
    _ROBOTS.clear()


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
