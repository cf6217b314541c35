"""Import bench: records/s and peak RSS of the streaming VICS importer vs ``json.load``.

Each measurement runs in its own subprocess, so each peak RSS belongs to one run only. Streaming
means the peak stays flat as the file grows; the ``json.load`` reference grows with the file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench.hashset_import.generate import generate

DEFAULT_SIZES = (250_000, 500_000, 1_000_000)
MODES = ("stream", "json_load")


def _measure(mode: str, path: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.hashset_import.worker", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--repeat", type=int, default=3, help="runs per size and mode")
    parser.add_argument("--out", type=Path, default=Path("bench/out/hashset_import"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)

    print(f"{'records':>9} {'file MB':>8} {'mode':>9} {'rec/s (median)':>15} {'s':>7} "
          f"{'peak RSS MB':>12} {'growth MB':>10}")  # fmt: skip
    peaks: dict[str, list[float]] = {mode: [] for mode in MODES}
    rates: dict[str, list[float]] = {mode: [] for mode in MODES}
    for size in sizes:
        path = generate(args.out / f"vics2_media_{size}.json", size)
        mb = path.stat().st_size / 1e6
        for mode in MODES:
            runs = [_measure(mode, path) for _ in range(args.repeat)]
            assert all(run["records"] == size for run in runs)
            seconds = statistics.median(run["seconds"] for run in runs)
            peak = max(run["peak_kib"] for run in runs) / 1024
            growth = max(run["peak_kib"] - run["baseline_kib"] for run in runs) / 1024
            peaks[mode].append(peak)
            rates[mode].append(size / seconds)
            print(f"{size:>9} {mb:>8.1f} {mode:>9} {size / seconds:>15,.0f} {seconds:>7.2f} "
                  f"{peak:>12.1f} {growth:>10.1f}")  # fmt: skip
    if len(sizes) > 1:
        for mode in MODES:
            growth_ratio = peaks[mode][-1] / peaks[mode][0]
            print(f"{mode}: peak RSS at {sizes[-1]:,} / at {sizes[0]:,} records = "
                  f"{growth_ratio:.2f}x (file {sizes[-1] / sizes[0]:.0f}x)")  # fmt: skip
    ratio_rss = peaks["stream"][-1] / peaks["json_load"][-1]
    ratio_rate = rates["stream"][-1] / rates["json_load"][-1]
    print(f"at {sizes[-1]:,} records: stream peak RSS = {ratio_rss:.2f}x"
          f" json_load's; stream rec/s = {ratio_rate:.2f}x json_load's")  # fmt: skip


if __name__ == "__main__":
    main()
