"""A sliding-window rate limiter for the public endpoints, kept in memory.

Why in memory and not in the database: the public form is anonymous, and keeping reporters'
addresses (even hashed: the IPv4 space is small enough to reverse a hash) would defeat that.
The cost is that each server process counts on its own; a deployment with several processes
divides the limits by their number.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from sentinela.reporting.errors import RateLimited


class RateLimiter:
    """At most ``limit`` hits per key in any ``window_s`` seconds."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one hit for ``key``.

        Raises:
            RateLimited: the key already used its allowance in the window.
        """
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._prune(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                retry = max(1, math.ceil(hits[0] + self.window_s - now))
                raise RateLimited("too many requests; please try again later", retry)
            hits.append(now)

    def _prune(self, now: float) -> None:
        stale = [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s]
        for key in stale:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:  # still full: forget the oldest half
            oldest = sorted(self._hits, key=lambda k: self._hits[k][-1])
            for key in oldest[: len(oldest) // 2]:
                del self._hits[key]
