"""Small JPEG thumbnails for review screens, made from the pixels PDQ already decoded.

The thumbnail is built in memory and returned as bytes; it is never written to disk here,
because it is media content: the vault encrypts it next to the original. It comes from the
drafted decode, so it costs no second decode; an integer box reduction (``Image.reduce``) is
used instead of a resampling filter because it is several times cheaper and a thumbnail of at
most 256 pixels shows no difference.
"""

from __future__ import annotations

import io
import math
from typing import Final

from PIL import Image

from sentinela.errors import InvalidInputError

#: Longest side of a thumbnail, in pixels.
THUMBNAIL_MAX_SIDE: Final = 256
#: JPEG quality of thumbnails; enough to recognise a scene, small in the vault.
THUMBNAIL_QUALITY: Final = 80


def make_thumbnail(
    pixels: Image.Image, *, max_side: int = THUMBNAIL_MAX_SIDE, quality: int = THUMBNAIL_QUALITY
) -> bytes:
    """Encode a JPEG thumbnail whose longest side is at most ``max_side``.

    The image is reduced by the smallest integer factor that fits, so the thumbnail's longest
    side lies between ``max_side / 2`` and ``max_side`` (or is the image's own size when it is
    already small).

    Args:
        pixels: decoded pixels (any mode; converted to RGB or L for JPEG).
        max_side: longest side allowed.
        quality: JPEG quality, 1-95.

    Returns:
        The JPEG file as bytes.

    Raises:
        InvalidInputError: ``max_side`` is not positive or ``quality`` is out of range.
    """
    if max_side < 1 or not 1 <= quality <= 95:
        raise InvalidInputError("thumbnail max_side must be positive and quality within 1-95")
    image = pixels if pixels.mode in ("RGB", "L") else pixels.convert("RGB")
    factor = math.ceil(max(image.size) / max_side)
    if factor > 1:
        image = image.reduce(factor)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()
