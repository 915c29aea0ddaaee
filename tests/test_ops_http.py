"""Operations endpoints on a real loopback server: /healthz checks and /metrics in Prometheus text."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from bot import metrics
from bot.delivery import DeliveryReport
from bot.http import Health, Heartbeat, make_http_app, start_http
from facts.store import FactStore


@dataclass
class FakeRuntime:
    platform: str
    connected: bool
    sender: object = None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


async def serve(health: Health) -> tuple[str, object]:
    runner = await start_http(make_http_app(health), 0, "127.0.0.1")
    host, port = runner.addresses[0][:2]
    return f"http://{host}:{port}", runner


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def get(session: aiohttp.ClientSession, health: Health, path: str) -> tuple[int, str]:
    base, runner = await serve(health)
    try:
        async with session.get(base + path) as response:
            return response.status, await response.text()
    finally:
        await runner.cleanup()  # type: ignore[attr-defined]


async def test_healthy_when_every_check_passes(store: FactStore, session: aiohttp.ClientSession) -> None:
    beat = Heartbeat()
    beat.beat()
    health = Health(store.engine, beat, [FakeRuntime("slack", True), FakeRuntime("discord", True)])
    status, body = await get(session, health, "/healthz")
    assert status == 200
    assert '"ok": true' in body
    assert await health() == {"database": True, "scheduler": True, "slack": True, "discord": True}


async def test_unreachable_database_is_503(session: aiohttp.ClientSession) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = create_engine(
        f"postgresql+psycopg://u:pw@127.0.0.1:{port}/x", connect_args={"connect_timeout": 2}
    )
    status, body = await get(session, Health(engine), "/healthz")
    assert status == 503
    assert '"database": false' in body


async def test_stale_scheduler_and_disconnected_adapter_are_503(
    store: FactStore, session: aiohttp.ClientSession
) -> None:
    now = [1000.0]
    beat = Heartbeat(max_age=180, clock=lambda: now[0])
    assert not beat.alive()  # never beaten
    beat.beat()
    now[0] += 181
    health = Health(store.engine, beat, [FakeRuntime("slack", False)])
    status, body = await get(session, health, "/healthz")
    assert status == 503
    assert await health() == {"database": True, "scheduler": False, "slack": False}


def sample(text: str, name: str, labels: dict[str, str] | None = None) -> float:
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and (labels is None or found.labels == labels):
                return found.value
    return 0.0


async def test_metrics_are_prometheus_text_and_count(
    store: FactStore, session: aiohttp.ClientSession
) -> None:
    status, before = await get(session, Health(), "/metrics")
    assert status == 200
    metrics.record_question("slack", True, 0.03)
    metrics.record_question("slack", False, 0.2)
    metrics.record_delivery(DeliveryReport(sent=5, failed=1, lost_claims=2))
    metrics.record_ingest(False, 7)
    metrics.record_ingest(True, 0)
    metrics.record_ingest_failure()
    status, after = await get(session, Health(), "/metrics")
    assert status == 200

    def delta(name: str, labels: dict[str, str] | None = None) -> float:
        return sample(after, name, labels) - sample(before, name, labels)

    assert delta("briefbot_questions_total", {"platform": "slack", "outcome": "answered"}) == 1
    assert delta("briefbot_questions_total", {"platform": "slack", "outcome": "declined"}) == 1
    assert delta("briefbot_answer_seconds_count") == 2
    assert delta("briefbot_answer_seconds_bucket", {"le": "0.05"}) == 1
    assert delta("briefbot_posts_total", {"outcome": "sent"}) == 5
    assert delta("briefbot_posts_total", {"outcome": "failed"}) == 1
    assert delta("briefbot_posts_total", {"outcome": "deduplicated"}) == 2
    assert delta("briefbot_ingested_documents_total", {"outcome": "added"}) == 1
    assert delta("briefbot_ingested_documents_total", {"outcome": "duplicate"}) == 1
    assert delta("briefbot_ingested_documents_total", {"outcome": "failed"}) == 1
    assert delta("briefbot_ingested_facts_total") == 7
    assert "# TYPE briefbot_answer_seconds histogram" in after
