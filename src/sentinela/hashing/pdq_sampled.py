"""PDQ computed at the 64 x 64 points it samples, instead of blurring every pixel first.

Why: the reference PDQ (``pdqhash``, Meta's ``pdqhashing.cpp``) computes a float luma plane of
the whole image, blurs all of it with two passes of box filters along each axis (Jarosz), then
keeps 64 x 64 of the blurred pixels. On a drafted photo that is most of the hashing time
(about 8 ms of ``pdqhash.compute`` on 960x540, where the draft decode itself takes about 6 ms).
Every step before the DCT is linear and separable, so each kept sample is a fixed weighted sum
of a small window of pixels along each axis: applying exactly those weights does the same
arithmetic on far fewer values and gives the same 64 x 64 buffer, up to float rounding. The
DCT, the median threshold and the quality metric then follow the reference line by line.

What is kept identical to the reference:

- luma ``0.299 R + 0.587 G + 0.114 B`` (grey pixels are their own luma);
- box window per pass ``ceil(dimension / 128)``, with the reference's asymmetric window and
  its shrinking windows at the edges, two passes per axis;
- decimation at pixel ``int((i + 0.5) * dimension / 64)``;
- quality: summed truncated gradients of the 64 x 64 buffer, divided by 90, capped at 100;
- bits: DCT coefficient (i, j) above the (lower) median of the 256 sets bit ``16 i + j``; the
  hex form is python-threatexchange's, as :func:`sentinela.hashing.images.pdq_hex` writes it;
- images smaller than 5 pixels on a side hash to all zeros with quality 0.

The sums are taken in a different order (and partly in float64), so a coefficient lying within
rounding distance of the median can flip its bit: ``tests/hashing/test_pdq_sampled.py``
compares it with ``pdqhash`` on many images, and ``python -m bench.hashing`` reports how often
the two agree exactly. Matching still confirms candidates with the reference
(:func:`sentinela.hashing.images.pdq_full`).
"""

from __future__ import annotations

import functools
import math
from typing import Final

import numpy as np
from numpy.typing import NDArray

#: Luma coefficients of the reference (ITU-R BT.601).
LUMA: Final = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_MIN_DIMENSION: Final = 5
_WINDOW_DIVISOR: Final = 128
_SAMPLES: Final = 64


@functools.cache
def _dct_matrix() -> NDArray[np.float64]:
    scale = math.sqrt(2.0 / 64.0)
    i = np.arange(1, 17, dtype=np.float64)[:, np.newaxis]
    j = np.arange(64, dtype=np.float64)[np.newaxis, :]
    return (
        (scale * np.cos((math.pi / 2 / 64.0) * i * (2 * j + 1)))
        .astype(np.float32)
        .astype(np.float64)
    )


@functools.lru_cache(maxsize=256)
def sample_matrix(length: int) -> NDArray[np.float32]:
    """The ``length`` x 64 matrix taking one axis of a luma plane to its 64 samples.

    Column ``i`` holds the weight of every pixel in sample ``i``: two reference box passes
    followed by the reference decimation. Only about ``2 * ceil(length / 128)`` pixels around
    each sample's centre have a weight.
    """
    window = (length + _WINDOW_DIVISOR - 1) // _WINDOW_DIVISOR
    half = (window + 2) // 2
    behind, ahead = window - half, half - 1  # pixels before and after the output pixel
    positions = np.arange(length)
    low = np.maximum(positions - behind, 0)
    high = np.minimum(positions + ahead, length - 1)
    share = 1.0 / (high - low + 1)  # one box pass: the mean over [low, high]
    centres = ((np.arange(_SAMPLES) + 0.5) * length / _SAMPLES).astype(np.intp)
    matrix = np.zeros((length + 1, _SAMPLES), dtype=np.float64)
    for column, centre in enumerate(centres):
        first = np.arange(low[centre], high[centre] + 1)  # pixels of the second pass's box
        np.add.at(matrix[:, column], low[first], share[first] * share[centre])
        np.add.at(matrix[:, column], high[first] + 1, -share[first] * share[centre])
    result = np.cumsum(matrix, axis=0)[:length].astype(np.float32)
    result.setflags(write=False)
    return result


def luma(pixels: NDArray[np.uint8]) -> NDArray[np.float32]:
    """The reference's float luma of an H x W x 3 RGB or H x W grey array."""
    if pixels.ndim == 2:
        return pixels.astype(np.float32)
    result: NDArray[np.float32] = np.matmul(pixels, LUMA)
    return result


def downsample(plane: NDArray[np.float32]) -> NDArray[np.float64]:
    """The reference's 64 x 64 buffer (blurred and decimated) of a luma plane."""
    rows, cols = plane.shape
    across = plane @ sample_matrix(cols)  # rows x 64
    return (sample_matrix(rows).T @ across).astype(np.float64)


def quality(buffer: NDArray[np.float64]) -> int:
    """The reference's image-domain quality metric of the 64 x 64 buffer."""
    vertical = np.trunc((buffer[:-1, :] - buffer[1:, :]) * 100 / 255)
    horizontal = np.trunc((buffer[:, :-1] - buffer[:, 1:]) * 100 / 255)
    gradient = int(np.abs(vertical).sum() + np.abs(horizontal).sum())
    return min(gradient // 90, 100)


def pdq_bits(pixels: NDArray[np.uint8]) -> tuple[NDArray[np.uint8], int]:
    """PDQ of decoded pixels (H x W x 3 RGB or H x W grey, uint8).

    Returns:
        The 256 bits in ``pdqhash.compute()``'s order (for :func:`pdq_hex`) and the quality.
    """
    rows, cols = pixels.shape[:2]
    if rows < _MIN_DIMENSION or cols < _MIN_DIMENSION:
        return np.zeros(256, dtype=np.uint8), 0
    buffer = downsample(luma(pixels))
    dct = _dct_matrix()
    coefficients = (dct @ buffer @ dct.T).ravel()
    median = np.partition(coefficients, 127)[127]  # Torben's median: the lower of the two
    bits = (coefficients > median).astype(np.uint8)
    return bits[::-1], quality(buffer)
