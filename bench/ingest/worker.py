"""One measurement in a fresh, pinned process: ``python -m bench.ingest.worker MODE ...``.

Prints one JSON line. A fresh process per measurement matters: the local executor's
forkserver inherits the CPU affinity of the process that starts it, so each configuration
needs its own process, pinned before anything starts.

Modes:
    hash: ``hash_path`` (MD5 + SHA-1 + SHA-256 + PDQ + metadata + thumbnail) over every file,
        in this process, as an ingest worker hashes it; no database, no vault.
    ingest: a fresh data folder, SQLite database and case; the folder is registered as an
        exhibit (not timed), then ``ingest_exhibit`` runs (timed): walk, hash, encrypt into
        the vault, write batches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest.worker")
    parser.add_argument("mode", choices=("hash", "ingest"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cpus", required=True, help="comma-separated CPUs to pin to")
    parser.add_argument("--executor", default="local")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scratch", type=Path, default=Path("bench/out/ingest/run"))
    return parser.parse_args()


def run_hash(folder: Path) -> dict[str, float]:
    """Hash every file of ``folder`` once (after one warm-up file)."""
    from sentinela.hashing.allocator import keep_freed_memory
    from sentinela.hashing.hasher import hash_path

    keep_freed_memory()  # as ingest workers do
    files = sorted(p for p in folder.iterdir() if p.is_file())
    hash_path(files[0])
    started = time.perf_counter()
    size = sum(hash_path(path).size for path in files)
    return {"seconds": time.perf_counter() - started, "files": len(files), "bytes": size}


def run_ingest(folder: Path, executor: str, workers: int, scratch: Path) -> dict[str, float]:
    """Register ``folder`` in a fresh installation, then time its ingest."""
    from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
    from sentinela.services.cases import create_case
    from sentinela.services.context import open_context
    from sentinela.services.exhibits import add_exhibit
    from sentinela.services.setup import initialise
    from sentinela.services.users import add_user
    from sentinela.settings import Settings

    shutil.rmtree(scratch, ignore_errors=True)
    ctx = open_context(Settings(mode="development", data_dir=scratch))
    try:
        initialise(ctx)
        add_user(ctx, "admin", roles=["admin"])
        add_user(ctx.with_actor("admin"), "bench", roles=["examiner"], unit="Bench")
        examiner = ctx.with_actor("bench")
        create_case(examiner, "BENCH-1", title="bench", unit="Bench")
        add_exhibit(examiner, "BENCH-1", folder, label="EXH-001")
        options = IngestOptions(executor=executor, workers=workers)
        started = time.perf_counter()
        job = ingest_exhibit(examiner, "BENCH-1", "EXH-001", options)
        seconds = time.perf_counter() - started
    finally:
        ctx.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if job.status != "completed" or job.errors:
        raise SystemExit(f"ingest did not complete cleanly: {job}")
    return {
        "seconds": seconds,
        "files": job.files_done,
        "bytes": job.bytes_done,
        "media_new": job.media_new,
    }


def main() -> None:
    """Pin, run one measurement, print it as JSON."""
    args = _parse()
    os.sched_setaffinity(0, {int(c) for c in args.cpus.split(",")})
    if args.mode == "hash":
        result = run_hash(args.folder)
    else:
        result = run_ingest(args.folder, args.executor, args.workers, args.scratch)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
