"""The sampled PDQ core gives pdqhash's hash and quality."""

from __future__ import annotations

import numpy as np
import pdqhash
import pytest
from PIL import Image

from sentinela.hashing.images import pdq_hex
from sentinela.hashing.pdq_sampled import pdq_bits, sample_matrix
from tests.hashing.helpers import gradient_shapes


def _photo_like(rows: int, cols: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (max(1, rows // 12), max(1, cols // 12), 3), dtype=np.uint8)
    smooth = np.asarray(Image.fromarray(coarse).resize((cols, rows), Image.Resampling.BILINEAR))
    noise = rng.integers(-6, 7, smooth.shape)
    return np.clip(smooth.astype(np.int16) + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("rows", "cols"),
    [(5, 5), (64, 64), (37, 100), (129, 257), (240, 320), (480, 640), (540, 960), (750, 1000)],
)
def test_same_hash_and_quality_as_pdqhash(rows: int, cols: int) -> None:
    for seed in range(3):
        pixels = _photo_like(rows, cols, seed)
        bits, quality = pdqhash.compute(pixels)
        ours, our_quality = pdq_bits(pixels)
        assert (pdq_hex(ours), our_quality) == (pdq_hex(bits), quality)


def test_grey_pixels_are_their_own_luma() -> None:
    grey = np.asarray(gradient_shapes(200, 150).convert("L"))
    rgb = np.repeat(grey[:, :, np.newaxis], 3, axis=2)
    assert pdq_hex(pdq_bits(grey)[0]) == pdq_hex(pdq_bits(rgb)[0])
    assert pdq_hex(pdq_bits(grey)[0]) == pdq_hex(pdqhash.compute(rgb)[0])


def test_tiny_images_hash_to_zero() -> None:
    bits, quality = pdq_bits(np.zeros((4, 100, 3), dtype=np.uint8))
    assert (pdq_hex(bits), quality) == ("0" * 64, 0)


@pytest.mark.parametrize("length", [5, 64, 128, 129, 1000, 4000])
def test_each_sample_is_a_weighted_mean_of_nearby_pixels(length: int) -> None:
    matrix = sample_matrix(length)
    assert matrix.shape == (length, 64)
    assert np.allclose(matrix.sum(axis=0), 1.0, atol=1e-5)
    assert (matrix >= -1e-7).all()
    support = (matrix > 1e-9).sum(axis=0)
    assert support.max() <= 2 * ((length + 127) // 128) + 1
