"""Shares, growth and nearest-rank percentiles, checked by hand."""

from __future__ import annotations

import pytest

from sentinela.stats.arithmetic import growth, meets_growth_target, nearest_rank, share


def test_nearest_rank() -> None:
    values = [15, 20, 35, 40, 50]
    assert nearest_rank(values, 50) == 35  # ceil(2.5) = rank 3
    assert nearest_rank(values, 90) == 50  # ceil(4.5) = rank 5
    assert nearest_rank(values, 20) == 15  # rank 1 exactly
    assert nearest_rank(list(range(1, 31)), 90) == 27  # 0.9 * 30 = 27 exactly, no float drift
    assert nearest_rank([7.0], 50) == 7.0
    assert nearest_rank([], 50) is None
    with pytest.raises(ValueError, match=r"1\.\.100"):
        nearest_rank(values, 0)


def test_shares_and_growth() -> None:
    assert share(1, 4) == 0.25 and share(0, 0) is None
    assert growth(11, 10) == pytest.approx(0.1) and growth(5, 0) is None
    assert meets_growth_target(11, 10, 10) is True  # exactly +10%
    assert meets_growth_target(10, 10, 10) is False
    assert meets_growth_target(3, 0, 10) is None
