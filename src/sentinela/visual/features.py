"""ORB keypoints of a whole image, or of a region a user selected.

Why ORB: its 256-bit binary descriptors are compared by Hamming distance, so the national
index (:mod:`.region_index`) can be a faiss binary index of 32 bytes per keypoint, and they
are rotation-invariant and computed over a scale pyramid, which covers the same wallpaper
or toy photographed from another distance or angle. SIFT's 128-float descriptors would cost
16 times the memory per keypoint.

Why a region is a detection *mask* over the whole image rather than a crop: ORB ignores a
31-pixel border, so a small crop would yield no keypoints at all. With a mask, keypoints are
detected only inside the region, while their descriptors still see the pixels around them.

Images are decoded safely (:func:`sentinela.hashing.images.decode_image`), turned upright
(EXIF orientation, as the thumbnail the user selects on), made grey and scaled so that the
longer side is at most :data:`FEATURE_SIDE`. A region is given as fractions of the upright
image (``0..1``), so it means the same on the thumbnail and on the original.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from sentinela.errors import InvalidInputError
from sentinela.hashing.images import decode_image

#: Longest side of the image features are computed on, in pixels.
FEATURE_SIDE = 512
#: Keypoints kept per indexed image, and per query region.
INDEX_FEATURES = 500
QUERY_FEATURES = 500
#: The smallest region a user may select, in pixels of the full-size image.
MIN_REGION_PIXELS = 16
DESCRIPTOR_BYTES = 32


class RegionError(InvalidInputError):
    """The selected region is empty, too small or outside the image."""


class NoKeypointsError(InvalidInputError):
    """The image or region holds no keypoint (flat colour, or too little texture)."""


@dataclass(frozen=True)
class Features:
    """Keypoint positions ``(N, 2)`` float32 and ORB descriptors ``(N, 32)`` uint8."""

    xy: NDArray[np.float32]
    descriptors: NDArray[np.uint8]

    def __len__(self) -> int:
        return int(self.descriptors.shape[0])

    @classmethod
    def empty(cls) -> Features:
        """No keypoints."""
        return cls(
            np.zeros((0, 2), dtype=np.float32), np.zeros((0, DESCRIPTOR_BYTES), dtype=np.uint8)
        )


@dataclass(frozen=True)
class Region:
    """A selected rectangle, as fractions of the upright image's width and height."""

    x: float
    y: float
    w: float
    h: float

    def check(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The rectangle in pixels of an image of ``width`` x ``height``.

        Raises:
            RegionError: empty, outside ``0..1``, or under :data:`MIN_REGION_PIXELS` square.
        """
        values = (self.x, self.y, self.w, self.h)
        if any(not np.isfinite(v) for v in values) or self.w <= 0 or self.h <= 0:
            raise RegionError("the selected region is empty")
        if self.x < 0 or self.y < 0 or self.x + self.w > 1.0001 or self.y + self.h > 1.0001:
            raise RegionError("the selected region lies outside the image")
        px = (round(self.x * width), round(self.y * height))
        size = (round(self.w * width), round(self.h * height))
        if min(size) < MIN_REGION_PIXELS:
            raise RegionError(
                f"the selected region is {size[0]}x{size[1]} pixels; select at least "
                f"{MIN_REGION_PIXELS}x{MIN_REGION_PIXELS}"
            )
        return px[0], px[1], size[0], size[1]


def upright_grey(data: bytes) -> tuple[NDArray[np.uint8], tuple[int, int]]:
    """Decode an image for features.

    Returns:
        The grey pixels (longer side at most :data:`FEATURE_SIDE`) and the upright full-size
        ``(width, height)`` the image declares.

    Raises:
        UnsupportedMediaError: not a decodable image.
        DecompressionBombError: the image declares too many pixels.
    """
    decoded = decode_image(data)
    upright = ImageOps.exif_transpose(decoded.pixels)
    swapped = upright.size != decoded.pixels.size  # orientations 5-8 turn the image
    full = (decoded.height, decoded.width) if swapped else (decoded.width, decoded.height)
    grey = upright.convert("L")
    grey.thumbnail((FEATURE_SIDE, FEATURE_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.uint8), full


def grey_array(image: Image.Image) -> NDArray[np.uint8]:
    """A PIL image as grey pixels scaled like :func:`upright_grey` (for generated images)."""
    grey = image.convert("L")
    grey.thumbnail((FEATURE_SIDE, FEATURE_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.uint8)


def extract(
    grey: NDArray[np.uint8],
    *,
    n_features: int = INDEX_FEATURES,
    mask: NDArray[np.uint8] | None = None,
) -> Features:
    """ORB keypoints and descriptors of grey pixels, optionally only inside ``mask``."""
    orb = cv2.ORB.create(nfeatures=n_features)
    keypoints, descriptors = orb.detectAndCompute(grey, mask)
    if descriptors is None or not keypoints:
        return Features.empty()
    xy = np.array([k.pt for k in keypoints], dtype=np.float32).reshape(-1, 2)
    return Features(xy, np.ascontiguousarray(descriptors, dtype=np.uint8))


def region_features(
    grey: NDArray[np.uint8],
    full_size: tuple[int, int],
    region: Region,
    *,
    n_features: int = QUERY_FEATURES,
) -> Features:
    """The keypoints inside a selected region.

    Args:
        grey: pixels from :func:`upright_grey`.
        full_size: the upright full-size ``(width, height)``, for the minimum-size check.
        region: the selection, as fractions of the image.
        n_features: most keypoints kept.

    Raises:
        RegionError: the region is empty, outside the image or too small.
        NoKeypointsError: nothing to match inside the region.
    """
    region.check(*full_size)
    height, width = grey.shape
    x0, y0 = int(region.x * width), int(region.y * height)
    x1 = max(x0 + 1, round((region.x + region.w) * width))
    y1 = max(y0 + 1, round((region.y + region.h) * height))
    mask = np.zeros_like(grey)
    mask[y0:y1, x0:x1] = 255
    found = extract(grey, n_features=n_features, mask=mask)
    if not len(found):
        raise NoKeypointsError(
            "no keypoints in the selected region: it is too flat or too small to match; "
            "select a larger or more textured region"
        )
    return found
