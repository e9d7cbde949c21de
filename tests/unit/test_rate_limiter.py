"""The API's token buckets: the limit, the wait it announces, and a table that does not grow
for ever with new addresses."""

from __future__ import annotations

import pytest

from app.services import partners
from app.services.partners import RateLimiter

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(partners.time, "monotonic", fake)
    return fake


def test_a_burst_up_to_the_rate_then_a_wait_until_a_token_is_back(clock: Clock) -> None:
    limiter = RateLimiter()
    assert [limiter.take("ip:a", 6) for _ in range(6)] == [0.0] * 6
    assert limiter.take("ip:a", 6) == pytest.approx(10.0)  # 6 a minute: one every 10 s
    assert limiter.take("ip:b", 6) == 0.0  # each caller its own bucket
    clock.now += 4
    assert limiter.take("ip:a", 6) == pytest.approx(6.0)
    clock.now += 6
    assert limiter.take("ip:a", 6) == 0.0


def test_buckets_idle_for_a_minute_are_dropped_as_the_table_grows(clock: Clock) -> None:
    limiter = RateLimiter(prune_above=4)
    for caller in ("a", "b", "c"):
        limiter.take(caller, 2)
        limiter.take(caller, 2)  # empty now
    clock.now += 61
    limiter.take("d", 2)
    assert len(limiter) == 4
    limiter.take("e", 2)  # the table is full: a, b and c, idle for a minute, go
    assert len(limiter) == 2
    # a dropped bucket is a full one: "a" has its whole burst again, as it would have had
    assert [limiter.take("a", 2) for _ in range(3)][:2] == [0.0, 0.0]


def test_active_buckets_stay_and_pruning_waits_for_the_table_to_double(clock: Clock) -> None:
    limiter = RateLimiter(prune_above=4)
    for caller in ("a", "b", "c", "d"):
        limiter.take(caller, 1)
    clock.now += 30
    limiter.take("e", 1)  # nothing idle for a minute: nothing goes, next prune at 8 entries
    assert len(limiter) == 5
    assert limiter.take("a", 1) > 0  # "a" is still limited: its empty bucket was kept
    clock.now += 61
    for caller in ("f", "g", "h"):
        limiter.take(caller, 1)
    assert len(limiter) == 8  # idle buckets, but the table has not doubled yet
    limiter.take("i", 1)
    assert len(limiter) == 4  # a to e went; f, g, h (just used) and i stay
