"""The public rate limiter."""

from __future__ import annotations

import pytest

from sentinela.reporting.errors import RateLimited
from sentinela.reporting.ratelimit import RateLimiter


def test_sliding_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])
    limiter.hit("a")
    limiter.hit("a")
    limiter.hit("b")
    with pytest.raises(RateLimited) as caught:
        limiter.hit("a")
    assert caught.value.retry_after_s == 60
    now[0] = 30
    with pytest.raises(RateLimited) as caught:
        limiter.hit("a")
    assert caught.value.retry_after_s == 30
    now[0] = 60.5
    limiter.hit("a")


def test_memory_is_bounded() -> None:
    now = [0.0]
    limiter = RateLimiter(1, 10, max_keys=100, clock=lambda: now[0])
    for i in range(1000):
        now[0] = i * 0.001
        limiter.hit(f"k{i}")
    assert len(limiter._hits) <= 100
