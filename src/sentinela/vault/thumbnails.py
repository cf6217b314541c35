"""Thumbnails: made at ingest, stored encrypted, rendered on the server for display.

Why the server blurs: the analyst workspace shows thumbnails blurred and greyscale by default.
If the browser did the blurring, the clear image would still be sent over the wire, sit in the
browser cache and be one devtools click away. So the server decrypts the thumbnail, renders
the requested mode in memory and sends only those bytes; the clear rendering is sent only for
an explicit, audited reveal. Nothing here touches the disk.

The blurred rendering first averages the image down to a 12-pixel grid (box filter), which
discards every detail smaller than a twelfth of the picture whatever the blur radius, then
scales it back up and applies a Gaussian blur whose radius is a fixed fraction of the image
size to hide the grid. What remains is a rough layout of light and dark, enough to see that an
item is there and nothing that identifies a person or a place.
"""

from __future__ import annotations

import io
import warnings
from typing import Literal

from PIL import Image, ImageFilter, ImageOps

from sentinela.errors import DecompressionBombError, InvalidInputError, UnsupportedMediaError

RenderMode = Literal["blurred", "revealed"]

THUMBNAIL_MAX_SIDE = 320
MAX_THUMBNAIL_PIXELS = 4096 * 4096
BLUR_GRID = 12
BLUR_RADIUS_FRACTION = 0.05
_JPEG_QUALITY = 85


def _open(data: bytes, *, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise DecompressionBombError(
                    f"image of {width}x{height} pixels exceeds the {max_pixels}-pixel limit"
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DecompressionBombError(f"image too large to render: {exc}") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise UnsupportedMediaError(f"cannot decode image: {exc}") from None
    return ImageOps.exif_transpose(image)


def _jpeg(image: Image.Image, *, quality: int = _JPEG_QUALITY) -> bytes:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)  # no EXIF: metadata dropped
    return out.getvalue()


def make_thumbnail(image: Image.Image, *, max_side: int = THUMBNAIL_MAX_SIDE) -> bytes:
    """Build the small JPEG stored in the vault beside a media item.

    Args:
        image: the decoded image (not modified).
        max_side: the longest side of the thumbnail, in pixels.

    Returns:
        JPEG bytes, upright (EXIF orientation applied), with no metadata.
    """
    thumb = ImageOps.exif_transpose(image)
    thumb = thumb.convert("RGB") if thumb.mode not in ("RGB", "L") else thumb.copy()
    thumb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _jpeg(thumb)


def blur(image: Image.Image) -> Image.Image:
    """Return a greyscale, unrecognisable rendering of ``image``, the same size."""
    grey = image.convert("L")
    width, height = grey.size
    longest = max(width, height)
    grid = (
        max(1, round(width * BLUR_GRID / longest)),
        max(1, round(height * BLUR_GRID / longest)),
    )
    coarse = grey.resize(grid, Image.Resampling.BOX)
    smooth = coarse.resize((width, height), Image.Resampling.BILINEAR)
    return smooth.filter(ImageFilter.GaussianBlur(radius=max(1.0, longest * BLUR_RADIUS_FRACTION)))


def render_thumbnail(thumbnail_jpeg: bytes, mode: RenderMode) -> bytes:
    """Render a stored thumbnail for display, in memory.

    Args:
        thumbnail_jpeg: the decrypted thumbnail.
        mode: ``blurred`` (greyscale and strongly blurred, the default view) or ``revealed``
            (the clear image, only after an explicit, audited reveal).

    Returns:
        JPEG bytes with no metadata.

    Raises:
        InvalidInputError: unknown mode.
        UnsupportedMediaError: the bytes are not a decodable image.
        DecompressionBombError: the image claims too many pixels.
    """
    if mode not in ("blurred", "revealed"):
        raise InvalidInputError(f"unknown thumbnail mode {mode!r} (blurred or revealed)")
    image = _open(thumbnail_jpeg, max_pixels=MAX_THUMBNAIL_PIXELS)
    if mode == "blurred":
        return _jpeg(blur(image))
    return _jpeg(image)
