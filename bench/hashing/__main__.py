"""Hashing bench: ``python -m bench.hashing [--scale 0.1] [--rounds 3] [--sweep 64,128,256]``.

On one pinned core and in one run, it times over the same JPEG set (see ``dataset.py``):

- ``ours``: Sentinela's ``hash_path`` (MD5 + SHA-1 + SHA-256 + PDQ + EXIF + thumbnail);
- ``threatexchange``: python-threatexchange's ``PdqSignal.hash_from_file`` (PDQ only);
- ``floor``: Pillow draft decoding alone, at the same draft target.

and reports medians over rounds, images/s, the ratios ours/threatexchange (target >= 6) and
ours/floor (target >= 0.6), and the PDQ drift of the drafted hash against full-resolution
``pdqhash`` (targets: median <= 2, p99 <= 10, max <= 16). ``--sweep`` repeats the drift and
the ours/floor timing for other draft targets, which is how the default was chosen.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def main(argv: list[str]) -> int:
    """Parse arguments, pin to one core, run the bench and print the tables."""
    args = _parse(argv)
    if any(os.environ.get(var) != "1" for var in _THREAD_VARS):
        # Thread pools size themselves when numpy loads: restart with them set to one.
        env = {**os.environ, **dict.fromkeys(_THREAD_VARS, "1")}
        os.execve(sys.executable, [sys.executable, "-m", "bench.hashing", *argv], env)  # noqa: S606
    cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})

    from bench.hashing.report import run_bench  # after pinning and the thread settings

    return run_bench(args, cpu)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.hashing", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the image counts")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (median reported)")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to")
    parser.add_argument("--out", type=Path, default=Path("bench/out/hashing"))
    parser.add_argument(
        "--sweep", default="", help="comma-separated draft targets to compare, e.g. 64,128,256"
    )
    parser.add_argument(
        "--skip-threatexchange", action="store_true", help="do not time threatexchange"
    )
    parser.add_argument(
        "--no-allocator-tuning",
        action="store_true",
        help="leave glibc's allocator at its defaults (see sentinela.hashing.allocator)",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
