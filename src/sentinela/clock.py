"""Clocks. Services take a clock so tests can pin time without patching globals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to. For tests and reproducible demos."""

    def __init__(self, start: datetime, step: timedelta = timedelta(0)) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        current = self.now
        self.now = self.now + self.step
        return current

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.now += delta
