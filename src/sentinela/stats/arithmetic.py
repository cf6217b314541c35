"""Shares, growth and nearest-rank percentiles, exactly as the general rules define them.

Why nearest rank and not interpolation: a p90 of removal times must be a removal time that
actually happened, so anyone can recount it from the list of durations by hand.
"""

from __future__ import annotations

from collections.abc import Sequence


def share(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``; ``None`` (undefined) when the denominator is 0."""
    if denominator == 0:
        return None
    return numerator / denominator


def nearest_rank(values: Sequence[float], percent: int) -> float | None:
    """The smallest value with at least ``percent``% of the values at or below it.

    For sorted values ``v[1..n]`` that is ``v[ceil(percent * n / 100)]``, computed in
    integers so that no rounding error moves the rank. ``None`` for no values.

    Raises:
        ValueError: ``percent`` is not an integer in 1..100.
    """
    if not 1 <= percent <= 100:
        raise ValueError(f"percent must be in 1..100, got {percent}")
    if not values:
        return None
    ordered = sorted(values)
    rank = -(-percent * len(ordered) // 100)
    return ordered[rank - 1]


def growth(current: int, previous: int) -> float | None:
    """``(current - previous) / previous``; ``None`` when there was nothing before."""
    if previous == 0:
        return None
    return (current - previous) / previous


def meets_growth_target(current: int, previous: int, target_percent: int) -> bool | None:
    """Whether ``current >= previous * (1 + target_percent/100)``, in exact integers.

    ``None`` (not applicable) when ``previous`` is 0: no growth rate is defined.
    """
    if previous == 0:
        return None
    return current * 100 >= previous * (100 + target_percent)
