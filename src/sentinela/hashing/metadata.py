"""Camera metadata from EXIF: make, model, body serial number, original time, GPS, software.

These fields link images across cases (the same camera body, the same place). EXIF in seized
material is often damaged or edited, so extraction never fails: each field is read on its
own and a field that does not parse is simply absent. Values are kept as recorded; in
particular ``DateTimeOriginal`` has no time zone, and none is invented (the camera's
``OffsetTimeOriginal`` is appended only when it recorded one).
"""

from __future__ import annotations

import math
import re
import struct
import warnings
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Final, TypeVar

from PIL import ExifTags, Image

_T = TypeVar("_T")

# Pillow raises any of these on damaged EXIF; there is no common base class.
_EXIF_ERRORS: Final = (
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    EOFError,
    ZeroDivisionError,
    OverflowError,
    struct.error,
)
_EXIF_DATETIME: Final = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET: Final = re.compile(r"^[+-]\d{2}:\d{2}$")

_MAKE: Final = ExifTags.Base.Make
_MODEL: Final = ExifTags.Base.Model
_SOFTWARE: Final = ExifTags.Base.Software
_ORIENTATION: Final = ExifTags.Base.Orientation
_BODY_SERIAL: Final = ExifTags.Base.BodySerialNumber  # 0xA431
_CAMERA_SERIAL: Final = ExifTags.Base.CameraSerialNumber  # 0xC62F, DNG
_DATETIME_ORIGINAL: Final = ExifTags.Base.DateTimeOriginal
_OFFSET_TIME_ORIGINAL: Final = ExifTags.Base.OffsetTimeOriginal


@dataclass(frozen=True, slots=True)
class ImageMetadata:
    """EXIF fields Sentinela stores per media item. Every field may be absent.

    Attributes:
        make: camera manufacturer.
        model: camera model.
        serial_number: camera body serial (BodySerialNumber, else DNG CameraSerialNumber).
        datetime_original: ISO 8601 ``YYYY-MM-DDTHH:MM:SS``, naive unless the camera recorded
            its UTC offset.
        gps_latitude: decimal degrees, negative south.
        gps_longitude: decimal degrees, negative west.
        gps_altitude: metres, negative below sea level.
        software: the software that last wrote the file.
        orientation: EXIF orientation (1-8) as recorded; it is not applied to hashed pixels.
    """

    make: str | None = None
    model: str | None = None
    serial_number: str | None = None
    datetime_original: str | None = None
    gps_latitude: float | None = None
    gps_longitude: float | None = None
    gps_altitude: float | None = None
    software: str | None = None
    orientation: int | None = None

    def is_empty(self) -> bool:
        """True when no field was found."""
        return all(getattr(self, f.name) is None for f in fields(self))

    def to_dict(self) -> dict[str, str | float | int | None]:
        """Plain JSON-able values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageMetadata:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def extract_metadata(image: Image.Image) -> ImageMetadata:
    """Read the metadata fields from an opened image; never raises for bad EXIF.

    Args:
        image: an image opened by Pillow (loaded or not).

    Returns:
        The fields that parsed; an empty :class:`ImageMetadata` when there is no EXIF.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exif = image.getexif()
        except _EXIF_ERRORS:
            return ImageMetadata()
        ifd0: Mapping[int, Any] = exif
        exif_ifd = _safe(lambda: exif.get_ifd(ExifTags.IFD.Exif)) or {}
        gps = _safe(lambda: exif.get_ifd(ExifTags.IFD.GPSInfo)) or {}
    serial = _text(_first(exif_ifd, ifd0, _BODY_SERIAL)) or _text(
        _first(ifd0, exif_ifd, _CAMERA_SERIAL)
    )
    orientation = image.info.get("original_orientation") or ifd0.get(_ORIENTATION)
    return ImageMetadata(
        make=_text(ifd0.get(_MAKE)),
        model=_text(ifd0.get(_MODEL)),
        serial_number=serial,
        datetime_original=_safe(
            lambda: _iso_datetime(
                exif_ifd.get(_DATETIME_ORIGINAL), exif_ifd.get(_OFFSET_TIME_ORIGINAL)
            )
        ),
        gps_latitude=_safe(lambda: _coordinate(gps.get(2), gps.get(1), "S", 90.0)),
        gps_longitude=_safe(lambda: _coordinate(gps.get(4), gps.get(3), "W", 180.0)),
        gps_altitude=_safe(lambda: _altitude(gps.get(6), gps.get(5))),
        software=_text(ifd0.get(_SOFTWARE)),
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else None,
    )


def _safe(read: Callable[[], _T]) -> _T | None:
    try:
        return read()
    except _EXIF_ERRORS:
        return None


def _first(primary: Mapping[int, Any], secondary: Mapping[int, Any], tag: int) -> Any:
    value = primary.get(tag)
    return value if value is not None else secondary.get(tag)


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    cleaned = value.replace("\x00", " ").strip()
    return cleaned or None


def _iso_datetime(value: Any, offset: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    match = _EXIF_DATETIME.match(text)
    if match is None:
        return None
    # Validates the calendar (no 0000:00:00, no 31 February); raises ValueError otherwise.
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    stamp = datetime(year, month, day, hour, minute, second)  # naive on purpose
    iso = stamp.isoformat()
    offset_text = _text(offset)
    if offset_text is not None and _EXIF_OFFSET.match(offset_text):
        iso += offset_text
    return iso


def _coordinate(value: Any, ref: Any, negative_ref: str, bound: float) -> float | None:
    if value is None:
        return None
    parts = [float(p) for p in (value if isinstance(value, tuple | list) else (value,))]
    if not 1 <= len(parts) <= 3 or not all(math.isfinite(p) for p in parts):
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if (_text(ref) or "").upper().startswith(negative_ref):
        degrees = -degrees
    return round(degrees, 7) if abs(degrees) <= bound else None


def _altitude(value: Any, ref: Any) -> float | None:
    if value is None:
        return None
    metres = float(value)
    if not math.isfinite(metres):
        return None
    below = ref in (1, b"\x01", "\x01")
    return round(-metres if below else metres, 3)
