"""Known-material bench: importing a hash set into the database, and matching a case.

``python -m bench.known_material [--sizes 100000,1000000] [--media 100000]``

Side by side in the same run: the bare ``vics`` importer (parse only, the floor) and the
full import service (parse, batched writes in one transaction, audit, PDQ index catch-up,
re-triage), then a second version with 1% of entries changed, then ``match_case`` on a case
of synthetic media. Each measurement runs in its own process, so each peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.hashset_import.generate import generate

DEFAULT_SIZES = (100_000, 1_000_000)


def _measure(mode: str, path: Path, media: int = 0) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="sentinela-bench-"))
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.known_material.worker", mode, str(path),
             str(folder / "data"), str(media)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--media", type=int, default=100_000, help="items in the matched case")
    parser.add_argument("--out", type=Path, default=Path("bench/out/hashset_import"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{'records':>9} {'mode':>9} {'rec/s':>10} {'s':>8} {'peak RSS MB':>12} {'vs parse':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        path = generate(args.out / f"vics2_media_{size}.json", size)
        parse = _measure("parse", path)
        floor = size / parse["seconds"]
        for mode in ("parse", "import", "reimport"):
            run = parse if mode == "parse" else _measure(mode, path)
            rate = run["records"] / run["seconds"]
            print(f"{size:>9} {mode:>9} {rate:>10,.0f} {run['seconds']:>8.2f}"
                  f" {run['peak_kib'] / 1024:>12.1f} {rate / floor:>8.2f}x")  # fmt: skip
    size = int(args.sizes.split(",")[0])
    path = generate(args.out / f"vics2_media_{size}.json", size)
    run = _measure("match", path, args.media)
    print(f"match_case: {run['records']:,.0f} items against a set of {size:,} records:"
          f" {run['seconds']:.2f} s ({run['records'] / run['seconds']:,.0f} items/s),"
          f" {run['known']:,.0f} known, peak RSS {run['peak_kib'] / 1024:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
