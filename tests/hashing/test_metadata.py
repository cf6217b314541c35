"""EXIF camera metadata: serials, original time, GPS, and tolerance of broken EXIF."""

from __future__ import annotations

import pytest
from PIL import ExifTags, Image

from sentinela.hashing.images import open_image
from sentinela.hashing.metadata import ImageMetadata, extract_metadata
from tests.hashing.helpers import camera_exif, encode, gradient_shapes, png


def _metadata(exif: Image.Exif | bytes, fmt: str = "JPEG") -> ImageMetadata:
    return extract_metadata(open_image(encode(gradient_shapes(64, 48), fmt, exif=exif)))


def test_camera_fields() -> None:
    meta = _metadata(camera_exif(orientation=6))
    assert meta.make == "TestMaker"
    assert meta.model == "Model X100"
    assert meta.serial_number == "BODY-1234"
    assert meta.software == "Firmware 1.2"
    assert meta.datetime_original == "2021-07-14T09:30:05"
    assert meta.orientation == 6


def test_gps_south_west_is_negative() -> None:
    meta = _metadata(camera_exif())
    assert meta.gps_latitude == pytest.approx(-(38 + 42 / 60 + 30 / 3600))
    assert meta.gps_longitude == pytest.approx(-(9 + 8 / 60 + 24 / 3600))
    assert meta.gps_altitude == pytest.approx(12.5)


def test_gps_north_east_and_below_sea_level() -> None:
    meta = _metadata(camera_exif(latitude_ref="N", longitude_ref="E", altitude_ref=1))
    assert meta.gps_latitude == pytest.approx(38 + 42 / 60 + 30 / 3600)
    assert meta.gps_longitude == pytest.approx(9 + 8 / 60 + 24 / 3600)
    assert meta.gps_altitude == pytest.approx(-12.5)


def test_serial_falls_back_to_camera_serial_number() -> None:
    assert _metadata(camera_exif(serial_tag=ExifTags.Base.CameraSerialNumber)).serial_number == (
        "CAM-0042"
    )


def test_offset_is_kept_when_the_camera_recorded_one() -> None:
    exif = camera_exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+01:00"
    assert _metadata(exif).datetime_original == "2021-07-14T09:30:05+01:00"


@pytest.mark.parametrize("value", ["0000:00:00 00:00:00", "2021:02:31 10:00:00", "yesterday", ""])
def test_invalid_dates_are_dropped(value: str) -> None:
    exif = camera_exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = value
    meta = _metadata(exif)
    assert meta.datetime_original is None
    assert meta.make == "TestMaker"


def test_out_of_range_latitude_is_dropped() -> None:
    meta = _metadata(camera_exif(latitude=(200.0, 0.0, 0.0)))
    assert meta.gps_latitude is None
    assert meta.gps_longitude is not None


def test_png_exif_chunk_is_read() -> None:
    assert _metadata(camera_exif(), fmt="PNG").make == "TestMaker"


def test_no_exif_gives_empty_metadata() -> None:
    meta = extract_metadata(open_image(png(32, 32)))
    assert meta.is_empty()
    assert meta == ImageMetadata()


@pytest.mark.parametrize(
    "raw",
    [
        b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff",  # IFD claims 65535 entries
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x0f\x00\x02\xff\xff\xff\xff\x00",
        b"Exif\x00\x00garbage",
    ],
)
def test_broken_exif_is_tolerated(raw: bytes) -> None:
    meta = _metadata(raw)
    assert isinstance(meta, ImageMetadata)


def test_round_trip_through_dict() -> None:
    meta = _metadata(camera_exif())
    assert ImageMetadata.from_dict(meta.to_dict()) == meta
    assert ImageMetadata.from_dict({**meta.to_dict(), "future_field": 1}) == meta
