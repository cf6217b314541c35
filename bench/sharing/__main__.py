"""Industry sharing bench: ``python -m bench.sharing [--entries 1e6] [--requests 300] ...``.

1. Remote match: an installation with ``--entries`` known hashes (all four types) and its
   first release; ``uvicorn`` with ``--workers`` (2) server processes on loopback; a load
   generator posting ``--requests`` batches of ``--batch`` (1,000) hashes, ``--hit-rate`` of
   them known, over ``--concurrency`` keep-alive connections. Every request goes through
   the real path: API key, rate limit, parsing, matching, usage counter and audit event.
   Reported: hashes/s and p50/p99 latency, beside the reference: the same batches matched
   in-process by ``find_matches`` on the same index (no HTTP, no key, no audit).
2. Delta: a provider copy of ``--entries`` entries applies a signed delta of ``--delta``
   changes (half tombstones, half additions): signature, version chain and state digest
   checked. The reference is python-threatexchange's ``naive_fetch_merge`` of the same
   changes (parse and dict merge only).

Develop with small sizes: ``python -m bench.sharing --entries 20000 --requests 40 --delta 2000``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.sharing.data import build
from bench.sharing.delta import run_delta
from bench.sharing.load import make_batches, run_load
from sentinela.services.context import open_context
from sentinela.services.releases import latest_release
from sentinela.services.remote_match import (
    build_tier_index,
    find_matches,
    live_rows,
    parse_match_request,
)

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _reference(data_dir: Path, bodies: list[bytes]) -> tuple[float, int]:
    from bench.sharing.data import settings_for

    ctx = open_context(settings_for(data_dir))
    try:
        with ctx.transaction() as session:
            release = latest_release(session, 1)
            if release is None:
                raise RuntimeError("no release")
            version, rows = release.version, live_rows(session, 1)
        index = build_tier_index(rows, version)
    finally:
        ctx.close()
    requests = [parse_match_request(b) for b in bodies]
    start = time.perf_counter()
    matched = sum(len({m.index for m in find_matches(index, r)}) for r in requests)
    return time.perf_counter() - start, matched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=float, default=1e6)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--hit-rate", type=float, default=0.05)
    ap.add_argument("--delta", type=float, default=1e5)
    ap.add_argument("--json", action="store_true", help="print one JSON line as well")
    args = ap.parse_args()
    entries, changes = int(args.entries), int(args.delta)
    out: dict[str, object] = {"entries": entries, "batch": args.batch, "workers": args.workers}
    with tempfile.TemporaryDirectory(prefix="bench-sharing-") as tmp:
        data_dir = Path(tmp) / "data"
        start = time.perf_counter()
        inst = build(data_dir, entries)
        out["setup_s"] = round(time.perf_counter() - start, 1)
        print(f"setup: {entries:,} known hashes, release 1 built in {out['setup_s']} s")
        port = _free_port()
        env = os.environ | {"SENTINELA_MODE": "development", "SENTINELA_DATA_DIR": str(data_dir)}
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "bench.sharing.server:make_app",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        server = subprocess.Popen(command, env=env, cwd=ROOT)
        try:
            _wait(port, server)
            warm = make_batches(4 * args.workers, args.batch, inst.sample, args.hit_rate, 7)
            start = time.perf_counter()
            run_load(port, inst.api_key, warm, args.workers)
            out["warmup_s"] = round(time.perf_counter() - start, 1)
            bodies = make_batches(args.requests, args.batch, inst.sample, args.hit_rate, 11)
            load = run_load(port, inst.api_key, bodies, args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)
        ref_s, ref_matched = _reference(data_dir, bodies)
    if ref_matched != load.matched:
        raise RuntimeError(f"matches differ: server {load.matched}, in-process {ref_matched}")
    ours_rate = load.hashes / load.wall_s
    ref_rate = load.hashes / ref_s
    out |= {
        "requests": len(load.latencies),
        "hashes_per_s": round(ours_rate),
        "p50_ms": round(statistics.median(load.latencies) * 1000, 1),
        "p99_ms": round(_percentile(load.latencies, 0.99) * 1000, 1),
        "reference_hashes_per_s": round(ref_rate),
        "matched": load.matched,
    }
    print(f"warm-up (index build in each worker): {out['warmup_s']} s")
    print(
        f"remote match over HTTP, {args.workers} workers, concurrency {args.concurrency}: "
        f"{ours_rate:,.0f} hashes/s, p50 {out['p50_ms']} ms, p99 {out['p99_ms']} ms "
        f"({len(load.latencies)} batches of {args.batch})"
    )
    print(
        f"reference, find_matches in-process (one core, no HTTP/auth/audit): {ref_rate:,.0f} "
        f"hashes/s; ratio ours/reference {ours_rate / ref_rate:.2f}"
    )
    delta = run_delta(entries, changes)
    out |= {
        "delta_changes": changes,
        "delta_apply_s": round(delta.ours_s, 3),
        "delta_parse_s": round(delta.ours_parse_s, 3),
        "delta_reference_s": round(delta.reference_s, 3),
        "delta_changes_per_s": round(changes / delta.ours_s),
    }
    print(
        f"delta of {changes:,} changes on {entries:,} entries: ours {delta.ours_s:.3f} s "
        f"({changes / delta.ours_s:,.0f} changes/s, of which JSON parse {delta.ours_parse_s:.3f} s;"
        f" verified: signature, version chain, state digest); reference pytx naive_fetch_merge "
        f"{delta.reference_s:.3f} s; ratio ours/reference {delta.ours_s / delta.reference_s:.2f}"
    )
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
