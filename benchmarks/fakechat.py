"""A fake chat API on loopback (aiohttp) with a per-channel rate limit and some 429s with Retry-After.

Run as `python -m benchmarks.fakechat`: prints its port, serves until stdin closes. POST /post takes
{"channel", "text", "nonce"}; GET /stats tells how many posts each channel got and how many 429s were served.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
from collections import Counter

from aiohttp import web

# Like Slack's chat.postMessage: one message per second per channel, short bursts allowed (a token bucket).
CHANNEL_RATE_PER_S = 1.0
CHANNEL_BURST = 3
# About 1 channel in THROTTLED_ONE_IN gets a 429 on its first attempt (a busy workspace), Retry-After: 1.
THROTTLED_ONE_IN = 50
RETRY_AFTER_S = 1
# Slack truncates message text beyond 40,000 characters; the fake accepts it and counts it.
TEXT_LIMIT = 40_000


def _throttled(channel: str) -> bool:
    digest = hashlib.sha256(channel.encode("utf-8")).digest()
    return digest[0] % THROTTLED_ONE_IN == 0


class FakeChat:
    """State of the fake API: accepted posts per channel, last post times, 429s served."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        self.nonces: Counter[str] = Counter()
        self.tokens: dict[str, tuple[float, float]] = {}
        self.seen: set[str] = set()
        self.rate_limited = 0
        self.oversized = 0
        self.longest = 0

    async def post(self, request: web.Request) -> web.Response:
        """Accept a message or answer 429 with Retry-After."""
        body = await request.json()
        channel = str(body["channel"])
        now = time.monotonic()
        first = channel not in self.seen
        self.seen.add(channel)
        tokens, since = self.tokens.get(channel, (CHANNEL_BURST, now))
        tokens = min(CHANNEL_BURST, tokens + (now - since) * CHANNEL_RATE_PER_S)
        if (first and _throttled(channel)) or tokens < 1:
            self.tokens[channel] = (tokens, now)
            self.rate_limited += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(RETRY_AFTER_S)}
            )
        self.tokens[channel] = (tokens - 1, now)
        self.posts[channel] += 1
        self.nonces[str(body.get("nonce", ""))] += 1
        length = len(str(body.get("text", "")))
        self.longest = max(self.longest, length)
        self.oversized += length > TEXT_LIMIT
        return web.json_response({"ok": True, "ts": f"{now:.6f}", "channel": channel})

    async def stats(self, request: web.Request) -> web.Response:
        """Counts for the benchmark to check: every channel posted to once."""
        return web.json_response(
            {
                "channels": len(self.posts),
                "posts": sum(self.posts.values()),
                "duplicates": sum(n - 1 for n in self.nonces.values() if n > 1),
                "rate_limited": self.rate_limited,
                "oversized": self.oversized,
                "longest_text": self.longest,
            }
        )


async def serve() -> None:
    """Serve on a free loopback port until stdin closes."""
    chat = FakeChat()
    app = web.Application(client_max_size=256 * 1024 * 1024)
    app.router.add_post("/post", chat.post)
    app.router.add_get("/stats", chat.stats)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"port": port}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve())
