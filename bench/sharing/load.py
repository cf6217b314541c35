"""The load generator: threads posting batches to ``/api/v1/match`` over keep-alive
connections, one latency sample per request."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from dataclasses import dataclass

from bench.sharing.data import TYPES, digest


@dataclass(frozen=True)
class LoadResult:
    """Latencies (seconds) of every request, the wall time and hashes sent."""

    latencies: list[float]
    wall_s: float
    hashes: int
    matched: int


def make_batches(
    count: int, size: int, sample: list[tuple[str, str]], hit_rate: float, seed: int
) -> list[bytes]:
    """Request bodies: ``size`` hashes each, all four types, ``hit_rate`` of them known."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        hashes = []
        for i in range(size):
            if rng.random() < hit_rate:
                hash_type, value = rng.choice(sample)
            else:
                hash_type = TYPES[i % 4]
                value = digest(hash_type, rng)
            hashes.append({"type": hash_type, "value": value})
        bodies.append(json.dumps({"hashes": hashes}).encode())
    return bodies


def run_load(
    port: int, api_key: str, bodies: list[bytes], concurrency: int, timeout: float = 120.0
) -> LoadResult:
    """Send every body once, spread over ``concurrency`` threads."""
    latencies: list[float] = []
    matched = [0]
    lock = threading.Lock()
    queue = list(reversed(bodies))
    errors: list[str] = []
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            start = time.perf_counter()
            conn.request("POST", "/api/v1/match", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - start
            with lock:
                if response.status != 200:
                    errors.append(f"{response.status} {data[:200]!r}")
                    break
                latencies.append(elapsed)
                matched[0] += len({m["index"] for m in json.loads(data)["matches"]})
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, first: {errors[0]}")
    hashes = sum(len(json.loads(b)["hashes"]) for b in bodies)
    return LoadResult(latencies, wall, hashes, matched[0])
