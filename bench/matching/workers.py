"""One bench role per process, so each index's memory is measured alone.

``python -m bench.matching.workers ROLE --size N --dataset D --queries Q --repeats R --workdir W``
prints one JSON object. Roles:

- ``truth``: faiss ``IndexBinaryFlat`` range search (the brute-force answer);
- ``ours``: Sentinela's ``PdqIndex`` (``sentinela.matching.pdq_index``);
- ``reference``: python-threatexchange's ``PDQIndex`` from ``signal_type/pdq/pdq_index.py``,
  i.e. faiss ``IndexBinaryIDMap2(IndexBinaryMultiHash(256, 16, 16))``, the class that
  ``PdqSignal.get_index_cls()`` returns and that HMA builds its PDQ index with.

Each role writes the pairs it found as sorted ``query * N + row`` keys to ``W/<role>.npy``.
Memory is the resident-set growth across the build, measured with psutil after
``gc.collect()``, with the input data already resident before the first reading.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle  # only to time the reference's own serialisation (its format), never ours
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import psutil

from bench.matching.data import known_set, queries
from sentinela.matching import PdqIndex
from sentinela.matching.codes import codes_to_hex

RADIUS = 31


def rss() -> int:
    gc.collect()
    return int(psutil.Process().memory_info().rss)


def timed(fn: Any, repeats: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def save_pairs(workdir: Path, role: str, q: np.ndarray, rows: np.ndarray, n: int) -> None:
    keys = np.unique(q.astype(np.int64) * n + rows.astype(np.int64))
    np.save(workdir / f"{role}.npy", keys, allow_pickle=False)


def truth(args: argparse.Namespace, known: np.ndarray, qs: np.ndarray) -> dict[str, Any]:
    flat = faiss.IndexBinaryFlat(256)
    flat.add(known)
    qs = qs[: args.truth_queries]
    start = time.perf_counter()
    limits, _, labels = flat.range_search(qs, RADIUS + 1)  # faiss keeps d < radius
    seconds = time.perf_counter() - start
    q = np.repeat(np.arange(len(qs)), np.diff(limits).astype(np.int64))
    save_pairs(args.workdir, "truth", q, labels, len(known))
    return {"queries": len(qs), "pairs": len(labels), "qps": len(qs) / seconds}


def ours(args: argparse.Namespace, known: np.ndarray, qs: np.ndarray) -> dict[str, Any]:
    ids = np.arange(len(known), dtype=np.int64)
    before = rss()
    start = time.perf_counter()
    index = PdqIndex.build(known, ids)
    out: dict[str, Any] = {"build_s": time.perf_counter() - start}
    out["rss_bytes"] = rss() - before
    out["nbytes"] = index.nbytes()
    out["plan"] = [s.key_bits for s in index.plan.substrings]
    seconds, found = timed(lambda: index.search(qs, RADIUS), args.repeats)
    out["qps"] = len(qs) / seconds
    t = found.query_index < args.truth_queries
    save_pairs(args.workdir, "ours", found.query_index[t], found.ids[t], len(known))
    if args.no_persist:
        out.update(add_one(index, args.adds))
        return out
    directory = args.workdir / "ours_index"
    start = time.perf_counter()
    index.save(directory)
    out["save_s"] = time.perf_counter() - start
    out["disk_bytes"] = sum(p.stat().st_size for p in directory.iterdir())
    out["load_mmap_s"], loaded = timed(lambda: PdqIndex.load(directory), args.repeats)
    start = time.perf_counter()
    loaded.search(qs[:100], RADIUS)
    out["first_100_queries_after_mmap_load_s"] = time.perf_counter() - start
    del loaded
    out["load_ram_s"], loaded = timed(lambda: PdqIndex.load(directory, mmap=False), 1)
    del loaded
    out.update(add_one(index, args.adds))
    return out


def add_one(index: PdqIndex, count: int) -> dict[str, Any]:
    rng = np.random.default_rng(9)
    codes = rng.integers(0, 256, size=(count, 32), dtype=np.uint8)
    new_ids = np.arange(count, dtype=np.int64) + 10**12
    times = []
    total = time.perf_counter()
    for i in range(count):
        start = time.perf_counter()
        index.add(codes[i : i + 1], new_ids[i : i + 1])
        times.append(time.perf_counter() - start)
    total = time.perf_counter() - total
    ordered = sorted(times)
    return {
        "add_count": count,
        "add_median_s": statistics.median(times),
        "add_p99_s": ordered[int(0.99 * (count - 1))],
        "add_max_s": ordered[-1],
        "add_amortised_s": total / count,
    }


def reference(args: argparse.Namespace, known: np.ndarray, qs: np.ndarray) -> dict[str, Any]:
    from threatexchange.signal_type.pdq.pdq_index import PDQIndex

    before = rss()
    start = time.perf_counter()
    index = PDQIndex((h, i) for i, h in enumerate(_hex_stream(known)))
    out: dict[str, Any] = {"build_s": time.perf_counter() - start}
    out["rss_bytes"] = rss() - before
    _use_reference(index, args, qs, out)
    del index
    gc.collect()
    path = args.workdir / "reference.pickle"
    times = []
    for _ in range(min(args.repeats, 2)):
        with path.open("rb") as handle:
            start = time.perf_counter()
            loaded = pickle.load(handle)  # noqa: S301 - our own file, timing the reference
            times.append(time.perf_counter() - start)
        del loaded
        gc.collect()
    out["load_s"] = statistics.median(times)
    path.unlink()
    return out


def _use_reference(index: Any, args: argparse.Namespace, qs: np.ndarray, out: dict) -> None:
    """Search, add and pickle with the reference, filling ``out``."""
    query_hex = codes_to_hex(qs)
    n = args.size
    seconds, found = timed(
        lambda: index.index.search_with_distance_in_result(query_hex, RADIUS), args.repeats
    )
    out["qps"] = len(qs) / seconds
    sub = query_hex[: args.single_queries]
    seconds, _ = timed(lambda: [index.query(h) for h in sub], 1)
    out["qps_single_query_api"] = len(sub) / seconds
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(query_hex[: args.truth_queries]):
        positions.setdefault(h, []).append(i)
    q, rows = [], []
    for h, where in positions.items():
        for match_id, _, _ in found[h]:
            for i in where:
                q.append(i)
                rows.append(match_id)
    save_pairs(args.workdir, "reference", np.array(q, np.int64), np.array(rows, np.int64), n)
    if n <= args.reference_add_limit:
        seconds, _ = timed(lambda: index.add(query_hex[0], n), 3)
        out["add_median_s"] = seconds
    with (args.workdir / "reference.pickle").open("wb") as handle:
        start = time.perf_counter()
        index.serialize(handle)  # the reference's own format (pickle); bench-only
        out["save_s"] = time.perf_counter() - start
    out["disk_bytes"] = (args.workdir / "reference.pickle").stat().st_size


def _hex_stream(known: np.ndarray) -> Any:
    for lo in range(0, len(known), 1 << 16):
        yield from codes_to_hex(known[lo : lo + (1 << 16)])


ROLES = {"truth": truth, "ours": ours, "reference": reference}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=sorted(ROLES))
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--truth-queries", type=int, default=10_000)
    parser.add_argument("--single-queries", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--adds", type=int, default=10_000)
    parser.add_argument("--reference-add-limit", type=int, default=1_000_000)
    parser.add_argument("--no-persist", action="store_true")
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args(argv)
    known = known_set(args.size, args.dataset)
    qs = queries(known, args.queries)
    result = ROLES[args.role](args, known, qs)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
