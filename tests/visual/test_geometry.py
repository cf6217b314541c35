"""RANSAC similarity verification: exact transforms are recovered, noise is not."""

from __future__ import annotations

import numpy as np

from sentinela.visual.geometry import Verification, inliers


def test_a_similarity_transform_is_found_among_outliers() -> None:
    rng = np.random.default_rng(3)
    src = rng.uniform(0, 100, (60, 2)).astype(np.float32)
    angle, scale, shift = np.radians(25), 1.3, np.array([40.0, -12.0])
    rot = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = (src @ rot.T + shift).astype(np.float32)
    dst[40:] = rng.uniform(0, 200, (20, 2))  # a third are wrong matches
    assert inliers(src, dst) == 40


def test_random_matches_and_degenerate_input() -> None:
    rng = np.random.default_rng(4)
    src = rng.uniform(0, 256, (80, 2)).astype(np.float32)
    dst = rng.uniform(0, 256, (80, 2)).astype(np.float32)
    assert inliers(src, dst) < 8
    assert inliers(src[:1], dst[:1]) == 0
    same = np.zeros((5, 2), dtype=np.float32)
    assert inliers(same, same) == 0  # no pair defines a transform
    assert inliers(src, dst, Verification(seed=1)) == inliers(src, dst, Verification(seed=1))
