"""When feeds are polled: the interval, the back-off on errors and one request per second to a host."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.feed_timing import MAX_BACKOFF, HostPacer, check_every, next_poll

NOW = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)


def test_next_poll_after_success_is_the_interval() -> None:
    assert next_poll(NOW, 15) == NOW + timedelta(minutes=15)
    assert next_poll(NOW, 60, failures=0) == NOW + timedelta(hours=1)


def test_backoff_doubles_per_failure_up_to_six_hours() -> None:
    waits = [next_poll(NOW, 15, failures=n) - NOW for n in range(1, 9)]
    assert waits[:4] == [timedelta(minutes=m) for m in (30, 60, 120, 240)]
    assert waits[4:] == [MAX_BACKOFF] * 4
    assert next_poll(NOW, 15, failures=10_000) - NOW == MAX_BACKOFF


def test_interval_minimum() -> None:
    assert check_every(5) == 5
    with pytest.raises(ValueError, match="every 5 minutes"):
        check_every(4)


def test_one_request_per_second_per_host() -> None:
    pacer = HostPacer()
    assert pacer.wait("http://a.example/feed", NOW) == timedelta(0)
    pacer.sent("http://a.example/feed", NOW)
    # The same host (any path, any case) waits the rest of the second; another host does not.
    assert pacer.wait("http://A.example/story", NOW + timedelta(milliseconds=300)) == timedelta(
        milliseconds=700
    )
    assert pacer.wait("http://b.example/feed", NOW) == timedelta(0)
    assert pacer.wait("http://a.example/x", NOW + timedelta(seconds=1)) == timedelta(0)
    assert pacer.wait("http://a.example/x", NOW + timedelta(seconds=5)) == timedelta(0)
