"""Geometric verification: do the matched keypoints agree on one placement of the region?

Descriptor matches alone are noisy: a brick wall matches every other brick wall. A true hit
is one where many matches agree on a single transform from the query region to the other
image. The model is a *similarity* (rotation, uniform scale, translation): the objects this
search is for (a poster, a toy, a logo) are mostly seen face-on, and with four degrees of
freedom two matches define a hypothesis, so RANSAC needs few iterations and few inliers to
be sure.

Why our own RANSAC instead of ``cv2.estimateAffinePartial2D``: the fast index and the
brute-force reference must reach the same verdict on the same matches, so the random
sampling is seeded and identical in both, and the whole hypothesis set is scored in one
vectorised step. A point is written as a complex number ``z``; a similarity is
``w = a * z + b`` with complex ``a`` (rotation and scale) and ``b`` (translation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Verification:
    """RANSAC settings.

    Attributes:
        threshold: largest distance, in pixels of the other image, for an inlier.
        iterations: hypotheses drawn.
        min_scale: smallest plausible scale between the region and the other image.
        max_scale: largest plausible scale.
        seed: the sampling seed (fixed, so results are reproducible).
    """

    threshold: float = 5.0
    iterations: int = 300
    min_scale: float = 0.2
    max_scale: float = 5.0
    seed: int = 0


def _complex(points: NDArray[np.float32]) -> NDArray[np.complex128]:
    return points[:, 0].astype(np.float64) + 1j * points[:, 1].astype(np.float64)


def _count(
    a: NDArray[np.complex128],
    b: NDArray[np.complex128],
    z: NDArray[np.complex128],
    w: NDArray[np.complex128],
    threshold: float,
) -> NDArray[np.int64]:
    error = np.abs(a[:, None] * z[None, :] + b[:, None] - w[None, :])
    counts: NDArray[np.int64] = (error <= threshold).sum(axis=1)
    return counts


def inliers(
    src: NDArray[np.float32], dst: NDArray[np.float32], params: Verification | None = None
) -> int:
    """How many ``src -> dst`` matches fit the best similarity transform.

    Args:
        src: ``(N, 2)`` keypoint positions in the query image.
        dst: ``(N, 2)`` the matched positions in the other image.
        params: RANSAC settings.

    Returns:
        The inlier count of the best transform (0 with fewer than two matches).
    """
    params = params or Verification()
    n = len(src)
    if n < 2:
        return 0
    z, w = _complex(src), _complex(dst)
    rng = np.random.default_rng(params.seed)
    pairs = rng.integers(0, n, size=(params.iterations, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    dz = z[pairs[:, 1]] - z[pairs[:, 0]]
    keep = np.abs(dz) > 1e-6
    pairs, dz = pairs[keep], dz[keep]
    if not len(pairs):
        return 0
    a = (w[pairs[:, 1]] - w[pairs[:, 0]]) / dz
    plausible = (np.abs(a) >= params.min_scale) & (np.abs(a) <= params.max_scale)
    a, pairs = a[plausible], pairs[plausible]
    if not len(a):
        return 0
    b = w[pairs[:, 0]] - a * z[pairs[:, 0]]
    counts = _count(a, b, z, w, params.threshold)
    best = int(np.argmax(counts))
    fit = np.abs(a[best] * z + b[best] - w) <= params.threshold
    if fit.sum() >= 2:  # refine on the inliers by least squares, then count again
        design = np.stack([z[fit], np.ones(int(fit.sum()), dtype=np.complex128)], axis=1)
        (a_ls, b_ls), *_ = np.linalg.lstsq(design, w[fit], rcond=None)
        if params.min_scale <= abs(a_ls) <= params.max_scale:
            refined = _count(np.array([a_ls]), np.array([b_ls]), z, w, params.threshold)
            return max(int(counts[best]), int(refined[0]))
    return int(counts[best])
