"""Runs the video bench and prints its tables (see ``__main__.py`` for what is measured)."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from bench.video.dataset import DEFAULT_SECONDS, BenchVideo, load_or_generate
from sentinela.video import FrameHash, fingerprint_video
from sentinela.video.rule import hamming

Runner = Callable[[Path], int]


@dataclass
class Timing:
    """Seconds per round of one runner on one video, and the frames it hashed."""

    seconds: list[float]
    hashed: int

    @property
    def median(self) -> float:
        """Median seconds."""
        return statistics.median(self.seconds)


def run_bench(args: argparse.Namespace, cpu: int) -> int:
    """Generate (or reuse) the videos, time every runner, print the tables; 0 on success."""
    started = time.perf_counter()
    reference = None if args.skip_reference else _reference_module()
    print(f"pinned to CPU {cpu}; {args.rounds} rounds; PyAV {av.__version__}")
    if reference is None:
        print("vpdq reference: not timed (not installed or --skip-reference)")
    results: dict[str, Any] = {}
    for label in args.sizes.split(","):
        seconds = args.seconds if args.seconds is not None else DEFAULT_SECONDS[label]
        video = load_or_generate(args.out, label, seconds, args.fps)
        size = video.path.stat().st_size / 1e6
        print(
            f"\n{label}: {video.width}x{video.height}, {video.seconds:g} s at {video.fps} fps, "
            f"{video.frames} frames, H.264, {size:.1f} MB ({video.path})"
        )
        runners: dict[str, Runner] = {
            "ours": lambda p: len(fingerprint_video(p).frames),
            "ours_hash_only": lambda p: len(fingerprint_video(p, want_keyframes=False).frames),
            "decode_floor": _decode_only,
        }
        if reference is not None:
            runners["vpdq"] = lambda p: len(reference.computeHash(str(p), thread_count=1))
        timings = {name: _time(run, video.path, args.rounds) for name, run in runners.items()}
        results[label] = _print_table(video, timings)
        if reference is not None:
            results[label]["agreement"] = _print_agreement(video, reference)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"\nbench wall time {time.perf_counter() - started:.0f} s; "
        f"results in {args.out / 'results.json'}"
    )
    return 0


def _reference_module() -> Any:
    try:
        import vpdq  # the reference, optional
    except ImportError:
        return None
    return vpdq


def _decode_only(path: Path) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.thread_count = 1
        for _ in container.decode(stream):
            pass
    return 0


def _time(run: Runner, path: Path, rounds: int) -> Timing:
    run(path)  # warm the page cache and lazy imports
    seconds, hashed = [], 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        hashed = run(path)
        seconds.append(time.perf_counter() - t0)
    return Timing(seconds, hashed)


def _print_table(video: BenchVideo, timings: dict[str, Timing]) -> dict[str, Any]:
    print(
        f"  {'runner':<16}{'median s':>10}{'hashed/s':>11}{'video s/s':>11}{'decoded/s':>11}"
        f"{'rounds (s)':>28}"
    )
    table: dict[str, Any] = {}
    for name, timing in timings.items():
        median = timing.median
        row = {
            "median_s": median,
            "rounds_s": timing.seconds,
            "frames_hashed": timing.hashed,
            "frames_hashed_per_s": timing.hashed / median,
            "video_s_per_s": video.seconds / median,
            "decoded_frames_per_s": video.frames / median,
        }
        table[name] = row
        rounds = ", ".join(f"{s:.2f}" for s in timing.seconds)
        hashed = f"{row['frames_hashed_per_s']:.1f}" if timing.hashed else "-"
        print(
            f"  {name:<16}{median:>10.3f}{hashed:>11}{row['video_s_per_s']:>11.1f}"
            f"{row['decoded_frames_per_s']:>11.0f}{rounds:>28}"
        )
    if "vpdq" in timings:
        for name in ("ours", "ours_hash_only"):
            ratio = timings["vpdq"].median / timings[name].median
            table[name]["speed_vs_vpdq"] = ratio
            print(f"  {name} / vpdq speed ratio: {ratio:.2f}x")
    floor = timings["decode_floor"].median
    print(f"  decoding alone is {100 * floor / timings['ours'].median:.0f}% of ours")
    return table


def _print_agreement(video: BenchVideo, reference: Any) -> dict[str, int]:
    ours = fingerprint_video(video.path, want_keyframes=False).frames
    theirs = [
        FrameHash(f.frame_number, f.quality, f.hex, f.timestamp)
        for f in reference.computeHash(str(video.path), thread_count=1)
    ]
    same = sum(a == b for a, b in zip(ours, theirs, strict=False))
    worst = max((hamming(a.pdq, b.pdq) for a, b in zip(ours, theirs, strict=False)), default=0)
    print(
        f"  frame hashes identical to vpdq's (number, quality, hash, time): "
        f"{same}/{len(theirs)} (ours {len(ours)}), largest distance {worst}"
    )
    return {"identical": same, "reference_frames": len(theirs), "max_distance": worst}
