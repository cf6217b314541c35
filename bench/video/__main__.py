"""Video bench: ``python -m bench.video [--sizes 480p,1080p] [--seconds 60] [--rounds 3]``.

On one pinned core and in one run, over benign generated videos (moving shapes, a coarse
texture and noise rendered by code, H.264 at 30 fps; see ``dataset.py``), it times:

- ``ours``: :func:`sentinela.video.fingerprint_video` as ingest runs it (vPDQ frame hashes,
  metadata and the keyframe strip);
- ``ours_hash_only``: the same without the keyframe strip;
- ``vpdq``: Meta's reference, ``vpdq.computeHash(seconds_per_hash=1, thread_count=1)``,
  when the ``vpdq`` package is installed;
- ``decode_floor``: PyAV decoding every frame and nothing else (the cost vPDQ cannot avoid).

Rounds are interleaved (every runner once per round) so that other work on a shared machine
disturbs all runners alike. For each size it prints medians over the rounds of frames hashed
per second, seconds of video per second and decoded frames per second, the speed ratio to
vpdq (of medians and of best rounds), and how many frame hashes agree exactly with the
reference's.
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
        env = {**os.environ, **dict.fromkeys(_THREAD_VARS, "1")}
        os.execve(sys.executable, [sys.executable, "-m", "bench.video", *argv], env)  # noqa: S606
    cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})

    from bench.video.report import run_bench  # after pinning and the thread settings

    return run_bench(args, cpu)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.video", description=__doc__)
    parser.add_argument("--sizes", default="480p,1080p", help="comma-separated: 480p, 1080p")
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="video length (default 60 s at 480p, 30 s at 1080p)",
    )
    parser.add_argument("--fps", type=int, default=30, help="frame rate of the generated videos")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (median reported)")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to")
    parser.add_argument("--out", type=Path, default=Path("bench/out/video"))
    parser.add_argument("--skip-reference", action="store_true", help="do not time vpdq")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
