"""Region search bench: ``python -m bench.region_search [--images 100000] [--queries 20] ...``.

Indexes ``--images`` benign generated pictures (``data.py``), ``--planted`` of which hold the
same object, in Sentinela's region index (``sentinela.visual.region_index``: faiss binary
inverted file, ``--nlist`` lists, ``--nprobe`` probed). Then ``--queries`` new pictures with
the object are searched by the object's region, and it prints:

- query time p50 and p90 (ORB extraction of the region excluded: it is the same for both);
- the index size on disk (faiss file plus the owner and position arrays) and per image;
- recall on the planted objects (share of planted pictures found per query) and the number
  of hits that are not planted pictures.

In the same run, on a ``--subset`` of the pictures (at least 20 planted ones, padded with
plain ones), the same queries go through the fast index built on that subset (an inverted
file of ``--nlist``/16 lists) and the brute-force reference (``sentinela.visual.region_brute``:
every query keypoint against every picture), and it prints both medians, their ratio, both
recalls and how often the two return the same set of pictures. Develop with small sizes
(``--images 3000 --subset 300``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.region_search.data import corpus_features, planted
from sentinela.visual.candidates import MatchParams
from sentinela.visual.features import Features, Region, grey_array, region_features
from sentinela.visual.region_brute import BruteRegionMatcher
from sentinela.visual.region_index import RegionIndex


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.region_search", description=__doc__.split("\n")[0]
    )
    p.add_argument("--images", type=int, default=100_000, help="pictures indexed")
    p.add_argument("--planted", type=int, default=200, help="pictures holding the object")
    p.add_argument("--queries", type=int, default=20, help="region queries")
    p.add_argument(
        "--subset", type=int, default=1000, help="pictures in the brute-force comparison"
    )
    p.add_argument("--features", type=int, default=150, help="ORB keypoints per indexed picture")
    p.add_argument("--nlist", type=int, default=1024, help="inverted lists")
    p.add_argument("--nprobe", type=int, default=16, help="lists probed per descriptor")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    return p.parse_args()


def _timed(
    search: object, queries: list[Features], params: MatchParams
) -> tuple[list[float], list[set[int]]]:
    times, found = [], []
    for q in queries:
        start = time.perf_counter()
        hits = search.search(q, params)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
        found.append({h.media_id for h in hits})
    return times, found


def _recall(found: list[set[int]], truth: set[int]) -> tuple[float, float]:
    if not truth:
        return 1.0, 0.0
    recall = float(np.mean([len(f & truth) / len(truth) for f in found]))
    extra = float(np.mean([len(f - truth) for f in found]))
    return recall, extra


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(values, q) * 1000)


def main() -> None:
    args = parse()
    rng = np.random.default_rng(1)
    seeds = list(range(args.images))
    planted_seeds = {
        int(s) for s in rng.choice(args.images, size=min(args.planted, args.images), replace=False)
    }
    t0 = time.perf_counter()
    items = corpus_features(seeds, planted_seeds, args.features, args.workers)
    t_extract = time.perf_counter() - t0
    rows = sum(len(f) for _, f in items)
    print(
        f"corpus: {args.images} pictures, {len(planted_seeds)} with the object, {rows} keypoints; "
        f"generated and extracted in {t_extract:.1f} s ({args.workers} processes)"
    )

    queries = []
    for k in range(args.queries):
        img, box = planted(10_000_000 + k)
        queries.append(region_features(grey_array(img), img.size, Region(*box)))
    params = MatchParams()

    t0 = time.perf_counter()
    index = RegionIndex.build(items, nlist=args.nlist, nprobe=args.nprobe)
    t_build = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        index.save(Path(tmp))
        size = index.file_bytes(Path(tmp))
    times, found = _timed(index, queries, params)
    recall, extra = _recall(found, planted_seeds)
    print(
        f"\nfast index ({index.kind}, nlist {args.nlist}, nprobe {args.nprobe}) "
        f"over {args.images} pictures"
    )
    print(
        f"  build {t_build:.1f} s; size on disk {size / 2**20:.1f} MiB "
        f"({size / args.images:.0f} B per picture)"
    )
    print(
        f"  query p50 {_ms(times, 50):.1f} ms, p90 {_ms(times, 90):.1f} ms "
        f"(query keypoints: median {int(np.median([len(q) for q in queries]))})"
    )
    print(f"  recall on planted objects {recall:.1%}; non-planted hits per query {extra:.2f}")

    # the same share of planted pictures as in the whole corpus, and at least 20 of them
    share = max(20, args.subset * len(planted_seeds) // max(1, args.images))
    in_subset = sorted(planted_seeds)[:share]
    plain = [s for s in seeds if s not in planted_seeds][: args.subset - len(in_subset)]
    subset_ids = set(in_subset) | set(plain)
    sub_items = [(m, f) for m, f in items if m in subset_ids]
    sub_truth = set(in_subset)
    sub_index = RegionIndex.build(
        sub_items, nlist=max(16, args.nlist // 16), nprobe=args.nprobe, min_ivf_rows=1
    )
    brute = BruteRegionMatcher.build(sub_items)
    f_times, f_found = _timed(sub_index, queries, params)
    b_times, b_found = _timed(brute, queries, params)
    f_recall, f_extra = _recall(f_found, sub_truth)
    b_recall, b_extra = _recall(b_found, sub_truth)
    same = sum(a == b for a, b in zip(f_found, b_found, strict=True))
    print(
        f"\nsubset of {len(sub_items)} pictures ({len(sub_truth)} with the object), "
        f"same {args.queries} queries"
    )
    print(
        f"  fast ({sub_index.kind}) p50 {_ms(f_times, 50):.1f} ms; "
        f"recall {f_recall:.1%}; extra {f_extra:.2f}"
    )
    print(
        f"  brute-force p50 {_ms(b_times, 50):.1f} ms; recall {b_recall:.1%}; extra {b_extra:.2f}"
    )
    print(
        f"  brute/fast median time ratio {np.median(b_times) / np.median(f_times):.1f}x; "
        f"identical result sets on {same}/{args.queries} queries"
    )


if __name__ == "__main__":
    main()
