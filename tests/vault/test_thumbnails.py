from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from skimage import data as samples

from sentinela.errors import DecompressionBombError, InvalidInputError, UnsupportedMediaError
from sentinela.vault.thumbnails import make_thumbnail, render_thumbnail


def _decode(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    image.load()
    return image


def _high_frequency_energy(image: Image.Image) -> float:
    """Mean squared Laplacian of the greyscale image: fine detail, edges, texture."""
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    lap = (
        -4 * grey[1:-1, 1:-1] + grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:]
    )
    return float(np.mean(lap**2))


@pytest.fixture(scope="module")
def astronaut_thumb() -> bytes:
    return make_thumbnail(Image.fromarray(samples.astronaut()))


def test_make_thumbnail_is_a_small_jpeg(astronaut_thumb: bytes) -> None:
    image = _decode(astronaut_thumb)
    assert max(image.size) == 320 and image.mode == "RGB"
    wide = make_thumbnail(Image.fromarray(samples.coffee()), max_side=100)
    assert _decode(wide).size == (100, 67)


def test_blurred_is_greyscale_and_has_lost_its_detail(astronaut_thumb: bytes) -> None:
    clear = _decode(render_thumbnail(astronaut_thumb, "revealed"))
    blurred = _decode(render_thumbnail(astronaut_thumb, "blurred"))
    assert blurred.mode == "L"
    assert blurred.size == clear.size
    ratio = _high_frequency_energy(blurred) / _high_frequency_energy(clear)
    assert ratio < 0.01
    # Far from the clear greyscale picture, pixel by pixel.
    grey = np.asarray(clear.convert("L"), dtype=np.float64)
    diff = np.abs(np.asarray(blurred, dtype=np.float64) - grey)
    assert diff.mean() > 20


def test_blur_strength_scales_with_size() -> None:
    pixels = np.asarray(Image.fromarray(samples.camera()).resize((96, 96)))
    small = make_thumbnail(Image.fromarray(pixels))
    blurred = _decode(render_thumbnail(small, "blurred"))
    clear = _decode(render_thumbnail(small, "revealed"))
    assert _high_frequency_energy(blurred) / _high_frequency_energy(clear) < 0.01


def test_revealed_keeps_the_picture_and_drops_metadata() -> None:
    source = Image.fromarray(samples.chelsea())
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x0110] = "Model 1"  # Model
    buffer = io.BytesIO()
    source.save(buffer, format="JPEG", quality=95, exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()
    revealed = render_thumbnail(buffer.getvalue(), "revealed")
    image = _decode(revealed)
    assert image.mode == "RGB" and image.size == source.size
    assert not image.getexif()
    assert b"ExampleCam" not in revealed and b"ExampleCam" not in render_thumbnail(
        buffer.getvalue(), "blurred"
    )
    error = np.abs(np.asarray(image, dtype=np.float64) - np.asarray(source, dtype=np.float64))
    assert error.mean() < 6


def test_exif_orientation_is_applied() -> None:
    source = Image.fromarray(np.zeros((40, 80, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise for display
    buffer = io.BytesIO()
    source.save(buffer, format="JPEG", exif=exif)
    assert _decode(render_thumbnail(buffer.getvalue(), "revealed")).size == (40, 80)
    assert _decode(make_thumbnail(Image.open(io.BytesIO(buffer.getvalue())))).size == (40, 80)


def test_png_with_alpha_renders(astronaut_thumb: bytes) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 30), (10, 200, 30, 128)).save(buffer, format="PNG")
    assert _decode(render_thumbnail(buffer.getvalue(), "revealed")).mode == "RGB"
    assert _decode(render_thumbnail(buffer.getvalue(), "blurred")).mode == "L"


def test_unknown_mode_refused(astronaut_thumb: bytes) -> None:
    with pytest.raises(InvalidInputError, match="mode"):
        render_thumbnail(astronaut_thumb, "clear")  # type: ignore[arg-type]


def test_garbage_and_truncated_images_refused(astronaut_thumb: bytes) -> None:
    with pytest.raises(UnsupportedMediaError):
        render_thumbnail(b"not an image", "blurred")
    with pytest.raises(UnsupportedMediaError):
        render_thumbnail(astronaut_thumb[: len(astronaut_thumb) // 2], "blurred")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [5000, 100_000])
def test_decompression_bombs_refused(side: int) -> None:
    with pytest.raises(DecompressionBombError):
        render_thumbnail(_png_header_only(side, side), "blurred")
