"""In-memory JPEG thumbnails."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sentinela.errors import InvalidInputError
from sentinela.hashing.thumbnail import make_thumbnail
from tests.hashing.helpers import gradient_shapes


@pytest.mark.parametrize(("size", "expected"), [((1000, 750), (250, 188)), ((257, 100), (129, 50))])
def test_longest_side_fits(size: tuple[int, int], expected: tuple[int, int]) -> None:
    thumb = make_thumbnail(gradient_shapes(*size))
    assert thumb.startswith(b"\xff\xd8\xff")
    with Image.open(io.BytesIO(thumb)) as image:
        assert image.size == expected


def test_small_image_keeps_its_size() -> None:
    with Image.open(io.BytesIO(make_thumbnail(gradient_shapes(100, 80)))) as image:
        assert image.size == (100, 80)


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "CMYK", "I;16"])
def test_any_mode_becomes_a_jpeg(mode: str) -> None:
    image = (
        gradient_shapes(300, 200).convert(mode) if mode != "I;16" else Image.new(mode, (300, 200))
    )
    with Image.open(io.BytesIO(make_thumbnail(image))) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) <= 256


@pytest.mark.parametrize(("max_side", "quality"), [(0, 80), (256, 0), (256, 100)])
def test_rejects_bad_parameters(max_side: int, quality: int) -> None:
    with pytest.raises(InvalidInputError):
        make_thumbnail(gradient_shapes(10, 10), max_side=max_side, quality=quality)
