"""The multi-index plan: a partition of the 256 bits and sub-radii that keep search exact."""

from __future__ import annotations

import numpy as np
import pytest

from sentinela.matching.codes import code_words
from sentinela.matching.layout import (
    Plan,
    extract_keys,
    make_plan,
    probe_count,
    probe_masks,
    split,
)


@pytest.mark.parametrize("rows", [0, 1, 1000, 10**5, 10**7, 10**8])
def test_plans_partition_the_bits(rows: int) -> None:
    plan = make_plan(rows)
    plan.check()
    assert Plan.from_json(plan.to_json()) == plan


@pytest.mark.parametrize("radius", [0, 1, 15, 31, 40, 48, 64])
@pytest.mark.parametrize("m", [4, 11, 13, 32])
def test_sub_radii_satisfy_the_pigeonhole_bound(radius: int, m: int) -> None:
    # Exactness needs sum(sub_radius + 1) > radius: a code at distance <= radius cannot
    # exceed every table's sub-radius.
    radii = Plan(split(m, 8), 31, 1000).table_radii(radius)
    assert sum(r + 1 for r in radii) == radius + 1


def test_probe_masks_enumerate_the_hamming_ball() -> None:
    masks = probe_masks(10, 2)
    assert len(masks) == len(set(masks.tolist())) == probe_count(10, 2) == 56
    assert max(bin(int(x)).count("1") for x in masks) == 2
    assert not masks.flags.writeable


def test_keys_across_a_word_boundary() -> None:
    codes = np.zeros((1, 32), np.uint8)
    codes[0, 7] = 0x80  # bit 63 of word 0
    codes[0, 8] = 0x01  # bit 0 of word 1
    assert extract_keys(code_words(codes), 60, 8).tolist() == [0b11000]
    assert extract_keys(code_words(codes), 64, 4).tolist() == [1]
