"""Safe decoding and PDQ: formats, bombs, corrupt files, draft drift, orientation."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image, ImageFile

from sentinela.errors import (
    ConfigurationError,
    DecompressionBombError,
    InvalidInputError,
    UnsupportedMediaError,
)
from sentinela.hashing.images import (
    DRAFT_TARGET,
    ImageLimits,
    decode_image,
    open_image,
    pdq_fast,
    pdq_from_decoded,
    pdq_full,
    pdq_hex,
    register_heif_opener,
)
from sentinela.hashing.types.pdq import Pdq
from tests.hashing.helpers import (
    PATTERN_PDQ,
    PATTERN_PNG,
    camera_exif,
    encode,
    flip_idat_byte,
    gradient_shapes,
    jpeg,
    png,
    png_claiming,
)

PDQ = Pdq()


def test_fixture_pdq_matches_threatexchange_convention() -> None:
    result = pdq_full(PATTERN_PNG.read_bytes())
    assert (result.hash, result.quality, result.width, result.height) == (PATTERN_PDQ, 100, 64, 64)
    assert pdq_fast(PATTERN_PNG.read_bytes()).hash == PATTERN_PDQ


def test_pdq_hex_is_msb_first() -> None:
    bits = np.zeros(256, dtype=np.int64)
    bits[0] = 1
    bits[255] = 1
    assert pdq_hex(bits) == "8" + "0" * 62 + "1"


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        ("JPEG", {"quality": 95}),
        ("PNG", {}),
        ("GIF", {}),
        ("BMP", {}),
        ("WEBP", {"lossless": True}),
        ("TIFF", {}),
        ("HEIF", {"quality": 95}),
        ("AVIF", {"quality": 95}),
    ],
)
def test_every_format_hashes_close_to_the_source(fmt: str, params: dict[str, object]) -> None:
    if fmt == "HEIF":
        register_heif_opener()
    source = gradient_shapes(320, 240)
    reference = pdq_full(encode(source, "PNG")).hash
    result = pdq_fast(encode(source, fmt, **params))
    assert (result.width, result.height) == (320, 240)
    assert result.quality > 50
    # GIF quantises to 256 colours; the others are (nearly) lossless.
    assert PDQ.distance(reference, result.hash) <= 40, fmt


@pytest.mark.parametrize("mode", ["L", "LA", "P", "PA", "RGBA", "CMYK", "1", "I;16"])
def test_pixel_modes_decode(mode: str) -> None:
    source = gradient_shapes(128, 96)
    image = source.convert(mode) if mode != "I;16" else source.convert("L").convert("I;16")
    fmt = "TIFF" if mode in ("CMYK", "I;16", "PA") else "PNG"
    decoded = decode_image(encode(image, fmt))
    assert decoded.pixels.mode in ("RGB", "L")
    assert len(pdq_from_decoded(decoded).hash) == 64


def test_grey_image_hashes_like_its_rgb_copy() -> None:
    grey = gradient_shapes(200, 150).convert("L")
    assert pdq_fast(encode(grey, "PNG")).hash == pdq_fast(encode(grey.convert("RGB"), "PNG")).hash


def test_large_jpeg_is_drafted_and_stays_faithful() -> None:
    data = jpeg(2400, 1800, quality=90)
    decoded = decode_image(data)
    assert decoded.drafted
    assert min(decoded.pixels.size) >= DRAFT_TARGET
    assert decoded.pixels.size == (1200, 900)
    fast, full = pdq_fast(data), pdq_full(data)
    assert (fast.width, fast.height) == (full.width, full.height) == (2400, 1800)
    assert (fast.method, full.method) == ("draft_1_2", "full")
    assert PDQ.distance(fast.hash, full.hash) <= 16


def test_draft_target_is_configurable() -> None:
    decoded = decode_image(jpeg(2401, 1800), limits=ImageLimits(draft_target=200))
    assert decoded.pixels.size == (301, 225)
    assert decoded.method == "draft_1_8"
    assert not decode_image(jpeg(2400, 1800), draft=False).drafted


def test_exif_orientation_is_not_applied() -> None:
    plain = encode(gradient_shapes(320, 240), "JPEG", quality=95)
    rotated_tag = encode(
        gradient_shapes(320, 240), "JPEG", quality=95, exif=camera_exif(orientation=6)
    )
    assert pdq_full(plain).hash == pdq_full(rotated_tag).hash
    assert (pdq_full(rotated_tag).width, pdq_full(rotated_tag).height) == (320, 240)


def test_declared_bomb_is_refused_before_decoding() -> None:
    start = time.perf_counter()
    with pytest.raises(DecompressionBombError, match="pixels"):
        pdq_fast(png_claiming(100_000, 100_000))
    assert time.perf_counter() - start < 2


def test_pixel_limit_is_configurable() -> None:
    limits = ImageLimits(max_pixels=10_000)
    with pytest.raises(DecompressionBombError, match="320x240"):
        open_image(png(320, 240), limits=limits)
    open_image(png(100, 100), limits=limits)


def test_limits_must_be_positive() -> None:
    with pytest.raises(InvalidInputError, match="positive"):
        ImageLimits(max_pixels=0)


def test_truncated_jpeg_is_refused() -> None:
    data = jpeg(640, 480)
    with pytest.raises(UnsupportedMediaError, match="truncated"):
        pdq_fast(data[: len(data) // 2])
    with pytest.raises(UnsupportedMediaError):
        pdq_full(data[: len(data) // 2])


def test_progressive_jpeg_missing_its_end_is_refused() -> None:
    data = encode(gradient_shapes(640, 480), "JPEG", quality=90, progressive=True)
    with pytest.raises(UnsupportedMediaError, match="truncated"):
        pdq_fast(data[:-2])


def test_cmyk_jpeg_is_drafted_and_converted() -> None:
    data = encode(gradient_shapes(1600, 1200).convert("CMYK"), "JPEG", quality=90)
    decoded = decode_image(data)
    assert (decoded.pixels.mode, decoded.method) == ("RGB", "draft_1_2")
    assert PDQ.distance(pdq_from_decoded(decoded).hash, pdq_full(data).hash) <= 16


def test_tiny_image_gets_quality_zero() -> None:
    result = pdq_fast(encode(Image.new("RGB", (3, 3), (10, 200, 30)), "GIF"))
    assert (result.hash, result.quality) == ("0" * 64, 0)


def test_png_with_bad_crc_is_refused() -> None:
    with pytest.raises(UnsupportedMediaError, match=r"IDAT.*bad CRC"):
        pdq_fast(flip_idat_byte(png()))


def test_refuses_to_decode_if_truncated_loading_was_enabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ConfigurationError, match="LOAD_TRUNCATED_IMAGES"):
        pdq_fast(jpeg(64, 48))


@pytest.mark.parametrize(
    "data",
    [
        b"not an image at all",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # EPS would run Ghostscript
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,
    ],
    ids=["text", "eps", "jpeg-header-only"],
)
def test_non_images_raise_unsupported_media(data: bytes) -> None:
    with pytest.raises(UnsupportedMediaError) as info:
        pdq_fast(data)
    assert "0x" not in str(info.value)  # no object addresses in evidence records


def test_gif_first_frame_is_hashed() -> None:
    first, second = gradient_shapes(160, 120, seed=1), gradient_shapes(160, 120, seed=2).rotate(90)
    out = io.BytesIO()
    first.save(out, "GIF", save_all=True, append_images=[second])
    animated = pdq_fast(out.getvalue()).hash
    assert PDQ.distance(animated, pdq_fast(encode(first, "GIF")).hash) <= 8


def test_heic_is_opened_through_pillow_heif() -> None:
    register_heif_opener()
    data = encode(gradient_shapes(128, 96), "HEIF", quality=90)
    decoded = decode_image(data)
    assert decoded.source.format == "HEIF"
    assert isinstance(decoded.pixels, Image.Image)
