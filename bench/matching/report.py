"""Printing the matching bench's per-case figures, ratios and target checks."""

from __future__ import annotations

from typing import Any


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def _ms(s: float) -> str:
    return f"{s * 1e3:,.3f} ms"


def print_case(case: dict[str, Any]) -> None:
    """Print one (size, dataset) case."""
    ours, ref, truth = case["ours"], case.get("reference"), case["truth"]
    print(f"\n== {case['size']:.0e} codes, {case['dataset']} ==")
    print(f"brute force (faiss IndexBinaryFlat): {truth['qps']:,.0f} q/s, {truth['pairs']} pairs")
    print(
        f"ours: build {ours['build_s']:.1f} s, {ours['qps']:,.0f} q/s, memory rss "
        f"{_mb(ours['rss_bytes'])} (arrays {_mb(ours['nbytes'])}), key bits {ours['plan']}"
    )
    print(
        f"ours: recall {ours['recall']:.4%} of {ours['pairs_truth']} pairs, "
        f"{ours['extra']} extra; add one: median {_ms(ours['add_median_s'])}, p99 "
        f"{_ms(ours['add_p99_s'])}, max {_ms(ours['add_max_s'])}, amortised over "
        f"{ours['add_count']} {_ms(ours['add_amortised_s'])}"
    )
    if "load_mmap_s" in ours:
        print(
            f"ours: save {ours['save_s']:.2f} s, {_mb(ours['disk_bytes'])} on disk; load "
            f"(checksums verified) mmap {ours['load_mmap_s']:.3f} s, into RAM "
            f"{ours['load_ram_s']:.3f} s; first 100 queries after mmap load "
            f"{ours['first_100_queries_after_mmap_load_s']:.3f} s"
        )
    if ref is None:
        return
    add = f", add one {_ms(ref['add_median_s'])}" if "add_median_s" in ref else ""
    print(
        f"PDQIndex: build {ref['build_s']:.1f} s, {ref['qps']:,.0f} q/s batched, "
        f"{ref['qps_single_query_api']:,.0f} q/s via query(), memory rss "
        f"{_mb(ref['rss_bytes'])}, recall {ref['recall']:.4%}{add}; pickle "
        f"{_mb(ref['disk_bytes'])}, unpickle {ref['load_s']:.2f} s"
    )
    print(
        f"ratios: q/s {ours['qps'] / ref['qps']:.1f}x batched, "
        f"{ours['qps'] / ref['qps_single_query_api']:.1f}x query(); memory "
        f"{ours['rss_bytes'] / ref['rss_bytes']:.3f} of PDQIndex; load "
        f"{ours['load_mmap_s'] / ref['load_s']:.3f} (mmap), "
        f"{ours['load_ram_s'] / ref['load_s']:.3f} (RAM) of unpickle"
    )


def _check(label: str, ok: bool, detail: str) -> None:
    print(f"  [{'PASS' if ok else 'FAIL'}] {label}: {detail}")


def print_summary(cases: list[dict[str, Any]]) -> None:
    """Print the target checks over every case run."""
    print("\n== targets ==")
    for case in cases:
        ours, ref = case["ours"], case.get("reference")
        tag = f"{case['size']:.0e} {case['dataset']}"
        _check(f"recall {tag}", ours["recall"] == 1.0, f"{ours['recall']:.4%}")
        if ref is None:
            continue
        if case["size"] >= 10**7:
            ratio = ours["qps"] / ref["qps"]
            _check(f"q/s >= 8x {tag}", ratio >= 8, f"{ratio:.1f}x")
            load = ours["load_mmap_s"] / ref["load_s"]
            _check(f"load <= 1/5 {tag}", load <= 0.2, f"{load:.3f}")
        memory = ours["rss_bytes"] / ref["rss_bytes"]
        _check(f"memory <= 1/2 {tag}", memory <= 0.5, f"{memory:.3f}")
        if case["size"] == 10**6:
            add = ours["add_median_s"]
            _check(f"add one <= 1 ms {tag}", add <= 1e-3, f"median {_ms(add)}")
