"""Ingest bench: ``python -m bench.ingest [--scale 0.1] [--rounds 3] [--cpus 0,1]``.

Over the hashing bench's JPEG set (``bench/hashing/dataset.py``: 60 x 4000x3000, 120 x
1920x1080 and 120 x 640x480 at quality 90, generated once and cached under ``bench/out/``),
it times in the same run, each measurement in a fresh process pinned to its CPUs:

- ``hash, 1 core``: hashing only (``hash_path``), the rate ingest cannot exceed on one core;
- ``ingest, 1 core``: the whole ``ingest_exhibit`` with the local executor, its default two
  worker processes per core and the driver all pinned to one CPU: walk, hash, encrypt into the
  vault (two objects per image, each fsynced), batched SQLite writes, audit events;
- ``ingest, 2 cores``: the same on two CPUs (four workers);
- ``ingest, 1 core, 1 worker``: shown for comparison, not used by the ratios: one worker
  leaves the core idle while it waits for the vault's fsyncs.

It prints median seconds and files/s over the rounds and the ratios ingest 1 core / hash
(target >= 0.6) and ingest 2 cores / ingest 1 core (target >= 1.7). Rounds interleave the
configurations, so a neighbour's load on a shared machine spreads over all of them; the load
average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.hashing.dataset import counts, load_or_generate
from sentinela.ingest.executors import PROCESSES_PER_CORE

TARGET_ONE_CORE = 0.6
TARGET_TWO_CORES = 1.7
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the image counts")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (median reported)")
    parser.add_argument("--cpus", default=None, help="two CPUs, e.g. 0,1 (default: the first two)")
    parser.add_argument(
        "--workers-per-core",
        type=int,
        default=PROCESSES_PER_CORE,
        help="local worker processes per pinned CPU (default: the executor's own default)",
    )
    parser.add_argument("--images", type=Path, default=Path("bench/out/hashing"))
    parser.add_argument("--scratch", type=Path, default=Path("bench/out/ingest/run"))
    return parser.parse_args(argv)


def _measure(
    args: argparse.Namespace, folder: Path, mode: str, cpus: list[int], **opts: object
) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.ingest.worker", mode, str(folder)]
    command += ["--cpus", ",".join(map(str, cpus)), "--scratch", str(args.scratch)]
    for key, value in opts.items():
        command += [f"--{key}", str(value)]
    env = {**os.environ, **dict.fromkeys(_THREAD_VARS, "1")}
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> int:
    """Run the configurations round by round and print medians and ratios."""
    args = _parse(argv)
    allowed = sorted(os.sched_getaffinity(0))
    cpus = [int(c) for c in args.cpus.split(",")] if args.cpus else allowed[:2]
    if len(cpus) < 2:
        print("the two-core measurement needs two CPUs; only one is available")
        return 2
    images = load_or_generate(args.images, args.scale)
    folder = images[0].path.parent
    spec = ", ".join(f"{n} x {label}" for label, _, _, n in counts(args.scale))
    size = sum(image.path.stat().st_size for image in images) / 1e6
    print(f"bench set: {spec} JPEG q90, {len(images)} files, {size:.0f} MB, in {folder}")
    print(f"CPUs {cpus[0]} (one core) and {cpus[0]},{cpus[1]} (two cores); {args.rounds} rounds")
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    per_core = args.workers_per_core
    configs: dict[str, tuple[str, list[int], dict[str, object]]] = {
        "hash, 1 core": ("hash", cpus[:1], {}),
        "ingest, 1 core": ("ingest", cpus[:1], {"workers": per_core}),
        "ingest, 2 cores": ("ingest", cpus[:2], {"workers": 2 * per_core}),
    }
    if per_core != 1:
        configs["ingest, 1 core, 1 worker"] = ("ingest", cpus[:1], {"workers": 1})
    seconds: dict[str, list[float]] = {name: [] for name in configs}
    files: dict[str, float] = {}
    started = time.perf_counter()
    for _ in range(args.rounds):
        for name, (mode, pinned, opts) in configs.items():
            result = _measure(args, folder, mode, pinned, **opts)
            seconds[name].append(result["seconds"])
            files[name] = result["files"]
    print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}\n")

    print(f"{'configuration':<25} {'files':>6} {'median s':>9} {'files/s':>8}   rounds (s)")
    rates = {}
    for name, values in seconds.items():
        median = statistics.median(values)
        rates[name] = files[name] / median
        rounds = " ".join(f"{v:.2f}" for v in values)
        print(f"{name:<25} {files[name]:>6.0f} {median:>9.2f} {rates[name]:>8.1f}   {rounds}")
    one = rates["ingest, 1 core"] / rates["hash, 1 core"]
    two = rates["ingest, 2 cores"] / rates["ingest, 1 core"]
    print(f"\ningest 1 core / hash 1 core:   {one:.2f} (target >= {TARGET_ONE_CORE})")
    print(f"ingest 2 cores / ingest 1 core: {two:.2f} (target >= {TARGET_TWO_CORES})")
    ok = one >= TARGET_ONE_CORE and two >= TARGET_TWO_CORES
    wall = time.perf_counter() - started
    print(f"bench wall time {wall:.0f} s; targets {'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
