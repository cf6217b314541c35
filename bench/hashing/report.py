"""Runs the hashing bench and prints its tables (see ``__main__.py`` for what is measured)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from bench.hashing.dataset import BenchImage, counts, load_or_generate
from bench.hashing.runners import (
    Drift,
    Runner,
    Timing,
    draft_floor,
    measure_drift,
    ours,
    threatexchange,
    time_rounds,
)
from sentinela.hashing.allocator import keep_freed_memory
from sentinela.hashing.images import DRAFT_TARGET, ImageLimits

TARGET_VS_TX = 6.0
TARGET_VS_FLOOR = 0.6
TARGET_DRIFT = (2, 10, 16)


def run_bench(args: argparse.Namespace, cpu: int) -> int:
    """Generate (or reuse) the set, time the runners, measure drift, print; 0 if targets hold."""
    started = time.perf_counter()
    images = load_or_generate(args.out, args.scale)
    spec = ", ".join(f"{n} x {label}" for label, _, _, n in counts(args.scale))
    print(f"bench set: {spec} JPEG q90 ({len(images)} files) under {images[0].path.parent}")
    # Process-wide, so all three runners get it, as an ingest worker would set it up.
    tuned = keep_freed_memory() if not args.no_allocator_tuning else False
    print(
        f"pinned to CPU {cpu}; {args.rounds} rounds; draft target {DRAFT_TARGET} px; "
        f"allocator tuned: {tuned}"
    )
    _print_sizes(images)

    limits = ImageLimits()
    runners: dict[str, Runner] = {"ours": ours(limits), "floor": draft_floor(limits)}
    if not args.skip_threatexchange:
        runners["threatexchange"] = threatexchange
    for run in runners.values():  # warm the page cache and lazy imports
        run(images[0].path)
    timings = time_rounds(runners, images, args.rounds)
    ok = _print_speed(timings, images)

    drift = measure_drift(images, limits, check_threatexchange=True)
    ok &= _print_drift(drift, images)
    agree, total = drift.threatexchange_agreement
    print(
        f"\nfull-resolution PDQ identical to threatexchange's (hash and quality): {agree}/{total}"
    )
    same, compared = drift.sampled_agreement
    print(f"sampled PDQ identical to pdqhash on the same drafted pixels: {same}/{compared}")

    if args.sweep:
        _sweep(images, [int(t) for t in args.sweep.split(",")], args.rounds)
    verdict = "MET" if ok else "MISSED"
    print(f"\nbench wall time {time.perf_counter() - started:.0f} s; targets {verdict}")
    return 0 if ok else 1


def _print_sizes(images: Sequence[BenchImage]) -> None:
    for size_class in _classes(images):
        sizes = [im.path.stat().st_size for im in images if im.size_class == size_class]
        mean = sum(sizes) / len(sizes) / 1e6
        print(
            f"  {size_class}: mean {mean:.2f} MB, {min(sizes) / 1e6:.2f}-{max(sizes) / 1e6:.2f} MB"
        )
    print()


def _classes(images: Sequence[BenchImage]) -> list[str]:
    return list(dict.fromkeys(image.size_class for image in images))


def _print_speed(timings: dict[str, Timing], images: Sequence[BenchImage]) -> bool:
    names = list(timings)
    header = f"{'class':<10} {'n':>4} " + " ".join(f"{n + ' img/s':>20}" for n in names)
    header += f" {'ours/tx':>8} {'ours/floor':>10}"
    print(header)
    print("-" * len(header))
    ok = True
    for size_class in [*_classes(images), None]:
        n = sum(1 for im in images if size_class in (None, im.size_class))
        rates = {name: n / t.median_seconds(size_class) for name, t in timings.items()}
        cells = " ".join(f"{rates[name]:>20.1f}" for name in names)
        vs_tx = rates["ours"] / rates["threatexchange"] if "threatexchange" in rates else 0.0
        vs_floor = rates["ours"] / rates["floor"]
        print(f"{size_class or 'all':<10} {n:>4} {cells} {vs_tx:>8.2f} {vs_floor:>10.2f}")
        if size_class is None:
            ok = vs_floor >= TARGET_VS_FLOOR and (vs_tx >= TARGET_VS_TX or vs_tx == 0.0)
    medians = {name: t.median_seconds() for name, t in timings.items()}
    print("median seconds per round: " + ", ".join(f"{k} {v:.2f}" for k, v in medians.items()))
    print(f"targets: ours/tx >= {TARGET_VS_TX}, ours/floor >= {TARGET_VS_FLOOR}")
    return ok


def _print_drift(drift: Drift, images: Sequence[BenchImage]) -> bool:
    print("\nPDQ drift, drafted vs full-resolution pdqhash (Hamming bits)")
    print(f"{'class':<10} {'median':>7} {'p99':>5} {'max':>5}")
    for size_class in [*_classes(images), None]:
        median, p99, worst = drift.stats(size_class)
        print(f"{size_class or 'all':<10} {median:>7.1f} {p99:>5} {worst:>5}")
    median, p99, worst = drift.stats()
    print(
        f"targets: median <= {TARGET_DRIFT[0]}, p99 <= {TARGET_DRIFT[1]}, max <= {TARGET_DRIFT[2]}"
    )
    limit_median, limit_p99, limit_max = TARGET_DRIFT
    return median <= limit_median and p99 <= limit_p99 and worst <= limit_max


def _sweep(images: Sequence[BenchImage], targets: list[int], rounds: int) -> None:
    print("\ndraft target sweep (ours and floor at each target, same set)")
    columns = ("target", "median", "p99", "max", "ours img/s", "floor img/s", "ratio")
    widths = (6, 7, 5, 5, 11, 12, 6)
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for target in targets:
        limits = ImageLimits(draft_target=target)
        drift = measure_drift(images, limits, check_threatexchange=False)
        median, p99, worst = drift.stats()
        timings = time_rounds({"ours": ours(limits), "floor": draft_floor(limits)}, images, rounds)
        rate_ours = len(images) / timings["ours"].median_seconds()
        rate_floor = len(images) / timings["floor"].median_seconds()
        print(
            f"{target:>6} {median:>7.1f} {p99:>5} {worst:>5} {rate_ours:>11.1f} "
            f"{rate_floor:>12.1f} {rate_ours / rate_floor:>6.2f}"
        )
