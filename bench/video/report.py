"""Runs the video bench and prints its tables (see ``__main__.py`` for what is measured)."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av

from bench.video.dataset import DEFAULT_SECONDS, BenchVideo, load_or_generate
from sentinela.video import FrameHash, fingerprint_video
from sentinela.video.rule import hamming

Runner = Callable[[Path], int]
COMPARED = ("ours", "ours_hash_only", "decode_floor")


@dataclass
class Timing:
    """Wall and CPU seconds per round of one runner on one video, and the frames it hashed."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    hashed: int = 0

    @property
    def median(self) -> float:
        """Median wall seconds."""
        return statistics.median(self.wall)

    @property
    def best(self) -> float:
        """Fastest round (the least disturbed by other work on the machine)."""
        return min(self.wall)

    @property
    def cpu_median(self) -> float:
        """Median CPU seconds of the process, all threads: robust to other work."""
        return statistics.median(self.cpu)


def run_bench(args: argparse.Namespace, cpu: int) -> int:
    """Generate (or reuse) the videos, time every runner, print the tables; 0 on success."""
    started = time.perf_counter()
    reference = None if args.skip_reference else _reference_module()
    print(f"pinned to CPU {cpu}; {args.rounds} rounds, interleaved; PyAV {av.__version__}")
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
        timings = _time_interleaved(runners, video.path, args.rounds)
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


def _time_interleaved(runners: dict[str, Runner], path: Path, rounds: int) -> dict[str, Timing]:
    """Time every runner once per round, in turn, so load on a shared machine hits all alike."""
    timings = {name: Timing() for name in runners}
    for run in runners.values():
        run(path)  # warm the page cache and lazy imports
    for _ in range(rounds):
        for name, run in runners.items():
            wall, cpu = time.perf_counter(), time.process_time()
            timings[name].hashed = run(path)
            timings[name].wall.append(time.perf_counter() - wall)
            timings[name].cpu.append(time.process_time() - cpu)
    return timings


def _print_table(video: BenchVideo, timings: dict[str, Timing]) -> dict[str, Any]:
    print(
        f"  {'runner':<16}{'median s':>10}{'cpu s':>8}{'hashed/s':>10}{'video s/s':>11}"
        f"{'decoded/s':>11}   wall rounds (s)"
    )
    table: dict[str, Any] = {}
    for name, timing in timings.items():
        median = timing.median
        row: dict[str, Any] = {
            "median_s": median,
            "rounds_s": timing.wall,
            "cpu_median_s": timing.cpu_median,
            "cpu_rounds_s": timing.cpu,
            "frames_hashed": timing.hashed,
            "frames_hashed_per_s": timing.hashed / median,
            "video_s_per_s": video.seconds / median,
            "decoded_frames_per_s": video.frames / median,
        }
        table[name] = row
        rounds = ", ".join(f"{s:.2f}" for s in timing.wall)
        hashed = f"{row['frames_hashed_per_s']:.1f}" if timing.hashed else "-"
        print(
            f"  {name:<16}{median:>10.3f}{timing.cpu_median:>8.2f}{hashed:>10}"
            f"{row['video_s_per_s']:>11.1f}{row['decoded_frames_per_s']:>11.0f}   {rounds}"
        )
    if "vpdq" in timings:
        ref = timings["vpdq"]
        for name in COMPARED:
            ours = timings[name]
            ratios = (
                ref.median / ours.median,
                ref.best / ours.best,
                ref.cpu_median / ours.cpu_median,
            )
            table[name]["speed_vs_vpdq"] = dict(zip(("median", "best", "cpu"), ratios, strict=True))
            print(
                f"  {name} / vpdq speed: {ratios[0]:.2f}x median wall, {ratios[1]:.2f}x best "
                f"wall, {ratios[2]:.2f}x median CPU"
            )
    share = timings["decode_floor"].cpu_median / timings["ours"].cpu_median
    print(f"  decoding alone is {100 * share:.0f}% of ours (CPU)")
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
