"""In-flight tracking shared by the Slack and Discord adapters: a stop waits for answers being worked on."""

from __future__ import annotations

import asyncio

from adapters.inflight import InFlight


async def _answer(in_flight: InFlight, release: asyncio.Event, started: asyncio.Event) -> str:
    with in_flight.track():
        started.set()
        await release.wait()
        return "answered"


async def test_wait_lets_an_answer_in_flight_finish_and_marks_closing() -> None:
    in_flight, release, started = InFlight(), asyncio.Event(), asyncio.Event()
    answer = asyncio.create_task(_answer(in_flight, release, started))
    await started.wait()
    assert in_flight.count == 1
    stopping = asyncio.create_task(in_flight.wait(timeout=30))
    await asyncio.sleep(0)
    assert in_flight.closing and not stopping.done()
    release.set()
    assert await stopping == 0
    assert answer.result() == "answered"


async def test_wait_gives_up_after_the_timeout_and_says_how_many_are_left() -> None:
    in_flight, release, started = InFlight(), asyncio.Event(), asyncio.Event()
    answer = asyncio.create_task(_answer(in_flight, release, started))
    await started.wait()
    assert await in_flight.wait(timeout=0.01) == 1
    release.set()
    await answer


async def test_a_finished_answer_is_no_longer_waited_for() -> None:
    in_flight, release, started = InFlight(), asyncio.Event(), asyncio.Event()
    release.set()
    await _answer(in_flight, release, started)
    assert in_flight.count == 0
    assert await in_flight.wait(timeout=30) == 0


async def test_a_stop_asked_from_within_an_answer_does_not_wait_for_itself() -> None:
    in_flight = InFlight()
    with in_flight.track():
        assert await in_flight.wait(timeout=30) == 0
    assert in_flight.closing
