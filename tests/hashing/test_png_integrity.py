"""PNG chunk CRC verification."""

from __future__ import annotations

import pytest

from sentinela.errors import UnsupportedMediaError
from sentinela.hashing.png_integrity import verify_png_crcs
from tests.hashing.helpers import flip_idat_byte, png, png_claiming


def test_intact_png_passes() -> None:
    verify_png_crcs(png())
    verify_png_crcs(png_claiming(10, 10))


def test_data_after_iend_is_not_checked() -> None:
    verify_png_crcs(png() + b"appended bytes")


def test_flipped_idat_byte_names_the_chunk() -> None:
    with pytest.raises(UnsupportedMediaError, match=r"'IDAT' at offset \d+ has a bad CRC"):
        verify_png_crcs(flip_idat_byte(png()))


@pytest.mark.parametrize("cut", [12, 100, 1000])
def test_truncated_png_is_refused(cut: int) -> None:
    data = png()
    with pytest.raises(UnsupportedMediaError, match="truncated"):
        verify_png_crcs(data[:-cut])
